import {describe, expect, it} from "vitest";
import {ENGLISH, localeWords, promptLanguages, translationPrompt, translationPrompts, translationWords} from "../../loaders/datasets/translation-words.js";

const langs = promptLanguages(["cmn_hans", "fra", "eng", "rus", "xyz"]);

describe("translation words", () => {
  it("prompt languages are the question languages asked for, in their order, named in themselves (CLDR)", () => {
    expect(langs.map((l) => [l.lang, l.locale, l.name])).toEqual([["eng", "en", "English"], ["fra", "fr", "français"], ["rus", "ru", "русский"], ["cmn_hans", "zh", "中文"]]);
  });

  it("words are UN member states' CLDR names that are one word in every language, English included", () => {
    const words = translationWords(promptLanguages(["fra", "rus"]));
    const germany = words.find((w) => w.code === "DE");
    expect(germany?.words).toEqual({fra: "Allemagne", rus: "Германия", eng: "Germany"});
    // "Royaume-Uni" is one word but "United Kingdom" is not.
    expect(words.some((w) => w.code === "GB")).toBe(false);
    expect(words.every((w) => Object.values(w.words).every((word) => !/\s/.test(word)))).toBe(true);
    expect(localeWords("fr")).toContain("Allemagne");
  });

  it("a prompt lists the shots as pairs and ends at the answer's opening quote", () => {
    const [fra, rus] = promptLanguages(["fra", "rus"]);
    const row = (code: string, f: string, r: string) => ({code, words: {fra: f, rus: r, eng: ""}});
    expect(translationPrompt(fra, rus, [row("DE", "Allemagne", "Германия")], row("FR", "France", "Франция"))).toBe('français: "Allemagne" - русский: "Германия"\nfrançais: "France" - русский: "');
  });

  it("prompts spread the budget over non-English targets, each from the other non-English languages, with shots other than the query", () => {
    const words = translationWords(langs);
    const prompts = translationPrompts(langs, words, {budget: 30, shots: 4, seed: 0});
    expect(prompts).toHaveLength(30);
    for (const target of ["fra", "rus", "cmn_hans"]) expect(prompts.filter((p) => p.target === target)).toHaveLength(10);
    expect(prompts.every((p) => p.source !== p.target && p.source !== ENGLISH && p.target !== ENGLISH)).toBe(true);
    expect(new Set(prompts.filter((p) => p.target === "fra").map((p) => p.source))).toEqual(new Set(["rus", "cmn_hans"]));
    for (const p of prompts) {
      const row = words.find((w) => w.code === p.code)!;
      expect(p.answer).toBe(row.words[p.target]);
      expect(p.english).toBe(row.words.eng);
      const lines = p.text.split("\n");
      expect(lines).toHaveLength(5);
      // The query's own answer is not among the shots.
      expect(lines.slice(0, 4).some((line) => line.endsWith(`"${p.answer}"`))).toBe(false);
    }
    // Seeded: the same seed draws the same prompts, another seed others.
    expect(translationPrompts(langs, words, {budget: 30, shots: 4, seed: 0})).toEqual(prompts);
    expect(translationPrompts(langs, words, {budget: 30, shots: 4, seed: 1})).not.toEqual(prompts);
    expect(translationPrompts(promptLanguages(["eng", "fra"]), words, {budget: 30, shots: 4, seed: 0})).toEqual([]);
  });
});
