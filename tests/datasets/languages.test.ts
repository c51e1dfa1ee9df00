import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {describe, expect, it} from "vitest";
import {languages, loadDataset} from "../../loaders/datasets/index.js";
import {buildLanguages, cldrLanguage, resourceTier, shippedCorpusLanguages, speakersByLanguage} from "../../loaders/datasets/languages.js";

const require = createRequire(import.meta.url);

describe("resourceTier / cldrLanguage", () => {
  it("resourceTier(webShare, speakers) follows the documented thresholds", () => {
    expect(resourceTier(43.4, 1.7e9)).toBe("high");
    expect(resourceTier(1, undefined)).toBe("high");
    expect(resourceTier(0.2, 5e8)).toBe("medium");
    expect(resourceTier(0.001, 1)).toBe("low");
    expect(resourceTier(0.0009, 1e9)).toBe("very-low"); // a measured tiny web share wins over speakers
    expect(resourceTier(undefined, 2e6)).toBe("low");
    expect(resourceTier(undefined, 5e5)).toBe("very-low");
  });

  it("cldrLanguage(iso3) maps individual languages to their CLDR (macro)language", () => {
    expect(cldrLanguage("eng")).toBe("en");
    expect(cldrLanguage("arb")).toBe("ar");
    expect(cldrLanguage("cmn")).toBe("zh");
    expect(cldrLanguage("prs")).toBe("fa");
    expect(cldrLanguage("quc")).toBe("quc");
  });

  it("speakersByLanguage() sums population x share over territories (checked for Icelandic by hand)", () => {
    const info = require("cldr-core/supplemental/territoryInfo.json").supplemental.territoryInfo;
    let expected = 0;
    for (const t of Object.values<any>(info)) {
      const p = t.languagePopulation?.is;
      if (p) expected += (Number(t._population) * Number(p._populationPercent)) / 100;
    }
    expect(expected).toBeGreaterThan(3e5);
    expect(speakersByLanguage().get("is")).toBeCloseTo(expected, 3);
  });
});

describe("languages()", () => {
  const meta = languages();
  const byCode = new Map(meta.map((l) => [l.code, l]));

  it("covers every language code of every built-in dataset", async () => {
    for (const name of ["udhr", "questions", "statements"]) {
      const {items} = await loadDataset(name);
      for (const lang of new Set(items.map((i) => i.lang))) expect(byCode.has(lang), `${name} ${lang}`).toBe(true);
    }
  });

  it("gives a family to each of the 100 most spoken languages", () => {
    const best = new Map<string, (typeof meta)[number]>();
    for (const l of meta) if ((l.speakers ?? 0) > (best.get(l.cldr)?.speakers ?? -1)) best.set(l.cldr, l);
    const top = [...best.values()].sort((a, b) => (b.speakers ?? 0) - (a.speakers ?? 0)).slice(0, 100);
    expect(top.filter((l) => !l.family).map((l) => l.code)).toEqual([]);
  });

  it("carries the cited figures (spot checks against the sources)", () => {
    expect(byCode.get("cmn_hans")).toMatchObject({iso639_3: "cmn", family: "Sino-Tibetan", webShare: 4.8129, webShareCrawl: "CC-MAIN-2024-42", tier: "high"});
    expect(byCode.get("eng")).toMatchObject({iso639_1: "en", name: "English", webShare: 43.4241, tier: "high"});
    expect(byCode.get("arb")).toMatchObject({cldr: "ar", script: "Arab", family: "Afro-Asiatic", webShare: 0.6709, tier: "medium"});
    expect(byCode.get("tur")?.family).toBe("Turkic");
    expect(byCode.get("tha")?.family).toBe("Tai-Kadai");
    expect(byCode.get("jpn")?.family).toBe("Japonic");
    expect(byCode.get("swh")?.family).toBe("Niger-Kordofanian");
    expect(byCode.get("eng")!.speakers!).toBeGreaterThan(1e9);
  });

  it("data/languages.json equals a fresh build (npm run data reproduces it)", () => {
    const coverage = JSON.parse(readFileSync(new URL("../../data/udhr/coverage.json", import.meta.url), "utf8")).texts;
    const fresh = buildLanguages(shippedCorpusLanguages(coverage));
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(meta);
  });
});
