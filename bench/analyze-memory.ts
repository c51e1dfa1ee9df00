/**
 * Peak memory of `babelscope analyze` on a store the size of a real hub model's: 24 layers x 896
 * dimensions (Qwen2.5-0.5B) x 10,000 items, random vectors written straight through the store
 * writer (no model). The analysis is the ranking, which reads every layer; each run is a child
 * process, and its peak resident set is what `/usr/bin/time` reports. The target is <= 1.5 GB,
 * and flat in the number of layers: the same store with 12 layers should peak about as high.
 *
 * `npx tsx bench/analyze-memory.ts [--items 10000] [--dims 896] [--layers 24,12]`
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {mulberry32} from "../loaders/random.js";
import {PartialStore, STORE_FORMAT, type ManifestDraft} from "../loaders/store/store.js";
import type {StoredItem} from "../loaders/store/arrow.js";
import type {Matrix} from "../loaders/vectors.js";
import {report} from "./report.js";

/** Ten languages with resource metadata, so the ranking's correlations have something to read. */
const LANGUAGES = ["eng", "fra", "deu", "spa", "arb", "cmn", "hin", "swh", "rus", "jpn"];
const TARGET_BYTES = 1.5e9;

/** A store of `layers` random layers under `storesDir`: items are `items / 10` parallel units in ten languages. */
async function syntheticStore(storesDir: string, layers: number, items: number, dims: number): Promise<string> {
  const random = mulberry32(layers);
  const units = Math.ceil(items / LANGUAGES.length);
  const stored: StoredItem[] = Array.from({length: items}, (_, i) => {
    const lang = LANGUAGES[Math.floor(i / units)];
    return {id: `${lang}-${i % units}`, unit: `u${i % units}`, lang, text: `item ${i}`, tokens: 8, truncated: false};
  });
  const matrices: Matrix[] = Array.from({length: layers}, () => {
    const data = new Float32Array(items * dims);
    for (let i = 0; i < data.length; i++) data[i] = random() - 0.5;
    return {data, rows: items, cols: dims};
  });
  const hash = `synthetic-${layers}`;
  const draft: ManifestDraft = {
    format: STORE_FORMAT,
    hash,
    tool: {name: "babelscope", version: "bench"},
    model: {ref: "synthetic", source: "local", id: "synthetic", dtype: "fp32", files: {}, kind: "decoder", num_layers: layers - 1, hidden_size: dims},
    dataset: {name: "synthetic", hash: "synthetic", languages: LANGUAGES},
    settings: {pooling: "last", max_length: 64},
    counts: {items, languages: LANGUAGES.length, hidden_states: layers, tokens: 8 * items, truncated: 0}
  };
  const store = await (await PartialStore.open(storesDir, hash)).finish(stored, matrices, draft);
  return store.dir;
}

/** Peak resident set (bytes) and CPU time (user + system: steadier than wall time on a shared machine) of `babelscope analyze --only rank` on a store, in a child process. */
function analyzePeak(store: string, out: string): {bytes: number; cpu: number} {
  const timeFile = join(out, "time.txt");
  const run = spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", timeFile, process.execPath, "bin/babelscope.js", "analyze", "--store", store, "--only", "rank", "--out", join(out, "results")], {encoding: "utf8"});
  if (run.status !== 0) throw new Error(`babelscope analyze failed (${run.status}): ${run.stderr.trim().split("\n").at(-1)}`);
  // GNU time reports the maximum resident set size in KiB, and CPU times in seconds.
  const [kib, user, system] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return {bytes: kib * 1024, cpu: user + system};
}

export async function main(argv: string[] = []): Promise<void> {
  const {values} = parseArgs({args: argv, options: {items: {type: "string", default: "10000"}, dims: {type: "string", default: "896"}, layers: {type: "string", default: "24,12"}}});
  const items = Number(values.items), dims = Number(values.dims);
  const counts = values.layers.split(",").map(Number);
  const dir = mkdtempSync(join(tmpdir(), "babelscope-bench-memory-"));
  try {
    const peaks = new Map<number, number>();
    const rows: [string, string][] = [];
    for (const layers of counts) {
      // One store at a time: the writer holds every layer, and the measured child must not compete with it.
      const store = await syntheticStore(dir, layers, items, dims);
      const {bytes, cpu} = analyzePeak(store, dir);
      peaks.set(layers, bytes);
      const size = (layers * items * dims * 4) / 1e9;
      rows.push([`${layers} layers (${size.toFixed(2)} GB of vectors)`, `peak RSS ${(bytes / 1e9).toFixed(2)} GB (target <= ${TARGET_BYTES / 1e9} GB: ${bytes <= TARGET_BYTES ? "met" : "missed"}), ${cpu.toFixed(1)} s CPU`]);
      rmSync(store, {recursive: true, force: true});
    }
    const [most, fewest] = [Math.max(...counts), Math.min(...counts)];
    if (most !== fewest) rows.push([`flatness: ${most} / ${fewest} layers`, (peaks.get(most)! / peaks.get(fewest)!).toFixed(2)]);
    report(`babelscope analyze --only rank, peak memory: ${items.toLocaleString("en-US")} items x ${dims} dims`, rows);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
