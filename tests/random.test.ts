import {describe, expect, it} from "vitest";
import {mulberry32, randomInt, seedFor} from "../loaders/random.js";
import {reference} from "./analyses/reference.js";

describe("random", () => {
  it("mulberry32(seed) repeats its sequence for one seed and differs across seeds", () => {
    const draw = (seed: number) => Array.from({length: 5}, mulberry32(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("mulberry32(42) and seedFor(seed, name) equal the Python re-implementation in make_reference.py", () => {
    const ref = reference("bootstrap.json");
    expect(Array.from({length: 5}, mulberry32(42))).toEqual(ref.mulberry32_42);
    expect(seedFor(ref.seedFor.seed, ref.seedFor.name)).toBe(ref.seedFor.value);
  });

  it("seedFor(seed, name) differs across names and seeds", () => {
    expect(seedFor(0, "fra")).not.toBe(seedFor(0, "deu"));
    expect(seedFor(0, "fra")).not.toBe(seedFor(1, "fra"));
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
