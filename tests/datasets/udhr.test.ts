import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {
  alignSections, decodeHtml, dropLengthOutliers, parseDeclaration, udhrLangCode, udhrSplit, type UdhrEntry
} from "../../loaders/datasets/udhr.js";
import {loadDataset} from "../../loaders/datasets/index.js";

const html = (body: string) => `<html><body><header><h2>Preamble</h2><p>P1</p><p>P2</p></header>${body}</body></html>`;
const english = parseDeclaration(html(
  `<article data-number="1"><h2>Article 1</h2><p>One.</p></article>` +
  `<article data-number="2"><h2>Article 2</h2><ol><li><p>Two a.</p></li><li><p>Two b.</p></li></ol></article>`
));

describe("parseDeclaration / alignSections", () => {
  it("parseDeclaration(html) groups paragraphs by preamble and article, dropping headings", () => {
    expect(english).toEqual(new Map([["preamble", ["P1", "P2"]], ["a1", ["One."]], ["a2", ["Two a.", "Two b."]]]));
  });

  it("decodeHtml(text) decodes numeric and named references and strips tags", () => {
    expect(decodeHtml("A &#x26; B &amp; <b>C</b> &#65;")).toBe("A & B & C A");
  });

  it("alignSections(en, text) keeps only articles with as many paragraphs as English, never the preamble", () => {
    const other = parseDeclaration(html(
      `<article data-number="1"><p>Un.</p></article><article data-number="2"><p>Deux a et b.</p></article>`
    ));
    expect(alignSections(english, other)).toEqual([{unit: "udhr:a1.p1", text: "Un."}]);
    expect(alignSections(english, english).map((u) => u.unit)).toEqual(["udhr:a1.p1", "udhr:a2.p1", "udhr:a2.p2"]);
  });

  it("dropLengthOutliers(units, en) drops the whole article of a paragraph far off the median length ratio", () => {
    const en = new Map([["udhr:a1.p1", "x".repeat(100)], ["udhr:a2.p1", "x".repeat(100)], ["udhr:a2.p2", "x".repeat(100)], ["udhr:a3.p1", "x".repeat(100)]]);
    const units = [
      {unit: "udhr:a1.p1", text: "y".repeat(120)},
      {unit: "udhr:a2.p1", text: "y".repeat(110)},
      {unit: "udhr:a2.p2", text: "y".repeat(20)}, // a heading typed as a paragraph: ratio 0.2 vs median 1.1
      {unit: "udhr:a3.p1", text: "y".repeat(130)}
    ];
    expect(dropLengthOutliers(units, en).map((u) => u.unit)).toEqual(["udhr:a1.p1", "udhr:a3.p1"]);
  });
});

describe("udhrSplit / udhrLangCode", () => {
  it("udhrSplit(unit) holds out articles 21-30 and trains on the rest", () => {
    expect(udhrSplit("udhr:a1.p1")).toBe("train");
    expect(udhrSplit("udhr:a20.p2")).toBe("train");
    expect(udhrSplit("udhr:a21.p1")).toBe("heldout");
    expect(udhrSplit("udhr:a30.p1")).toBe("heldout");
    expect(udhrSplit("udhr:preamble.p3")).toBe("train");
  });

  it("udhrLangCode(entry) keeps ISO-prefixed codes and prefixes the others with their ISO 639-3", () => {
    const e = (code: string, iso6393: string) => ({code, iso6393}) as UdhrEntry;
    const all = [e("cmn_hans", "cmn"), e("spa", "spa"), e("042", "spa"), e("nep", "npi")];
    expect(udhrLangCode(all[0], all)).toBe("cmn_hans");
    expect(udhrLangCode(all[1], all)).toBe("spa");
    expect(udhrLangCode(all[2], all)).toBe("spa_042");
    expect(udhrLangCode(all[3], all)).toBe("npi");
  });
});

describe("the shipped UDHR corpus", () => {
  it("unit k in a spot-checked language is the translation of unit k in English (incl. RTL Arabic, Hebrew)", async () => {
    const {items} = await loadDataset("udhr", {langs: ["eng", "fra", "arb", "heb", "rus", "cmn_hans"]});
    const text = (unit: string, lang: string) => items.find((i) => i.unit === unit && i.lang === lang)!.text;
    // Article 3 (life, liberty, security), article 16 paragraph 3 (family), 23.4 (trade unions), 26.3 (parents).
    const expected: Record<string, Record<string, RegExp>> = {
      "udhr:a3.p1": {eng: /life, liberty/, fra: /vie, à la liberté/, arb: /الحياة والحرية/, heb: /לחיים, לחרות/, rus: /жизнь, на свободу/, cmn_hans: /生命、自由/},
      "udhr:a16.p3": {eng: /family/, fra: /famille/, arb: /الأسرة/, heb: /המשפחה/, rus: /Семья/, cmn_hans: /家庭/},
      "udhr:a23.p4": {eng: /trade unions/, fra: /syndicats/, arb: /نقابات/, heb: /אגודות מקצועיות/, rus: /профессиональные союзы/, cmn_hans: /工会/},
      "udhr:a26.p3": {eng: /Parents/, fra: /parents/, arb: /للآباء/, heb: /להורים/, rus: /Родители/, cmn_hans: /父母/}
    };
    for (const [unit, byLang] of Object.entries(expected)) {
      for (const [lang, re] of Object.entries(byLang)) expect(text(unit, lang), `${unit} ${lang}`).toMatch(re);
    }
    expect(items.find((i) => i.lang === "arb")!.direction).toBe("rtl");
    expect(items.find((i) => i.lang === "heb")!.script).toBe("Hebr");
  });

  it("every unit's split follows its article, and English has all 50 article paragraphs", async () => {
    const {items} = await loadDataset("udhr");
    for (const item of items) expect(item.split).toBe(udhrSplit(item.unit));
    expect(items.filter((i) => i.lang === "eng").map((i) => i.unit)).toHaveLength(50);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it("data/udhr/coverage.json reports each text's aligned units, matching the corpus", async () => {
    const {items} = await loadDataset("udhr");
    const coverage = JSON.parse(readFileSync(new URL("../../data/udhr/coverage.json", import.meta.url), "utf8"));
    const perLang = new Map<string, number>();
    for (const i of items) perLang.set(i.lang, (perLang.get(i.lang) ?? 0) + 1);
    for (const c of coverage.texts) expect(c.units, c.lang).toBe(perLang.get(c.lang) ?? 0);
    expect(coverage.englishUnits).toBe(50);
  });
});
