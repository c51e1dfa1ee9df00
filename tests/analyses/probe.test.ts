import {describe, expect, it} from "vitest";
import {binaryLabels, crossValidatedProbability, probe} from "../../loaders/analyses/probe.js";
import {synthetic} from "./synthetic.js";

// Layer 0 carries no label signal, layer 1 separates the classes by 6 standard deviations.
const input = synthetic({langs: ["eng", "deu"], units: 60, dims: 10, separation: [0, 6], seed: 11});

describe("probe", () => {
  it("probe(input) separates a separable layer and stays near chance on a noise layer", () => {
    const result = probe(input, {folds: 5, seed: 1});
    expect(result.settings).toEqual({c: 1, folds: 5, seed: 1, layers: [0, 1]});
    expect(result.pooled.accuracy[1]).toBeGreaterThan(0.95);
    expect(result.pooled.auroc[1]).toBeGreaterThan(0.98);
    expect(result.pooled.accuracy[0]).toBeLessThan(0.65);
    expect(Math.abs(result.pooled.auroc[0] - 0.5)).toBeLessThan(0.15);
    for (const row of result.languages) {
      expect(row.within!.accuracy[1]).toBeGreaterThan(0.9);
      expect(row.pooled.accuracy[1]).toBeGreaterThan(0.9);
    }
    expect(result.languages.map((r) => [r.lang, r.n, r.positives])).toEqual([["eng", 60, 30], ["deu", 60, 30]]);
  });

  it("probe(input) gives identical results for one seed", () => {
    expect(probe(input, {seed: 5, layers: [0]})).toEqual(probe(input, {seed: 5, layers: [0]}));
  });

  it("probe(input) skips a language with too few rows of a class, keeping its rows in the pooled probe", () => {
    const label = Uint8Array.from(input.label);
    input.lang.forEach((lang, i) => {
      if (lang === "deu" && label[i] === 1) label[i] = 0;
    });
    label[input.lang.indexOf("deu") + 1] = 1; // one positive German row
    const result = probe({...input, label}, {layers: [1]});
    const deu = result.languages.find((r) => r.lang === "deu")!;
    expect(deu.within).toBeNull();
    expect(deu.pooled.auroc[0]).toBeGreaterThan(0.5);
    expect(result.skipped).toEqual([
      {lang: "deu", reason: "needs at least 2 rows of each class and 5 rows, has 1 positive and 59 negative"},
    ]);
  });

  it("crossValidatedProbability(x, y, strata, settings) never scores a row with a probe that saw it", () => {
    // Labels that are pure noise: a probe that saw its test rows would fit them; out-of-fold it cannot.
    const noise = synthetic({langs: ["eng"], units: 80, dims: 40, separation: [0], seed: 3});
    const p = crossValidatedProbability(noise.layers[0], noise.label, noise.label, {c: 100, folds: 4, seed: 0});
    const correct = p.reduce((sum, v, i) => sum + Number((v > 0.5 ? 1 : 0) === noise.label[i]), 0);
    expect(correct / p.length).toBeLessThan(0.7);
  });

  it("probe(input, options) rejects bad options and inconsistent input with one-line messages", () => {
    expect(() => probe(input, {c: -1})).toThrow("probe: c must be a positive number, got -1");
    expect(() => probe(input, {folds: 1})).toThrow("probe: folds must be an integer >= 2, got 1");
    expect(() => probe(input, {layers: [2]})).toThrow("probe: layer 2 does not exist (the input has layers 0..1)");
    expect(() => probe({...input, label: Array.from(input.label).slice(1)})).toThrow("probe: 119 labels, 120 languages and 120 units must match");
    const bad = Uint8Array.from(input.label);
    bad[3] = 2;
    expect(() => probe({...input, label: bad})).toThrow("probe: label of row 3 is 2, expected 0 or 1");
  });
});

describe("binaryLabels", () => {
  it("binaryLabels(labels) maps known to 1 and unknown to 0", () => {
    expect(Array.from(binaryLabels(["known", "unknown", "known"]))).toEqual([1, 0, 1]);
    expect(Array.from(binaryLabels(["yes", "no"], "yes", "no"))).toEqual([1, 0]);
  });

  it("binaryLabels(labels) rejects a missing or unexpected label, naming the row", () => {
    expect(() => binaryLabels(["known", undefined])).toThrow('binaryLabels: row 1 has label undefined, expected "known" or "unknown"');
    expect(() => binaryLabels(["maybe"])).toThrow('binaryLabels: row 0 has label "maybe", expected "known" or "unknown"');
  });
});
