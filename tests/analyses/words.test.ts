/**
 * The words analysis and the form similarity it is measured against: hand-made cases, and an
 * independent numpy/scipy computation (tests/fixtures/words_reference.py) on seeded vectors.
 */
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {editDistance, formSimilarity, latinKey} from "../../loaders/analyses/form-similarity.js";
import {onLayers} from "../../loaders/analyses/layer-steps.js";
import {formAdjustedContrast, wordPairs, wordsSteps, type Contrast} from "../../loaders/analyses/words.js";
import type {Interval} from "../../loaders/analyses/bootstrap.js";
import type {Matrix} from "../../loaders/vectors.js";

describe("latinKey", () => {
  it("folds accents and case, and transliterates Cyrillic and Greek letter by letter", () => {
    expect(latinKey("Москва")).toBe("moskva");
    expect(latinKey("щука")).toBe("shchuka");
    expect(latinKey("объём")).toBe("obem");
    expect(latinKey("θέατρο")).toBe("theatro");
    expect(latinKey("Ψυχή")).toBe("psychi");
    expect(latinKey("ευχαριστώ")).toBe("eycharisto"); // no digraph rule: ευ stays "ey"
    expect(latinKey("Café")).toBe("cafe");
    expect(latinKey("Straße")).toBe("strasse");
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions in code points", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("flaw", "lawn")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("ab", "ba")).toBe(2); // no transpositions
    expect(editDistance("😀a", "a")).toBe(1); // an astral character is one code point, not two UTF-16 units
  });
});

describe("formSimilarity", () => {
  it("is 1 - distance / longer length over the Latin keys", () => {
    expect(formSimilarity("nation", "nation")).toBe(1);
    expect(formSimilarity("Nation", "nátion")).toBe(1);
    expect(formSimilarity("anecdote", "анекдот")).toBe(0.75); // anecdote / anekdot: c->k, drop e
    expect(formSimilarity("theatre", "θέατρο")).toBeCloseTo(6 / 7, 15);
    expect(formSimilarity("abc", "xyz")).toBe(0);
    expect(formSimilarity("", "")).toBe(1);
  });
});

describe("formAdjustedContrast", () => {
  it("recovers the group effect exactly when the cosine is an exact linear function of form and group", () => {
    const form = [1, 0.5, 0.8, 1, 0.5, 0.8];
    const group = [1, 1, 1, 0, 0, 0];
    const y = form.map((f, i) => 0.1 + 0.3 * f + 0.6 * group[i]);
    const c = formAdjustedContrast(y, form, group);
    expect(c.estimate).toBeCloseTo(0.6, 12);
    expect(c.high - c.low).toBeLessThan(1e-9);
    expect(c.n).toBe(6);
  });

  it("is NaN when form and group are collinear or there are too few pairs", () => {
    expect(formAdjustedContrast([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0], [1, 1, 0, 0]).estimate).toBeNaN();
    expect(formAdjustedContrast([0.9, 0.8, 0.3], [1, 0.5, 1], [1, 1, 0]).estimate).toBeNaN();
  });
});

describe("wordPairs", () => {
  it("pairs a unit's English and other word, and leaves out units without both or without a word kind", () => {
    const rows = {
      unit: ["a", "a", "b", "c", "c", "d", "d"],
      lang: ["eng", "fra", "eng", "eng", "fra", "eng", "ell"],
      label: ["cognate", "cognate", "control", undefined, undefined, "false-friend", "false-friend"],
      text: ["nation", "nation", "alone", "x", "y", "stamina", "στάμνα"]
    };
    expect(wordPairs(rows)).toEqual([
      {english: 0, other: 1, pair: "eng-fra", kind: "cognate", form: 1},
      {english: 5, other: 6, pair: "eng-ell", kind: "false-friend", form: formSimilarity("stamina", "στάμνα")}
    ]);
  });
});

interface Fixture {
  items: {id: string; unit: string; lang: string; text: string; label: string}[];
  layers: {rows: number; cols: number; data: number[]}[];
  pairs: {pair: string; kind: string; english: number; other: number; keys: [string, string]; distance: number; form: number}[];
  expected: {
    form: {pair: string; kind: string; n: number; mean: number}[];
    layers: {layer: number; cosines: number[]; pairs: {pair: string; kinds: {kind: string; n: number; cosine: Interval}[]; translationVsControl: Contrast; cognateVsFalseFriend: Contrast}[]}[];
  };
}

describe("the words analysis against numpy/scipy (tests/fixtures/words_reference.py)", () => {
  const fixture: Fixture = JSON.parse(readFileSync(new URL("../fixtures/analyses/words.json", import.meta.url), "utf8"));
  const layers: Matrix[] = fixture.layers.map((l) => ({rows: l.rows, cols: l.cols, data: Float32Array.from(l.data)}));
  const rows = {unit: fixture.items.map((i) => i.unit), lang: fixture.items.map((i) => i.lang), label: fixture.items.map((i) => i.label), text: fixture.items.map((i) => i.text)};
  const pairs = wordPairs(rows);
  const result = onLayers(wordsSteps({layerCount: layers.length}, pairs), layers);
  const close = (actual: number, expected: number, what: string) => expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
  const closeInterval = (actual: Interval, expected: Interval, what: string) => {
    for (const key of ["estimate", "low", "high"] as const) close(actual[key], expected[key], `${what} ${key}`);
  };

  it("has Latin keys, edit distances and form similarities equal to Python's", () => {
    expect(pairs.length).toBe(fixture.pairs.length);
    for (const [k, p] of fixture.pairs.entries()) {
      const [e, x] = [fixture.items[p.english].text, fixture.items[p.other].text];
      expect([latinKey(e), latinKey(x)]).toEqual(p.keys);
      expect(editDistance(p.keys[0], p.keys[1])).toBe(p.distance);
      expect(pairs[k]).toMatchObject({english: p.english, other: p.other, pair: p.pair, kind: p.kind});
      expect(pairs[k].form).toBe(p.form);
    }
  });

  it("has each kind's mean form similarity equal to Python's", () => {
    expect(result.form.length).toBe(fixture.expected.form.length);
    for (const [k, f] of fixture.expected.form.entries()) {
      expect(result.form[k]).toMatchObject({pair: f.pair, kind: f.kind, n: f.n});
      close(result.form[k].mean, f.mean, `form ${f.pair} ${f.kind}`);
    }
  });

  it("has per-layer mean cosines, t intervals and form-adjusted contrasts equal to numpy/scipy's within 1e-9", () => {
    expect(result.layers.map((l) => l.layer)).toEqual([0, 1, 2]);
    for (const expected of fixture.expected.layers) {
      const got = result.layers[expected.layer].pairs;
      expect(got.map((p) => p.pair)).toEqual(expected.pairs.map((p) => p.pair));
      for (const [k, p] of expected.pairs.entries()) {
        const where = `layer ${expected.layer} ${p.pair}`;
        expect(got[k].kinds.map((c) => [c.kind, c.n])).toEqual(p.kinds.map((c) => [c.kind, c.n]));
        for (const [j, c] of p.kinds.entries()) closeInterval(got[k].kinds[j].cosine, c.cosine, `${where} ${c.kind}`);
        closeInterval(got[k].translationVsControl, p.translationVsControl, `${where} translation-control`);
        closeInterval(got[k].cognateVsFalseFriend, p.cognateVsFalseFriend, `${where} cognate-false friend`);
        expect(got[k].cognateVsFalseFriend.n).toBe(p.cognateVsFalseFriend.n);
      }
    }
  });
});
