/**
 * Parquet export throughput, against the baseline of writing the same store as Arrow (what
 * extraction does when it finishes), on a synthetic store the size of the extraction benchmark's
 * (2,048 items x 384 dimensions x 13 hidden states). Also sha256 over the same bytes: what a
 * merge or a check costs per byte besides reading and writing.
 */
import {createHash} from "node:crypto";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Matrix} from "../loaders/analyses/matrix.js";
import {mulberry32} from "../loaders/random.js";
import {exportParquet} from "../loaders/store/parquet-export.js";
import {PartialStore, STORE_FORMAT, type ManifestDraft} from "../loaders/store/store.js";
import type {StoredItem} from "../loaders/store/arrow.js";
import {median, report, timed, type Timing} from "./report.js";

const ITEMS = 2048;
const HIDDEN = 384;
const STATES = 13;
const REPEATS = 3;

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "babelscope-bench-export-"));
  const random = mulberry32(1);
  const items: StoredItem[] = Array.from({length: ITEMS}, (_, i) => ({id: `b${i}`, unit: `u${i >> 3}`, lang: `l${i % 8}`, text: `text ${i}`, tokens: 12, truncated: false}));
  // Standard normal-ish values: random mantissas and exponents near 1, as hidden states have.
  const layers: Matrix[] = Array.from({length: STATES}, () => ({rows: ITEMS, cols: HIDDEN, data: Float32Array.from({length: ITEMS * HIDDEN}, () => (random() + random() + random() - 1.5) * 2)}));
  const draft: ManifestDraft = {
    format: STORE_FORMAT, hash: "bench", tool: {name: "babelscope", version: "0"},
    model: {ref: "bench", source: "local", id: "bench", dtype: "fp32", files: {}, kind: "encoder", num_layers: STATES - 1, hidden_size: HIDDEN},
    dataset: {name: "bench", hash: "bench", languages: []}, settings: {pooling: "mean", max_length: 16},
    counts: {items: ITEMS, languages: 8, hidden_states: STATES, tokens: ITEMS * 12, truncated: 0}
  };
  const arrow: Timing<unknown>[] = [];
  const parquet: Timing<unknown>[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const write = await timed(async () => (await PartialStore.open(join(dir, String(r)), "bench")).finish(items, layers, draft));
    arrow.push(write);
    parquet.push(await timed(() => exportParquet(write.value, join(dir, `parquet-${r}`), "0")));
  }
  const hash = await timed(() => {
    for (const layer of layers) createHash("sha256").update(layer.data).digest();
  });
  rmSync(dir, {recursive: true, force: true});
  const values = ITEMS * HIDDEN * STATES;
  // CPU time is the steadier measure when other jobs share the cores; wall time is what users wait for.
  const rate = (runs: Timing<unknown>[]) => {
    const [wall, cpu] = [median(runs.map((t) => t.wall)), median(runs.map((t) => t.cpu))];
    return `${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} CPU-s: ${(values / cpu / 1e6).toFixed(1)} M values (${((values * 4) / cpu / 1e6).toFixed(0)} MB) per CPU-second`;
  };
  report(`Parquet export, ${ITEMS} items x ${HIDDEN} x ${STATES} hidden states (${((values * 4) / 1e6).toFixed(0)} MB of float32)`, [
    [`write the Arrow store (baseline), median of ${REPEATS}`, rate(arrow)],
    [`export it as Parquet (read, check, encode, write), median of ${REPEATS}`, rate(parquet)],
    ["ratio Parquet export / Arrow write, CPU time", (median(parquet.map((t) => t.cpu)) / median(arrow.map((t) => t.cpu))).toFixed(1)],
    ["sha256 of the vectors", rate([hash])]
  ]);
}
