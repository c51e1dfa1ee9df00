import {describe, expect, it} from "vitest";
import {binaryLabels, foldPlan, probe, resolveProbeSettings, trainProbe} from "../../loaders/analyses/probe.js";
import {matrix} from "../../loaders/analyses/matrix.js";
import type {LabelledVectors} from "../../loaders/analyses/types.js";
import {memorable, synthetic} from "./synthetic.js";

// Layer 0 carries no label signal, layer 1 separates the classes by 6 standard deviations.
const input = synthetic({langs: ["eng", "deu"], units: 60, dims: 10, separation: [0, 6], seed: 11});

/** The rows of `data` whose language is not `lang` or whose index passes `keep`. */
function subset(data: LabelledVectors, keep: (i: number) => boolean): LabelledVectors {
  const rows = data.lang.flatMap((_, i) => (keep(i) ? [i] : []));
  const cols = data.layers[0].cols;
  return {
    layers: data.layers.map((m) => matrix(Float32Array.from(rows.flatMap((i) => Array.from(m.data.subarray(i * cols, (i + 1) * cols)))), rows.length, cols)),
    unit: rows.map((i) => data.unit[i]),
    lang: rows.map((i) => data.lang[i]),
    label: Uint8Array.from(rows, (i) => data.label[i]),
  };
}

describe("probe", () => {
  it("probe(input) separates a separable layer and stays near chance on a noise layer", () => {
    const result = probe(input, {folds: 5, seed: 1});
    expect(result.settings).toEqual({protocol: "babelscope", c: 1, folds: 5, seed: 1, layers: [0, 1], grouping: "units", confidence: 0.95});
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

  it("probe(input) reports each fold's accuracy, their mean, and a t interval around it", () => {
    const within = probe(input, {layers: [0]}).languages[0].within!;
    const folds = within.foldAccuracy[0];
    expect(folds).toHaveLength(5);
    expect(within.accuracy[0]).toBeCloseTo(folds.reduce((a, b) => a + b) / 5, 12);
    const sd = Math.sqrt(folds.reduce((s, a) => s + (a - within.accuracy[0]) ** 2, 0) / 4);
    // t_{4, 0.975} = 2.776445 (scipy.stats.t.ppf).
    expect(within.high[0] - within.accuracy[0]).toBeCloseTo(Math.min(2.776445 * sd / Math.sqrt(5), 1 - within.accuracy[0]), 5);
    expect(within.low[0]).toBeLessThan(within.accuracy[0]);
  });

  it("probe(input) gives identical results for one seed", () => {
    expect(probe(input, {seed: 5, layers: [0]})).toEqual(probe(input, {seed: 5, layers: [0]}));
  });

  it("probe(input) skips a language with too few rows of a class, keeping its rows in the pooled probe", () => {
    // German keeps units u0..u2 only: one positive (u1), two negatives.
    const few = subset(input, (i) => input.lang[i] !== "deu" || ["u0", "u1", "u2"].includes(input.unit[i]));
    const result = probe(few, {layers: [1]});
    const deu = result.languages.find((r) => r.lang === "deu")!;
    expect(deu.within).toBeNull();
    expect(deu.pooled.accuracy[0]).toBeGreaterThan(0.5);
    expect(result.skipped).toEqual([{lang: "deu", reason: "needs at least 2 rows of each class and 5 rows, has 1 positive and 2 negative"}]);
  });

  it("probe(input) never scores a row with a probe trained on a translation of it", () => {
    // Labels are noise per unit, but a unit's rows are near-copies in every language: any probe
    // that saw a translation of a test row would recognise it; held out, it is at chance.
    const result = probe(memorable(["eng", "deu", "fra"], 60, 1, 40, 3), {c: 100});
    expect(result.pooled.accuracy[0]).toBeLessThan(0.7);
    for (const row of result.languages) expect(row.within!.accuracy[0]).toBeLessThan(0.7);
  });

  it("probe(input, {groups}) keeps every group out of its training folds, where unit folds leak it", () => {
    const data = memorable(["eng", "deu"], 30, 3, 20, 4);
    const byUnit = probe(data, {c: 100});
    const byEntity = probe(data, {c: 100, groups: data.group});
    expect(byEntity.settings.grouping).toBe("groups");
    // Sibling questions of the same entity in the training folds give the label away.
    expect(byUnit.pooled.accuracy[0]).toBeGreaterThan(0.9);
    expect(byEntity.pooled.accuracy[0]).toBeLessThan(0.7);
    const plan = foldPlan(data, resolveProbeSettings({...data, layerCount: data.layers.length}, {groups: data.group}), data.group);
    for (let f = 0; f < plan.folds; f++) {
      const inTest = new Set(data.group.filter((_, i) => plan.foldOfRow[i] === f));
      expect(data.group.some((g, i) => plan.foldOfRow[i] !== f && inTest.has(g))).toBe(false);
    }
  });

  it("trainProbe(x, y, c, protocol) standardises under babelscope and fits raw features under paper", () => {
    expect(trainProbe(input.layers[1], input.label, 1, "paper").standardizer).toBeNull();
    expect(trainProbe(input.layers[1], input.label, 1).standardizer).not.toBeNull();
  });

  it("probe(input, {protocol: 'paper'}) uses scikit-learn's random_state 42 unless told otherwise, and ignores groups", () => {
    const paper = probe(input, {protocol: "paper", layers: [1], groups: input.unit.map(() => "one")});
    expect(paper.settings).toEqual({protocol: "paper", c: 1, folds: 5, seed: 42, layers: [1], grouping: "units", confidence: 0.95});
  });

  it("probe(input, options) rejects bad options and inconsistent input with one-line messages", () => {
    expect(() => probe(input, {c: -1})).toThrow("probe: c must be a positive number, got -1");
    expect(() => probe(input, {folds: 1})).toThrow("probe: folds must be an integer >= 2, got 1");
    expect(() => probe(input, {layers: [2]})).toThrow("probe: layer 2 does not exist (the input has layers 0..1)");
    expect(() => probe(input, {protocol: "other" as "paper"})).toThrow('probe: unknown protocol "other" (choose one of paper, babelscope)');
    expect(() => probe(input, {protocol: "paper", seed: -1})).toThrow("probe: the paper protocol's seed is a numpy seed in [0, 2^32), got -1");
    expect(() => probe(input, {groups: ["a"]})).toThrow("probe: 1 groups for 120 rows");
    expect(() => probe(input, {confidence: 95})).toThrow("probe: confidence must be in (0, 1), got 95");
    expect(() => probe({...input, label: Array.from(input.label).slice(1)})).toThrow("probe: 119 labels, 120 languages and 120 units must match");
    const bad = Uint8Array.from(input.label);
    bad[3] = 2;
    expect(() => probe({...input, label: bad})).toThrow("probe: label of row 3 is 2, expected 0 or 1");
    const split = Uint8Array.from(input.label);
    split[60] = 1 - split[60]; // German u0 disagrees with English u0
    expect(() => probe({...input, label: split})).toThrow('probe: unit "u0" has labels 0 and 1; folds are drawn over units, so a unit needs one label');
    const groups = input.unit.map((u, i) => (i === 60 ? "x" : u));
    expect(() => probe(input, {groups})).toThrow('probe: unit "u0" is in groups "u0" and "x"; a unit needs one group');
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
