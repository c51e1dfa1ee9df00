import {describe, expect, it} from "vitest";
import {alignedTransfer, fitAlignment, leastSquares, meanShift, multiply} from "../../loaders/analyses/align.js";
import {matrix} from "../../loaders/analyses/matrix.js";
import type {Alignment} from "../../loaders/analyses/types.js";
import {maxDifference, probeReference, toMatrix, type MatrixJson} from "./probe-reference.js";
import {normals, synthetic} from "./synthetic.js";

const lstsq = probeReference<{cases: {name: string; source: MatrixJson; target: MatrixJson; w: MatrixJson}[]}>("probe-lstsq.json");

describe("leastSquares", () => {
  for (const c of lstsq.cases) {
    it(`leastSquares(source, target) equals numpy.linalg.lstsq (${c.name})`, () => {
      const w = leastSquares(toMatrix(c.source), toMatrix(c.target));
      expect([w.rows, w.cols]).toEqual([c.w.rows, c.w.cols]);
      expect(maxDifference(w.data, c.w.data)).toBeLessThan(1e-4);
    });
  }

  it("leastSquares(source, target) solves a diagonal case by hand", () => {
    const w = leastSquares(matrix(new Float32Array([1, 0, 0, 2]), 2, 2), matrix(new Float32Array([3, 0, 0, 4]), 2, 2));
    expect(Array.from(w.data)).toEqual([3, 0, 0, 2]);
    expect(Array.from(multiply(matrix(new Float32Array([1, 1]), 1, 2), w).data)).toEqual([3, 2]);
  });

  it("leastSquares(source, target) rejects unpaired rows", () => {
    expect(() => leastSquares(matrix(new Float32Array(4), 2, 2), matrix(new Float32Array(2), 1, 2))).toThrow(
      "leastSquares: 2 source rows but 1 target rows (rows must be parallel)"
    );
  });
});

describe("meanShift", () => {
  it("meanShift(source, target) is the difference of the column means", () => {
    const source = matrix(new Float32Array([0, 0, 2, 4]), 2, 2);
    const target = matrix(new Float32Array([10, 1, 12, 1]), 2, 2);
    expect(Array.from(meanShift(source, target))).toEqual([10, -1]);
    expect(Array.from(fitAlignment("mean-shift", source, target)(source).data)).toEqual([10, -1, 12, 3]);
  });

  it("fitAlignment(method) rejects an unknown method, listing the choices", () => {
    const m = matrix(new Float32Array(2), 1, 2);
    expect(() => fitAlignment("procrustes" as Alignment, m, m)).toThrow(
      'fitAlignment: unknown alignment "procrustes" (choose one of mean-shift, least-squares, least-squares-centered)'
    );
  });
});

describe("least squares with centring", () => {
  // Target = source rotated by 90 degrees in its plane, then moved by (5, -2): an affine map.
  const source = matrix(new Float32Array([1, 0, 0, 1, 2, 2, -1, 3, 0, 0]), 5, 2);
  const target = matrix(Float32Array.from([0, 1, -1, 0, -2, 2, -3, -1, 0, 0].map((v, k) => v + (k % 2 === 0 ? 5 : -2))), 5, 2);

  it("fitAlignment('least-squares-centered') maps x to (x - mu_source) W + mu_target, recovering an affine map exactly", () => {
    const mapped = fitAlignment("least-squares-centered", source, target)(matrix(new Float32Array([4, 1]), 1, 2));
    // (4, 1) rotated is (-1, 4), moved: (4, 2).
    expect(Array.from(mapped.data).map((v) => Number(v.toFixed(5)))).toEqual([4, 2]);
  });

  it("fitAlignment('least-squares') has no intercept, so the same affine map is only approximated", () => {
    const mapped = fitAlignment("least-squares", source, target)(matrix(new Float32Array([4, 1]), 1, 2));
    expect(Math.abs(mapped.data[0] - 4) + Math.abs(mapped.data[1] - 2)).toBeGreaterThan(0.5);
  });
});

describe("alignedTransfer", () => {
  it("alignedTransfer(input, {target}) raises a shifted language's accuracy with mean shift", () => {
    const input = synthetic({langs: ["eng", "deu"], units: 80, dims: 6, separation: [4], shift: {deu: 3}, seed: 5});
    const result = alignedTransfer(input, {target: "eng", alignments: ["mean-shift"]});
    const deu = result.languages[0];
    expect(deu.lang).toBe("deu");
    expect(deu.units).toBe(80);
    expect(deu.before.accuracy[0]).toBeLessThan(0.7);
    expect(deu.after["mean-shift"]!.accuracy[0]).toBeGreaterThan(0.9);
    expect(result.settings.alignments).toEqual(["mean-shift"]);
  });

  it("alignedTransfer(input, {target}) undoes a rotation with least squares but not with mean shift", () => {
    const dims = 6;
    const input = synthetic({langs: ["eng", "deu"], units: 120, dims, separation: [5], seed: 6});
    // Rotate German's plane (0, 1) by 90 degrees: the label moves from dimension 0 to dimension 1.
    const data = input.layers[0].data;
    input.lang.forEach((lang, i) => {
      if (lang !== "deu") return;
      const [a, b] = [data[i * dims], data[i * dims + 1]];
      data[i * dims] = -b;
      data[i * dims + 1] = a;
    });
    const deu = alignedTransfer(input, {target: "eng"}).languages[0];
    expect(deu.before.accuracy[0]).toBeLessThan(0.7);
    expect(deu.after["mean-shift"]!.accuracy[0]).toBeLessThan(0.7);
    expect(deu.after["least-squares"]!.accuracy[0]).toBeGreaterThan(0.9);
  });

  it("alignedTransfer(input, {target}) skips languages without enough shared units and rejects a missing target", () => {
    const input = synthetic({langs: ["eng", "deu"], units: 20, dims: 3, separation: [4], seed: 7});
    const unit = input.unit.map((u, i) => (input.lang[i] === "deu" && i % 2 === 0 ? `other-${u}` : u));
    const result = alignedTransfer({...input, unit}, {target: "eng"});
    expect(result.languages).toEqual([]);
    expect(result.skipped).toEqual([
      {lang: "deu", reason: "units shared with eng: needs at least 2 rows of each class and 5 rows, has 10 positive and 0 negative"},
    ]);
    expect(() => alignedTransfer(input, {target: "fra"})).toThrow(
      'alignedTransfer: target language "fra" has no rows (languages: eng, deu)'
    );
    expect(() => alignedTransfer(input, {target: "eng", alignments: ["rotate" as Alignment]})).toThrow(
      'alignedTransfer: unknown alignment "rotate" (choose one of mean-shift, least-squares, least-squares-centered)'
    );
  });

  it("alignedTransfer(input, {target}) is deterministic for one seed", () => {
    const gaussian = normals(1);
    const input = synthetic({langs: ["eng", "deu"], units: 30, dims: 4, separation: [2], seed: 8});
    input.layers[0].data.forEach((_, j, data) => (data[j] += 0.1 * gaussian()));
    expect(alignedTransfer(input, {target: "eng", seed: 3})).toEqual(alignedTransfer(input, {target: "eng", seed: 3}));
  });
});
