import {describe, expect, it} from "vitest";
import {cosine, cosineMatrix, crossDots, parallelCosine, selfDots} from "../../loaders/analyses/cosine.js";
import {dotRows, fromRows} from "../../loaders/analyses/matrix.js";
import {expectClose, nanFromNull, parallelItems, reference} from "./reference.js";

const parallel = reference("parallel.json");

describe("cosine", () => {
  it("cosine(a, b) matches hand-computed values and is 0 for a zero vector", () => {
    expect(cosine([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 15);
    expect(cosine([1, 2, 3], [-2, -4, -6])).toBeCloseTo(-1, 15);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(() => cosine([1], [1, 2])).toThrow("vectors of length 1 and 2");
  });

  it("cosineMatrix(a, b) equals scikit-learn's cosine_similarity", () => {
    const {a, b, cosineMatrix: expected} = reference("cosine.json");
    expectClose(cosineMatrix(fromRows(a), fromRows(b)), expected.flat());
  });
});

describe("parallelCosine", () => {
  for (const centering of ["none", "language"] as const) {
    it(`parallelCosine(items, {centering: "${centering}"}) gives numpy's per-language mean pair cosine per layer`, () => {
      const result = parallelCosine(parallelItems(), {centering});
      const expected = parallel.expected[centering];
      expect(result.languages.map((r) => r.lang)).toEqual(Object.keys(expected).sort());
      for (const row of result.languages) {
        expect(row.units).toBe(expected[row.lang].units);
        expectClose(row.meanCosine, nanFromNull(expected[row.lang].meanCosine));
      }
      expect(result.skipped.map((s) => s.lang)).toEqual(parallel.skipped);
      expect(result.settings).toEqual({baseline: "eng", centering, layers: [0, 1, 2]});
    });
  }

  it("parallelCosine(anisotropic items) is lower for every language and layer after per-language centering", () => {
    const raw = parallelCosine(parallelItems()).languages;
    const centred = parallelCosine(parallelItems(), {centering: "language"}).languages;
    raw.forEach((r, i) =>
      r.meanCosine.forEach((value, l) => {
        expect(value).toBeGreaterThan(0.96); // the shared offset makes every raw cosine high
        expect(centred[i].meanCosine[l]).toBeLessThan(value);
      })
    );
  });

  it("parallelCosine(items, {baseline}) uses any language as the baseline", () => {
    const result = parallelCosine(parallelItems(), {baseline: "fra"});
    expect(result.languages.map((r) => r.lang)).toEqual(["deu", "eng", "hin", "one", "xyz"]);
    // Cosine is symmetric: eng against fra equals fra against eng.
    expectClose(result.languages[1].meanCosine, parallel.expected.none.fra.meanCosine);
  });

  it("parallelCosine(empty) returns no rows", () => {
    const result = parallelCosine({layers: [], unit: [], lang: []});
    expect(result.languages).toEqual([]);
    expect(result.skipped).toEqual([]);
  });
});

describe("crossDots", () => {
  it("crossDots(a, b, rowsA, rowsB) equals row-by-row dot products for odd and even sizes", () => {
    const a = fromRows([[1, 2], [3, 4], [5, 6]]);
    const b = fromRows([[1, 0], [0, 1], [1, 1]]);
    for (const [rowsA, rowsB] of [[[0, 1, 2], [0, 1, 2]], [[2, 0], [1]], [[1], [2, 0, 1]], [[], [0]]]) {
      const expected = rowsA.flatMap((i) => rowsB.map((j) => dotRows(a, i, b, j)));
      expect(Array.from(crossDots(a, b, rowsA, rowsB))).toEqual(expected);
    }
  });

  it("selfDots(m, rows) equals crossDots(m, m, rows, rows) for odd and even sizes", () => {
    const m = fromRows([[1, 2], [3, 4], [5, 6], [7, -8], [0, 1]]);
    for (const rows of [[0, 1, 2, 3, 4], [4, 1], [2], []]) {
      expect(Array.from(selfDots(m, rows))).toEqual(Array.from(crossDots(m, m, rows, rows)));
    }
  });
});
