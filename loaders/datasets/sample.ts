/**
 * A cap on a dataset's size: at most N items per language, chosen by unit, so that every language
 * of a chosen unit stays (the cross-lingual analyses compare a unit's translations with each other,
 * and the probes' folds keep a question's languages together). The choice depends on the unit ids
 * alone: units are taken in the order of their ids' sha256, the same subset on every run and every
 * machine, and spread over the dataset rather than its first units. The subset's items give the
 * dataset its hash, so a capped store is never taken for the full one.
 */
import {createHash} from "node:crypto";
import type {Dataset, TextItem} from "../types.js";
import {datasetHash} from "./hash.js";

/**
 * The items of the units chosen under the cap, in their original order: units in the order of
 * sha256(unit id), each taken when every one of its languages has fewer than `maxPerLanguage`
 * items so far (a unit that would push one language over is passed over, and later smaller units
 * may still fit).
 */
export function sampleByUnit<T extends TextItem>(items: readonly T[], maxPerLanguage: number): T[] {
  if (!Number.isInteger(maxPerLanguage) || maxPerLanguage < 1) throw new Error(`the cap on items per language must be an integer >= 1, got ${maxPerLanguage}`);
  // Items per language of each unit, counted once (a language can repeat within a unit only in a
  // file that was not validated; each item counts).
  const addingOf = new Map<string, Map<string, number>>();
  for (const item of items) {
    const adding = addingOf.get(item.unit) ?? addingOf.set(item.unit, new Map()).get(item.unit)!;
    adding.set(item.lang, (adding.get(item.lang) ?? 0) + 1);
  }
  const digest = (unit: string) => createHash("sha256").update(unit, "utf8").digest("hex");
  const order = [...addingOf.keys()].map((unit) => ({unit, key: digest(unit)})).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const counts = new Map<string, number>();
  const chosen = new Set<string>();
  for (const {unit} of order) {
    const adding = addingOf.get(unit)!;
    if ([...adding].every(([lang, n]) => (counts.get(lang) ?? 0) + n <= maxPerLanguage)) {
      chosen.add(unit);
      for (const [lang, n] of adding) counts.set(lang, (counts.get(lang) ?? 0) + n);
    }
  }
  return items.filter((item) => chosen.has(item.unit));
}

/** The dataset capped at `maxPerLanguage` items per language (see sampleByUnit), rehashed; unchanged without a cap. */
export function sampleDataset(dataset: Dataset, maxPerLanguage: number | undefined): Dataset {
  if (maxPerLanguage === undefined) return dataset;
  const items = sampleByUnit(dataset.items, maxPerLanguage);
  return items.length === dataset.items.length ? dataset : {...dataset, items, hash: datasetHash(items)};
}
