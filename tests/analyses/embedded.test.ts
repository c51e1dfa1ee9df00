/**
 * The issue's "must show" claims, checked on the embedded model with the real pipeline: the
 * site's parallel dataset (held-out UDHR paragraphs, with the site's pooling) and the
 * knowledge-boundary questions (last-token pooling, as the paper) are extracted into stores,
 * then analysed by `analyzeStore`.
 * The measured numbers are printed (stderr) so a run documents them.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import config from "../../babelscope.config.js";
import {unitRows, type Centering, type Matrix} from "../../loaders/analyses/index.js";
import {envFrom, type Env} from "../../loaders/config.js";
import {languages, loadDataset} from "../../loaders/datasets/index.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {analyzeStore, type AnalysisFile} from "../../loaders/report/analyze.js";
import {readLayered, type Store} from "../../loaders/store/store.js";
import type {Pooling} from "../../loaders/types.js";

const MODEL = "embedded:babelscope-tiny";
const TMP = mkdtempSync(join(tmpdir(), "babelscope-embedded-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));
const env: Env = {...envFrom(), storesDir: join(TMP, "stores")};

function report(line: string): void {
  process.stderr.write(`[embedded] ${line}\n`);
}

/** Extraction as the site does it (babelscope.config.ts), with the given pooling. */
async function storeOf(dataset: string, pooling: Pooling): Promise<Store> {
  const model = await resolveModel(MODEL, env);
  const settings = {...DEFAULT_SETTINGS, pooling, maxLength: config.maxLength};
  const {store} = await extractToStore(model, await loadDataset(dataset), settings, env);
  return store;
}

function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.reduce((a, b) => a + b, 0) / finite.length;
}

/**
 * Mean cosine of the parallel items of every pair of languages, averaged over the given layers:
 * S(A, B) = mean over layers l and over units u that both A and B have of cos(x_{A,u,l}, x_{B,u,l}).
 */
function pairSimilarities(
  vectors: {layers: readonly Matrix[]; unit: readonly string[]; lang: readonly string[]}, layers: number[], centering: Centering
): Map<string, number> {
  const langs = [...new Set(vectors.lang)].sort();
  const units = [...new Set(vectors.unit)];
  const unitIndex = new Map(units.map((u, k) => [u, k]));
  const rowOf = new Map(langs.map((l) => [l, new Int32Array(units.length).fill(-1)]));
  vectors.lang.forEach((lang, i) => (rowOf.get(lang)![unitIndex.get(vectors.unit[i])!] = i));
  const sums = new Map<string, number>();
  for (const layer of layers) {
    const unitVectors = unitRows(vectors.layers[layer], vectors.lang, centering);
    const {cols, data} = unitVectors;
    langs.forEach((a, ia) => {
      for (const b of langs.slice(ia + 1)) {
        const rowsA = rowOf.get(a)!, rowsB = rowOf.get(b)!;
        let total = 0, n = 0;
        for (let k = 0; k < units.length; k++) {
          if (rowsA[k] < 0 || rowsB[k] < 0) continue;
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += data[rowsA[k] * cols + c] * data[rowsB[k] * cols + c];
          total += dot;
          n++;
        }
        if (n > 0) sums.set(`${a} ${b}`, (sums.get(`${a} ${b}`) ?? 0) + total / n / layers.length);
      }
    });
  }
  return sums;
}

/** Mean pair similarity of same-family and different-family language pairs (languages without a family left out). */
function familyContrast(similarity: Map<string, number>, sameScriptOnly: boolean): {same: number; different: number; pairs: [number, number]} {
  const info = new Map(languages().map((l) => [l.code, l]));
  const same: number[] = [], different: number[] = [];
  for (const [key, value] of similarity) {
    const [a, b] = key.split(" ").map((code) => info.get(code));
    if (!a?.family || !b?.family) continue;
    if (sameScriptOnly && a.script !== b.script) continue;
    (a.family === b.family ? same : different).push(value);
  }
  return {same: mean(same), different: mean(different), pairs: [same.length, different.length]};
}

/**
 * The trivial baseline of the field notes: for each item of a language, the English item of the
 * shared units closest in character length is taken as its translation. Mean accuracy over languages.
 */
function lengthRetrieval(items: readonly {unit: string; lang: string; text: string}[], baseline: string): number {
  const english = new Map(items.filter((item) => item.lang === baseline).map((item) => [item.unit, [...item.text].length]));
  const byLang = new Map<string, {unit: string; length: number}[]>();
  for (const item of items) {
    if (item.lang === baseline || !english.has(item.unit)) continue;
    byLang.set(item.lang, [...(byLang.get(item.lang) ?? []), {unit: item.unit, length: [...item.text].length}]);
  }
  const accuracies = [...byLang.values()].map((rows) => {
    const candidates = rows.map((row) => ({unit: row.unit, length: english.get(row.unit)!}));
    const hits = rows.filter((row) => {
      const nearest = candidates.reduce((best, c) => (Math.abs(c.length - row.length) < Math.abs(best.length - row.length) ? c : best));
      return nearest.unit === row.unit;
    });
    return hits.length / rows.length;
  });
  return mean(accuracies);
}

describe(`embedded model ${MODEL}`, () => {
  let parallel: AnalysisFile[];
  let parallelStore: Store;
  let questions: AnalysisFile[];
  beforeAll(async () => {
    const started = Date.now();
    parallelStore = await storeOf(config.parallel, config.pooling);
    const questionStore = await storeOf("questions", "last");
    report(`extracted udhr-heldout and questions in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    parallel = await analyzeStore(parallelStore, {only: ["rank", "align"], settings: {resamples: 200}});
    questions = await analyzeStore(questionStore, {only: ["probe"]});
  }, 900_000);

  const file = <A extends AnalysisFile["analysis"]>(files: AnalysisFile[], name: A) => files.find((f): f is AnalysisFile<A> => f.analysis === name)!.result!;

  it("related languages (same family) have more similar parallel representations than unrelated ones, also within one script", async () => {
    const vectors = await readLayered(parallelStore);
    const layers = vectors.layers.map((_, l) => l);
    for (const centering of ["none", "language"] as const) {
      const similarity = pairSimilarities(vectors, layers, centering);
      const all = familyContrast(similarity, false);
      const script = familyContrast(similarity, true);
      report(`pair similarity (${centering}, all layers): same family ${all.same.toFixed(4)} vs different ${all.different.toFixed(4)} (${all.pairs.join(" / ")} pairs); same script only ${script.same.toFixed(4)} vs ${script.different.toFixed(4)} (${script.pairs.join(" / ")} pairs)`);
      expect(all.same).toBeGreaterThan(all.different);
      expect(script.same).toBeGreaterThan(script.different);
    }
  });

  it("retrieval of the English translation is far above chance at the best layer (centred vectors)", async () => {
    const {retrieval} = file(parallel, "align");
    report(`retrieval to eng by character length alone (no model): ${lengthRetrieval(await parallelStore.items(), "eng").toFixed(3)}`);
    for (const centering of ["none", "language"] as const) {
      const rows = retrieval[centering].languages;
      const perLayer = retrieval[centering].settings.layers.map((_, k) => mean(rows.map((r) => r.toBaseline[k])));
      const chance = mean(rows.map((r) => r.chance));
      const best = perLayer.indexOf(Math.max(...perLayer));
      report(`retrieval to eng (${centering}) by layer: ${perLayer.map((v) => v.toFixed(3)).join(" ")}; best layer ${best}: ${perLayer[best].toFixed(3)} vs chance ${chance.toFixed(3)} (${rows.length} languages)`);
      if (centering === "language") expect(perLayer[best]).toBeGreaterThan(3 * chance);
    }
  });

  it("mean-centering lowers the raw parallel cosine (anisotropy) and raises retrieval", () => {
    const {parallelCosine, retrieval} = file(parallel, "align");
    const cosine = (c: Centering) => parallelCosine[c].settings.layers.map((_, k) => mean(parallelCosine[c].languages.map((r) => r.meanCosine[k])));
    const best = (c: Centering) => Math.max(...retrieval[c].settings.layers.map((_, k) => mean(retrieval[c].languages.map((r) => r.toBaseline[k]))));
    report(`mean parallel cosine with eng by layer: raw ${cosine("none").map((v) => v.toFixed(3)).join(" ")}; centred ${cosine("language").map((v) => v.toFixed(3)).join(" ")}`);
    cosine("none").forEach((raw, k) => expect(cosine("language")[k]).toBeLessThan(raw));
    expect(best("language")).toBeGreaterThan(best("none"));
  });

  it("probes separate known from unknown questions above chance in the middle layers", () => {
    const {probe, labels} = file(questions, "probe");
    const layers = probe.settings.layers;
    report(`probe (${labels.positive} vs ${labels.negative}, ${probe.pooled.n} items, pooled over languages) accuracy by layer: ${probe.pooled.accuracy.map((v) => v.toFixed(3)).join(" ")}; AUROC ${probe.pooled.auroc.map((v) => v.toFixed(3)).join(" ")}`);
    const middle = layers.filter((l) => l > 0 && l < layers.length - 1);
    for (const l of middle) expect(probe.pooled.accuracy[layers.indexOf(l)]).toBeGreaterThan(0.55);
    for (const row of probe.languages) {
      report(`  ${row.lang}: within-language accuracy ${row.within?.accuracy.map((v) => v.toFixed(2)).join(" ")}`);
    }
  });

  it("aligning a language onto English improves the transfer of an English probe for at least one language", () => {
    const {alignment, transfer} = file(questions, "probe");
    if (!("languages" in alignment)) throw new Error(`alignment skipped: ${alignment.skipped}`);
    const eng = transfer.languages.indexOf("eng");
    const gains: {lang: string; layer: number; before: number; after: number; method: string}[] = [];
    for (const row of alignment.languages) {
      alignment.settings.layers.forEach((layer, k) => {
        for (const method of alignment.settings.alignments) {
          gains.push({lang: row.lang, layer, before: row.before.accuracy[k], after: row.after[method]!.accuracy[k], method});
        }
      });
    }
    gains.sort((a, b) => b.after - b.before - (a.after - a.before));
    for (const method of alignment.settings.alignments) {
      const own = gains.filter((g) => g.method === method);
      report(`${method}: mean accuracy change over ${own.length} (language, layer) cells ${mean(own.map((g) => g.after - g.before)).toFixed(3)}; improved in ${own.filter((g) => g.after > g.before).length}`);
    }
    for (const g of gains.filter((g) => g.method === "mean-shift").slice(0, 3)) report(`alignment eng probe -> ${g.lang}, layer ${g.layer}, ${g.method}: accuracy ${g.before.toFixed(3)} -> ${g.after.toFixed(3)}`);
    for (const g of gains.slice(0, 5)) report(`alignment eng probe -> ${g.lang}, layer ${g.layer}, ${g.method}: accuracy ${g.before.toFixed(3)} -> ${g.after.toFixed(3)}`);
    const mid = transfer.layers[Math.floor(transfer.layers.length / 2)];
    report(`transfer from eng at layer ${mid.layer}: ${transfer.languages.map((l, b) => `${l} ${mid.accuracy[eng][b].toFixed(2)}`).join(", ")}`);
    expect(gains[0].after).toBeGreaterThan(gains[0].before);
  });
});
