/**
 * Counts of a dataset: languages, units, items per language / split / relation x label.
 * `npx babelscope datasets [name|path ...] [--per-language]` prints them.
 */
import {loadDataset} from "./load.js";

export interface DatasetCounts {
  name: string;
  hash: string;
  items: number;
  languages: number;
  units: number;
  byLanguage: Record<string, number>;
  bySplit: Record<string, number>;
  byLabel: Record<string, number>;
  /** `relation -> label -> items`, for items that carry a relation. */
  byRelationLabel: Record<string, Record<string, number>>;
}

function tally(into: Record<string, number>, key: string | undefined): void {
  if (key !== undefined) into[key] = (into[key] ?? 0) + 1;
}

export async function datasetCounts(nameOrPath: string): Promise<DatasetCounts> {
  const {name, hash, items} = await loadDataset(nameOrPath);
  const counts: DatasetCounts = {
    name, hash, items: items.length, languages: 0, units: new Set(items.map((i) => i.unit)).size,
    byLanguage: {}, bySplit: {}, byLabel: {}, byRelationLabel: {}
  };
  for (const item of items) {
    tally(counts.byLanguage, item.lang);
    tally(counts.bySplit, item.split);
    tally(counts.byLabel, item.label);
    const relation = (item as {relation?: unknown}).relation;
    if (typeof relation === "string") tally((counts.byRelationLabel[relation] ??= {}), item.label ?? "(none)");
  }
  counts.languages = Object.keys(counts.byLanguage).length;
  return counts;
}

function line(record: Record<string, number>): string {
  return Object.entries(record).map(([k, v]) => `${k} ${v}`).join(", ");
}

/** Human-readable counts; per-language lines in full when `perLanguage`, else a summary. */
export function formatCounts(c: DatasetCounts, perLanguage = false): string {
  const out = [`${c.name} (sha256 ${c.hash.slice(0, 12)}): ${c.languages} languages, ${c.units} units, ${c.items} items`];
  if (Object.keys(c.bySplit).length) out.push(`  split: ${line(c.bySplit)}`);
  if (Object.keys(c.byLabel).length) out.push(`  label: ${line(c.byLabel)}`);
  for (const [relation, labels] of Object.entries(c.byRelationLabel)) out.push(`  relation ${relation}: ${line(labels)}`);
  const perLang = Object.values(c.byLanguage);
  const distinct = [...new Set(perLang)].sort((a, b) => b - a);
  if (perLanguage || distinct.length === 1) {
    out.push(`  items per language: ${line(c.byLanguage)}`);
  } else {
    const hist: Record<string, number> = {};
    for (const n of perLang) tally(hist, String(n));
    const shown = Object.entries(hist).sort((a, b) => Number(b[0]) - Number(a[0]));
    out.push(`  languages by item count: ${shown.map(([n, k]) => `${k} with ${n}`).join(", ")} (--per-language lists them)`);
  }
  return out.join("\n");
}
