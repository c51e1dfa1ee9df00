import {existsSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {canonicalJSON, findStore, listStores, PartialStore, storeHash, type StoreInputs, WriteQueue} from "../../loaders/store/store.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-store-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

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

  it("PartialStore.finish makes the store appear complete in one step, with no parts or temp files", async () => {
    const partial = await PartialStore.open(TMP, "h2");
    expect(await findStore(TMP, "h2")).toBeUndefined();
    expect(await listStores(TMP)).toContainEqual({hash: "h2", complete: false});
    const layers = [{data: new Float32Array([1, 2]), rows: 1, cols: 2}];
    const manifest = {format: "babelscope-store/1", hash: "h2"} as never;
    const store = await partial.finish([{id: "x", unit: "u", lang: "eng", text: "t", tokens: 3, truncated: false}], layers, manifest);
    expect(existsSync(join(TMP, "h2.partial"))).toBe(false);
    expect(readdirSync(store.dir).sort()).toEqual(["items.arrow", "layer-00.arrow", "manifest.json"]);
    expect((await store.layer(0)).data).toEqual(layers[0].data);
    expect((await store.items())[0].id).toBe("x");
    await expect(store.layer(1)).rejects.toThrow("layer 1 out of range: the store has layers 0..0");
    expect(await listStores(TMP)).toContainEqual({hash: "h2", complete: true});
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
