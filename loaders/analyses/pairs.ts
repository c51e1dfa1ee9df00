import type {BaselineSettings, Centering, SkippedLanguage} from "./types.js";
import {CENTERINGS} from "./types.js";
import type {Matrix, VectorRows} from "../vectors.js";

/** Options of every comparison with a baseline language. */
export interface BaselineOptions {
  /** Default `eng`. */
  baseline?: string;
  /** Default `none`. */
  centering?: Centering;
}

/** One language's items paired with the baseline's items of the same units. */
export interface LanguagePairs {
  lang: string;
  /** Shared units, in the baseline's item order. */
  units: string[];
  /** `rows[k]` is this language's row for `units[k]`, `baselineRows[k]` the baseline's. */
  rows: Int32Array;
  baselineRows: Int32Array;
}

/**
 * Pairs every language's items with the baseline language's items of the same unit.
 *
 * Missing-data policy: a unit missing in either language is skipped for that pair; a language
 * with no unit in common with the baseline gets no pairs and is listed in `skipped` with the
 * reason; the baseline itself is not compared with itself; empty input gives empty lists.
 * Languages come out sorted by code. Throws on inconsistent input (row counts of `layers` when
 * given, else checked as each layer is read: see layerCheck; a repeated (unit, lang) pair) and on
 * a baseline with no items when other languages have some.
 *
 * @example
 * pairWithBaseline({layers, unit: ["u1", "u2", "u1"], lang: ["eng", "eng", "fra"]}, "eng")
 * // {pairs: [{lang: "fra", units: ["u1"], rows: [2], baselineRows: [0]}], skipped: []}
 */
export function pairWithBaseline(
  items: Pick<VectorRows, "unit" | "lang"> & {layers?: readonly Matrix[]},
  baseline: string
): {pairs: LanguagePairs[]; skipped: SkippedLanguage[]} {
  checkItems(items);
  const rowsByLang = new Map<string, Map<string, number>>();
  items.lang.forEach((lang, i) => {
    let units = rowsByLang.get(lang);
    if (!units) rowsByLang.set(lang, (units = new Map()));
    const previous = units.get(items.unit[i]);
    if (previous !== undefined) {
      throw new Error(`unit "${items.unit[i]}" occurs twice in language "${lang}" (rows ${previous} and ${i})`);
    }
    units.set(items.unit[i], i);
  });
  if (rowsByLang.size === 0) return {pairs: [], skipped: []};
  const base = rowsByLang.get(baseline);
  if (!base) {
    throw new Error(`baseline language "${baseline}" has no items (languages: ${[...rowsByLang.keys()].sort().join(", ")})`);
  }
  const pairs: LanguagePairs[] = [];
  const skipped: SkippedLanguage[] = [];
  for (const lang of [...rowsByLang.keys()].sort()) {
    if (lang === baseline) continue;
    const own = rowsByLang.get(lang)!;
    const units = [...base.keys()].filter((u) => own.has(u));
    if (units.length === 0) {
      skipped.push({lang, reason: `no unit shared with baseline "${baseline}"`});
      continue;
    }
    pairs.push({
      lang,
      units,
      rows: Int32Array.from(units, (u) => own.get(u)!),
      baselineRows: Int32Array.from(units, (u) => base.get(u)!)
    });
  }
  return {pairs, skipped};
}

/** Fills in defaults and rejects an unknown centering with a message listing the choices. */
export function baselineSettings(items: Pick<VectorRows, "layerCount">, options: BaselineOptions = {}): BaselineSettings {
  const {baseline = "eng", centering = "none"} = options;
  if (!CENTERINGS.includes(centering)) {
    throw new Error(`unknown centering "${centering}" (choose one of: ${CENTERINGS.join(", ")})`);
  }
  return {baseline, centering, layers: Array.from({length: items.layerCount}, (_, l) => l)};
}

/** Every layer given must have one row per item and the same width. */
function checkItems({layers = [], unit, lang}: Parameters<typeof pairWithBaseline>[0]): void {
  if (unit.length !== lang.length) {
    throw new Error(`unit has ${unit.length} entries but lang has ${lang.length}`);
  }
  const check = layerCheck(unit.length);
  layers.forEach(check);
}

/** A check of each layer as it is read: one row per item, and the width of the first layer read. */
export function layerCheck(items: number): (m: Matrix, l: number) => void {
  let first: {layer: number; cols: number} | undefined;
  return (m, l) => {
    if (m.rows !== items) throw new Error(`layer ${l} has ${m.rows} rows for ${items} items`);
    first ??= {layer: l, cols: m.cols};
    if (m.cols !== first.cols) throw new Error(`layer ${l} has ${m.cols} columns, layer ${first.layer} has ${first.cols}`);
  };
}
