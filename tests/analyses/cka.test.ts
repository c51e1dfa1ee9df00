import {describe, expect, it} from "vitest";
import {cka, linearCka} from "../../loaders/analyses/cka.js";
import {fromRows} from "../../loaders/analyses/matrix.js";
import {mulberry32} from "../../loaders/random.js";
import {expectClose, nanFromNull, parallelItems, reference} from "./reference.js";

const parallel = reference("parallel.json");

function randomRows(rows: number, cols: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({length: rows}, () => Array.from({length: cols}, () => random() - 0.5));
}

describe("linearCka", () => {
  it("linearCka(x, y) is 1 for a rotated, scaled and shifted copy", () => {
    const x = randomRows(6, 2, 1);
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const y = x.map(([a, b]) => [3 * (c * a - s * b) + 5, 3 * (s * a + c * b) - 1]);
    expect(linearCka(fromRows(x), fromRows(y))).toBeCloseTo(1, 6);
  });

  it("linearCka(x, y) matches a hand-computed case", () => {
    // One column each: centred x = [-1, 0, 1], centred y = [-2, -1, 3]. The Grams are outer
    // products, so CKA = (x.y)^2 / (|x|^2 |y|^2) = 5^2 / (2 * 14).
    expect(linearCka(fromRows([[0], [1], [2]]), fromRows([[0], [1], [5]]))).toBeCloseTo(25 / 28, 7);
  });

  it("linearCka(x, y) is NaN when a side has no variance and rejects different row counts", () => {
    expect(linearCka(fromRows([[1, 2]]), fromRows([[3, 4]]))).toBeNaN();
    expect(() => linearCka(fromRows([[1], [2]]), fromRows([[1]]))).toThrow("2 rows vs 1; rows must be the same items");
  });
});

describe("cka", () => {
  it("cka(items) equals numpy's feature-space linear CKA per language and layer", () => {
    const result = cka(parallelItems());
    expect(result.languages.map((r) => r.lang)).toEqual(Object.keys(parallel.cka).sort());
    for (const row of result.languages) expectClose(row.cka, nanFromNull(parallel.cka[row.lang]));
    expect(result.skipped.map((s) => s.lang)).toEqual(["swh"]);
    expect(result.settings).toEqual({baseline: "eng", layers: [0, 1, 2]});
  });

  it("cka(empty) returns no rows", () => {
    expect(cka({layers: [], unit: [], lang: []})).toMatchObject({languages: [], skipped: []});
  });
});
