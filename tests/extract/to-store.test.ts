import {existsSync, readdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {describe, expect, it, vi} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {extractVectors} from "../../loaders/extract/extract.js";
import {DEFAULT_SETTINGS, positionLimit} from "../../loaders/extract/settings.js";
import {chunkRows, extractToStore} from "../../loaders/extract/to-store.js";
import {paddedTokens, type ExtractionEstimate} from "../../loaders/extract/estimate.js";
import {loadTokenizer, tokenize} from "../../loaders/extract/tokenize.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {PartialStore} from "../../loaders/store/store.js";
import {maxAbsDiff} from "../helpers/diff.js";
import {brokenModel} from "../helpers/models.js";
import {testItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

describe("chunks", () => {
  it("chunkRows cuts `size` items at a time from the length order: every item once, longer chunks first", () => {
    // 600 items of 1..40 tokens in a scrambled order.
    const ids = Array.from({length: 600}, (_, i) => Array.from({length: 1 + ((i * 37) % 40)}, () => 5));
    const CHUNK = 256;
    const chunks = chunkRows(ids, CHUNK);
    expect([...chunks.keys()]).toEqual([0, CHUNK, 2 * CHUNK]);
    expect([...chunks.values()].map((rows) => rows.length)).toEqual([CHUNK, CHUNK, 600 - 2 * CHUNK]);
    expect([...chunks.values()].flat().sort((a, b) => a - b)).toEqual(ids.map((_, i) => i));
    const lengths = [...chunks.values()].map((rows) => rows.map((r) => ids[r].length));
    for (let c = 1; c < lengths.length; c++) expect(Math.min(...lengths[c - 1])).toBeGreaterThanOrEqual(Math.max(...lengths[c]));
  });
});

describe("rows", () => {
  it("a store of chunks cut from the length order holds item i's vectors in row i, and the last chunk writes no part file", async () => {
    const env = {...envFrom(), storesDir: join(tempDir("to-store"), "stores"), chunkItems: 32};
    const model = await resolveModel(resolve("tests/fixtures/models/tiny-bert"), env);
    const items = testItems(env.chunkItems + 14);
    const settings = {...DEFAULT_SETTINGS, batchSize: 8};
    const parts = vi.spyOn(PartialStore.prototype, "writePart");
    const {store} = await extractToStore(model, {name: "rows", hash: datasetHash(items), items}, settings, env);
    expect(parts).toHaveBeenCalledTimes(1);
    parts.mockRestore();
    const expected = await extractVectors(resolve("tests/fixtures/models/tiny-bert"), items, settings, env);
    for (const l of [0, expected.numLayers]) {
      expect(maxAbsDiff((await store.layer(l)).data, expected.layers[l])).toBeLessThan(1e-5);
    }
  });
});

describe("a model that fails to open", () => {
  it("leaves nothing in the stores folder: the unfinished store's folder is made with its first part", async () => {
    const dir = tempDir("to-store");
    const env = {...envFrom(), storesDir: join(dir, "stores")};
    const model = await resolveModel(await brokenModel(resolve("tests/fixtures/models/tiny-bert"), dir), env);
    const items = testItems(6);
    await expect(extractToStore(model, {name: "broken", hash: datasetHash(items), items}, DEFAULT_SETTINGS, env)).rejects.toThrow();
    expect(existsSync(env.storesDir) ? readdirSync(env.storesDir) : []).toEqual([]);
  });
});

describe("progress", () => {
  it("reports the share of tokens done, which runs ahead of the item count since the longest items come first", async () => {
    const env = {...envFrom(), storesDir: join(tempDir("to-store"), "stores")};
    const model = await resolveModel(resolve("tests/fixtures/models/tiny-bert"), env);
    const items = testItems(40);
    const seen: {done: number; total: number; fraction: number}[] = [];
    await extractToStore(model, {name: "progress", hash: datasetHash(items), items}, {...DEFAULT_SETTINGS, batchSize: 4}, env, ({done, total, fraction}) => seen.push({done, total, fraction}));
    // The first update, before any batch, carries the estimate (see below).
    expect(seen[0]).toEqual({done: 0, total: 40, fraction: 0});
    const computed = seen.filter((p, i) => p.done > (seen[i - 1]?.done ?? 0));
    expect(computed.at(-1)).toEqual({done: 40, total: 40, fraction: 1});
    expect(computed.every((p, i) => i === 0 || p.fraction > computed[i - 1].fraction)).toBe(true);
    expect(computed[0].fraction).toBeGreaterThan(computed[0].done / computed[0].total);
  });
});

describe("estimate", () => {
  it("counts items and tokens before the first batch, then extrapolates the first batch's time by padded tokens", async () => {
    const env = {...envFrom(), storesDir: join(tempDir("to-store"), "stores"), chunkItems: 16};
    const model = await resolveModel(resolve("tests/fixtures/models/tiny-bert"), env);
    const items = testItems(40);
    const estimates: ExtractionEstimate[] = [];
    await extractToStore(model, {name: "estimate", hash: datasetHash(items), items}, {...DEFAULT_SETTINGS, batchSize: 4}, env, ({estimate}) => estimates.push(structuredClone(estimate!)));
    const tokenizer = await loadTokenizer(model.dir);
    const lengths = tokenize(tokenizer, items.map((i) => i.text), DEFAULT_SETTINGS.maxLength).ids.map((ids) => ids.length);
    const counts = {items: 40, tokens: lengths.reduce((a, b) => a + b, 0), paddedTokens: paddedTokens(lengths, 4, 16)};
    expect(estimates[0]).toEqual(counts);
    const timed = estimates.at(-1)!;
    // The first batch holds the four longest items.
    const longest = [...lengths].sort((a, b) => b - a)[0];
    expect(timed.firstBatch).toMatchObject({items: 4, paddedTokens: 4 * longest});
    expect(timed.seconds).toBeCloseTo((timed.firstBatch!.seconds / (4 * longest)) * counts.paddedTokens, 9);
  });
});

describe("max length and the model's positions", () => {
  it("positionLimit is max_position_embeddings, less RoBERTa's padding offset", () => {
    expect(positionLimit({model_type: "bert", max_position_embeddings: 512})).toBe(512);
    expect(positionLimit({model_type: "xlm-roberta", max_position_embeddings: 514, pad_token_id: 1})).toBe(512);
    expect(positionLimit({model_type: "llama"})).toBeUndefined();
  });

  it("a max length beyond the model's positions is capped (and recorded), instead of failing inside onnxruntime", async () => {
    const env = {...envFrom(), storesDir: join(tempDir("to-store"), "stores")};
    const model = await resolveModel(resolve("tests/fixtures/models/tiny-bert"), env); // 64 positions
    const long = {id: "long", unit: "u", lang: "eng", text: Array.from({length: 120}, (_, i) => `word${i}`).join(" ")};
    const items = [...testItems(6), long];
    const {store} = await extractToStore(model, {name: "long", hash: datasetHash(items), items}, {...DEFAULT_SETTINGS, maxLength: 200}, env);
    expect(store.manifest.settings.max_length).toBe(64);
    expect(store.manifest.counts.truncated).toBe(1);
    const capped = await extractToStore(model, {name: "long", hash: datasetHash(items), items}, {...DEFAULT_SETTINGS, maxLength: 64}, env);
    expect(capped.reused).toBe(true); // the same store: named by the length used
  });
});
