/**
 * Alignment and ranking analyses at the scale of a full UDHR run: 500 languages x 60 parallel
 * units x 384 dimensions x 13 layers (synthetic vectors, seeded). Prints the wall time of each
 * analysis; the target is seconds, not minutes.
 */
import {cka} from "../loaders/analyses/cka.js";
import {matrix} from "../loaders/analyses/matrix.js";
import {mexa} from "../loaders/analyses/mexa.js";
import {mulberry32} from "../loaders/random.js";
import {rankLanguages} from "../loaders/analyses/rank.js";
import {retrieval} from "../loaders/analyses/retrieval.js";
import type {LayeredVectors} from "../loaders/analyses/types.js";
import {report} from "./report.js";

const LANGUAGES = 500, UNITS = 60, DIMS = 384, LAYERS = 13;

function syntheticItems(): LayeredVectors {
  const random = mulberry32(0);
  const lang = Array.from({length: LANGUAGES * UNITS}, (_, i) => (i < UNITS ? "eng" : `l${Math.floor(i / UNITS)}`));
  const unit = Array.from({length: LANGUAGES * UNITS}, (_, i) => `u${i % UNITS}`);
  const layers = Array.from({length: LAYERS}, () => {
    const data = new Float32Array(lang.length * DIMS);
    for (let i = 0; i < data.length; i++) data[i] = random() - 0.5;
    return matrix(data, lang.length, DIMS);
  });
  return {layers, unit, lang};
}

/** Wall and CPU time: on a shared 2-core machine the CPU time is the steadier number. */
function seconds(run: () => unknown): string {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  run();
  const used = process.cpuUsage(cpu);
  return `${((performance.now() - wall) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU`;
}

export async function main(): Promise<void> {
  const items = syntheticItems();
  report(`alignment analyses, ${LANGUAGES} languages x ${UNITS} units x ${DIMS} dims x ${LAYERS} layers`, [
    ["rankLanguages (1000 resamples)", seconds(() => rankLanguages(items))],
    ["rankLanguages, centred", seconds(() => rankLanguages(items, {centering: "language"}))],
    ["retrieval", seconds(() => retrieval(items))],
    ["mexa", seconds(() => mexa(items))],
    ["cka", seconds(() => cka(items))]
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
