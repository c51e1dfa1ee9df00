import {describe, expect, it} from "vitest";
import {foldPlan, foldProbes, heldOutScores, probe, resolveProbeSettings} from "../../loaders/analyses/probe.js";
import {transfer} from "../../loaders/analyses/transfer.js";
import type {Alignment} from "../../loaders/analyses/types.js";
import {memorable, synthetic} from "./synthetic.js";

describe("transfer", () => {
  const input = synthetic({langs: ["eng", "deu", "fra"], units: 40, dims: 6, separation: [0, 5], seed: 2});
  const rowsOf = (lang: string) => input.lang.flatMap((l, i) => (l === lang ? [i] : []));

  it("transfer(input) fills the diagonal with the within-language score and cell (a, b) with a's fold probes on b's test folds", () => {
    const result = transfer(input, {layers: [1], seed: 9});
    expect(result.languages).toEqual(["eng", "deu", "fra"]);
    const within = probe(input, {layers: [1], seed: 9}).languages[1].within!;
    expect(result.layers[0].accuracy[1][1]).toBe(within.accuracy[0]);
    expect(result.layers[0].low[1][1]).toBe(within.low[0]);
    const settings = resolveProbeSettings({...input, layerCount: input.layers.length}, {seed: 9});
    const plan = foldPlan(input, settings);
    const probes = foldProbes(input.layers[1], input.label, rowsOf("eng"), plan, settings);
    const cell = heldOutScores(probes, input.layers[1], input.label, rowsOf("fra"), plan, 0.95);
    expect(result.layers[0].accuracy[0][2]).toBe(cell.accuracy);
    expect(result.layers[0].auroc[0][2]).toBe(cell.auroc);
    for (const row of result.layers[0].accuracy) for (const value of row) expect(value).toBeGreaterThan(0.85);
    expect(result.aligned).toEqual({});
  });

  it("transfer(input) scores no cell on a translation of its training rows", () => {
    // Labels are noise per unit, but a unit's rows are near-copies in every language: a probe
    // trained on all of language a (the old heatmap) recognises b's translations of its training questions.
    const result = transfer(memorable(["eng", "deu"], 60, 1, 40, 6), {c: 100});
    for (const row of result.layers[0].accuracy) for (const value of row) expect(value).toBeLessThan(0.7);
  });

  it("transfer(input) is near chance off the diagonal when languages encode the label differently", () => {
    // Flip the label direction in German: a probe trained on English then scores German backwards.
    const flipped = synthetic({langs: ["eng", "deu"], units: 40, dims: 6, separation: [5], seed: 4});
    const data = flipped.layers[0].data;
    flipped.lang.forEach((lang, i) => {
      if (lang === "deu") data[i * 6] = -data[i * 6];
    });
    const result = transfer(flipped);
    expect(result.layers[0].accuracy[0][1]).toBeLessThan(0.2);
    expect(result.layers[0].accuracy[1][1]).toBeGreaterThan(0.85);
  });

  it("transfer(input, {alignments}) adds one heatmap per alignment; mean shift repairs a shifted language", () => {
    const shifted = synthetic({langs: ["eng", "deu"], units: 80, dims: 6, separation: [4], shift: {deu: 3}, seed: 5});
    const result = transfer(shifted, {alignments: ["mean-shift", "least-squares-centered"]});
    expect(result.settings.alignments).toEqual(["mean-shift", "least-squares-centered"]);
    expect(result.layers[0].accuracy[0][1]).toBeLessThan(0.7);
    expect(result.aligned["mean-shift"]![0].accuracy[0][1]).toBeGreaterThan(0.9);
    expect(result.aligned["least-squares-centered"]![0].accuracy[0][1]).toBeGreaterThan(0.9);
    // A language is not aligned onto itself.
    expect(result.aligned["mean-shift"]![0].accuracy[1][1]).toBe(result.layers[0].accuracy[1][1]);
  });

  it("transfer(input, options) names itself in option errors", () => {
    expect(() => transfer(input, {folds: 1})).toThrow("transfer: folds must be an integer >= 2, got 1");
    expect(() => transfer(input, {alignments: ["rotate" as Alignment]})).toThrow(
      'transfer: unknown alignment "rotate" (choose one of mean-shift, least-squares, least-squares-centered)'
    );
  });
});
