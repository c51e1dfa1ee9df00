import {mulberry32, shuffle} from "../random.js";
import {randomState} from "./numpy-random.js";

/** Row indices (ascending) of one cross-validation split. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * scikit-learn's `StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y)`,
 * reproduced exactly (`_make_test_folds`, scikit-learn 1.2): classes are numbered in order of
 * first appearance; each fold's share of each class comes from dealing the sorted class codes
 * round robin (`np.bincount(y_order[i::k])`); then, class by class, the block of fold numbers
 * [0 x a0, 1 x a1, ...] is shuffled by one `RandomState(seed)` (shared across classes, in class
 * order) and handed to that class's rows in row order.
 *
 * @example
 * sklearnStratifiedKFold([0, 1, 0, 1, 0, 1], 2, 42).map((f) => Array.from(f.test)) // the test rows of each split, as scikit-learn
 */
export function sklearnStratifiedKFold(y: ArrayLike<number | string>, k: number, seed: number): Fold[] {
  const n = y.length;
  if (!Number.isInteger(k) || k < 2) throw new Error(`sklearnStratifiedKFold: k must be an integer >= 2, got ${k}`);
  if (k > n) throw new Error(`sklearnStratifiedKFold: cannot split ${n} rows into ${k} folds`);
  const code = new Map<number | string, number>();
  const encoded = Int32Array.from({length: n}, (_, i) => {
    if (!code.has(y[i])) code.set(y[i], code.size);
    return code.get(y[i])!;
  });
  const classes = code.size;
  const counts = new Int32Array(classes);
  encoded.forEach((c) => counts[c]++);
  if (counts.every((count) => count < k)) {
    throw new Error(`sklearnStratifiedKFold: k=${k} cannot be greater than the number of members in each class`);
  }
  const sorted = Int32Array.from(encoded).sort();
  // allocation[f][c]: rows of class c in test fold f.
  const allocation = Array.from({length: k}, (_, f) => {
    const share = new Int32Array(classes);
    for (let i = f; i < n; i += k) share[sorted[i]]++;
    return share;
  });
  const random = randomState(seed);
  const foldOf = new Int32Array(n);
  for (let c = 0; c < classes; c++) {
    const block = allocation.flatMap((share, f) => new Array<number>(share[c]).fill(f));
    random.shuffle(block);
    let next = 0;
    for (let i = 0; i < n; i++) if (encoded[i] === c) foldOf[i] = block[next++];
  }
  return foldsFromAssignment(foldOf, k);
}

/**
 * Stratified k-fold over groups: rows of one group (e.g. every question about one entity, in
 * every language) always share a fold, so no group is on both sides of a split. Groups are
 * shuffled with `seed`, then placed largest first (a stable sort), each into the fold that
 * holds the smallest share of its classes so far: the fold minimising sum over classes c of
 * count_group(c) * count_fold(c) / count_all(c), ties to the fold with fewer rows, then the
 * lower index. A group of one class (an entity is known or not) thus goes to the fold with the
 * fewest rows of that class, which keeps every class spread over the folds.
 *
 * @example
 * stratifiedGroupKFold([1, 1, 0, 0, 1, 0], ["a", "a", "b", "c", "d", "e"], 2, 0) // "a"'s two rows share a fold
 */
export function stratifiedGroupKFold(
  y: ArrayLike<number | string>, groups: ArrayLike<string>, k: number, seed: number
): Fold[] {
  const n = y.length;
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedGroupKFold: k must be an integer >= 2, got ${k}`);
  if (groups.length !== n) throw new Error(`stratifiedGroupKFold: ${n} labels but ${groups.length} groups`);
  const classOf = new Map<number | string, number>();
  const groupOf = new Map<string, number>();
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (!classOf.has(y[i])) classOf.set(y[i], classOf.size);
    if (!groupOf.has(groups[i])) {
      groupOf.set(groups[i], members.length);
      members.push([]);
    }
    members[groupOf.get(groups[i])!].push(i);
  }
  if (members.length < k) throw new Error(`stratifiedGroupKFold: cannot split ${members.length} groups into ${k} folds`);
  const classes = classOf.size;
  const total = new Float64Array(classes);
  const groupCounts = members.map((rows) => {
    const counts = new Float64Array(classes);
    for (const i of rows) counts[classOf.get(y[i])!]++;
    counts.forEach((c, j) => (total[j] += c));
    return counts;
  });
  const order = members.map((_, g) => g);
  shuffle(order, mulberry32(seed));
  order.sort((a, b) => members[b].length - members[a].length);
  const foldCounts = Array.from({length: k}, () => new Float64Array(classes));
  const foldSizes = new Float64Array(k);
  const foldOf = new Int32Array(n);
  for (const g of order) {
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      let cost = 0;
      groupCounts[g].forEach((c, j) => (cost += (c * foldCounts[f][j]) / total[j]));
      if (cost < bestCost || (cost === bestCost && foldSizes[f] < foldSizes[best])) {
        best = f;
        bestCost = cost;
      }
    }
    groupCounts[g].forEach((c, j) => (foldCounts[best][j] += c));
    foldSizes[best] += members[g].length;
    for (const i of members[g]) foldOf[i] = best;
  }
  return foldsFromAssignment(foldOf, k);
}

/** The k splits of a fold number per row: test = the rows of fold f (ascending), train = the rest. */
export function foldsFromAssignment(foldOf: ArrayLike<number>, k: number): Fold[] {
  return Array.from({length: k}, (_, fold) => {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < foldOf.length; i++) (foldOf[i] === fold ? test : train).push(i);
    return {train: Uint32Array.from(train), test: Uint32Array.from(test)};
  });
}

