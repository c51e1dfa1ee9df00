import {describe, expect, it} from "vitest";
import {languageTokens, mass, median, readLayer, scriptTokens, softmax, summarizeLayers, tokenRank, type LensReading} from "../../loaders/analyses/latent.js";

describe("softmax", () => {
  it("softmax([0, ln 2, ln 3, 0]) is [1, 2, 3, 1] / 7, and logits near 1000 do not overflow", () => {
    expect(Array.from(softmax([0, Math.log(2), Math.log(3), 0]))).toEqual([1 / 7, 2 / 7, 3 / 7, 1 / 7].map((v) => expect.closeTo(v, 15)));
    // exp(1000) overflows: the max is subtracted first.
    expect(Array.from(softmax([1000, 1000 + Math.log(3)]))).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.75, 12)]);
  });
});

describe("tokenRank", () => {
  it("is 1 + the number of strictly larger logits; ties share the best rank", () => {
    const logits = [0.5, 2, -1, 2, 0.5];
    expect(tokenRank(logits, 1)).toBe(1);
    expect(tokenRank(logits, 3)).toBe(1);
    expect(tokenRank(logits, 0)).toBe(3);
    expect(tokenRank(logits, 2)).toBe(5);
    expect(() => tokenRank(logits, 5)).toThrow("token id 5 outside the vocabulary of 5");
  });
});

describe("languageTokens", () => {
  it("keeps a token for a language when its trimmed text prefixes a word of that language only; no letters, no language", () => {
    const tokens = ["Deu", " Deutsch", "Al", "Alle", "Alg", "Гер", "!", "", " Ger", "Germ"];
    const words = {deu: ["Deutschland", "Algerien"], fra: ["Allemagne", "Algérie"], eng: ["Germany", "Algeria"], rus: ["Германия"]};
    const groups = languageTokens(tokens, words);
    // "Al" and "Alg" are prefixes of words in all three Latin languages: nobody's.
    expect(Object.fromEntries(Object.entries(groups).map(([lang, ids]) => [lang, Array.from(ids)]))).toEqual({deu: [0, 1], fra: [3], eng: [8, 9], rus: [5]});
  });
});

describe("scriptTokens", () => {
  it("groups tokens by the script of their letters, sorted by code; punctuation and empty tokens go nowhere", () => {
    const groups = scriptTokens([" the", "Гер", "中文", "!", "", "नम", "ab"]);
    expect(Object.keys(groups)).toEqual(["Cyrl", "Deva", "Hani", "Latn"]);
    expect(Array.from(groups.Latn)).toEqual([0, 6]);
    expect(Array.from(groups.Hani)).toEqual([2]);
  });
});

describe("readLayer and summarizeLayers", () => {
  it("reads the target's and the English token's probability, the target's rank and each group's mass", () => {
    const logits = [0, Math.log(2), Math.log(3), Math.log(4)];
    const reading = readLayer(logits, {target: 1, english: 3}, {languages: {eng: Int32Array.from([3]), fra: Int32Array.from([0, 1])}, scripts: {Latn: Int32Array.from([0, 1, 3])}});
    expect(reading.target).toBeCloseTo(0.2, 15);
    expect(reading.english).toBeCloseTo(0.4, 15);
    expect(reading.rank).toBe(3);
    expect(reading.languages).toEqual({eng: expect.closeTo(0.4, 15), fra: expect.closeTo(0.3, 15)});
    expect(reading.scripts.Latn).toBeCloseTo(0.7, 15);
    expect(mass(Float64Array.from([0.1, 0.2, 0.3]), Int32Array.from([0, 2]))).toBeCloseTo(0.4, 15);
  });

  it("averages readings over prompts per layer and takes the median rank", () => {
    const at = (target: number, rank: number): LensReading => ({target, english: 2 * target, rank, languages: {eng: target}, scripts: {Latn: 1 - target}});
    const summary = summarizeLayers([[at(0.1, 10), at(0.5, 1)], [at(0.3, 30), at(0.7, 2)], [at(0.2, 2), at(0.9, 1)]]);
    expect(summary).toHaveLength(2);
    expect(summary[0]).toEqual({layer: 0, target: expect.closeTo(0.2, 12), english: expect.closeTo(0.4, 12), medianRank: 10, languages: {eng: expect.closeTo(0.2, 12)}, scripts: {Latn: expect.closeTo(0.8, 12)}});
    expect(summary[1].medianRank).toBe(1);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarizeLayers([])).toEqual([]);
  });
});
