import {describe, expect, it} from "vitest";
import {knowledgeFindings, knowledgeSummary} from "../../components/knowledge-findings.js";

/** A probe result over layers 0..2 in three languages, with the surface baseline per language. */
function protocolResult(within: Record<string, number[]>, low: Record<string, number[]>, surface: Record<string, number>) {
  const languages = Object.keys(within).map((lang) => ({lang, within: {accuracy: within[lang], low: low[lang], high: within[lang].map((a) => a + 0.05)}}));
  return {
    probe: {settings: {layers: [0, 1, 2]}, pooled: {n: 100, positives: 40}, languages: [...languages, {lang: "xho", within: null}]},
    surface: [...Object.entries(surface).map(([lang, accuracy]) => ({lang, accuracy})), {lang: "xho", accuracy: 0.99}]
  };
}

describe("knowledgeSummary", () => {
  it("takes the layer of the best mean within-language accuracy, the surface mean over the probed languages only, and the larger class as chance", () => {
    const summary = knowledgeSummary(protocolResult(
      {eng: [0.6, 0.9, 0.8], fra: [0.6, 0.8, 0.9], deu: [0.5, 0.7, 0.6]},
      {eng: [0.5, 0.85, 0.7], fra: [0.5, 0.6, 0.85], deu: [0.4, 0.65, 0.5]},
      {eng: 0.7, fra: 0.7, deu: 0.6}
    ));
    // Means by layer: 0.567, 0.8, 0.767.
    expect(summary.layer).toBe(1);
    expect(summary.accuracy).toBeCloseTo(0.8, 12);
    // xho has no within-language probe: its surface score (0.99) is left out.
    expect(summary.surface).toBeCloseTo(2 / 3, 12);
    expect(summary.chance).toBeCloseTo(0.6, 12);
    expect(summary.ranked.map((r) => r.lang)).toEqual(["eng", "fra", "deu"]);
    // Interval lows at layer 1 against each language's own surface score: eng 0.85 > 0.7, fra 0.6 < 0.7, deu 0.65 > 0.6.
    expect(summary.clear).toBe(2);
    expect(summary.margins.map(({layer, margin}) => [layer, Number(margin.toFixed(6))])).toEqual([[0, -0.1], [1, 0.133333], [2, 0.1]]);
  });
});

describe("knowledgeFindings", () => {
  const nameOf = (lang: string) => lang.toUpperCase();

  it("says how far the probe is above the spelling when it is", () => {
    const summary = knowledgeSummary(protocolResult({eng: [0.9, 0.9, 0.9]}, {eng: [0.85, 0.85, 0.85]}, {eng: 0.6}));
    const [first, second] = knowledgeFindings(summary, "babelscope", nameOf);
    expect(first).toContain("best at hidden state 0: 0.90 accuracy");
    expect(first).toContain("chance 0.60");
    expect(second).toBe("The spelling of the same questions alone, on the same folds, reaches 0.60: the hidden state is 30 points above it, and clears it beyond its fold interval in 1 of 1 languages.");
    expect(knowledgeFindings(summary, "babelscope", nameOf)[2]).toBe("Hidden state minus spelling, by layer (accuracy points): 0: +30, 1: +30, 2: +30.");
  });

  it("says in words that a probe no better than the spelling is no evidence of knowledge (a correct null)", () => {
    const summary = knowledgeSummary(protocolResult({eng: [0.7, 0.71, 0.7], fra: [0.7, 0.7, 0.7]}, {eng: [0.6, 0.6, 0.6], fra: [0.6, 0.6, 0.6]}, {eng: 0.7, fra: 0.7}));
    expect(knowledgeFindings(summary, "paper", nameOf)[1]).toMatch(/the hidden state is not above it, so these numbers are no evidence/);
    expect(knowledgeFindings(summary, "paper", nameOf)[0]).toMatch(/^Under the paper's \(raw features/);
  });

  it("names the strongest and weakest languages when there are at least four", () => {
    const four = {eng: [0.9, 0.9, 0.9], fra: [0.8, 0.8, 0.8], deu: [0.7, 0.7, 0.7], spa: [0.6, 0.6, 0.6]};
    const summary = knowledgeSummary(protocolResult(four, four, {eng: 0.5, fra: 0.5, deu: 0.5, spa: 0.5}));
    expect(knowledgeFindings(summary, "babelscope", nameOf)[3]).toBe("Strongest at that layer: ENG 0.90, FRA 0.80; weakest: DEU 0.70, SPA 0.60.");
  });
});
