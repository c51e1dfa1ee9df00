import {describe, expect, it} from "vitest";
import {cholesky, solveCholesky} from "../../loaders/analyses/cholesky.js";
import {columnGram, rowGram, transposeProduct} from "../../loaders/analyses/gram.js";
import {maxDifference} from "./probe-reference.js";

describe("cholesky", () => {
  it("cholesky(a, n) factors a hand-checked 2 x 2 matrix and solveCholesky solves with it", () => {
    const l = cholesky(Float64Array.of(4, 2, 2, 3), 2)!;
    expect(maxDifference(l, [2, 0, 1, Math.SQRT2])).toBeLessThan(1e-15);
    // Checked by multiplying back: [4 2; 2 3] x = [8 6; 7 5].
    const x = solveCholesky(l, 2, Float64Array.of(8, 6, 7, 5), 2);
    expect(maxDifference([4 * x[0] + 2 * x[2], 4 * x[1] + 2 * x[3], 2 * x[0] + 3 * x[2], 2 * x[1] + 3 * x[3]], [8, 6, 7, 5])).toBeLessThan(1e-14);
  });

  it("cholesky(a, n) returns null for a singular matrix and for a pivot at rounding level", () => {
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2)).toBeNull();
    expect(cholesky(Float64Array.of(1, 1 - 1e-16, 1 - 1e-16, 1), 2)).toBeNull();
    expect(cholesky(Float64Array.of(1, 1 - 1e-6, 1 - 1e-6, 1), 2)).not.toBeNull();
  });
});

describe("gram", () => {
  const x = {data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 3, cols: 2};

  it("columnGram(x, mean) is the centred scatter matrix; columnGram(x) is X^T X", () => {
    expect(Array.from(columnGram(x))).toEqual([35, 44, 44, 56]);
    expect(Array.from(columnGram(x, Float64Array.of(3, 4)))).toEqual([8, 8, 8, 8]);
  });

  it("rowGram(x) is X X^T and transposeProduct(a, b) is A^T B", () => {
    expect(Array.from(rowGram(x))).toEqual([5, 11, 17, 11, 25, 39, 17, 39, 61]);
    expect(Array.from(transposeProduct(x, {data: Float64Array.of(1, 0, 1), rows: 3, cols: 1}))).toEqual([6, 8]);
  });
});
