import {describe, expect, it} from "vitest";
import {fitPca, pca, transformPca} from "../../loaders/analyses/pca.js";
import {matrix} from "../../loaders/analyses/matrix.js";
import {maxDifference, probeReference, toMatrix, type MatrixJson} from "./probe-reference.js";

interface PcaReference {
  x: MatrixJson;
  components: MatrixJson;
  mean: number[];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  projected: MatrixJson;
}

const ref = probeReference<PcaReference>("probe-pca.json");

describe("fitPca", () => {
  it("fitPca(x, k) equals scikit-learn PCA up to the sign of each axis", () => {
    const model = fitPca(toMatrix(ref.x), 3);
    expect(maxDifference(model.mean, ref.mean)).toBeLessThan(1e-5);
    expect(maxDifference(model.explainedVariance, ref.explainedVariance)).toBeLessThan(1e-4);
    expect(maxDifference(model.explainedVarianceRatio, ref.explainedVarianceRatio)).toBeLessThan(1e-6);
    const {cols} = model.components;
    const projected = transformPca(model, toMatrix(ref.x));
    for (let c = 0; c < 3; c++) {
      const axis = model.components.data.subarray(c * cols, (c + 1) * cols);
      const expected = ref.components.data.slice(c * cols, (c + 1) * cols);
      const sign = Math.sign(axis[0]) === Math.sign(expected[0]) ? 1 : -1;
      expect(maxDifference(axis, expected.map((v) => sign * v))).toBeLessThan(1e-5);
      const column = Array.from({length: projected.rows}, (_, i) => projected.data[i * 3 + c]);
      const expectedColumn = Array.from({length: projected.rows}, (_, i) => sign * ref.projected.data[i * 3 + c]);
      expect(maxDifference(column, expectedColumn)).toBeLessThan(1e-4);
    }
  });

  it("fitPca(x, k) makes each axis's largest-magnitude loading positive", () => {
    const model = fitPca(toMatrix(ref.x), 3);
    for (let c = 0; c < 3; c++) {
      const axis = Array.from(model.components.data.subarray(c * 7, (c + 1) * 7));
      const largest = axis.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best));
      expect(largest).toBeGreaterThan(0);
    }
  });

  it("pca(x, k) of points on a line puts the line on the first axis", () => {
    const x = matrix(new Float32Array([0, 0, 1, -2, 2, -4, 3, -6]), 4, 2);
    const coordinates = pca(x, 2);
    expect(Array.from(coordinates.data).filter((_, i) => i % 2 === 1).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    // Largest loading is the y coordinate (-2 per step), flipped positive: x-values map to decreasing coordinates.
    expect(coordinates.data[0]).toBeCloseTo(1.5 * Math.sqrt(5), 5);
  });

  it("fitPca(x, k) rejects a bad component count with a one-line message", () => {
    expect(() => fitPca(toMatrix(ref.x), 8)).toThrow("fitPca: components must be an integer from 1 to 7 (the number of columns), got 8");
  });
});
