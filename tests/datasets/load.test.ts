import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {BUILTIN_DATASETS, loadDataset} from "../../loaders/datasets/index.js";
import {tempDir} from "../helpers/tmp.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/datasets/${name}`, import.meta.url));

describe("loadDataset", () => {
  it("loadDataset(path.jsonl) reads and validates a user file", async () => {
    const ds = await loadDataset(fixture("user.jsonl"));
    expect(ds.items.map((i) => i.id)).toEqual(["g1:eng", "g1:arb", "g2:eng", "g2:cmn_hans"]);
    expect(ds.items[1]).toMatchObject({script: "Arab", direction: "rtl"});
    expect(ds.items[3].script).toBe("Hani");
    expect((ds.items[2] as unknown as {source: string}).source).toBe("hand-written");
    expect(ds.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadDataset(fixture("user.jsonl"))).hash).toBe(ds.hash);
  });

  it("loadDataset(path.csv) reads quoted, multi-line cells", async () => {
    const ds = await loadDataset(fixture("user.csv"));
    expect(ds.items.map((i) => i.text)).toEqual(["Good morning, friend.", 'Bonjour, "ami".', "Two\nlines", "Спасибо."]);
    expect(ds.items[3].label).toBeUndefined();
  });

  it("loadDataset(name, {langs}) matches exact codes and ISO bases; an unknown code lists valid ones", async () => {
    const ds = await loadDataset(fixture("user.jsonl"), {langs: ["cmn", "arb"]});
    expect(ds.items.map((i) => i.lang)).toEqual(["arb", "cmn_hans"]);
    await expect(loadDataset(fixture("user.jsonl"), {langs: ["fra"]})).rejects.toThrow(
      /^unknown language "fra" for dataset ".*user\.jsonl"; valid codes include arb, cmn_hans, eng \(3 in all\)$/
    );
  });

  it("loadDataset(name, {langs, someLangs}) keeps the listed languages the dataset has, and fails only when it has none", async () => {
    const ds = await loadDataset(fixture("user.jsonl"), {langs: ["eng", "fra"], someLangs: true});
    expect(ds.items.map((i) => i.lang)).toEqual(["eng", "eng"]);
    await expect(loadDataset(fixture("user.jsonl"), {langs: ["fra", "deu"], someLangs: true})).rejects.toThrow(/^unknown languages "fra", "deu" for dataset /);
  });

  it("loadDataset(name, {split}) filters by split and rejects a split no item has", async () => {
    expect((await loadDataset(fixture("user.jsonl"), {split: "test"})).items).toHaveLength(2);
    await expect(loadDataset(fixture("user.jsonl"), {split: "dev"})).rejects.toThrow('no items with split "dev" in dataset');
  });

  it("loadDataset('udhr-heldout') holds only articles 21-30; 'udhr-train' only 1-20", async () => {
    const heldout = await loadDataset("udhr-heldout", {langs: ["eng"]});
    expect(heldout.items.map((i) => i.unit)[0]).toBe("udhr:a21.p1");
    expect(heldout.items.every((i) => /^udhr:a(2[1-9]|30)\./.test(i.unit) && i.split === "heldout")).toBe(true);
    const train = await loadDataset("udhr-train", {langs: ["eng"]});
    expect(train.items.every((i) => /^udhr:a([1-9]|1\d|20)\./.test(i.unit))).toBe(true);
    expect(train.items.length + heldout.items.length).toBe(50);
    await expect(loadDataset("udhr-heldout", {split: "train"})).rejects.toThrow(
      'no items with split "train" in dataset "udhr-heldout" (splits: heldout)'
    );
  });

  it("loadDataset(file) with invalid UTF-8 fails naming the line instead of reading U+FFFD", async () => {
    const path = join(tempDir("load"), "latin1.jsonl");
    // "été" with its first é in Latin-1 (one byte, 0xe9), the second in UTF-8.
    const before = Buffer.from('{"id":"1","unit":"u","lang":"eng","text":"Hi"}\n{"id":"2","unit":"u","lang":"fra","text":"');
    writeFileSync(path, Buffer.concat([before, Buffer.from([0xe9]), Buffer.from('t\u00e9"}\n')]));
    await expect(loadDataset(path)).rejects.toThrow(`${path}:2: invalid UTF-8 (byte offset ${before.length})`);
  });

  it("loadDataset(file) reads a UTF-8 file with a byte order mark as the same items and hash as without", async () => {
    const dir = tempDir("load");
    const text = readFileSync(fixture("user.jsonl"));
    writeFileSync(join(dir, "bom.jsonl"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]));
    expect((await loadDataset(join(dir, "bom.jsonl"))).hash).toBe((await loadDataset(fixture("user.jsonl"))).hash);
  });

  it("every built-in dataset loads: none repeats a (lang, unit) pair", async () => {
    for (const name of Object.keys(BUILTIN_DATASETS)) expect((await loadDataset(name)).items.length, name).toBeGreaterThan(0);
  });

  it("loadDataset(missing file) fails with the path in the message", async () => {
    await expect(loadDataset("no/such/file.jsonl")).rejects.toThrow("no/such/file.jsonl: cannot read (ENOENT)");
  });
});
