import {describe, expect, it} from "vitest";
import {auroc} from "../../loaders/analyses/auroc.js";
import {probeReference} from "./probe-reference.js";

const ref = probeReference<{cases: {name: string; scores: number[]; labels: number[]; auroc: number}[]}>("probe-auroc.json");

describe("auroc", () => {
  for (const c of ref.cases) {
    it(`auroc(scores, labels) equals scikit-learn roc_auc_score (${c.name})`, () => {
      expect(auroc(c.scores, c.labels)).toBeCloseTo(c.auroc, 12);
    });
  }

  it("auroc(scores, labels) is 0.75 on the hand-computed example", () => {
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("auroc(scores, labels) is NaN when a class is absent", () => {
    expect(auroc([0.2, 0.3], [1, 1])).toBeNaN();
  });

  it("auroc(scores, labels) rejects mismatched lengths and non-binary labels", () => {
    expect(() => auroc([0.2], [1, 0])).toThrow("auroc: 1 scores for 2 labels");
    expect(() => auroc([0.2, 0.1], [1, 3])).toThrow("auroc: label 1 is 3, expected 0 or 1");
  });
});
