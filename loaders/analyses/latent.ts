/**
 * Latent-language measures of the logit lens (Wendler et al., ACL 2024): per layer, the probability
 * of the correct next token, of the English word's first token, and the mass on each language's and
 * script's tokens; pure functions on one layer's logits and a vocabulary's token texts.
 */
import {detectScript} from "../datasets/scripts.js";
import {mean} from "./bootstrap.js";

/** softmax(logits) in float64, with the max subtracted (exact for any finite logits). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** Rank of token `id` among the logits: 1 + the number of tokens with a strictly larger logit (ties share the best rank). */
export function tokenRank(logits: ArrayLike<number>, id: number): number {
  if (!(Number.isInteger(id) && id >= 0 && id < logits.length)) throw new Error(`token id ${id} outside the vocabulary of ${logits.length}`);
  let above = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i] > logits[id]) above++;
  return above + 1;
}

/** Summed probability of a set of token ids. */
export function mass(probabilities: Float64Array, ids: Int32Array): number {
  let sum = 0;
  for (const id of ids) sum += probabilities[id];
  return sum;
}

/** What a token is written as once the tokenizer's word-start marker (a space) is dropped. */
const tokenWord = (text: string): string => text.trim();

/**
 * The tokens of each language: a token belongs to language L when its text (spaces trimmed) is a
 * prefix of some word of L's list and of no other listed language's word (Wendler et al.'s
 * unambiguous prefixes). Tokens with no letter belong to none.
 */
export function languageTokens(tokens: readonly string[], words: Readonly<Record<string, readonly string[]>>): Record<string, Int32Array> {
  const langs = Object.keys(words);
  const prefixes = new Map<string, Set<string>>();
  for (const lang of langs) {
    for (const word of words[lang]) {
      const chars = [...word];
      for (let k = 1; k <= chars.length; k++) {
        const prefix = chars.slice(0, k).join("");
        (prefixes.get(prefix) ?? prefixes.set(prefix, new Set()).get(prefix)!).add(lang);
      }
    }
  }
  const ids: Record<string, number[]> = Object.fromEntries(langs.map((lang) => [lang, []]));
  tokens.forEach((text, id) => {
    const word = tokenWord(text);
    if (!/\p{L}/u.test(word)) return;
    const of = prefixes.get(word);
    if (of?.size === 1) ids[[...of][0]].push(id);
  });
  return Object.fromEntries(langs.map((lang) => [lang, Int32Array.from(ids[lang])]));
}

/** The tokens of each script (ISO 15924, `detectScript` of the token's letters); tokens with no letter belong to none. */
export function scriptTokens(tokens: readonly string[]): Record<string, Int32Array> {
  const ids = new Map<string, number[]>();
  tokens.forEach((text, id) => {
    const script = detectScript(tokenWord(text));
    if (script && script !== "Zyyy") (ids.get(script) ?? ids.set(script, []).get(script)!).push(id);
  });
  return Object.fromEntries([...ids].sort(([a], [b]) => a.localeCompare(b)).map(([script, list]) => [script, Int32Array.from(list)]));
}

/** One prompt's lens reading at one layer. */
export interface LensReading {
  /** Probability of the correct answer's first token. */
  target: number;
  /** Probability of the English word's first token (the latent-English hypothesis). */
  english: number;
  /** Rank of the correct answer's first token (1 = the lens's top token). */
  rank: number;
  /** Probability mass on each language's tokens, and on each script's. */
  languages: Record<string, number>;
  scripts: Record<string, number>;
}

/** The reading of one layer's logits, for a prompt whose answer starts with `target` and whose English answer starts with `english`. */
export function readLayer(
  logits: ArrayLike<number>, ids: {target: number; english: number}, groups: {languages: Record<string, Int32Array>; scripts: Record<string, Int32Array>}
): LensReading {
  const p = softmax(logits);
  const masses = (of: Record<string, Int32Array>) => Object.fromEntries(Object.entries(of).map(([key, list]) => [key, mass(p, list)]));
  return {target: p[ids.target], english: p[ids.english], rank: tokenRank(logits, ids.target), languages: masses(groups.languages), scripts: masses(groups.scripts)};
}

/** Mean of each reading over prompts, and the median rank, at one layer. */
export interface LayerSummary {
  layer: number;
  target: number;
  english: number;
  medianRank: number;
  languages: Record<string, number>;
  scripts: Record<string, number>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per layer, the prompts' mean readings and median rank; `readings[prompt][layer]`. */
export function summarizeLayers(readings: readonly (readonly LensReading[])[]): LayerSummary[] {
  if (readings.length === 0) return [];
  const layers = readings[0].length;
  return Array.from({length: layers}, (_, layer) => {
    const at = readings.map((r) => r[layer]);
    const means = (pick: (r: LensReading) => Record<string, number>) => Object.fromEntries(Object.keys(pick(at[0])).map((key) => [key, mean(at.map((r) => pick(r)[key]))]));
    return {
      layer,
      target: mean(at.map((r) => r.target)),
      english: mean(at.map((r) => r.english)),
      medianRank: median(at.map((r) => r.rank)),
      languages: means((r) => r.languages),
      scripts: means((r) => r.scripts)
    };
  });
}
