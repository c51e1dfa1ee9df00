import {describe, expect, it} from "vitest";
import {crossValidatedProbability, accuracy, trainProbe, probeProbability} from "../../loaders/analyses/probe.js";
import {selectRows} from "../../loaders/analyses/matrix.js";
import {transfer} from "../../loaders/analyses/transfer.js";
import {synthetic} from "./synthetic.js";

describe("transfer", () => {
  const input = synthetic({langs: ["eng", "deu", "fra"], units: 40, dims: 6, separation: [0, 5], seed: 2});

  it("transfer(input) fills the diagonal with the cross-validated score and the rest with train-a-test-b scores", () => {
    const result = transfer(input, {layers: [1], seed: 9});
    expect(result.languages).toEqual(["eng", "deu", "fra"]);
    const rowsOf = (lang: string) => input.lang.flatMap((l, i) => (l === lang ? [i] : []));
    const y = (lang: string) => rowsOf(lang).map((i) => input.label[i]);
    const x = (lang: string) => selectRows(input.layers[1], rowsOf(lang));
    const diagonal = crossValidatedProbability(x("deu"), y("deu"), y("deu"), {c: 1, folds: 5, seed: 9});
    expect(result.layers[0].accuracy[1][1]).toBe(accuracy(diagonal, y("deu")));
    const offDiagonal = probeProbability(trainProbe(x("eng"), y("eng"), 1), x("fra"));
    expect(result.layers[0].accuracy[0][2]).toBe(accuracy(offDiagonal, y("fra")));
    for (const row of result.layers[0].accuracy) for (const cell of row) expect(cell).toBeGreaterThan(0.85);
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

  it("transfer(input, options) names itself in option errors", () => {
    expect(() => transfer(input, {folds: 1})).toThrow("transfer: folds must be an integer >= 2, got 1");
  });
});
