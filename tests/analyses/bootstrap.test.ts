import {describe, expect, it} from "vitest";
import {bootstrap, quantileSorted} from "../../loaders/analyses/bootstrap.js";
import {mulberry32} from "../../loaders/random.js";
import {reference} from "./reference.js";

const ref = reference("bootstrap.json");

describe("bootstrap", () => {
  it("bootstrap(values, options) equals the numpy percentile interval of the same resamples", () => {
    const interval = bootstrap(ref.values, {resamples: ref.resamples, confidence: ref.confidence, random: mulberry32(ref.seed)});
    expect(interval.estimate).toBeCloseTo(ref.interval.estimate, 12);
    expect(interval.low).toBeCloseTo(ref.interval.low, 12);
    expect(interval.high).toBeCloseTo(ref.interval.high, 12);
    expect(interval.low).toBeLessThan(interval.estimate);
    expect(interval.high).toBeGreaterThan(interval.estimate);
  });

  it("bootstrap(values) repeats with one seed and differs with another", () => {
    const run = (seed: number) => bootstrap(ref.values, {random: mulberry32(seed)});
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it("bootstrap(values) narrows as the confidence level drops", () => {
    const at = (confidence: number) => bootstrap(ref.values, {confidence, random: mulberry32(5)});
    expect(at(0.5).high - at(0.5).low).toBeLessThan(at(0.99).high - at(0.99).low);
  });

  it("bootstrap([]) is NaN and bad options are rejected by name", () => {
    expect(bootstrap([], {random: mulberry32(0)})).toEqual({estimate: NaN, low: NaN, high: NaN});
    expect(() => bootstrap([1], {resamples: 0, random: mulberry32(0)})).toThrow("resamples must be a positive integer, got 0");
    expect(() => bootstrap([1], {confidence: 95, random: mulberry32(0)})).toThrow("confidence must be in (0, 1), got 95");
  });

  it("quantileSorted(sorted, p) interpolates linearly between order statistics", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
  });
});
