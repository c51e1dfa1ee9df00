/**
 * Per-model page data end to end on a fixture model and a small parallel dataset: extraction into a
 * temporary stores folder, the page's analyses, the per-store cache, and a skipped hub model.
 */
import {mkdtemp, readdir, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {projectionData} from "../../components/projection-data.js";
import {envFrom, type Env} from "../../loaders/config.js";
import {defineConfig, type ResolvedConfig} from "../../loaders/project/config.js";
import type {RankFileResult} from "../../loaders/report/analyze.js";
import {cachedAnalysis, checkLanguages, configuredModels, modelBySlug, modelPageData, modelStore} from "../../loaders/pipeline/model-pages.js";
import {projectionTable} from "../../loaders/pipeline/pages.js";
import {testItems} from "../helpers/items.js";
import {brokenModel} from "../helpers/models.js";

let dir: string;
let env: Env;
let config: ResolvedConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "babelscope-pages-"));
  const dataset = join(dir, "parallel.jsonl");
  await writeFile(dataset, testItems(120).map((item) => JSON.stringify(item)).join("\n") + "\n");
  // Port 9 (discard) refuses connections: the hub is "offline" at once.
  env = envFrom({BABELSCOPE_STORES: join(dir, "stores"), BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9", BABELSCOPE_HUB_TIMEOUT_MS: "2000"});
  config = defineConfig({models: ["tests/fixtures/models/tiny-bert", "Xenova/multilingual-e5-small"], parallel: dataset, maxLength: 32, analysis: {resamples: 50}});
});

afterAll(() => rm(dir, {recursive: true, force: true}));

describe("modelPageData", () => {
  test("modelPageData extracts the parallel store and ranks every language sharing units with English", async () => {
    const data = await modelPageData(config, env, "tiny-bert", "parallel", ["rank"]);
    expect(data.status).toBe("analysed");
    if (data.status !== "analysed") return;
    expect(data.store.counts.items).toBe(120);
    const [file] = data.analyses;
    expect(file.analysis).toBe("rank");
    expect(file.store).toBe(data.store.hash);
    const ranking = (file.result as RankFileResult).rankings.language;
    expect(ranking.languages.map((l) => l.lang).sort()).toEqual(["arb", "cmn", "fra", "hin", "rus"]);
    expect(ranking.languages[0].meanCosine).toHaveLength(data.store.model.num_layers + 1);
  });

  test("a model's cap (its sample, else the config's) gives its stores whole units and at most that many items per language", async () => {
    const models = [{ref: "tests/fixtures/models/tiny-bert", sample: {maxItemsPerLanguage: 3}}];
    const capped = defineConfig({models, parallel: config.parallel, maxLength: 32, sample: {maxItemsPerLanguage: 10}});
    const found = await modelStore(capped, env, "tiny-bert", "parallel");
    if ("reason" in found) throw new Error(found.reason);
    // 6 languages x 20 units: 3 whole units.
    expect(found.store.manifest.counts).toMatchObject({items: 18, languages: 6});
    const full = await modelStore(config, env, "tiny-bert", "parallel");
    expect("reason" in full ? full.reason : full.store.manifest.hash).not.toBe(found.store.manifest.hash);
  });

  test("a model's own languages (in place of the config's) restrict its page stores; a code its datasets lack is named with its key path", async () => {
    const models = [{ref: "tests/fixtures/models/tiny-bert", languages: ["eng", "fra"]}];
    const restricted = defineConfig({models, parallel: config.parallel, maxLength: 32, languages: ["eng", "fra", "rus"]});
    const found = await modelStore(restricted, env, "tiny-bert", "parallel");
    if ("reason" in found) throw new Error(found.reason);
    // 6 languages x 20 units: eng and fra's 20 each.
    expect(found.store.manifest.dataset.languages).toEqual(["eng", "fra"]);
    expect(found.store.manifest.counts).toMatchObject({items: 40, languages: 2});
    const typo = defineConfig({models: ["tests/fixtures/models/tiny-bert", {ref: "Xenova/multilingual-e5-small", languages: ["eng", "frn"]}], parallel: config.parallel});
    await expect(checkLanguages(typo)).rejects.toThrow(/^models\[1\]\.languages: configured language frn in neither .*parallel\.jsonl nor questions$/);
  });

  test("cachedAnalysis reuses a result for the same settings; a setting change recomputes only the analyses that read it", async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const first = await modelPageData(config, env, "tiny-bert", "parallel", ["rank", "align"]);
    const again = await modelPageData(config, env, "tiny-bert", "parallel", ["rank", "align"], log);
    expect(lines.filter((l) => /^(rank|align): reused/.test(l))).toHaveLength(2);
    expect(again).toEqual(first);
    lines.length = 0;
    // resamples is read by the ranking only: align is reused, rank recomputed.
    const other = await modelPageData({...config, analysis: {...config.analysis, resamples: 60}}, env, "tiny-bert", "parallel", ["rank", "align"], log);
    expect(lines.some((l) => l.startsWith("rank: reused"))).toBe(false);
    expect(lines.some((l) => l.startsWith("align: reused"))).toBe(true);
    if (first.status !== "analysed" || other.status !== "analysed") throw new Error("expected analysed");
    expect((other.analyses[0].result as RankFileResult).rankings.none.settings.resamples).toBe(60);
    expect(other.analyses[1]).toEqual(first.analyses[1]);
  });

  test("a damaged cached result (truncated, a flipped digit, a stub) is moved aside and recomputed, never served", async () => {
    const found = await modelStore(config, env, "tiny-bert", "parallel");
    if ("reason" in found) throw new Error(found.reason);
    const first = await cachedAnalysis(found.store, "rank", config.analysis, env, () => {});
    const folder = join(found.store.dir, "analyses", "site");
    const [name] = (await readdir(folder)).filter((f) => f.startsWith("rank-") && f.endsWith(".json"));
    const path = join(folder, name);
    const good = await readFile(path, "utf8");
    const digit = good.search(/\d\.\d{6}/) + 2;
    const damages: [string, string, RegExp][] = [
      ["truncated", good.slice(0, good.length >> 1), /is not valid JSON/],
      ["a flipped digit", good.slice(0, digit) + (good[digit] === "1" ? "2" : "1") + good.slice(digit + 1), /does not match its checksum/],
      ["a stub", JSON.stringify({analysis: "rank", store: found.store.manifest.hash}), /has no checksum/]
    ];
    for (const [what, text, why] of damages) {
      await writeFile(path, text);
      const again = await cachedAnalysis(found.store, "rank", config.analysis, env, () => {});
      expect(again.reused, what).toBe(false);
      expect(again.damaged, what).toMatch(why);
      expect(again.file, what).toEqual(first.file);
      expect(await readFile(`${path}.damaged`, "utf8"), what).toBe(text);
      expect(await readFile(path, "utf8"), what).toBe(good);
    }
    expect((await cachedAnalysis(found.store, "rank", config.analysis, env, () => {})).reused).toBe(true);
  });

  test("a model whose files are broken fails alone, with a one-line reason naming it", async () => {
    const broken = await brokenModel("tests/fixtures/models/tiny-bert", dir);
    const withBroken: ResolvedConfig = {...config, models: [{ref: broken, dtype: "fp32", device: "cpu"}, {ref: "tests/fixtures/models/tiny-bert", dtype: "fp32", device: "cpu"}]};
    const [bad, good] = await Promise.all(configuredModels(withBroken).map(({slug}) => modelPageData(withBroken, env, slug, "parallel", ["rank"])));
    expect(bad).toMatchObject({status: "failed", model: broken});
    if (bad.status === "failed") {
      expect(bad.reason.startsWith(`${broken}: `)).toBe(true);
      expect(bad.reason).not.toContain("\n");
    }
    expect(good.status).toBe("analysed");
  });

  test("a hub model that cannot be reached is skipped with its one-line reason", async () => {
    const data = await modelPageData(config, env, "xenova-multilingual-e5-small", "parallel", ["rank"]);
    expect(data).toMatchObject({status: "skipped", model: "Xenova/multilingual-e5-small", slug: "xenova-multilingual-e5-small"});
    if (data.status === "skipped") expect(data.reason).toMatch(/^Xenova\/multilingual-e5-small: .*hub/);
  });

  test("modelBySlug names the configured slugs when a slug is unknown", () => {
    expect(configuredModels(config).map((m) => m.slug)).toEqual(["tiny-bert", "xenova-multilingual-e5-small"]);
    expect(modelBySlug(config, "tiny-bert").ref).toBe("tests/fixtures/models/tiny-bert");
    expect(() => modelBySlug(config, "nope")).toThrow('no configured model has the slug "nope" (configured: tiny-bert, xenova-multilingual-e5-small)');
  });
});

describe("projectionTable", () => {
  test("projectionTable gives UMAP and PCA positions of every item at every layer, readable by the explorer", async () => {
    const data = projectionData(tableFromIPC(await projectionTable(config, env, "tiny-bert", "parallel")));
    expect(data.n).toBe(120);
    expect(data.methods).toEqual(["umap", "pca"]);
    expect(data.meta.status).toBe("analysed");
    for (const method of data.methods) {
      for (const layer of data.meta.layers) {
        const {x, y} = data.position(method, layer);
        expect(x).toHaveLength(120);
        expect(Array.from(y).every(Number.isFinite)).toBe(true);
      }
    }
    expect(new Set(data.columns.lang).size).toBe(6);
    // The neighbour space: unit rows (x127) of int8 principal components at every layer.
    const k = data.meta.neighbourDimensions ?? 0;
    expect(k).toBeGreaterThan(1);
    for (const layer of data.meta.layers) {
      const space = data.neighbourSpace(layer);
      expect(space).toHaveLength(120 * k);
      expect(Math.hypot(...space!.subarray(0, k))).toBeGreaterThan(120);
    }
    expect(data.columns.direction[data.columns.lang.indexOf("arb")]).toBe("rtl");
  });
});
