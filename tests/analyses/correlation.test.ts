import {describe, expect, it} from "vitest";
import {averageRanks, pearson, spearman} from "../../loaders/analyses/correlation.js";
import {reference} from "./reference.js";

const ref = reference("correlation.json");

describe("correlation", () => {
  it("averageRanks(values) gives tied values the mean of their ranks, as scipy's rankdata", () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(Array.from(averageRanks(ref.x))).toEqual(ref.ranksX);
  });

  it("spearman(x, y) of tied data equals scipy.stats.spearmanr", () => {
    expect(spearman(ref.x, ref.y)).toBeCloseTo(ref.spearman, 12);
  });

  it("pearson(x, y) equals scipy.stats.pearsonr and a hand-computed case", () => {
    expect(pearson(ref.x, ref.y)).toBeCloseTo(ref.pearson, 12);
    // x = [1, 2, 3], y = [2, 4, 7]: sxy = 5, sxx = 2, syy = 12.667 -> 5 / sqrt(25.333)
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (38 / 3)), 14);
  });

  it("spearman(x, y) is 1 for any increasing relation and -1 for a decreasing one", () => {
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 14);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 14);
  });

  it("pearson and spearman are NaN for fewer than two pairs, a constant side or a non-finite value", () => {
    expect(pearson([1], [2])).toBeNaN();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearson([1, NaN, 3], [1, 2, 3])).toBeNaN();
    expect(spearman([1, NaN, 3], [1, 2, 3])).toBeNaN();
  });

  it("pearson(x, y) rejects arrays of different lengths", () => {
    expect(() => pearson([1, 2], [1])).toThrow("pearson: x has 2 values but y has 1");
  });
});
