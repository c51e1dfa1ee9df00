/** The answer match of model knowledge labels: normalised, the completion must start with the gold answer, in every script. */
import {describe, expect, it} from "vitest";
import {answerMatches, normalizeAnswer} from "../../loaders/extract/model-knowledge.js";

describe("normalizeAnswer", () => {
  it("composes (NFC), folds case fully, turns punctuation into spaces and collapses whitespace", () => {
    expect(normalizeAnswer("  Bogota\u0301!  ")).toBe("bogotá");
    expect(normalizeAnswer("STRASSE")).toBe(normalizeAnswer("Straße"));
    expect(normalizeAnswer("Port-au-Prince, Haïti.")).toBe("port au prince haïti");
    expect(normalizeAnswer("टाइरेन। T")).toBe("टाइरेन t");
  });
});

describe("answerMatches", () => {
  it("accepts a completion that starts with the answer, whatever follows it", () => {
    expect(answerMatches(" Tirana. The. The.", "Tirana")).toBe(true);
    expect(answerMatches(": port au prince", "Port-au-Prince")).toBe(true);
    expect(answerMatches("地拉那。 The利", "地拉那")).toBe(true);
    // Thai writes no space after a word: the answer is a prefix of the first run of letters.
    expect(answerMatches(" ติรานาอฟินา", "ติรานา")).toBe(true);
  });

  it("refuses an answer that comes later, a partial answer, or none", () => {
    expect(answerMatches(" The capital is Tirana.", "Tirana")).toBe(false);
    expect(answerMatches(" Tiran", "Tirana")).toBe(false);
    expect(answerMatches("", "Tirana")).toBe(false);
  });

  it("refuses a gold answer that normalises to nothing", () => {
    expect(() => answerMatches("Tirana", " ?! ")).toThrow(/empty once normalised/);
  });
});
