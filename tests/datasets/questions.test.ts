/**
 * The shipped question files (data/questions/), checked as they are; that they equal a fresh
 * build is checked in tests/datasets/reproduce.test.ts.
 */
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {detectScript} from "../../loaders/datasets/scripts.js";
import type {QuestionItem} from "../../loaders/datasets/questions.js";
import {QUESTION_LANGUAGES} from "../../loaders/datasets/question-languages.js";
import {RELATIONS} from "../../loaders/datasets/facts.js";
import {TEMPLATES} from "../../loaders/datasets/templates.js";

const readJsonl = (path: string): QuestionItem[] =>
  readFileSync(new URL(`../../data/${path}`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l));

const sets = {questions: readJsonl("questions/questions.jsonl"), statements: readJsonl("questions/statements.jsonl")};

describe("question set", () => {
  it("has at least 12 languages, at least 4 in non-Latin scripts", () => {
    expect(QUESTION_LANGUAGES.length).toBeGreaterThanOrEqual(12);
    expect(QUESTION_LANGUAGES.filter((l) => l.script !== "Latn").length).toBeGreaterThanOrEqual(4);
  });

  it("every question renders in every language: no placeholder left, each unit in all languages", () => {
    const byUnit = new Map<string, Set<string>>();
    const all = [...sets.questions, ...sets.statements];
    for (const q of all) byUnit.set(q.unit, (byUnit.get(q.unit) ?? new Set()).add(q.lang));
    // One assertion over the ~20,000 items (an expect per item costs seconds).
    expect(all.filter((q) => /[{}]/.test(q.text) || !q.text.includes(q.name)).map((q) => q.id)).toEqual([]);
    expect([...byUnit].filter(([, langs]) => langs.size !== QUESTION_LANGUAGES.length).map(([unit]) => unit)).toEqual([]);
  });

  it("no template is left untranslated: each differs from English and is written in its language's script", () => {
    for (const l of QUESTION_LANGUAGES.filter((x) => x.lang !== "eng")) {
      for (const r of RELATIONS) expect(TEMPLATES[l.lang].questions[r], `${l.lang} ${r}`).not.toBe(TEMPLATES.eng.questions[r]);
    }
    for (const q of sets.questions.filter((x) => x.label === "known")) {
      const expected = q.script === "Jpan" || q.script === "Hans" ? ["Jpan", "Hans"] : [q.script];
      expect(expected, q.id).toContain(detectScript(q.text, "Hans"));
    }
  });

  it("labels are balanced within every language and relation", () => {
    for (const l of QUESTION_LANGUAGES) {
      for (const r of RELATIONS) {
        const items = sets.questions.filter((q) => q.lang === l.lang && q.relation === r);
        const known = items.filter((q) => q.label === "known").length;
        expect(known).toBeGreaterThanOrEqual(50);
        expect(items.length).toBe(2 * known);
      }
    }
  });

  it("answers are CLDR-localized facts (spot checks by hand)", () => {
    const answer = (unit: string, lang: string) => sets.questions.find((q) => q.unit === unit && q.lang === lang)!.answer;
    expect(answer("q:capital:FR", "eng")).toBe("Paris");
    expect(answer("q:capital:FR", "jpn")).toBe("パリ");
    expect(answer("q:capital:JP", "rus")).toBe("Токио");
    expect(answer("q:currency:JP", "eng")).toBe("Japanese Yen");
    expect(answer("q:language:EG", "fra")).toBe("arabe");
    expect(answer("q:continent:CL", "eng")).toBe("Americas");
    expect(answer("q:continent:TH", "arb")).toBe("آسيا");
    expect(sets.questions.filter((q) => q.label === "unknown").every((q) => q.answer === undefined)).toBe(true);
  });

  it("statements: the false one states a different answer than the true one, same across languages", () => {
    const byUnit = new Map(sets.statements.map((s) => [s.id, s]));
    for (const s of sets.statements.filter((x) => x.label === "false")) {
      const truth = byUnit.get(s.id.replace(":false:", ":true:"))!;
      expect(s.answer, s.id).not.toBe(truth.answer);
      expect(s.text.endsWith(TEMPLATES[s.lang].stop)).toBe(true);
    }
  });
});
