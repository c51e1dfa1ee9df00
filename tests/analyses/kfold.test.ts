import {describe, expect, it} from "vitest";
import {foldsFromAssignment, sklearnStratifiedKFold, stratifiedGroupKFold} from "../../loaders/analyses/kfold.js";
import {protocolReference} from "./protocol-reference.js";

/** The fold number of every row, from the splits' test sets. */
function assignment(folds: {test: Uint32Array}[], n: number): number[] {
  const out = new Array<number>(n).fill(-1);
  folds.forEach(({test}, f) => test.forEach((i) => (out[i] = f)));
  return out;
}

describe("sklearnStratifiedKFold", () => {
  for (const c of protocolReference.folds) {
    it(`sklearnStratifiedKFold(y, ${c.k}, ${c.seed}) assigns folds exactly as scikit-learn (${c.name})`, () => {
      expect(assignment(sklearnStratifiedKFold(c.y, c.k, c.seed), c.y.length)).toEqual(c.fold);
    });
  }

  it("sklearnStratifiedKFold(y, k, seed) rejects k < 2, more folds than rows, and every class smaller than k", () => {
    expect(() => sklearnStratifiedKFold([0, 1, 0, 1], 1, 0)).toThrow("sklearnStratifiedKFold: k must be an integer >= 2, got 1");
    expect(() => sklearnStratifiedKFold([0, 1], 3, 0)).toThrow("sklearnStratifiedKFold: cannot split 2 rows into 3 folds");
    expect(() => sklearnStratifiedKFold([0, 0, 1, 1], 3, 0)).toThrow("k=3 cannot be greater than the number of members in each class");
  });
});

describe("stratifiedGroupKFold", () => {
  // 60 rows in 25 groups of 1-4 rows; a group has one label (as an entity is known or not).
  const groups = Array.from({length: 60}, (_, i) => `g${Math.floor((i * 25) / 60)}`);
  const y = groups.map((g) => Number(g.slice(1)) % 3 === 0 ? 1 : 0);

  it("stratifiedGroupKFold(y, groups, k, seed) never splits a group and covers every row once", () => {
    const folds = stratifiedGroupKFold(y, groups, 5, 1);
    const fold = assignment(folds, y.length);
    expect(fold.every((f) => f >= 0)).toBe(true);
    groups.forEach((g, i) => expect(fold[i]).toBe(fold[groups.indexOf(g)]));
    for (const {train, test} of folds) expect(train.length + test.length).toBe(60);
  });

  it("stratifiedGroupKFold(y, groups, k, seed) spreads each class over the folds", () => {
    const folds = stratifiedGroupKFold(y, groups, 5, 1);
    const positives = folds.map((f) => Array.from(f.test).filter((i) => y[i] === 1).length);
    const negatives = folds.map((f) => f.test.length - positives[folds.indexOf(f)]);
    // Groups of up to 3 rows: each fold within one group's size of the even share.
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(3);
    expect(Math.max(...negatives) - Math.min(...negatives)).toBeLessThanOrEqual(3);
    expect(Math.min(...positives)).toBeGreaterThan(0);
  });

  it("stratifiedGroupKFold(y, groups, k, seed) is deterministic for a seed and differs for another", () => {
    const fold = (seed: number) => assignment(stratifiedGroupKFold(y, groups, 5, seed), y.length);
    expect(fold(3)).toEqual(fold(3));
    expect(fold(3)).not.toEqual(fold(4));
  });

  it("stratifiedGroupKFold(y, groups, k, seed) rejects fewer groups than folds and mismatched lengths", () => {
    expect(() => stratifiedGroupKFold([0, 1, 0, 1], ["a", "a", "b", "b"], 3, 0)).toThrow("stratifiedGroupKFold: cannot split 2 groups into 3 folds");
    expect(() => stratifiedGroupKFold([0, 1], ["a"], 2, 0)).toThrow("stratifiedGroupKFold: 2 labels but 1 groups");
  });
});

describe("foldsFromAssignment", () => {
  it("foldsFromAssignment(fold, k) makes test the rows of each fold and train the rest", () => {
    const folds = foldsFromAssignment([1, 0, 1, 2], 3);
    expect(folds.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([
      [[0, 2, 3], [1]],
      [[1, 3], [0, 2]],
      [[0, 1, 2], [3]],
    ]);
  });
});
