import {describe, expect, it} from "vitest";
import {stratifiedKFold} from "../../loaders/analyses/kfold.js";

const labels = [...Array(23).fill(0), ...Array(12).fill(1)];

describe("stratifiedKFold", () => {
  it("stratifiedKFold(strata, k, seed) puts every row in exactly one test fold, disjoint from its train rows", () => {
    const folds = stratifiedKFold(labels, 5, 1);
    const seen = new Array(labels.length).fill(0);
    for (const {train, test} of folds) {
      test.forEach((i) => seen[i]++);
      expect(train.length + test.length).toBe(labels.length);
      expect(new Set([...train, ...test]).size).toBe(labels.length);
    }
    expect(seen.every((count) => count === 1)).toBe(true);
  });

  it("stratifiedKFold(strata, k, seed) balances each stratum and the fold sizes to within one row", () => {
    const folds = stratifiedKFold(labels, 5, 1);
    const sizes = folds.map((f) => f.test.length);
    const positives = folds.map((f) => Array.from(f.test).filter((i) => labels[i] === 1).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
    expect(positives.reduce((a, b) => a + b)).toBe(12);
  });

  it("stratifiedKFold(strata, k, seed) is deterministic for a seed and shuffles differently for another", () => {
    const tests = (seed: number) => stratifiedKFold(labels, 5, seed).map((f) => Array.from(f.test));
    expect(tests(3)).toEqual(tests(3));
    expect(tests(3)).not.toEqual(tests(4));
  });

  it("stratifiedKFold(strata, k, seed) rejects k < 2 and more folds than rows", () => {
    expect(() => stratifiedKFold(labels, 1, 0)).toThrow("stratifiedKFold: k must be an integer >= 2, got 1");
    expect(() => stratifiedKFold([0, 1], 3, 0)).toThrow("stratifiedKFold: cannot split 2 rows into 3 folds");
  });
});
