import {describe, expect, test} from "vitest";
import {layerMeans} from "../../loaders/report/comparison.js";

describe("layerMeans", () => {
  test("layerMeans averages each layer over languages, skipping undefined values", () => {
    expect(layerMeans([[1, 2, NaN], [3, 4, NaN], [5, NaN, NaN]])).toEqual([3, 3, NaN]);
    expect(layerMeans([])).toEqual([]);
  });
});
