import {describe, expect, it} from "vitest";
import {fromRows} from "../../loaders/analyses/matrix.js";
import {mexa, mexaScore} from "../../loaders/analyses/mexa.js";
import {retrieval} from "../../loaders/analyses/retrieval.js";
import {expectClose, nanFromNull, parallelItems, reference} from "./reference.js";

const parallel = reference("parallel.json");

describe("mexa", () => {
  for (const centering of ["none", "language"] as const) {
    it(`mexa(items, {centering: "${centering}"}) equals the reference (MEXA's row-and-column rule)`, () => {
      const result = mexa(parallelItems(), {centering});
      const expected = parallel.expected[centering];
      expect(result.languages.map((r) => r.lang)).toEqual(Object.keys(expected).sort());
      for (const row of result.languages) {
        expect(row.units).toBe(expected[row.lang].units);
        expectClose(row.score, nanFromNull(expected[row.lang].mexa), 1e-12);
      }
      expect(result.skipped.map((s) => s.lang)).toEqual(["swh"]);
    });
  }

  it("mexa(items) is never above either retrieval direction", () => {
    const scores = mexa(parallelItems()).languages;
    const accuracy = retrieval(parallelItems()).languages;
    let compared = 0;
    scores.forEach((row, i) =>
      row.score.forEach((score, l) => {
        if (Number.isNaN(score)) return;
        compared++;
        expect(score).toBeLessThanOrEqual(Math.min(accuracy[i].toBaseline[l], accuracy[i].fromBaseline[l]));
      })
    );
    expect(compared).toBeGreaterThan(0);
  });

  it("mexaScore(c, n) needs the diagonal to beat its whole row and column (hand-computed)", () => {
    // [[0.9, 0.5], [0.95, 0.8]]: unit 0 loses its column to 0.95, unit 1 its row to 0.95.
    expect(mexaScore(Float64Array.from([0.9, 0.5, 0.95, 0.8]), 2)).toBe(0);
    // [[0.9, 0.2, 0.5], [0.7, 0.1, 0.3], [0, 0, 0.6]]: units 0 and 2 win row and column,
    // unit 1 loses its row to 0.7.
    expect(mexaScore(Float64Array.from([0.9, 0.2, 0.5, 0.7, 0.1, 0.3, 0, 0, 0.6]), 3)).toBeCloseTo(2 / 3, 15);
    // [[0.9, 0.2, 0.85], ...]: changing one entry to 0.85 makes unit 2 lose its column too.
    expect(mexaScore(Float64Array.from([0.9, 0.2, 0.85, 0.7, 0.1, 0.3, 0, 0, 0.6]), 3)).toBeCloseTo(1 / 3, 15);
    expect(mexaScore(Float64Array.from([1]), 1)).toBeNaN();
  });

  it("mexa(empty) returns no rows", () => {
    expect(mexa({layers: [fromRows([], 2)], unit: [], lang: []}).languages).toEqual([]);
  });
});
