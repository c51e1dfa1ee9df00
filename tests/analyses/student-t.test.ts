import {describe, expect, it} from "vitest";
import {bootstrapNarrowing, FEW_UNITS, tInterval} from "../../loaders/analyses/bootstrap.js";
import {normalQuantile, studentTCdf, studentTQuantile} from "../../loaders/analyses/student-t.js";
import {protocolReference} from "./protocol-reference.js";

const {t, tCdf, normal, tInterval: intervals} = protocolReference.quantiles;

describe("Student t", () => {
  it("studentTQuantile(p, df) equals scipy.stats.t.ppf to 1e-8 relative over p 0.6..0.9995 and df 1..1000", () => {
    for (const c of t) expect(Math.abs(studentTQuantile(c.p, c.df) / c.q - 1)).toBeLessThan(1e-8);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 12);
  });

  it("studentTCdf(t, df) equals scipy.stats.t.cdf", () => {
    for (const c of tCdf) expect(studentTCdf(c.t, c.df)).toBeCloseTo(c.p, 12);
  });

  it("normalQuantile(p) equals scipy.stats.norm.ppf to 2e-9 relative", () => {
    for (const c of normal) expect(Math.abs(normalQuantile(c.p) - c.q)).toBeLessThanOrEqual(2e-9 * Math.abs(c.q));
  });

  it("tInterval(values, confidence) equals scipy.stats.t.interval around the mean", () => {
    for (const c of intervals) {
      const interval = tInterval(c.values, c.confidence);
      expect(interval.estimate).toBeCloseTo(c.estimate, 12);
      expect(interval.low).toBeCloseTo(c.low, 9);
      expect(interval.high).toBeCloseTo(c.high, 9);
    }
    expect(tInterval([0.5])).toEqual({estimate: 0.5, low: NaN, high: NaN});
    expect(() => tInterval([1, 2], 1.5)).toThrow("tInterval: confidence must be in (0, 1), got 1.5");
  });

  it("FEW_UNITS is where the percentile bootstrap's expected width first reaches 0.9 of the t interval's", () => {
    expect(bootstrapNarrowing(FEW_UNITS - 1)).toBeLessThan(0.9);
    expect(bootstrapNarrowing(FEW_UNITS)).toBeGreaterThanOrEqual(0.9);
    // By hand: 1.96 sqrt(7/8) / 2.3646 = 0.7753 at 8 values.
    expect(bootstrapNarrowing(8)).toBeCloseTo((1.959964 * Math.sqrt(7 / 8)) / 2.364624, 5);
  });
});
