import {describe, expect, it} from "vitest";
import {mulberry32, randomInt} from "../../loaders/analyses/random.js";

describe("random", () => {
  it("mulberry32(seed) repeats its sequence for one seed and differs across seeds", () => {
    const draw = (seed: number) => Array.from({length: 5}, mulberry32(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("mulberry32(42) gives the reference mulberry32 values", () => {
    // Reference values of the published algorithm (also reproduced by make_reference.py).
    const random = mulberry32(42);
    expect(random()).toBe(0.6011037519201636);
    expect(random()).toBe(0.44829055899754167);
  });

  it("mulberry32(seed) rejects a non-integer seed", () => {
    expect(() => mulberry32(1.5)).toThrow("seed must be an integer, got 1.5");
  });

  it("randomInt(random, n) stays in [0, n)", () => {
    const random = mulberry32(1);
    const draws = Array.from({length: 1000}, () => randomInt(random, 3));
    expect(new Set(draws)).toEqual(new Set([0, 1, 2]));
  });
});
