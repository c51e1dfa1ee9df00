import {createHash} from "node:crypto";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {
  canonicalJSON, checkStore, damagedParts, findStore, listStores, type ManifestDraft, openStore, PartialStore, readManifest, STORE_FORMAT, StoreDamagedError, storeHash, type StoreInputs, WriteQueue
} from "../../loaders/store/store.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-store-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));
let made = 0;
const tempStores = () => join(TMP, `stores-${made++}`);

const inputs: StoreInputs = {extraction: 1, modelFiles: {"config.json": "aa", "onnx/model.onnx": "bb"}, datasetHash: "cc", pooling: "mean", maxLength: 128};

describe("store", () => {
  it("canonicalJSON sorts keys at every level", () => {
    expect(canonicalJSON({b: 1, a: {d: [2, {f: 1, e: 0}], c: "x"}})).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it("canonicalJSON leaves out undefined values, as JSON.stringify does, so its output parses", () => {
    const value = {b: undefined, a: {reason: undefined, status: "analysed"}};
    expect(canonicalJSON(value)).toBe('{"a":{"status":"analysed"}}');
    expect(JSON.parse(canonicalJSON(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it("storeHash changes with every input and not with key order", () => {
    const base = storeHash(inputs);
    expect(storeHash({...inputs, modelFiles: {"onnx/model.onnx": "bb", "config.json": "aa"}})).toBe(base);
    const variants: StoreInputs[] = [
      {...inputs, extraction: 2},
      {...inputs, modelFiles: {...inputs.modelFiles, "onnx/model.onnx": "bc"}},
      {...inputs, datasetHash: "cd"},
      {...inputs, pooling: "last"},
      {...inputs, maxLength: 129}
    ];
    for (const variant of variants) expect(storeHash(variant)).not.toBe(base);
  });

  it("PartialStore parts read back in a later run, and a part for other items is ignored", async () => {
    const layers = [0, 1].map((l) => ({data: new Float32Array([l, 1, 2, 3]), rows: 2, cols: 2}));
    await (await PartialStore.open(TMP, "h1")).writePart(0, ["x", "y"], layers);
    const resumed = await PartialStore.open(TMP, "h1");
    expect(await resumed.readPart(0, ["x", "y"])).toEqual(layers);
    expect(await resumed.readPart(0, ["x", "z"])).toBeUndefined();
    expect(await resumed.readPart(256, ["x", "y"])).toBeUndefined();
  });

  it("PartialStore.open creates nothing: a run that fails before its first part leaves no folder", async () => {
    await PartialStore.open(TMP, "h0");
    expect(existsSync(join(TMP, "h0.partial"))).toBe(false);
  });

  it("PartialStore.finish makes the store appear complete in one step, with no parts or temp files", async () => {
    const partial = await PartialStore.open(TMP, "h2");
    await partial.writePart(0, ["x"], [{data: new Float32Array([1, 2]), rows: 1, cols: 2}]);
    expect(await findStore(TMP, "h2")).toBeUndefined();
    expect(await listStores(TMP)).toContainEqual({name: "h2.partial", hash: "h2", state: "unfinished", complete: false});
    const store = await finished(TMP, "h2");
    expect(existsSync(join(TMP, "h2.partial"))).toBe(false);
    expect(readdirSync(store.dir).sort()).toEqual(["items.arrow", "layer-00.arrow", "layer-01.arrow", "manifest.json"]);
    expect((await store.layer(0)).data).toEqual(LAYERS[0].data);
    expect((await store.items())[0].id).toBe("x");
    await expect(store.layer(2)).rejects.toThrow("layer 2 out of range: the store has layers 0..1");
    expect(await listStores(TMP)).toContainEqual({name: "h2", hash: "h2", state: "complete", complete: true});
  });
});

const ITEMS = [{id: "x", unit: "u", lang: "eng", text: "t", tokens: 3, truncated: false}, {id: "y", unit: "u", lang: "fra", text: "t", tokens: 3, truncated: false}];
const LAYERS = [0, 1].map((l) => ({data: Float32Array.from({length: 64}, (_, i) => l + i / 64), rows: 2, cols: 32}));

/** A finished store of two items and two layers under `storesDir`. */
function finished(storesDir: string, hash: string) {
  const draft = {
    format: STORE_FORMAT,
    hash,
    tool: {name: "babelscope", version: "0"},
    model: {ref: "tiny", source: "local", id: "tiny", dtype: "fp32", files: {}, kind: "encoder", num_layers: 1, hidden_size: 32},
    dataset: {name: "items.jsonl", hash: "d", languages: ["eng", "fra"]},
    settings: {pooling: "mean", max_length: 64},
    counts: {items: 2, languages: 2, hidden_states: 2, tokens: 6, truncated: 0}
  } satisfies ManifestDraft;
  return PartialStore.open(storesDir, hash).then((partial) => partial.finish(ITEMS, LAYERS, draft));
}

/** Flips `count` bytes of a file in place, from the middle on: same size, other content. */
function flip(path: string, count = 64): void {
  const bytes = readFileSync(path);
  for (let i = 0; i < count; i++) bytes[(bytes.length >> 1) + i] ^= 0xff;
  writeFileSync(path, bytes);
}

describe("store checks", () => {
  it("the manifest records the size and sha256 of every file, and a checksum of itself", async () => {
    const dir = tempStores();
    const {manifest} = await finished(dir, "s");
    expect(Object.keys(manifest.checksums).sort()).toEqual(["items.arrow", "layer-00.arrow", "layer-01.arrow"]);
    for (const [file, {size, sha256}] of Object.entries(manifest.checksums)) {
      const bytes = readFileSync(join(dir, "s", file));
      expect(size).toBe(bytes.length);
      expect(sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    expect(await checkStore(join(dir, "s"), "always")).toEqual({manifest, problems: [], old: false});
  });

  it("a file with bytes changed fails when read, naming the file and the command that recomputes the store", async () => {
    const dir = tempStores();
    await finished(dir, "s");
    flip(join(dir, "s", "layer-01.arrow"));
    // Rewriting the file changed its modification time: what this process knew of it no longer holds.
    const store = await openStore(join(dir, "s"));
    const error = await store.layer(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreDamagedError);
    expect((error as Error).message).toBe(
      `store ${join(dir, "s")} is damaged (layer-01.arrow: checksum mismatch); recompute it with: babelscope extract --model tiny --input items.jsonl --langs eng,fra --pooling mean --max-length 64 --out ${dir}`
    );
    expect((await store.layer(0)).rows).toBe(2);
  });

  it("a truncated file fails when the store is opened; a damaged or missing manifest is named", async () => {
    const dir = tempStores();
    await finished(dir, "s");
    truncateSync(join(dir, "s", "layer-00.arrow"), 100);
    await expect(openStore(join(dir, "s"))).rejects.toThrow(/is damaged \(layer-00\.arrow: truncated to 100 of [\d,]+ bytes\)/);
    const manifest = join(dir, "s", "manifest.json");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"tokens": 6', '"tokens": 7'));
    await expect(openStore(join(dir, "s"))).rejects.toThrow("is damaged (manifest.json: checksum mismatch); recompute it with: babelscope extract");
    writeFileSync(manifest, "{");
    expect(await readManifest(join(dir, "s"))).toBe("not valid JSON");
    await expect(openStore(join(dir, "s"))).rejects.toThrow("is damaged (manifest.json: not valid JSON); rerun the babelscope extract or build that made it");
  });

  it("findStore moves a damaged store aside and says where, so that the caller computes it again", async () => {
    const dir = tempStores();
    await finished(dir, "s");
    flip(join(dir, "s", "items.arrow"), 1);
    const told: string[] = [];
    expect(await findStore(dir, "s", (what) => told.push(what))).toBeUndefined();
    const [moved] = readdirSync(dir);
    expect(moved).toMatch(/^s\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(told).toEqual([`store s (tiny on items.jsonl) was damaged (items.arrow: checksum mismatch); moved to ${join(dir, moved)}`]);
    expect(await listStores(dir)).toEqual([{name: moved, hash: "s", state: "quarantined", complete: false}]);
  });

  it("findStore removes a store written before manifests carried checksums: it cannot be checked", async () => {
    const dir = tempStores();
    const {manifest} = await finished(dir, "s");
    const {checksums: _checksums, sha256: _sha256, ...old} = manifest;
    writeFileSync(join(dir, "s", "manifest.json"), JSON.stringify(old));
    const told: string[] = [];
    expect(await findStore(dir, "s", (what) => told.push(what))).toBeUndefined();
    expect(told).toEqual(["store s (tiny on items.jsonl) was written by an earlier Babelscope, without checksums; removed"]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a part that is truncated or has bytes changed is removed with a warning and computed again", async () => {
    const dir = tempStores();
    const writer = await PartialStore.open(dir, "p");
    for (const start of [0, 2, 4]) await writer.writePart(start, ["x", "y"], LAYERS);
    const parts = join(dir, "p.partial", "parts");
    const [first, second] = readdirSync(parts).sort();
    truncateSync(join(parts, first), 200);
    flip(join(parts, second), 1);
    expect((await damagedParts(join(dir, "p.partial"))).map((p) => p.file)).toEqual([`parts/${first}`, `parts/${second}`]);
    const warnings: string[] = [];
    const resumed = await PartialStore.open(dir, "p", (line) => warnings.push(line));
    expect(await resumed.readPart(0, ["x", "y"])).toBeUndefined();
    expect(await resumed.readPart(2, ["x", "y"])).toBeUndefined();
    expect(await resumed.readPart(4, ["x", "y"])).toEqual(LAYERS);
    expect(warnings).toEqual([0, 2].map((start) => `warning: part ${String(start).padStart(9, "0")} of store p was damaged (checksum mismatch); removed and recomputed`));
    expect(readdirSync(parts)).toHaveLength(1);
  });

  it("a part rewritten for other items replaces the earlier one of the same start", async () => {
    const dir = tempStores();
    await (await PartialStore.open(dir, "p")).writePart(0, ["x", "y"], LAYERS);
    const resumed = await PartialStore.open(dir, "p");
    expect(await resumed.readPart(0, ["y", "x"])).toBeUndefined();
    await resumed.writePart(0, ["y", "x"], LAYERS);
    expect(readdirSync(join(dir, "p.partial", "parts"))).toHaveLength(1);
    expect(await (await PartialStore.open(dir, "p")).readPart(0, ["y", "x"])).toEqual(LAYERS);
  });
});

describe("WriteQueue", () => {
  /** A write that finishes when told to, logging when it starts and ends. */
  const gate = (log: string[], name: string, fail = false) => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const write = async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
    };
    return {write, open};
  };

  it("WriteQueue.add returns while its write runs and starts a write only after the one before it ended", async () => {
    const log: string[] = [];
    const queue = new WriteQueue();
    const a = gate(log, "a");
    const b = gate(log, "b");
    await queue.add(a.write);
    expect(log).toEqual(["start a"]);
    const addB = queue.add(b.write);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(["start a"]);
    a.open();
    await addB;
    expect(log).toEqual(["start a", "end a", "start b"]);
    b.open();
    await queue.drain();
    expect(log).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("WriteQueue reports a failed write at the next add or drain", async () => {
    const log: string[] = [];
    const queue = new WriteQueue();
    const a = gate(log, "a", true);
    await queue.add(a.write);
    a.open();
    await expect(queue.add(async () => void log.push("b"))).rejects.toThrow("a failed");
    expect(log).not.toContain("b");
    const other = new WriteQueue();
    const c = gate(log, "c", true);
    await other.add(c.write);
    c.open();
    await expect(other.drain()).rejects.toThrow("c failed");
  });
});
