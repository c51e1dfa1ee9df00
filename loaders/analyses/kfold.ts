import {mulberry32, randomInt} from "../random.js";

/** Row indices (ascending) of one cross-validation split. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * Stratified k-fold split with a seeded shuffle: the rows of each stratum (e.g. a label, or a
 * language x label pair) are shuffled, then dealt to the folds in turn, continuing the turn
 * from one stratum to the next. Every fold then holds each stratum's share to within one row,
 * and fold sizes differ by at most one. Every row is in exactly one test fold.
 *
 * Strata are visited in order of first appearance, so the split depends only on the strata
 * sequence, `k` and `seed`.
 *
 * @example
 * stratifiedKFold([0, 0, 1, 1], 2, 7).map((f) => f.test.length); // [2, 2], one of each label per fold
 */
export function stratifiedKFold(strata: ArrayLike<number | string>, k: number, seed: number): Fold[] {
  const n = strata.length;
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k must be an integer >= 2, got ${k}`);
  if (k > n) throw new Error(`stratifiedKFold: cannot split ${n} rows into ${k} folds`);
  const byStratum = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const rows = byStratum.get(strata[i]);
    if (rows) rows.push(i);
    else byStratum.set(strata[i], [i]);
  }
  const random = mulberry32(seed);
  const foldOf = new Uint32Array(n);
  let turn = 0;
  for (const rows of byStratum.values()) {
    shuffle(rows, random);
    for (const i of rows) foldOf[i] = turn++ % k;
  }
  return Array.from({length: k}, (_, fold) => {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === fold ? test : train).push(i);
    return {train: Uint32Array.from(train), test: Uint32Array.from(test)};
  });
}

/** Fisher-Yates shuffle in place. */
function shuffle<T>(values: T[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}
