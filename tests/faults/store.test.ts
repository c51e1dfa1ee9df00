/**
 * Damaged caches: bytes changed or cut off in a store's files, its manifest, the resume points of
 * an interrupted extraction and the cached surgered model. Every run must either produce a store
 * byte-identical to a clean run's (after one warning line) or stop with one clear line, and leave
 * nothing damaged where a cache is read from. Also: a model that computes NaN, `babelscope verify`
 * and `babelscope clean` on damaged stores.
 */
import {fromBinary, toBinary} from "@bufbuild/protobuf";
import {createHash} from "node:crypto";
import {cpSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync} from "node:fs";
import {basename, join, resolve} from "node:path";
import {ModelProtoSchema} from "onnx-buf";
import {beforeAll, describe, expect, it} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {checkSurgeredEntry} from "../../loaders/models/surgery.js";
import {cachedAnalysis} from "../../loaders/pipeline/model-pages.js";
import {checkStore, openStore, PartialStore} from "../../loaders/store/store.js";
import {runCli} from "../helpers/cli.js";
import {labelledItems, writeItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const TMP = tempDir("faults-store");
/** A copy of the fixture (without its cached surgered models), so the surgered cache damaged here is this file's own. */
const MODEL = join(TMP, "tiny-bert");
const INPUT = join(TMP, "items.jsonl");
/** Small chunks, so that an interrupted extraction has several resume points. */
const CHUNK = {BABELSCOPE_CHUNK_ITEMS: "16"};

let reference: {dir: string; files: Record<string, string>};
let stores = 0;
/** A new, empty stores folder. */
const newStores = () => join(TMP, `stores-${stores++}`);

const extract = (out: string) => runCli(["extract", "--model", MODEL, "--input", INPUT, "--out", out], CHUNK);

/** sha256 of each of a store's files; the manifest without its creation time. */
function storeFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((name) => name !== "analyses").map((name) => {
    const bytes = readFileSync(join(dir, name));
    const content = name === "manifest.json" ? JSON.stringify({...JSON.parse(bytes.toString()), created: undefined}) : bytes;
    return [name, createHash("sha256").update(content).digest("hex")];
  }));
}

/** A copy of the reference store in a new stores folder; returns the copy's folder. */
function referenceCopy(): string {
  const dir = join(newStores(), basename(reference.dir));
  cpSync(reference.dir, dir, {recursive: true});
  return dir;
}

/** Overwrites `count` bytes from `at` with `byte` (or XORs them with 0xff), keeping the size. */
function damage(path: string, at: number, count: number, byte?: number): void {
  const bytes = readFileSync(path);
  for (let i = at; i < at + count; i++) bytes[i] = byte ?? bytes[i] ^ 0xff;
  writeFileSync(path, bytes);
}

/** The model's cached surgered (pooled) graphs. */
const cached = () => readdirSync(join(MODEL, "onnx")).filter((name) => name.includes(".pooled-v") && name.endsWith(".onnx")).map((name) => join(MODEL, "onnx", name));

/** stderr's lines; a run that answers in one line has exactly one. */
const lines = (stderr: string) => stderr.trim().split("\n").filter((line) => !/\d+\/\d+ items/.test(line));

beforeAll(async () => {
  cpSync(resolve("tests/fixtures/models/tiny-bert"), MODEL, {recursive: true, filter: (src) => !/\.(?:layers|pooled)-v/.test(src)});
  writeItems(INPUT, labelledItems(90));
  const out = newStores();
  const clean = await extract(out);
  expect(clean.code).toBe(0);
  reference = {dir: clean.stdout.trim(), files: storeFiles(clean.stdout.trim())};
}, 60_000);

describe("a damaged store", () => {
  it("64 bytes changed in a layer file: analyze stops in one line with the command that recomputes it, and that command moves the store aside and recomputes it", async () => {
    const dir = referenceCopy();
    damage(join(dir, "layer-02.arrow"), 2000, 64);
    const analyzed = await runCli(["analyze", "--store", dir, "--only", "rank"]);
    expect(analyzed.code).toBe(1);
    expect(lines(analyzed.stderr)).toHaveLength(1);
    const [, command] = /^babelscope: store .+ is damaged \(layer-02\.arrow: checksum mismatch\); recompute it with: babelscope (extract .+)$/.exec(analyzed.stderr.trim()) ?? [];
    expect(command, analyzed.stderr).toBeDefined();
    expect(existsSync(join(dir, "analyses"))).toBe(false);

    const rerun = await runCli(command.split(" "), CHUNK);
    expect(rerun.code).toBe(0);
    const [warning] = lines(rerun.stderr);
    expect(warning).toMatch(/^warning: store \w+ \(.+ on .+items\.jsonl\) was damaged \(layer-02\.arrow: checksum mismatch\); moved to .+\.damaged-[\dTZ-]+ and recomputed$/);
    expect(rerun.stdout.trim()).toBe(dir);
    expect(storeFiles(dir)).toEqual(reference.files);
  });

  it("a truncated layer file: analyze stops in one line, extract recomputes the store", async () => {
    const dir = referenceCopy();
    truncateSync(join(dir, "layer-01.arrow"), 3000);
    const analyzed = await runCli(["analyze", "--store", dir, "--only", "rank"]);
    expect(analyzed.code).toBe(1);
    expect(lines(analyzed.stderr)).toEqual([expect.stringMatching(/^babelscope: store .+ is damaged \(layer-01\.arrow: truncated to 3,000 of [\d,]+ bytes\); recompute it with: babelscope extract /)]);
    const rerun = await extract(join(dir, ".."));
    expect(rerun.code).toBe(0);
    expect(lines(rerun.stderr).filter((line) => line.startsWith("warning:"))).toHaveLength(1);
    expect(storeFiles(dir)).toEqual(reference.files);
    expect((await checkStore(dir, "always")).problems).toEqual([]);
  });

  it("a damaged manifest: clean --model skips it with a note and removes the model's other stores; extract recomputes it; a full clean removes what was moved aside", async () => {
    const dir = referenceCopy();
    const out = join(dir, "..");
    cpSync(dir, join(out, "another"), {recursive: true});
    writeFileSync(join(dir, "manifest.json"), '{"format": "babelscope-store/1", "files": ');
    const cleaned = await runCli(["clean", "--model", MODEL], {BABELSCOPE_STORES: out});
    expect(cleaned.code).toBe(0);
    expect(lines(cleaned.stderr)).toEqual([`skipped ${dir}: its manifest.json is damaged (not valid JSON); a full babelscope clean removes it`, `removed 1 store from ${out}`]);
    expect(readdirSync(out)).toEqual([basename(reference.dir)]);

    const rerun = await extract(out);
    expect(rerun.code).toBe(0);
    expect(lines(rerun.stderr)[0]).toMatch(/^warning: store \w+ \(unreadable manifest\) was damaged \(manifest\.json: not valid JSON\); moved to .+ and recomputed$/);
    expect(storeFiles(dir)).toEqual(reference.files);

    const all = await runCli(["clean"], {BABELSCOPE_STORES: out});
    expect(all.code).toBe(0);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("damaged resume points", () => {
  it("a truncated and a bit-flipped part file of an interrupted extraction are removed with a warning each and recomputed", async () => {
    const out = newStores();
    const env = {...envFrom(), storesDir: out, chunkItems: 16};
    // Interrupted after its third resume point, as a crash would leave it.
    const original = PartialStore.prototype.writePart;
    let parts = 0;
    PartialStore.prototype.writePart = async function (...args) {
      await original.apply(this, args);
      if (++parts === 3) throw new Error("interrupted");
    };
    try {
      const model = await resolveModel(MODEL, env);
      await expect(extractToStore(model, await loadDataset(INPUT), DEFAULT_SETTINGS, env, undefined, () => {})).rejects.toThrow("interrupted");
    } finally {
      PartialStore.prototype.writePart = original;
    }
    const partsDir = join(out, readdirSync(out)[0], "parts");
    const [first, second] = readdirSync(partsDir).sort();
    truncateSync(join(partsDir, first), 1000);
    damage(join(partsDir, second), 3000, 1);

    const resumed = await extract(out);
    expect(resumed.code).toBe(0);
    expect(lines(resumed.stderr).filter((line) => line.startsWith("warning:"))).toEqual([first, second].map((name) => `warning: part ${name.slice(0, 9)} of store ${readdirSync(out)[0]} was damaged (checksum mismatch); removed and recomputed`));
    expect(resumed.stderr).toContain("16 items resumed from an earlier run");
    expect(storeFiles(resumed.stdout.trim())).toEqual(reference.files);
  });
});

describe("a damaged surgered-model cache", () => {
  it("4 kB overwritten in place, then the file truncated: each time extract rebuilds it with one warning and the store equals a clean run's", async () => {
    const [path] = cached();
    const size = readFileSync(path).length;
    const faults: [string, () => void][] = [
      ["checksum mismatch", () => damage(path, 20_000, 4096, 0xff)],
      [`truncated to 50,000 of ${size.toLocaleString("en-US")} bytes`, () => truncateSync(path, 50_000)]
    ];
    for (const [reason, fault] of faults) {
      fault();
      const rerun = await extract(newStores());
      expect(rerun.code).toBe(0);
      expect(lines(rerun.stderr).filter((line) => line.startsWith("warning:"))).toEqual([`warning: cached surgered model ${path} was damaged (${reason}); removed and rebuilt`]);
      expect(storeFiles(rerun.stdout.trim())).toEqual(reference.files);
      expect(typeof (await checkSurgeredEntry(path, "always"))).toBe("object");
    }
  });
});

describe("a model that computes NaN", () => {
  it("extract stops with one line naming the model, the layer and the item, and writes nothing", async () => {
    const model = join(TMP, "nan-model");
    cpSync(MODEL, model, {recursive: true, filter: (src) => !/\.(?:layers|pooled)-v/.test(src)});
    const onnx = fromBinary(ModelProtoSchema, readFileSync(join(model, "onnx", "model.onnx")));
    // The last layer's output norm: hidden states 0 and 1 stay finite, 2 is NaN.
    const bias = onnx.graph!.initializer.find((t) => t.name === "encoder.layer.1.output.LayerNorm.bias")!;
    bias.rawData = new Uint8Array(new Float32Array(bias.rawData.length / 4).fill(NaN).buffer);
    writeFileSync(join(model, "onnx", "model.onnx"), toBinary(ModelProtoSchema, onnx));
    const out = newStores();
    const run = await runCli(["extract", "--model", model, "--input", INPUT, "--out", out], CHUNK);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^babelscope: model ${model} produced NaN at layer 2 for item "(eng|fra|rus|arb|cmn|hin)-\\d+"$`))]);
    expect(existsSync(out) ? readdirSync(out, {recursive: true}).filter((name) => String(name).endsWith(".arrow")) : []).toEqual([]);
  });
});

describe("babelscope verify", () => {
  it("names every damaged store, result, resume point, surgered model and hub download, exits 1; --repair moves them aside and exits 0; then all is sound", async () => {
    const out = newStores();
    cpSync(reference.dir, join(out, "sound"), {recursive: true});
    cpSync(reference.dir, join(out, "damaged"), {recursive: true});
    damage(join(out, "damaged", "layer-00.arrow"), 1000, 64);
    const result = (await cachedAnalysis(await openStore(join(out, "sound")), "rank", {resamples: 10}, envFrom(), () => {})).file;
    const resultPath = join(out, "sound", "analyses", "site", readdirSync(join(out, "sound", "analyses", "site"))[0]);
    writeFileSync(resultPath, readFileSync(resultPath, "utf8").replace(`"rank":1,`, `"rank":2,`));
    expect(result.result).not.toBeNull();
    const partial = await PartialStore.open(out, "unfinished");
    await partial.writePart(0, ["x"], [{data: new Float32Array(32), rows: 1, cols: 32}]);
    const [part] = readdirSync(join(out, "unfinished.partial", "parts"));
    damage(join(out, "unfinished.partial", "parts", part), 100, 1);
    const cache = join(TMP, "cache");
    const hubModel = join(cache, "hub", "owner", "model", "main", "onnx");
    const [surgered] = cached();
    cpSync(join(MODEL, "onnx"), hubModel, {recursive: true});
    const hubSurgered = join(hubModel, basename(surgered));
    damage(hubSurgered, 10_000, 16);
    // A finished hub download records each file's sha256; its config.json is then altered.
    const download = join(cache, "hub", "owner", "model", "main");
    cpSync(join(MODEL, "config.json"), join(download, "config.json"));
    writeFileSync(join(download, ".complete.json"), JSON.stringify({"config.json": createHash("sha256").update(readFileSync(join(download, "config.json"))).digest("hex")}));
    writeFileSync(join(download, "config.json"), readFileSync(join(download, "config.json"), "utf8").replace("{", "{ "));

    const vars = {BABELSCOPE_STORES: out, BABELSCOPE_CACHE: cache};
    const checked = await runCli(["verify"], vars);
    expect(checked.code).toBe(1);
    expect(checked.stdout.split("\n").filter((line) => line.startsWith("damaged:")).sort()).toEqual([
      `damaged: ${join(out, "unfinished.partial", "parts", part)}: checksum mismatch`,
      `damaged: analysis result ${resultPath} does not match its checksum`,
      `damaged: cached surgered model ${hubSurgered}: checksum mismatch`,
      `damaged: hub download ${download}: config.json does not match the recorded checksum`,
      `damaged: store ${join(out, "damaged")} (${MODEL} on ${INPUT}): layer-00.arrow: checksum mismatch`
    ].sort());
    expect(checked.stdout).toContain(`note: ${join(out, "unfinished.partial")} is an unfinished extraction`);
    expect(lines(checked.stderr)).toEqual([expect.stringMatching(/^babelscope: checked 2 stores \(1 analysis results\), 1 unfinished, \d+ surgered models?, 1 hub download: 5 damaged \(babelscope verify --repair/)]);

    const repaired = await runCli(["verify", "--repair"], vars);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/checked 2 stores \(1 analysis results\), 1 unfinished, \d+ surgered models?, 1 hub download: 5 damaged, repaired/);
    expect(existsSync(hubSurgered)).toBe(false);
    expect(existsSync(join(download, "config.json"))).toBe(false);
    expect(existsSync(`${resultPath}.damaged`)).toBe(true);
    expect(readdirSync(out).filter((name) => name.startsWith("damaged.damaged-"))).toHaveLength(1);

    const again = await runCli(["verify"], vars);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: nothing damaged\n$/);
  });
});
