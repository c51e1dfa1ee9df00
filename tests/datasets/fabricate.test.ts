import {describe, expect, it} from "vitest";
import {editDistance, fabricateNames, indexByCharacter, nameKey, sampleName, tooReal, trainNameModel, type NameSource} from "../../loaders/datasets/fabricate.js";
import {mulberry32} from "../../loaders/random.js";

const COUNTRIES = [
  "Albania", "Algeria", "Andorra", "Angola", "Armenia", "Austria", "Bolivia", "Bulgaria", "Burundi", "Colombia",
  "Croatia", "Estonia", "Georgia", "Germany", "Guinea", "Hungary", "Kenya", "Latvia", "Liberia", "Lithuania",
  "Malaysia", "Mauritania", "Moldova", "Mongolia", "Namibia", "Nigeria", "Romania", "Rwanda", "Serbia", "Slovenia",
  "Somalia", "Tanzania", "Tunisia", "Uganda", "Zambia", "North Korea", "South Sudan", "Sierra Leone", "Costa Rica", "Sri Lanka"
];

describe("nameKey", () => {
  it("nameKey(name) folds case, width and Latin accents but keeps marks of other scripts", () => {
    expect(nameKey("Bogotá")).toBe(nameKey("BOGOTA"));
    expect(nameKey("Ｔｏｋｙｏ")).toBe("tokyo");
    expect(nameKey("कालिमो")).not.toBe(nameKey("कलमो"));
  });
});

describe("editDistance", () => {
  it("editDistance(a, b, limit) is Levenshtein's distance, or limit + 1 once it must exceed the limit (hand-checked)", () => {
    expect(editDistance("kitten", "sitting", 5)).toBe(3);
    expect(editDistance("albania", "albanie", 1)).toBe(1);
    expect(editDistance("chad", "chad", 0)).toBe(0);
    expect(editDistance("kitten", "sitting", 2)).toBe(3);
    expect(editDistance("oman", "romania", 10)).toBe(3);
  });
});

describe("tooReal", () => {
  const real = new Set(["guinea", "sudan"]);
  const near = indexByCharacter(["albania", "chad", "cuba", "mali"]);
  const rejected = (name: string) => tooReal(nameKey(name), real, near);

  it("tooReal(key, real, near) rejects real names and names with a real word", () => {
    expect(rejected("Guinea")).toBe(true);
    expect(rejected("Nova Guinea")).toBe(true);
    expect(rejected("Guinea-Bota")).toBe(true);
    expect(rejected("Guineana")).toBe(false);
  });

  it("rejects near-misses (a quarter of the length in edits, at least one), fragments and containers of 4+ characters", () => {
    expect(rejected("Albanie")).toBe(true); // 1 edit
    expect(rejected("Olbanie")).toBe(false); // 2 edits of 7 letters
    expect(rejected("Alban")).toBe(true); // part of Albania
    expect(rejected("Chadoria")).toBe(true); // holds Chad
    expect(rejected("Cubra")).toBe(true); // 1 edit
    expect(rejected("Zorbek")).toBe(false);
  });
});

describe("trainNameModel / sampleName", () => {
  it("trainNameModel(corpora, order) counts each next character, weighted by its corpus (hand-counted)", () => {
    const model = trainNameModel([{names: ["aba", "abb"], weight: 1}, {names: ["ab"], weight: 0.5}], 1);
    // After "b": "a" once (aba), "b" once (abb), the end once (abb) and half (ab).
    const afterB = model.next.get("b")!;
    expect(Object.fromEntries(afterB.chars.map((c, k) => [c, afterB.counts[k]]))).toEqual({a: 1, b: 1, "\u0003": 1.5});
    expect(() => trainNameModel([{names: ["x"], weight: 1}], 0)).toThrow("order must be an integer >= 1");
  });

  it("sampleName(model, random, length) has exactly that length and only transitions seen in training", () => {
    const model = trainNameModel([{names: COUNTRIES, weight: 1}], 2);
    const random = mulberry32(3);
    const seen = new Set(COUNTRIES.flatMap((n) => Array.from(`\u0002\u0002${n}\u0003`).map((_, i, cs) => cs.slice(i, i + 3).join(""))));
    for (const length of [4, 6, 7, 9, 11]) {
      for (let k = 0; k < 30; k++) {
        const name = sampleName(model, random, length)!;
        expect(Array.from(name).length, name).toBe(length);
        const padded = Array.from(`\u0002\u0002${name}\u0003`);
        for (let i = 0; i + 3 <= padded.length; i++) expect(seen.has(padded.slice(i, i + 3).join("")), name).toBe(true);
      }
    }
    // No name of one character: every country name is longer.
    expect(sampleName(model, random, 1)).toBeUndefined();
  });

  it("sampleName conditions on the length: names end as the model ends names, not cut off", () => {
    // Names of length 4 all end in "a" in this corpus; a sampler that stopped at the length would not.
    const model = trainNameModel([{names: ["tana", "tona", "tanaka", "tonaka", "tanak"], weight: 1}], 1);
    const random = mulberry32(1);
    const ends = new Set(Array.from({length: 50}, () => sampleName(model, random, 4)!.slice(-1)));
    expect([...ends]).toEqual(["a"]);
  });
});

describe("fabricateNames", () => {
  const source = (lang: string, targets: string[]): NameSource => ({lang, others: COUNTRIES, targets, targetWeight: 0.75, order: 2});
  const targets = ["Peru", "Chile", "Panama", "Ecuador", "Paraguay", "El Salvador", "Guatemala", "Saint Lucia"];

  it("fabricateNames(sources, real, near, training, seed) is deterministic, one stream per language", () => {
    const a = fabricateNames([source("eng", targets), source("deu", targets)], new Set(), [], "", 7);
    expect(fabricateNames([source("eng", targets), source("deu", targets)], new Set(), [], "", 7)).toEqual(a);
    expect(fabricateNames([source("eng", targets), source("deu", targets)], new Set(), [], "", 8)).not.toEqual(a);
    // A language's names do not depend on the other languages.
    const alone = fabricateNames([source("deu", targets)], new Set(), [], "", 7);
    expect(alone.map((f) => f.forms.deu)).toEqual(a.map((f) => f.forms.deu));
    // Same model, same seed, another language: another stream, other names.
    expect(a.map((f) => f.forms.deu)).not.toEqual(a.map((f) => f.forms.eng));
    expect(a.map((f) => f.id)).toEqual(["fab01", "fab02", "fab03", "fab04", "fab05", "fab06", "fab07", "fab08"]);
  });

  it("each name has its target's length and word count", () => {
    const names = fabricateNames([source("eng", targets)], new Set(), [], "", 11);
    names.forEach((f, k) => {
      expect(Array.from(f.forms.eng).length, f.forms.eng).toBe(Array.from(targets[k]).length);
      expect(f.forms.eng.split(" ").length, f.forms.eng).toBe(targets[k].split(" ").length);
    });
  });

  it("rejects real names, names containing a real word, fragments and near-misses of near names, and repeats", () => {
    const first = fabricateNames([source("eng", targets)], new Set(), [], "", 5);
    const drawn = first.map((f) => f.forms.eng);
    const blocked = drawn[0];
    const word = drawn.find((n) => n.includes(" "))!.split(" ")[0];
    const near = drawn[1];
    const nearMiss = near.slice(0, -1) + (near.endsWith("x") ? "y" : "x");
    const again = fabricateNames([source("eng", targets)], new Set([nameKey(blocked), nameKey(word)]), [nearMiss, `${drawn[2]}land`], "", 5);
    const names = again.map((f) => f.forms.eng);
    expect(names).not.toContain(blocked);
    expect(names.flatMap((n) => n.split(" ").map(nameKey))).not.toContain(nameKey(word));
    expect(names.filter((n) => editDistance(nameKey(n), nameKey(nearMiss), 1) <= 1)).toEqual([]);
    expect(names).not.toContain(drawn[2]); // a part of the near name "<it>land"
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
  });

  it("rejects a name that occurs anywhere in the training text, inside a word too, so a model trained on it never saw the name", () => {
    const drawn = fabricateNames([source("eng", targets)], new Set(), [], "", 5).map((f) => f.forms.eng);
    // Every name of the first draw, each only as part of a longer word or phrase.
    const training = drawn.map((n, k) => (k % 2 ? `Neo${n}` : `the ${n}ian coast`)).join("\n");
    const names = fabricateNames([source("eng", targets)], new Set(), [], training, 5).map((f) => f.forms.eng);
    expect(names.filter((n) => training.includes(n))).toEqual([]);
    names.forEach((n, k) => expect(Array.from(n).length, n).toBe(Array.from(targets[k]).length));
  });

  it("never repeats a name within a language", () => {
    const names = fabricateNames([source("eng", Array(40).fill("Peru"))], new Set(), [], "", 3).map((f) => nameKey(f.forms.eng));
    expect(new Set(names).size).toBe(40);
  });

  it("brackets in fabricated names pair up", () => {
    const withBrackets = COUNTRIES.map((n, k) => (k % 3 ? n : `${n} (${n.slice(0, 4)})`));
    const names = fabricateNames([{lang: "x", others: withBrackets, targets: withBrackets.slice(0, 20), targetWeight: 1, order: 2}], new Set(), [], "", 2);
    for (const {forms} of names) expect(forms.x.split("(").length, forms.x).toBe(forms.x.split(")").length);
  });

  it("fails in one line when a language's model cannot make a name like a target", () => {
    expect(() => fabricateNames([{lang: "x", others: ["ab"], targets: ["abcdefghijk"], targetWeight: 0, order: 1}], new Set(["ab"]), [], "", 1))
      .toThrow('fabricateNames: no name like "abcdefghijk" for x');
  });
});
