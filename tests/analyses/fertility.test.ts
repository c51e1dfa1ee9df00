import {describe, expect, it} from "vitest";
import {fertility} from "../../loaders/analyses/fertility.js";

// Hand-computed case: eng has units u1..u4 (3 + 5 + 4 + 8 = 20 tokens, 5 per unit).
// deu shares u1, u2, u3: 6 + 7 + 5 = 18 tokens against eng's 3 + 5 + 4 = 12 -> 1.5.
// zho shares u1, u4 (u9 is not in eng): 2 + 6 = 8 against 3 + 8 = 11 -> 8/11.
// swh shares nothing with eng.
const counts = {
  unit: ["u1", "u2", "u3", "u4", "u1", "u2", "u3", "u4", "u1", "u9", "u7"],
  lang: ["eng", "eng", "eng", "eng", "zho", "deu", "deu", "zho", "deu", "zho", "swh"],
  tokens: [3, 5, 4, 8, 2, 7, 5, 6, 6, 100, 9]
};

describe("fertility", () => {
  it("fertility(counts) gives tokens per unit and the ratio to the baseline over shared units only", () => {
    const result = fertility(counts, {baseline: "eng", tokenizer: "toy"});
    expect(result.method).toBe("tokenizer-fertility");
    expect(result.tokenizer).toBe("toy");
    expect(result.settings).toEqual({baseline: "eng"});
    expect(result.languages.map((r) => r.lang)).toEqual(["eng", "deu", "zho"]);
    const [eng, deu, zho] = result.languages;
    expect(eng).toEqual({lang: "eng", units: 4, tokensPerUnit: 5, baselineTokensPerUnit: 5, relative: 1});
    expect(deu).toEqual({lang: "deu", units: 3, tokensPerUnit: 6, baselineTokensPerUnit: 4, relative: 1.5});
    expect(zho.units).toBe(2);
    expect(zho.tokensPerUnit).toBe(4);
    expect(zho.baselineTokensPerUnit).toBe(5.5);
    expect(zho.relative).toBeCloseTo(8 / 11, 12);
  });

  it("fertility(counts) lists a language sharing no unit with the baseline as skipped, not as a row", () => {
    expect(fertility(counts).skipped).toEqual([{lang: "swh", reason: 'no unit shared with baseline "eng"'}]);
  });

  it("fertility(counts, {baseline}) measures against another baseline", () => {
    const result = fertility(counts, {baseline: "deu"});
    expect(result.languages.find((r) => r.lang === "eng")).toEqual({lang: "eng", units: 3, tokensPerUnit: 4, baselineTokensPerUnit: 6, relative: 12 / 18});
  });

  it("fertility(counts) gives NaN, not Infinity, where the baseline has no tokens on the shared units", () => {
    const result = fertility({unit: ["u1", "u1"], lang: ["eng", "fra"], tokens: [0, 3]});
    expect(result.languages[1].relative).toBeNaN();
  });

  it("fertility(empty) returns no rows", () => {
    expect(fertility({unit: [], lang: [], tokens: []})).toMatchObject({languages: [], skipped: []});
  });

  it("fertility(counts) rejects bad counts, a missing baseline and repeated pairs with one-line messages", () => {
    expect(() => fertility({unit: ["u1"], lang: ["eng"], tokens: [1.5]})).toThrow("fertility: item 0 (eng, unit \"u1\") has token count 1.5, expected a non-negative integer");
    expect(() => fertility({unit: ["u1"], lang: ["eng"], tokens: [1, 2]})).toThrow("fertility: 2 token counts for 1 items");
    expect(() => fertility({unit: ["u1"], lang: ["fra"], tokens: [1]})).toThrow('baseline language "eng" has no items (languages: fra)');
    expect(() => fertility({unit: ["u1", "u1"], lang: ["eng", "eng"], tokens: [1, 1]})).toThrow('unit "u1" occurs twice in language "eng"');
  });
});
