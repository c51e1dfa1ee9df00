// LAPE's pure math on cases small enough to compute by hand (the torch reference is tests/models/neurons.test.ts).
import {describe, expect, it} from "vitest";
import {
  activationProbabilities, jaccard, kthSmallest, lapeEntropy, matchedRandomNeurons, perLayer, roundHalfEven, selectLanguageNeurons, silencingMask
} from "../../loaders/analyses/lape.js";
import {addNextTokenLoss, splitUnits} from "../../loaders/extract/language-neurons.js";

describe("the paper's index arithmetic", () => {
  it("rounds halves to even, as Python's round", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 7].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3, 7]);
  });

  it("takes the k-th smallest value, 1-based, and refuses k outside the values", () => {
    expect(kthSmallest([0.3, 0.1, 0.2, 0.1], 1)).toBe(0.1);
    expect(kthSmallest([0.3, 0.1, 0.2, 0.1], 3)).toBe(0.2);
    expect(() => kthSmallest([1, 2], 3)).toThrow("k = 3 is outside 1..2");
  });
});

describe("activation probabilities and LAPE", () => {
  it("divides each language's counts by its tokens, neuron-major", () => {
    // 2 languages, 3 neurons.
    const probs = activationProbabilities([[2, 0, 4], [1, 3, 0]], [4, 6]);
    expect(Array.from(probs)).toEqual([0.5, 1 / 6, 0, 0.5, 1, 0]);
  });

  it("is 0 for a neuron of one language, ln K for one equally active in K, and 0 for a neuron never active", () => {
    const probs = Float64Array.from([0.4, 0, 0, 0.2, 0.2, 0.2, 0, 0, 0, 0.3, 0.1, 0]);
    const h = lapeEntropy(probs, 3);
    expect(h[0]).toBe(0);
    expect(h[1]).toBeCloseTo(Math.log(3), 12);
    expect(h[2]).toBe(0);
    // 0.75 and 0.25: -(0.75 ln 0.75 + 0.25 ln 0.25)
    expect(h[3]).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 12);
  });
});

describe("selectLanguageNeurons", () => {
  // 10 neurons x 2 languages. All 20 probabilities are distinct, so the quantiles are plain.
  const probs = Float64Array.from([
    0.90, 0.01, // 0: language 0 only, high
    0.02, 0.95, // 1: language 1 only, high
    0.50, 0.49, // 2: both, high
    0.03, 0.04, // 3: low everywhere (LAPE ~ ln 2)
    0.05, 0.001, // 4: language 0 only but low: filtered out
    0.30, 0.31, // 5
    0.20, 0.21, // 6
    0.10, 0.11, // 7
    0.12, 0.13, // 8
    0.60, 0.002 // 9: language 0 only, fairly high
  ]);

  it("filters by the rate's quantile, keeps the lowest-entropy share and assigns each neuron to the languages above the bar", () => {
    // filterRate 0.8: k = round(16) = 16th smallest of 20 = 0.49; bar likewise.
    const s = selectLanguageNeurons(probs, 2, {topRate: 0.3, filterRate: 0.8, barRate: 0.8});
    expect(s.filterValue).toBe(0.49);
    expect(s.barValue).toBe(0.49);
    // Above 0.49 in some language: neurons 0, 1, 2 (0.50), 9.
    expect(s.candidates).toBe(4);
    // round(10 * 0.3) = 3 lowest LAPE among candidates: 9 (0.002 vs 0.6), 0 and 1 (0.01/0.90 and 0.02/0.95): by entropy.
    const order = [0, 1, 9].sort((a, b) => s.entropy[a] - s.entropy[b]);
    expect(s.selected).toEqual(order);
    expect(s.byLanguage).toEqual([[0, 9], [1]]);
  });

  it("takes ruled-out neurons last (infinite LAPE) and assigns them to no language when the share is larger than the candidates", () => {
    const s = selectLanguageNeurons(probs, 2, {topRate: 0.5, filterRate: 0.8, barRate: 0.8});
    expect(s.selected).toHaveLength(5);
    // The 5th is a ruled-out neuron: the lowest index among them, 3 (ties in LAPE broken by index).
    expect(s.selected[4]).toBe(3);
    expect(s.byLanguage).toEqual([[0, 2, 9], [1]]);
  });

  it("refuses fewer than two languages", () => {
    expect(() => selectLanguageNeurons(Float64Array.from([0.1, 0.2]), 1)).toThrow("LAPE needs at least 2 languages");
  });
});

describe("neuron sets", () => {
  it("counts neurons per layer and measures overlap", () => {
    expect(perLayer([0, 3, 4, 9, 11], 3, 4)).toEqual([2, 1, 2]);
    expect(jaccard([1, 2, 3], [2, 3, 4, 5])).toBe(2 / 5);
    expect(jaccard([], [])).toBeNull();
    expect(jaccard([1], [])).toBe(0);
  });

  it("draws as many random neurons per layer as the set has, seeded per name", () => {
    const set = [0, 1, 2, 17, 30];
    const drawn = matchedRandomNeurons(set, 3, 16, 7, "fra");
    expect(perLayer(drawn, 3, 16)).toEqual(perLayer(set, 3, 16));
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(matchedRandomNeurons(set, 3, 16, 7, "fra")).toEqual(drawn);
    expect(matchedRandomNeurons(set, 3, 16, 7, "deu")).not.toEqual(drawn);
  });

  it("builds a mask of ones with the silenced neurons at 0", () => {
    expect(Array.from(silencingMask([1, 3], 5))).toEqual([1, 0, 1, 0, 1]);
  });
});

describe("the intervention's bookkeeping", () => {
  it("splits the sorted units alternately", () => {
    const {identify, evaluate} = splitUnits([{unit: "u3"}, {unit: "u1"}, {unit: "u2"}, {unit: "u1"}, {unit: "u4"}]);
    expect([...identify]).toEqual(["u1", "u3"]);
    expect([...evaluate]).toEqual(["u2", "u4"]);
  });

  it("sums -log p over the predicted positions of each row (t + 1 < length) into its group", () => {
    // 2 rows, seqLen 3; row 0 has 3 tokens (2 predictions), row 1 has 2 (1 prediction); pads and last positions ignored.
    const logprobs = Float32Array.from([-1, -2, -100, -4, -100, -100]);
    const sums = new Float64Array(2);
    const counts = new Float64Array(2);
    addNextTokenLoss(logprobs, [3, 2], 3, [1, 0], sums, counts);
    expect(Array.from(sums)).toEqual([4, 3]);
    expect(Array.from(counts)).toEqual([1, 2]);
  });
});
