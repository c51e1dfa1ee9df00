import {mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {project} from "../../loaders/analyses/project.js";
import {storeNeuronFinder} from "../../loaders/pipeline/analyze.js";
import {envFrom, type Env} from "../../loaders/config.js";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {
  analysisSettings, analyzeStore, ANALYSES, DEFAULT_ANALYZE_SETTINGS, labelledRows, writeAnalyses, type AnalysisFile, type AnalyzeSettings, type Answerer,
  type LensReader, type TokenCounter
} from "../../loaders/report/analyze.js";
import {readLayered, type Store} from "../../loaders/store/store.js";
import type {TextItem} from "../../loaders/types.js";
import {labelledItems, testItems} from "../helpers/items.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-analyze-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));
const env: Env = {...envFrom(), storesDir: join(TMP, "stores")};

/** Parallel items in 6 languages; odd units "known", even "unknown". */
const labelled = labelledItems(120);

async function storeOf(items: TextItem[], name: string): Promise<Store> {
  const model = await resolveModel(resolve("tests/fixtures/models/tiny-llama"), env);
  const dataset = {name, hash: datasetHash(items), items};
  return (await extractToStore(model, dataset, {...DEFAULT_SETTINGS, pooling: "last"}, env)).store;
}

/** Characters as tokens: a counter whose fertility is easy to compute by hand. */
const characters: TokenCounter = async (_tokenizer, _store, texts) => Int32Array.from(texts, (text) => [...text].length);
/** For analyses that never ask the model for answers here (no question carries a gold answer). */
const noAnswers: Answerer = async () => {
  throw new Error("this test's questions carry no gold answer");
};
/** A lens that records what it is asked and reads nothing: the latent analysis's wiring, not the lens (tests/models/logit-lens.test.ts). */
const lensCalls: {langs: string[]; options: unknown}[] = [];
const recordingLens: LensReader = async (_store, langs, options) => {
  lensCalls.push({langs, options});
  return {languages: [], scripts: [], vocabulary: 0, tokens: {languages: {}, scripts: {}}, prompts: 0, left: {sameFirstToken: 0, boundary: 0}, example: null, targets: []};
};
const io = {countTokens: characters, answer: noAnswers, lens: recordingLens, findNeurons: storeNeuronFinder(env)};
const quick = {resamples: 50, projection: "pca" as const, tokenizers: ["model"]};

let store: Store;
let files: AnalysisFile[];
beforeAll(async () => {
  store = await storeOf(labelled, "labelled");
  files = await analyzeStore(store, {settings: quick, ...io});
}, 60_000);

describe("analysisSettings", () => {
  it("a setting changes the recorded settings (and so the cache key) of exactly the analyses that read it", () => {
    const readers = (change: Partial<AnalyzeSettings>) =>
      ANALYSES.filter((name) => JSON.stringify(analysisSettings(name, DEFAULT_ANALYZE_SETTINGS, store)) !== JSON.stringify(analysisSettings(name, {...DEFAULT_ANALYZE_SETTINGS, ...change}, store)));
    expect(readers({c: 2})).toEqual(["probe"]);
    expect(readers({folds: 3})).toEqual(["probe"]);
    expect(readers({resamples: 7})).toEqual(["rank"]);
    expect(readers({confidence: 0.9})).toEqual(["rank", "words"]);
    expect(readers({projection: "pca"})).toEqual(["project"]);
    expect(readers({umap: {neighbors: 5}})).toEqual(["project"]);
    expect(readers({tokenizers: ["model"]})).toEqual(["fertility"]);
    expect(readers({baseline: "fra"})).toEqual(["rank", "align", "probe", "fertility"]);
    expect(readers({seed: 3})).toEqual(["rank", "probe", "project", "latent", "neurons"]);
    expect(readers({layers: {from: 1, to: 2}})).toEqual(["rank", "probe", "project"]);
  });

  it("an analysis's file records exactly analysisSettings, and a layer range outside the store is refused", () => {
    for (const file of files) expect(file.settings).toEqual(JSON.parse(JSON.stringify(analysisSettings(file.analysis, {...DEFAULT_ANALYZE_SETTINGS, ...quick}, store))));
    expect(() => analysisSettings("rank", {...DEFAULT_ANALYZE_SETTINGS, layers: {from: 0, to: 9}}, store)).toThrow("layer range 0-9 does not fit the store's layers 0-3");
  });
});

describe("analyzeStore", () => {
  it("analyzeStore(store) returns one file per analysis recording the store hash, model, dataset and settings", () => {
    expect(files.map((f) => f.analysis)).toEqual([...ANALYSES]);
    for (const file of files) {
      expect(file).toMatchObject({store: store.manifest.hash, model: store.manifest.model.ref, dataset: "labelled"});
      // This store's items are sentences, not word pairs: only the words analysis does not apply.
      if (file.analysis === "words") {
        expect(file.result).toBeNull();
        expect(file.skipped).toMatch(/^no word pairs/);
        continue;
      }
      expect(file.result).not.toBeNull();
      expect(file.skipped).toBeUndefined();
    }
    expect(files.find((f) => f.analysis === "rank")!.settings).toMatchObject({baseline: "eng", aggregate: {from: 0, to: 3}, seed: 0, resamples: 50});
    expect(files.find((f) => f.analysis === "probe")!.settings).toMatchObject({c: 1, folds: 5, layers: [0, 1, 2, 3], target: "eng"});
  });

  it("analyzeStore(store) ranks raw and centred vectors, and fills align with cosine, retrieval, MEXA and CKA per layer", () => {
    const rank = files.find((f): f is AnalysisFile<"rank"> => f.analysis === "rank")!.result!;
    expect(rank.rankings.none.settings.centering).toBe("none");
    expect(rank.rankings.language.settings.centering).toBe("language");
    expect(rank.rankings.none.languages.map((r) => r.lang).sort()).toEqual(["arb", "cmn", "fra", "hin", "rus"]);
    expect(rank.rankings.none.correlations.map((c) => c.proxy)).toEqual(["speakers", "webShare"]);
    const align = files.find((f): f is AnalysisFile<"align"> => f.analysis === "align")!.result!;
    expect(align.retrieval.language.languages[0].toBaseline).toHaveLength(4);
    expect(align.mexa.none.languages).toHaveLength(5);
    expect(align.cka.languages[0].cka).toHaveLength(4);
  });

  it("analyzeStore(store) probes known against unknown under both protocols and aligns every language onto the baseline", () => {
    const result = files.find((f): f is AnalysisFile<"probe"> => f.analysis === "probe")!.result!;
    expect(result.labels).toEqual({positive: "known", negative: "unknown", unlabelled: 0});
    // These items name no entity: the babelscope folds keep units apart.
    expect(result.grouping).toBe("unit");
    for (const protocol of ["paper", "babelscope"] as const) {
      const {probe, transfer, alignment} = result.protocols[protocol];
      expect(probe.settings).toMatchObject({protocol, grouping: "units", layers: [0, 1, 2, 3]});
      expect(probe.pooled).toMatchObject({n: 120, positives: 60});
      expect(transfer.languages).toHaveLength(6);
      expect("languages" in alignment && alignment.languages.map((r) => r.lang)).toEqual(["fra", "rus", "arb", "cmn", "hin"]);
      expect(result.protocols[protocol].surface.map(({lang, n}) => [lang, n])).toEqual(["eng", "fra", "rus", "arb", "cmn", "hin"].map((lang) => [lang, 20]));
    }
    // The paper's folds are scikit-learn's with random_state 42, whatever the project's seed.
    expect(result.protocols.paper.probe.settings.seed).toBe(42);
    expect(result.protocols.babelscope.probe.settings.seed).toBe(0);
    expect(result.modelLabels).toEqual({skipped: 'no question about a real entity (label "known") carries a gold answer'});
  });

  it("analyzeStore(store) probes a decoder's own knowledge: its answers to the real-entity questions label a second probe, folds grouped by entity", async () => {
    // Ten entities, each the subject of every tenth unit; real entities (odd units) carry an answer.
    const questions = labelled.map((item) => {
      const unit = Number(item.unit.slice(1));
      return {...item, entity: `e${unit % 10}`, ...(item.label === "known" ? {answer: `a${unit}`} : {})};
    });
    const asked: string[] = [];
    // The "model" knows every fact in English, French and Russian and none in the other languages.
    const answer: Answerer = async (_store, items) => {
      asked.push(...items.map((q) => q.id));
      const labels = items.map((q) => ({id: q.id, lang: q.lang, completion: "", known: ["eng", "fra", "rus"].includes(q.lang)}));
      return {labels, perLanguage: {}, newTokens: 10};
    };
    const [file] = await analyzeStore(await storeOf(questions, "questions"), {only: ["probe"], settings: quick, ...io, answer});
    const result = (file as AnalysisFile<"probe">).result!;
    expect(result.grouping).toBe("entity");
    expect(result.protocols.babelscope.probe.settings.grouping).toBe("groups");
    expect(asked.sort()).toEqual(questions.filter((q) => q.label === "known").map((q) => q.id).sort());
    if ("skipped" in result.modelLabels) throw new Error(result.modelLabels.skipped);
    const {probe} = result.modelLabels;
    if (!("method" in probe)) throw new Error(probe.skipped);
    expect(probe.pooled).toMatchObject({n: 60, positives: 30});
    expect(probe.settings).toMatchObject({protocol: "babelscope", grouping: "groups"});

    // A model whose answers cannot be generated loses this probe only, with the reason.
    const failing: Answerer = async () => {
      throw new Error("onnx/model.onnx has no logits output");
    };
    const [again] = await analyzeStore(await storeOf(questions, "questions"), {only: ["probe"], settings: quick, ...io, answer: failing});
    const failed = (again as AnalysisFile<"probe">).result!;
    expect(failed.modelLabels).toEqual({skipped: "the model's answers could not be generated: onnx/model.onnx has no logits output"});
    expect(failed.protocols).toEqual(result.protocols);
  });

  it("analyzeStore(store) projects every layer like project() does, to 5 significant digits, row i = item i", async () => {
    const result = files.find((f): f is AnalysisFile<"project"> => f.analysis === "project")!.result!;
    const expected = await project(await readLayered(store), {projection: "pca"});
    expect(result.layers.map((l) => l.layer)).toEqual([0, 1, 2, 3]);
    result.layers.forEach((layer, l) => {
      expect(layer.x).toHaveLength(120);
      layer.x.forEach((x, i) => expect(Math.abs(x - expected.layers[l].coordinates.data[2 * i])).toBeLessThanOrEqual(Math.abs(x) * 1e-4));
      layer.y.forEach((y, i) => expect(Math.abs(y - expected.layers[l].coordinates.data[2 * i + 1])).toBeLessThanOrEqual(Math.abs(y) * 1e-4));
    });
  });

  it("analyzeStore(store) finds the store model's language neurons on half the units and silences them on the other half", () => {
    const {result} = files.find((f) => f.analysis === "neurons") as AnalysisFile<"neurons">;
    const units = new Set(labelled.map((item) => item.unit)).size;
    expect(result).toMatchObject({family: "gated", layers: 3, intermediate: 64, selected: Math.round(3 * 64 * 0.01), split: {identify: Math.ceil(units / 2), evaluate: Math.floor(units / 2)}});
    expect(result!.languages.map((l) => l.lang)).toEqual([...new Set(labelled.map((item) => item.lang))].sort());
    for (const l of result!.languages) expect(l.perLayer.reduce((a, b) => a + b, 0)).toBe(l.neurons.length);
    const silenced = result!.languages.filter((l) => l.neurons.length > 0).map((l) => l.lang);
    const intervention = result!.intervention;
    if (silenced.length === 0) expect(intervention).toEqual({skipped: "no language has language-specific neurons to silence"});
    else if ("rows" in intervention) expect(intervention.rows.map((r) => r.lang).sort()).toEqual(silenced.sort());
    else expect.unreachable(`silencing skipped: ${intervention.skipped}`);
  });

  it("analyzeStore(store) computes fertility from the token counter's counts", () => {
    const fertility = files.find((f): f is AnalysisFile<"fertility"> => f.analysis === "fertility")!.result!;
    const [counted] = fertility.tokenizers;
    expect(counted.tokenizer).toBe("model");
    // Characters of the 20 French and English texts of the same units, summed (hand check of the wiring).
    const chars = (lang: string) => labelled.filter((item) => item.lang === lang).reduce((sum, item) => sum + [...item.text].length, 0);
    expect(counted.languages.find((r) => r.lang === "fra")!.relative).toBeCloseTo(chars("fra") / chars("eng"), 12);
  });

  it("analyzeStore(store) asks the lens for the store's languages, sorted, with the latent analysis's settings", () => {
    expect(lensCalls[0]).toEqual({langs: [...new Set(labelled.map((item) => item.lang))].sort(), options: {seed: 0, budget: 240, shots: 4}});
    expect(files.find((f) => f.analysis === "latent")!.settings).toEqual({seed: 0, budget: 240, shots: 4});
  });

  it("analyzeStore(store) with the same seed gives identical results", async () => {
    const again = await analyzeStore(store, {settings: quick, ...io});
    expect(JSON.stringify(again)).toBe(JSON.stringify(files));
  });

  it("analyzeStore(store) skips what does not apply, with the reason: no labels, no baseline", async () => {
    const unlabelled = await storeOf(testItems(60), "unlabelled");
    const [probe] = await analyzeStore(unlabelled, {only: ["probe"], ...io});
    expect(probe).toMatchObject({analysis: "probe", result: null, skipped: "no item has a label"});
    const noEnglish = await storeOf(testItems(60).filter((item) => item.lang !== "eng"), "no-eng");
    const skipped = await analyzeStore(noEnglish, {only: ["rank", "align", "fertility"], ...io});
    for (const file of skipped) expect(file).toMatchObject({result: null, skipped: 'no items in the baseline language "eng"'});
  }, 60_000);

  it("analyzeStore(store) lists a tokenizer that fails to load as skipped and keeps the others", async () => {
    const [ok] = await analyzeStore(store, {only: ["fertility"], settings: {tokenizers: ["model", "qwen3"]}, ...io, countTokens: async (t, s, x) => {
      if (t === "qwen3") throw new Error("cannot load qwen3\nsecond line");
      return characters(t, s, x);
    }});
    expect((ok as AnalysisFile<"fertility">).result).toMatchObject({skipped: [{tokenizer: "qwen3", reason: "cannot load qwen3"}]});
    expect((ok as AnalysisFile<"fertility">).result!.tokenizers.map((t) => t.tokenizer)).toEqual(["model"]);
  });

  it("analyzeStore(store, bad settings) throws one-line messages naming the value", async () => {
    await expect(analyzeStore(store, {only: ["rank"], settings: {layers: {from: 2, to: 9}}, ...io})).rejects.toThrow("layer range 2-9 does not fit the store's layers 0-3");
    await expect(analyzeStore(store, {only: ["rank"], settings: {tokenizers: ["gpt2"]}, ...io})).rejects.toThrow('unknown tokenizer "gpt2" (choose from model, qwen3, gemma3, llama3)');
    await expect(analyzeStore(store, {only: ["ranking" as never], ...io})).rejects.toThrow('unknown analysis "ranking" (choose from rank, align, probe, project, fertility, latent, neurons, words)');
  });
});

describe("writeAnalyses", () => {
  it("writeAnalyses(files, dir) writes <analysis>.json as plain JSON (arrays, NaN as null) and no temp files", async () => {
    const dir = join(TMP, "out");
    const paths = await writeAnalyses(files, dir);
    expect(readdirSync(dir).sort()).toEqual(["align.json", "fertility.json", "latent.json", "neurons.json", "probe.json", "project.json", "rank.json", "words.json"]);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(ANALYSES.map((a) => `${a}.json`));
    const project = JSON.parse(readFileSync(join(dir, "project.json"), "utf8"));
    expect(Array.isArray(project.result.layers[0].x)).toBe(true);
    const probe = JSON.parse(readFileSync(join(dir, "probe.json"), "utf8"));
    expect(Array.isArray(probe.result.protocols.paper.probe.pooled.accuracy)).toBe(true);
  });
});

describe("labelledRows", () => {
  it("labelledRows(items) takes known/true as positive, leaves unlabelled rows out and counts them", () => {
    const items = [{label: "unknown"}, {label: "known"}, {}, {label: "known"}, {label: "unknown"}];
    expect(labelledRows(items, 2)).toEqual({rows: [0, 1, 3, 4], label: Uint8Array.of(0, 1, 1, 0), labels: {positive: "known", negative: "unknown", unlabelled: 1}});
    expect(labelledRows([{label: "false"}, {label: "true"}, {label: "true"}, {label: "false"}], 2)).toMatchObject({labels: {positive: "true", negative: "false"}});
    expect(labelledRows([{label: "b"}, {label: "a"}, {label: "b"}, {label: "a"}], 2)).toMatchObject({label: Uint8Array.of(0, 1, 0, 1)});
  });

  it("labelledRows(items) says why items cannot be probed", () => {
    expect(labelledRows([{}, {}], 2)).toBe("no item has a label");
    expect(labelledRows([{label: "a"}, {label: "b"}, {label: "c"}], 2)).toBe("a probe needs exactly two label values, found 3 (a, b, c)");
    expect(labelledRows([{label: "known"}, {label: "unknown"}, {label: "unknown"}], 2)).toBe('a 2-fold probe needs at least 2 items of each label, found 1 "known" and 2 "unknown"');
  });
});
