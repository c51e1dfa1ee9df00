/**
 * TypeScript twins of models/train/retrieval.py (length-matched candidates, centring, log-length
 * regression, cosine retrieval, the surface-feature and character TF-IDF baselines) and of
 * `score_layers` in models/train/evaluate.py, so a test can recompute the model card's retrieval
 * table without Python. Python's len, slicing and str.split count code points, so texts are
 * iterated by code point here ([...text]).
 */

export type Rows = number[][];
export type Control = "matched_raw" | "matched_centered" | "length_regressed";
export const CONTROLS: readonly Control[] = ["matched_raw", "matched_centered", "length_regressed"];
/** evaluate.py's CANDIDATES: the true translation plus 9 length-matched distractors. */
const CANDIDATES = 10;

/** The held-out texts, unit -> text: English and each evaluated language. */
export interface Heldout {
  english: Map<string, string>;
  langs: Map<string, Map<string, string>>;
}

/** What str.isspace() and re's \s (on str) match; JS's \s lacks \x1c-\x1f and \x85 and adds \ufeff. */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_WORDS = new RegExp(`[^${PY_SPACE}]+`, "g");
/** scikit-learn's _white_spaces, r"\s\s+": a single whitespace character is left as it is. */
const PY_SPACE_RUNS = new RegExp(`[${PY_SPACE}]{2,}`, "g");

/** retrieval.PUNCTUATION: string.punctuation plus the marks of other scripts, sorted (all in the BMP, so
 * JS's UTF-16 sort is Python's code point sort). */
const PUNCTUATION = [...new Set([..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", ..."«»“”„‘’、。，；：！？（）「」『』《》،؛؟।॥።፣፤჻·–—…"])].sort();

const codeLength = (text: string) => [...text].length;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Column means, summed row by row as numpy's mean(axis=0) does. */
function columnMeans(x: Rows): number[] {
  const sums = new Array<number>(x[0].length).fill(0);
  for (const row of x) row.forEach((v, j) => (sums[j] += v));
  return sums.map((s) => s / x.length);
}

/** length_matched_candidates: unit -> [unit, the k units nearest in character length]; ties by unit id. */
function lengthMatchedCandidates(lengths: Map<string, number>, k: number): Map<string, string[]> {
  const units = [...lengths.keys()].sort();
  return new Map(units.map((u) => {
    const others = units.filter((v) => v !== u)
      .map((v) => [Math.abs(lengths.get(v)! - lengths.get(u)!), v] as const)
      .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    return [u, [u, ...others.slice(0, k).map(([, v]) => v)]];
  }));
}

/** center: each column minus its mean. */
function center(x: Rows): Rows {
  const m = columnMeans(x);
  return x.map((row) => row.map((v, j) => v - m[j]));
}

/** regress_out: residuals of each column after least squares on [1, covariate] (the closed form of
 * numpy's lstsq for one covariate). */
function regressOut(x: Rows, covariate: readonly number[]): Rows {
  const c = mean(covariate);
  const dc = covariate.map((v) => v - c);
  const sxx = dc.reduce((s, d) => s + d * d, 0);
  const m = columnMeans(x);
  const slope = m.map((_, j) => x.reduce((s, row, i) => s + dc[i] * row[j], 0) / sxx);
  return x.map((row, i) => row.map((v, j) => v - m[j] - slope[j] * dc[i]));
}

function unitRows(x: Rows): Rows {
  return x.map((row) => {
    const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
    return row.map((v) => v / (norm === 0 ? 1 : norm));
  });
}

/** retrieval_accuracy: share of query rows whose most cosine-similar candidate is their own unit; equal
 * similarities go to the lower index, as max(pool, key=(sim, -j)) does. `candidates` null: all units. */
function retrievalAccuracy(query: Rows, english: Rows, units: readonly string[], candidates: Map<string, string[]> | null): number {
  const q = unitRows(query), e = unitRows(english);
  const index = new Map(units.map((u, i) => [u, i]));
  let hits = 0;
  units.forEach((u, i) => {
    const pool = (candidates ? candidates.get(u)! : units).filter((v) => index.has(v)).map((v) => index.get(v)!);
    let best = -1, bestSim = -Infinity;
    for (const j of pool) {
      const sim = q[i].reduce((s, v, k) => s + v * e[j][k], 0);
      if (sim > bestSim || (sim === bestSim && j < best)) [best, bestSim] = [j, sim];
    }
    if (best === i) hits++;
  });
  return hits / units.length;
}

/** surface_features: log1p of character length, word count (str.split()) and each punctuation mark's
 * count, z-scored within the list (population std; a constant column is divided by 1). */
export function surfaceFeatures(texts: readonly string[]): Rows {
  const x = texts.map((t) => {
    const chars = [...t];
    const counts = new Map<string, number>();
    for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return [chars.length, t.match(PY_WORDS)?.length ?? 0, ...PUNCTUATION.map((p) => counts.get(p) ?? 0)].map(Math.log1p);
  });
  const m = columnMeans(x);
  const sd = columnMeans(x.map((row) => row.map((v, j) => (v - m[j]) * (v - m[j])))).map(Math.sqrt);
  return x.map((row) => row.map((v, j) => (v - m[j]) / (sd[j] === 0 ? 1 : sd[j])));
}

/** One TF-IDF row: n-gram -> weight (absent n-grams weigh 0). */
export type SparseRow = Map<string, number>;

/** char_tfidf: scikit-learn's TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
 * fitted on every text given: str.lower(), whitespace runs to one space, code point 1-3-grams,
 * tf 1 + log(count), smooth idf log((1 + n) / (1 + df)) + 1, rows scaled to unit l2 norm. */
export function charTfidf(textsByLang: Map<string, readonly string[]>): Map<string, SparseRow[]> {
  const counted = new Map([...textsByLang].map(([lang, texts]) => [lang, texts.map((text) => {
    const chars = [...text.toLowerCase().replace(PY_SPACE_RUNS, " ")];
    const counts = new Map<string, number>();
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const gram = chars.slice(i, i + n).join("");
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
    }
    return counts;
  })]));
  const df = new Map<string, number>();
  let docs = 0;
  for (const rows of counted.values()) {
    for (const row of rows) {
      docs++;
      for (const gram of row.keys()) df.set(gram, (df.get(gram) ?? 0) + 1);
    }
  }
  return new Map([...counted].map(([lang, rows]) => [lang, rows.map((row) => {
    const weights = [...row].map(([gram, count]) => [gram, (Math.log(count) + 1) * (Math.log((docs + 1) / (df.get(gram)! + 1)) + 1)] as const);
    const norm = Math.sqrt(weights.reduce((s, [, w]) => s + w * w, 0));
    return new Map(weights.map(([gram, w]) => [gram, w / norm]));
  })]));
}

/** Dense rows of `groups` over the n-grams any of them uses: the columns that are zero in all of them
 * change no centring, regression, norm or dot product, so dropping them changes no similarity. */
export function densify(...groups: SparseRow[][]): Rows[] {
  const columns = new Map<string, number>();
  for (const rows of groups) for (const row of rows) for (const gram of row.keys()) if (!columns.has(gram)) columns.set(gram, columns.size);
  return groups.map((rows) => rows.map((row) => {
    const dense = new Array<number>(columns.size).fill(0);
    for (const [gram, w] of row) dense[columns.get(gram)!] = w;
    return dense;
  }));
}

/** One layer of score_layers: each language's retrieval accuracy under `control`. `rows(lang, units)`
 * gives the vectors of the language's and of English's texts of `units`, in that order. */
export function scoreLayer(heldout: Heldout, control: Control, rows: (lang: string, units: string[]) => {query: Rows; english: Rows}): Map<string, number> {
  const englishUnits = [...heldout.english.keys()].sort();
  const candidates = lengthMatchedCandidates(new Map(englishUnits.map((u) => [u, codeLength(heldout.english.get(u)!)])), CANDIDATES - 1);
  return new Map([...heldout.langs].map(([lang, texts]) => {
    const units = englishUnits.filter((u) => texts.has(u));
    let {query, english} = rows(lang, units);
    if (control === "matched_centered") [query, english] = [center(query), center(english)];
    if (control === "length_regressed") {
      query = regressOut(query, units.map((u) => Math.log(codeLength(texts.get(u)!))));
      english = regressOut(english, units.map((u) => Math.log(codeLength(heldout.english.get(u)!))));
    }
    return [lang, retrievalAccuracy(query, english, units, control === "length_regressed" ? null : candidates)];
  }));
}

/** The card's "all": the plain mean over languages (evaluate.py's np.mean of the per-language values). */
export const meanOverLanguages = (accs: Map<string, number>) => mean([...accs.values()]);
