import {describe, expect, it} from "vitest";
import {dotRows, fromRows, matrix, normalizeRows, placeRows, row, selectRows} from "../../loaders/analyses/matrix.js";

describe("matrix", () => {
  it("matrix(data, rows, cols) rejects a data length that does not match", () => {
    expect(() => matrix(new Float32Array(5), 2, 3)).toThrow("data has 5 values, expected 2 x 3 = 6");
  });

  it("fromRows(rows) copies rows in order and rejects ragged rows", () => {
    expect(Array.from(fromRows([[1, 2], [3, 4]]).data)).toEqual([1, 2, 3, 4]);
    expect(() => fromRows([[1, 2], [3]])).toThrow("row 1 has 1 values, expected 2");
    expect(fromRows([], 3)).toEqual({data: new Float32Array(0), rows: 0, cols: 3});
  });

  it("row(m, i) is a view into the buffer", () => {
    const m = fromRows([[1, 2], [3, 4]]);
    row(m, 1)[0] = 9;
    expect(m.data[2]).toBe(9);
  });

  it("selectRows(m, indices) copies rows in the given order", () => {
    const m = fromRows([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(selectRows(m, [2, 0]).data)).toEqual([5, 6, 1, 2]);
  });

  it("placeRows(into, indices, from) puts rows back where selectRows took them, and refuses a mismatch", () => {
    const into = fromRows([[0, 0], [0, 0], [0, 0]]);
    placeRows(into, [2, 0], fromRows([[5, 6], [1, 2]]));
    expect(Array.from(into.data)).toEqual([1, 2, 0, 0, 5, 6]);
    // Runs of consecutive places, in and out of order.
    const wide = fromRows(Array.from({length: 6}, () => [0, 0]));
    placeRows(wide, [3, 4, 5, 0, 1, 2], fromRows([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]));
    expect(Array.from(wide.data)).toEqual([4, 4, 5, 5, 6, 6, 1, 1, 2, 2, 3, 3]);
    expect(() => placeRows(into, [1], fromRows([[1, 2, 3]]))).toThrow("placeRows: 1 × 3 rows for 1 indices of a matrix with 2 columns");
  });

  it("normalizeRows(m) gives unit rows and keeps zero rows zero", () => {
    const n = normalizeRows(fromRows([[3, 4], [0, 0]]));
    expect(n.data[0]).toBeCloseTo(0.6, 7);
    expect(n.data[1]).toBeCloseTo(0.8, 7);
    expect(Array.from(n.data.subarray(2))).toEqual([0, 0]);
  });

  it("dotRows(a, i, b, j) is the dot product of two rows", () => {
    const a = fromRows([[1, 2, 3]]);
    const b = fromRows([[0, 0, 0], [4, -5, 6]]);
    expect(dotRows(a, 0, b, 1)).toBe(4 - 10 + 18);
  });
});
