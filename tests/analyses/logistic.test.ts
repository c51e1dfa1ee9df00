import {describe, expect, it} from "vitest";
import {fitLogistic, predictProbability} from "../../loaders/analyses/logistic.js";
import {fitStandardizer, standardize} from "../../loaders/analyses/standardize.js";
import {matrix} from "../../loaders/analyses/matrix.js";
import {maxDifference, probeReference, toMatrix, type MatrixJson} from "./probe-reference.js";

interface LogisticReference {
  xTrain: MatrixJson;
  yTrain: number[];
  xTest: MatrixJson;
  yTest: number[];
  cases: {c: number; standardize: boolean; coef: number[]; intercept: number; testProba: number[]; testAccuracy: number}[];
}

const ref = probeReference<LogisticReference>("probe-logistic.json");

describe("fitLogistic", () => {
  for (const c of ref.cases) {
    it(`fitLogistic(x, y, {c: ${c.c}}) matches scikit-learn LogisticRegression${c.standardize ? " after StandardScaler" : ""}`, () => {
      let train = toMatrix(ref.xTrain);
      let test = toMatrix(ref.xTest);
      if (c.standardize) {
        const scaler = fitStandardizer(train);
        train = standardize(train, scaler);
        test = standardize(test, scaler);
      }
      const model = fitLogistic(train, ref.yTrain, {c: c.c});
      expect(model.converged).toBe(true);
      const proba = predictProbability(model, test);
      expect(maxDifference(proba, c.testProba)).toBeLessThan(1e-4);
      expect(maxDifference(model.weights, c.coef)).toBeLessThan(1e-3);
      expect(Math.abs(model.intercept - c.intercept)).toBeLessThan(1e-3);
      const accuracy = proba.reduce((sum, p, i) => sum + Number((p > 0.5 ? 1 : 0) === ref.yTest[i]), 0) / proba.length;
      expect(accuracy).toBeCloseTo(c.testAccuracy, 10);
    });
  }

  it("fitLogistic separates a linearly separable set with confident probabilities", () => {
    const x = matrix(new Float32Array([-3, 1, -2, 0, -1, 2, 1, -1, 2, 1, 3, 0]), 6, 2);
    const y = [0, 0, 0, 1, 1, 1];
    const proba = predictProbability(fitLogistic(x, y, {c: 100}), x);
    proba.forEach((p, i) => expect(y[i] === 1 ? p > 0.9 : p < 0.1).toBe(true));
  });

  it("fitLogistic rejects one-class labels, non-binary labels and a bad C with one-line messages", () => {
    const x = matrix(new Float32Array([1, 2, 3]), 3, 1);
    expect(() => fitLogistic(x, [1, 1, 1])).toThrow("fitLogistic: needs both classes, got 3 positive of 3 rows");
    expect(() => fitLogistic(x, [0, 2, 1])).toThrow("fitLogistic: label 1 is 2, expected 0 or 1");
    expect(() => fitLogistic(x, [0, 1, 1], {c: 0})).toThrow("fitLogistic: C must be a positive number, got 0");
    expect(() => fitLogistic(x, [0, 1])).toThrow("fitLogistic: 2 labels for 3 rows");
  });
});
