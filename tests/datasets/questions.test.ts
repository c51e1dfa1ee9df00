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
import {FALSE_PREMISE_TEMPLATES, type FalsePremiseItem} from "../../loaders/datasets/false-premise.js";
import {embeddedTrainingText} from "../../loaders/datasets/real-names.js";
import type {TextItem} from "../../loaders/types.js";

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

describe("false-premise set", () => {
  const items = readJsonl("questions/false-premise.jsonl") as unknown as FalsePremiseItem[];
  const byId = new Map(items.map((i) => [i.id, i]));

  it("one true- and one false-premise question per country in every language", () => {
    const countries = new Set(sets.questions.filter((q) => q.label === "known").map((q) => q.entity));
    expect(items.length).toBe(countries.size * 2 * QUESTION_LANGUAGES.length);
    for (const l of QUESTION_LANGUAGES) {
      for (const label of ["true-premise", "false-premise"]) {
        expect(new Set(items.filter((i) => i.lang === l.lang && i.label === label).map((i) => i.entity))).toEqual(countries);
      }
    }
  });

  it("a true premise names the country's capital as the questions give it; a false one another capital on its continent", () => {
    const capital = new Map(sets.questions.filter((q) => q.relation === "capital" && q.label === "known").map((q) => [`${q.entity}:${q.lang}`, q.answer]));
    const continent = new Map(sets.questions.filter((q) => q.relation === "continent" && q.lang === "eng").map((q) => [q.entity, q.answer]));
    for (const i of items) {
      expect(i.text, i.id).toContain(i.premise);
      expect(i.text, i.id).toContain(i.name);
      expect(i.premise, i.id).toBe(capital.get(`${i.premiseOf}:${i.lang}`));
      if (i.label === "true-premise") expect(i.premiseOf, i.id).toBe(i.entity);
      else {
        expect(i.premise, i.id).not.toBe(capital.get(`${i.entity}:${i.lang}`));
        expect(continent.get(i.premiseOf), i.id).toBe(continent.get(i.entity));
        // The same wrong city in every language.
        expect(i.premiseOf, i.id).toBe(byId.get(i.id.replace(/:[^:]+$/, ":eng"))!.premiseOf);
      }
    }
  });

  it("hand-checked questions, and no template left in English", () => {
    expect(byId.get("fp:FR:true:eng")!.text).toBe("Why is Paris the capital of France?");
    expect(byId.get("fp:JP:true:jpn")!.text).toBe("日本の首都はなぜ東京なのですか？");
    expect(byId.get("fp:FR:true:rus")!.text).toBe("Почему столицей страны Франция является город Париж?");
    for (const [lang, template] of Object.entries(FALSE_PREMISE_TEMPLATES)) {
      if (lang !== "eng") expect(template, lang).not.toBe(FALSE_PREMISE_TEMPLATES.eng);
    }
    expect(Object.keys(FALSE_PREMISE_TEMPLATES).sort()).toEqual(QUESTION_LANGUAGES.map((l) => l.lang).sort());
  });
});

describe("the embedded model's training text", () => {
  const item = (unit: string, text: string, extra: Partial<TextItem>): TextItem => ({id: `${unit}:eng`, unit, lang: "eng", text, ...extra});

  it("embeddedTrainingText(udhr, statements) holds train-split UDHR, CLDR names of base locales and true statements, nothing else", () => {
    const text = embeddedTrainingText(
      [item("udhr:a1.p1", "Trainunit paragraph", {split: "train"}), item("udhr:a29.p1", "Heldoutunit paragraph", {split: "heldout"})],
      [item("s:capital:FR:true", "Truestatement. Paris.", {label: "true"}), item("s:capital:FR:false", "Falsestatement. Madrid.", {label: "false"})]
    ).split("\n");
    expect(text).toContain("Trainunit paragraph");
    expect(text).not.toContain("Heldoutunit paragraph");
    expect(text).toContain("Truestatement. Paris.");
    expect(text).not.toContain("Falsestatement. Madrid.");
    // A territory, a language and a currency name of the base locale de...
    for (const name of ["Frankreich", "Französisch", "Schweizer Franken"]) expect(text).toContain(name);
    // ...but no -alt- form (en CD-alt-variant) and no regional variant's own name (en-GB BL, de-CH CV).
    for (const name of ["Congo (DRC)", "St Barthélemy", "Kapverden"]) expect(text).not.toContain(name);
  });

  it("no shipped fabricated name occurs in it (what models/train/evaluate.py counts as fabricated_in_training)", () => {
    const {fabricated} = JSON.parse(readFileSync(new URL("../../data/questions/fabricated.json", import.meta.url), "utf8")) as {fabricated: {forms: Record<string, string>}[]};
    const text = embeddedTrainingText(readJsonl("udhr/parallel.jsonl"), sets.statements);
    const forms = fabricated.flatMap((f) => Object.values(f.forms));
    expect(forms.length).toBe(fabricated.length * QUESTION_LANGUAGES.length);
    expect(forms.filter((f) => text.includes(f))).toEqual([]);
  });
});
