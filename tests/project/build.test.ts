/**
 * Incremental rebuilds, in process on fixture models and small files: what a second build
 * computes is checked by counting extraction runs (Extractor.open) and by the stores' manifests,
 * not only by the build's own summary.
 */
import {readFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import {afterEach, beforeAll, describe, expect, test, vi} from "vitest";
import {envFrom, type Env} from "../../loaders/config.js";
import {Extractor} from "../../loaders/extract/extract.js";
import {build, type BuildSummary} from "../../loaders/project/build.js";
import {defineConfig, type ProjectConfig} from "../../loaders/project/config.js";
import {PAGE_ANALYSES} from "../../loaders/pipeline/model-pages.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {labelledItems, testItems, writeItems} from "../helpers/items.js";
import {brokenModel} from "../helpers/models.js";
import {tempDir} from "../helpers/tmp.js";

const LLAMA = resolve("tests/fixtures/models/tiny-llama");
const BERT = resolve("tests/fixtures/models/tiny-bert");

let dir: string;
let env: Env;
let base: ProjectConfig;

beforeAll(async () => {
  dir = tempDir("build");
  const parallel = writeItems(join(dir, "parallel.jsonl"), testItems(120));
  const questions = writeItems(join(dir, "questions.jsonl"), labelledItems(120));
  env = envFrom({BABELSCOPE_STORES: join(dir, "stores"), BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9"});
  base = {models: [LLAMA], parallel, questions, maxLength: 32, analysis: {resamples: 50, tokenizers: ["model"]}};
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Builds without the site, counting extraction runs. */
async function counted(config: ProjectConfig): Promise<{summary: BuildSummary; extractions: number}> {
  const open = vi.spyOn(Extractor, "open");
  const summary = await build(defineConfig(config), env, {configFile: "unused", site: false});
  return {summary, extractions: open.mock.calls.length};
}

async function manifestText(summary: BuildSummary, model: number, store: number): Promise<string> {
  return readFile(join(env.storesDir, summary.models[model].stores[store].hash, "manifest.json"), "utf8");
}

describe("build", () => {
  test("a first build extracts its four stores (parallel text pooled as configured and at the last token, questions, word pairs) and computes every page analysis", async () => {
    const {summary, extractions} = await counted(base);
    expect(extractions).toBe(4);
    const [model] = summary.models;
    expect(model.status).toBe("analysed");
    const words = (await loadDataset("words")).items.length;
    expect(model.stores.map((s) => [s.dataset, s.outcome, s.items])).toEqual([["parallel", "extracted", 120], ["parallel-last", "extracted", 120], ["questions", "extracted", 120], ["words", "extracted", words]]);
    expect(model.analyses).toHaveLength(PAGE_ANALYSES.length);
    expect(model.analyses.every((a) => a.outcome === "computed")).toBe(true);
  }, 120_000);

  test("adding a second model extracts only that model's stores and reuses the first's stores and results", async () => {
    const first = await counted(base);
    const before = [await manifestText(first.summary, 0, 0), await manifestText(first.summary, 0, 1)];
    const {summary, extractions} = await counted({...base, models: [LLAMA, BERT]});
    expect(extractions).toBe(4);
    const [llama, bert] = summary.models;
    expect(llama.stores.map((s) => s.outcome)).toEqual(["reused", "reused", "reused", "reused"]);
    expect(llama.analyses.every((a) => a.outcome === "reused")).toBe(true);
    expect([await manifestText(summary, 0, 0), await manifestText(summary, 0, 1)]).toEqual(before); // not rewritten
    expect(bert.stores.map((s) => s.outcome)).toEqual(["extracted", "extracted", "extracted", "extracted"]);
    expect(bert.analyses.every((a) => a.outcome === "computed")).toBe(true);
  }, 120_000);

  test("changing an analysis setting recomputes that analysis only, for every model, and extracts nothing", async () => {
    await counted({...base, models: [LLAMA, BERT]});
    const {summary, extractions} = await counted({...base, models: [LLAMA, BERT], analysis: {...base.analysis, c: 0.5}});
    expect(extractions).toBe(0);
    for (const model of summary.models) {
      expect(model.analyses.filter((a) => a.outcome === "computed").map((a) => a.analysis)).toEqual(["probe"]);
      expect(model.analyses.find((a) => a.analysis === "probe")!.key.settings).toMatchObject({c: 0.5});
    }
  }, 120_000);

  test("a configured language that neither dataset has stops the build before any work, in one line", async () => {
    const {summary, extractions} = await counted({...base, languages: ["eng", "fra"]});
    expect(extractions).toBe(4); // every dataset filtered to eng and fra: new stores (the word pairs: English-French only)
    const englishFrench = (await loadDataset("words")).items.filter((item) => item.unit.startsWith("words:eng-fra:")).length;
    expect(summary.models[0].stores.map((s) => s.items)).toEqual([40, 40, 40, englishFrench]);
    await expect(counted({...base, languages: ["eng", "frn"]})).rejects.toThrow(/^configured language frn in neither .*parallel\.jsonl nor .*questions\.jsonl$/);
  }, 120_000);

  test("a broken model entry fails alone with a one-line reason; the others build", async () => {
    const broken = await brokenModel(BERT, dir);
    const {summary} = await counted({...base, models: [broken, LLAMA, "Xenova/multilingual-e5-small"]});
    const [bad, good, hub] = summary.models;
    expect(bad).toMatchObject({status: "failed", ref: broken, stores: [], analyses: []});
    expect(bad.reason!.startsWith(`${broken}: `)).toBe(true);
    expect(bad.reason).not.toContain("\n");
    expect(good.status).toBe("analysed");
    expect(hub.status).toBe("skipped");
  }, 120_000);
});
