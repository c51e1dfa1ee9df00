import {describe, expect, it} from "vitest";
import {fromRows} from "../../loaders/analyses/matrix.js";
import {diagonalWins, retrieval} from "../../loaders/analyses/retrieval.js";
import {expectClose, nanFromNull, parallelItems, reference} from "./reference.js";

const parallel = reference("parallel.json");

describe("retrieval", () => {
  for (const centering of ["none", "language"] as const) {
    it(`retrieval(items, {centering: "${centering}"}) gives the reference accuracy in both directions`, () => {
      const result = retrieval(parallelItems(), {centering});
      const expected = parallel.expected[centering];
      expect(result.languages.map((r) => r.lang)).toEqual(Object.keys(expected).sort());
      for (const row of result.languages) {
        expect(row.units).toBe(expected[row.lang].units);
        expect(row.chance).toBe(1 / row.units);
        expectClose(row.toBaseline, nanFromNull(expected[row.lang].toBaseline), 1e-12);
        expectClose(row.fromBaseline, nanFromNull(expected[row.lang].fromBaseline), 1e-12);
      }
      expect(result.settings.centering).toBe(centering);
    });
  }

  it("retrieval(items) of a hand-made pair finds both translations", () => {
    // fra u2 = [0.9, 1] is closer to eng u2 = [0, 1] (0.74) than to eng u1 = [1, 0] (0.67).
    const items = {layers: [fromRows([[1, 0], [0, 1], [1, 0.2], [0.9, 1]])], unit: ["u1", "u2", "u1", "u2"], lang: ["eng", "eng", "fra", "fra"]};
    expect(retrieval(items).languages).toEqual([{lang: "fra", units: 2, chance: 0.5, toBaseline: [1], fromBaseline: [1]}]);
  });

  it("retrieval(items) counts an exact tie as a miss and is NaN with a single shared unit", () => {
    const tie = {layers: [fromRows([[1, 0], [1, 0], [1, 0], [1, 0]])], unit: ["u1", "u2", "u1", "u2"], lang: ["eng", "eng", "fra", "fra"]};
    expect(retrieval(tie).languages[0].toBaseline).toEqual([0]);
    const single = {layers: [fromRows([[1, 0], [1, 1]])], unit: ["u1", "u1"], lang: ["eng", "fra"]};
    expect(retrieval(single).languages[0].toBaseline).toEqual([NaN]);
  });
});

describe("retrieval (missing data)", () => {
  it("retrieval(empty) returns no rows; a language without shared units is skipped with its reason", () => {
    expect(retrieval({layers: [], unit: [], lang: []}).languages).toEqual([]);
    const items = {layers: [fromRows([[1, 0], [0, 1]])], unit: ["u1", "v1"], lang: ["eng", "swh"]};
    expect(retrieval(items)).toMatchObject({languages: [], skipped: [{lang: "swh", reason: 'no unit shared with baseline "eng"'}]});
  });
});

describe("diagonalWins", () => {
  it("diagonalWins(s, n) judges rows and columns separately (hand-computed)", () => {
    // Row 0's diagonal (0.9) beats 0.5; column 0's diagonal loses to entry (1, 0) = 0.95.
    const s = Float64Array.from([0.9, 0.5, 0.95, 0.8]);
    const {row, column} = diagonalWins(s, 2);
    expect(Array.from(row)).toEqual([1, 0]);
    expect(Array.from(column)).toEqual([0, 1]);
  });
});
