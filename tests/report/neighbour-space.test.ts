import {describe, expect, test} from "vitest";
import {matrix} from "../../loaders/analyses/matrix.js";
import {mulberry32} from "../../loaders/random.js";
import {neighbourSpace} from "../../loaders/report/neighbour-space.js";

/** Cosine of rows i and j of x after removing the column means: the reference, computed directly. */
function centredCosine(x: Float32Array, rows: number, cols: number, i: number, j: number): number {
  const mean = Array.from({length: cols}, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    return s / rows;
  });
  let dot = 0, ni = 0, nj = 0;
  for (let c = 0; c < cols; c++) {
    const a = x[i * cols + c] - mean[c], b = x[j * cols + c] - mean[c];
    dot += a * b, ni += a * a, nj += b * b;
  }
  return dot / Math.sqrt(ni * nj);
}

describe("neighbourSpace", () => {
  const random = mulberry32(3);
  const rows = 40, cols = 6;
  const data = Float32Array.from({length: rows * cols}, () => random() * 2 - 1);
  const x = matrix(data, rows, cols);

  test("neighbourSpace with every component keeps centred cosines (int8 rounding only)", () => {
    const space = neighbourSpace(x, cols);
    expect(space.dimensions).toBe(cols);
    for (const [i, j] of [[0, 1], [2, 30], [5, 39]]) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += space.data[i * cols + c] * space.data[j * cols + c];
      expect(dot / 127 ** 2).toBeCloseTo(centredCosine(data, rows, cols, i, j), 1);
    }
  });

  test("neighbourSpace rows have length 127 and keep at most the requested dimensions", () => {
    const space = neighbourSpace(x, 3);
    expect(space.dimensions).toBe(3);
    expect(space.data).toHaveLength(rows * 3);
    const norm = Math.hypot(space.data[0], space.data[1], space.data[2]);
    expect(norm).toBeGreaterThan(125);
    expect(norm).toBeLessThan(129);
  });
});
