import {describe, expect, it} from "vitest";
import {latentCurves, latentFindings} from "../../components/latent-findings.js";

/** Two targets over three hidden states. */
function result(last: {target: number; rank: number}, middleEnglish: number) {
  const layer = (i: number, target: number, english: number, rank: number, fra: number, eng: number) => ({layer: i, target, english, medianRank: rank, languages: {fra, rus: fra / 2, eng}, scripts: {}});
  const targets = ["fra", "rus"].map((lang) => ({
    lang,
    prompts: 10,
    layers: [layer(0, 1e-4, 1e-4, 500, 0.1, 0.01), layer(1, 1e-4, middleEnglish, 400, 0.2, 0.3), layer(2, last.target, 1e-4, last.rank, 0.6, 0.05)]
  }));
  return {vocabulary: 1000, prompts: 20, tokens: {languages: {eng: 50}, scripts: {}}, targets};
}

describe("latentCurves", () => {
  it("averages each measure over targets, the target-language mass read under each target's own code", () => {
    const curves = latentCurves(result({target: 0.5, rank: 1}, 0.2));
    expect(curves).toHaveLength(3);
    // fra: own mass 0.6; rus: own mass 0.3 (half of fra's).
    expect(curves[2].targetMass).toBeCloseTo(0.45, 12);
    expect(curves[1].englishMass).toBeCloseTo(0.3, 12);
    expect(curves[1].english).toBeCloseTo(0.2, 12);
  });
});

describe("latentFindings", () => {
  it("a model that translates, with English first in the middle: Wendler et al.'s pattern", () => {
    const [first, second, third, fourth] = latentFindings(result({target: 0.5, rank: 1}, 0.2));
    expect(first).toContain("mean probability of 0.50 (median rank 1 of 1000 tokens, averaged over 2 target languages and 20 prompts); the model translates in context.");
    expect(second).toBe("At intermediate layer 1 the English word's first token is more probable than the answer's (mean 0.20 against 1.0e-4), the pattern Wendler et al. report for Llama 2.");
    // Intermediate layer 1: eng 0.3 beats fra 0.2 and rus 0.1; eng has 50 of 1000 tokens.
    expect(third).toBe("Of the compared languages, eng tokens take the most mass at the intermediate layers: 30.0% at hidden state 1, 6.0 times their uniform share (5.0%).");
    expect(fourth).toBe("Mass on English-only tokens peaks at hidden state 1 at 30.0%, against 5.0% under a uniform distribution over the vocabulary; mass on the target language's own tokens is 45.0% at the last layer.");
  });

  it("a model that does not translate: the null, said plainly", () => {
    const [first, second] = latentFindings(result({target: 1e-5, rank: 700}, 2e-4));
    expect(first).toContain("the model does not translate these prompts in context");
    expect(second).toContain("but both are near zero, so this is no evidence of a latent English");
    expect(latentFindings(result({target: 1e-5, rank: 700}, 1e-5))[1]).toBe("At no intermediate layer is the English word's first token more probable than the answer's, and both stay near zero: with no translation to read, a null, not evidence against a latent English.");
    expect(latentFindings(result({target: 0.5, rank: 1}, 1e-5))[1]).toBe("At no intermediate layer is the English word's first token more probable than the answer's: no sign of a latent English.");
  });
});
