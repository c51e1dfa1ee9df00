import {describe, expect, it} from "vitest";
import {fixed, MIN_CORRELATION_N, percent, percentTick, plural, rhoText} from "../../components/format.js";
import {argmax, finiteMean, wilsonInterval} from "../../components/page-stats.js";
import {labelMargin, textWidth} from "../../components/chart-text.js";

describe("plural", () => {
  it("uses the singular for exactly one and the plural otherwise, zero included", () => {
    expect(plural(1, "model")).toBe("1 model");
    expect(plural(2, "model")).toBe("2 models");
    expect(plural(0, "language")).toBe("0 languages");
    expect(plural(1516, "paragraph")).toBe("1,516 paragraphs");
    expect(plural(3, "family", "families")).toBe("3 families");
  });
});

describe("percent, fixed, percentTick", () => {
  it("writes shares in [0, 1] as percent", () => {
    expect(percent(0.4567)).toBe("45.7%");
    expect(percent(1 / 21, 0)).toBe("5%");
    expect(percent(NaN)).toBe("n/a");
  });
  it("writes negatives with a true minus and a value that rounds to zero without a sign", () => {
    expect(fixed(-0.1764, 2)).toBe("−0.18");
    expect(fixed(-0.001, 2)).toBe("0.00");
    expect(fixed(0.5359, 3)).toBe("0.536");
    expect(fixed(Infinity)).toBe("n/a");
  });
  it("labels percent-valued ticks in percent, never with SI prefixes", () => {
    expect(percentTick(0.5)).toBe("0.5%");
    expect(percentTick(0.001)).toBe("0.001%");
    expect(percentTick(10)).toBe("10%");
    // A log scale's tick 0.3 arrives as 0.30000000000000004.
    expect(percentTick(0.1 + 0.2)).toBe("0.3%");
  });
});

describe("rhoText", () => {
  it("gives ρ with n from the threshold on, and says why there is none below it", () => {
    expect(MIN_CORRELATION_N).toBe(10);
    expect(rhoText({spearman: 0.5359, n: 28})).toBe("ρ = 0.54 (n = 28)");
    expect(rhoText({spearman: -0.9, n: 10})).toBe("ρ = −0.90 (n = 10)");
    expect(rhoText({spearman: 1, n: 3})).toBe("n = 3: too few languages for a correlation (fewer than 10)");
    expect(rhoText({spearman: 0.4, n: 9})).toMatch(/^n = 9: too few languages/);
    expect(rhoText({spearman: null, n: 20})).toBe("n = 20: no correlation (a constant ranking or proxy)");
  });
});

describe("wilsonInterval", () => {
  // Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score, no correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718]
  ])("%i of %i: [%f, %f] as published", (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });
  it("refuses counts that are not a proportion", () => {
    expect(() => wilsonInterval(5, 0)).toThrow("wilsonInterval: 5 successes in 0 trials");
    expect(() => wilsonInterval(6, 5)).toThrow(/6 successes in 5 trials/);
  });
});

describe("finiteMean, argmax", () => {
  it("averages the finite values only and takes the first of equal maxima", () => {
    expect(finiteMean([1, NaN, 3, null, undefined])).toBe(2);
    expect(finiteMean([NaN])).toBeNaN();
    expect(argmax([0.2, 0.7, NaN, 0.7])).toBe(1);
    expect(argmax([NaN, NaN])).toBe(-1);
  });
});

describe("textWidth, labelMargin", () => {
  it("gives wide characters a full em and Latin ones 0.62 em, and a margin that fits the longest label", () => {
    expect(textWidth("abcde", 10)).toBe(31);
    expect(textWidth("日本語", 10)).toBe(30);
    const long = "12. Haitian Creole (hat) *";
    expect(labelMargin(["1. Ganda (lug)", long])).toBe(textWidth(long) + 12);
    expect(labelMargin(["a"])).toBe(52);
  });
});
