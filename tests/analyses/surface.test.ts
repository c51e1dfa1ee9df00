/**
 * surface.ts against scikit-learn: tests/fixtures/datasets/surface-expected.json holds what
 * loaders/datasets/surface_probe.py --fixture computes on surface.jsonl (144 questions in English,
 * Japanese and Arabic, 4 folds by entity); the slow tier (tests/datasets/reproduce.test.ts) checks
 * that the script still writes it.
 */
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {auroc} from "../../loaders/analyses/auroc.js";
import {foldsFromAssignment, sklearnStratifiedKFold} from "../../loaders/analyses/kfold.js";
import {charNgrams, fitTfidf, surfaceBaseline, tfidfMatrix} from "../../loaders/analyses/surface.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/datasets/${name}`, import.meta.url), "utf8");
const rows: {id: string; lang: string; text: string; label: number; fold: number}[] =
  fixture("surface.jsonl").trim().split("\n").map((l) => JSON.parse(l));
const expected: {probability: number[]; idf: Record<string, number>} = JSON.parse(fixture("surface-expected.json"));
const input = {text: rows.map((r) => r.text), label: rows.map((r) => r.label), lang: rows.map((r) => r.lang)};

/** The fixture's folds: fold f tests the rows marked f. */
const givenFolds = () => foldsFromAssignment(rows.map((r) => r.fold), 4);

describe("charNgrams", () => {
  it("charNgrams(text) is scikit-learn's char_wb 1-3-grams of the lowercased words (hand-checked)", () => {
    expect(charNgrams("Ab  c")).toEqual([" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab ", " ", "c", " ", " c", "c ", " c "]);
    expect(charNgrams("日本の")).toEqual([" ", "日", "本", "の", " ", " 日", "日本", "本の", "の ", " 日本", "日本の", "本の "]);
    expect(charNgrams("  ")).toEqual([]);
  });
});

describe("fitTfidf", () => {
  it("fitTfidf(texts) has scikit-learn's vocabulary and smooth idf on the fixture", () => {
    const tfidf = fitTfidf(input.text);
    expect([...tfidf.columns.keys()].sort()).toEqual(Object.keys(expected.idf).sort());
    let worst = 0;
    for (const [term, idf] of Object.entries(expected.idf)) worst = Math.max(worst, Math.abs(tfidf.idf[tfidf.columns.get(term)!] - idf));
    expect(worst).toBeLessThan(1e-9); // the file rounds to 10 decimals
  });

  it("fitTfidf(texts, minDf) keeps the n-grams in at least minDf texts", () => {
    const tfidf = fitTfidf(["ab", "ac", "ad"], 2);
    // In all three: " ", "a", " a" (and the idf of a term in every text is 1); "b", "ab"... in one.
    expect([...tfidf.columns.keys()].sort()).toEqual([" ", " a", "a"]);
    expect(Array.from(tfidf.idf)).toEqual([1, 1, 1]);
  });

  it("tfidfMatrix rows have unit length, and n-grams outside the vocabulary are ignored", () => {
    const tfidf = fitTfidf(["ab", "b"]);
    const m = tfidfMatrix(tfidf, ["ab", "zz", "ab ab"]);
    const row = (i: number) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
    expect(m.cols).toBe(tfidf.idf.length);
    expect(Math.hypot(...row(0))).toBeCloseTo(1, 6);
    // Of "zz", only the padding space is in the vocabulary.
    expect(row(1)).toEqual(row(1).map((_, j) => (j === tfidf.columns.get(" ") ? 1 : 0)));
    // A repeated word doubles every count: the normalised row is the same.
    row(2).forEach((v, j) => expect(v).toBeCloseTo(row(0)[j], 6));
  });
});

describe("surfaceBaseline", () => {
  it("surfaceBaseline(input, folds) gives scikit-learn's out-of-fold probabilities on the fixture", () => {
    // Both solve to the optimum (surface_probe.py: Newton-CG, tol 1e-8; here gradient below 1e-9),
    // so what is left is float32 features against scikit-learn's float64 and the file's 10
    // decimals: measured 5e-9. 1e-7 is twenty times that, and far below the 8e-4 by which a 1%
    // larger C moves these probabilities.
    const result = surfaceBaseline(input, givenFolds(), {tolerance: 1e-9});
    const differences = Array.from(result.probability, (p, i) => Math.abs(p - expected.probability[i]));
    expect(Math.max(...differences)).toBeLessThan(1e-7);
  });

  it("scores the out-of-fold predictions overall and per language, matching the probabilities", () => {
    const result = surfaceBaseline(input, givenFolds());
    expect(result.n).toBe(rows.length);
    expect(result.languages.map((l) => [l.lang, l.n])).toEqual([["eng", 48], ["arb", 48], ["jpn", 48]]);
    const scored = (keep: (i: number) => boolean) => {
      const at = rows.flatMap((_, i) => (keep(i) ? [i] : []));
      const p = at.map((i) => result.probability[i]);
      const y = at.map((i) => rows[i].label);
      return {accuracy: p.filter((v, k) => Number(v > 0.5) === y[k]).length / at.length, auroc: auroc(p, y)};
    };
    for (const l of result.languages) {
      const expected = scored((i) => rows[i].lang === l.lang);
      expect(l.accuracy, l.lang).toBeCloseTo(expected.accuracy, 12);
      expect(l.auroc, l.lang).toBeCloseTo(expected.auroc, 12);
    }
    const all = scored(() => true);
    expect(result.accuracy).toBeCloseTo(all.accuracy, 12);
    expect(result.auroc).toBeCloseTo(all.auroc, 12);
    // The languages are scored apart: their AUROCs are not all the pooled one.
    expect(result.languages.some((l) => Math.abs(l.auroc - all.auroc) > 1e-3)).toBe(true);
  });

  it("learns a spelling cue when there is one, and is at chance when there is none", () => {
    // Label 1 texts end in "-ia", label 0 in "-stan": held-out rows are read off the ending.
    const stems = ["alba", "bulga", "colom", "esto", "geor", "latv", "liber", "molda", "nami", "roma", "serb", "tanza"];
    const text = stems.flatMap((s) => [`${s}ia`, `${s}stan`]);
    const label = stems.flatMap(() => [1, 0]);
    const lang = text.map(() => "xxx");
    const folds = sklearnStratifiedKFold(label, 4, 1);
    expect(surfaceBaseline({text, label, lang}, folds).accuracy).toBe(1);
    // The same texts under labels that do not follow the spelling: no better than chance.
    const shuffled = stems.flatMap((_, k) => (k % 2 ? [1, 0] : [0, 1]));
    expect(surfaceBaseline({text, label: shuffled, lang}, sklearnStratifiedKFold(shuffled, 4, 1)).auroc).toBeLessThan(0.7);
  });

  it("rejects folds that test a row twice or never", () => {
    const folds = givenFolds();
    expect(() => surfaceBaseline(input, [folds[0], folds[0], folds[1], folds[2], folds[3]])).toThrow("row 0 is in more than one test fold");
    expect(() => surfaceBaseline(input, folds.slice(1))).toThrow("is in no test fold");
    expect(() => surfaceBaseline({...input, lang: []}, folds)).toThrow("144 texts, 144 labels and 0 languages must match");
  });
});
