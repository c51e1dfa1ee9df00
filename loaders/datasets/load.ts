/**
 * loadDataset: a built-in dataset by name, or a user file by path, optionally filtered by language
 * and split, as a hashed Dataset.
 */
import {existsSync} from "node:fs";
import type {Dataset, TextItem} from "../types.js";
import {DatasetError} from "./errors.js";
import {readDatasetFile} from "./format.js";
import {datasetHash} from "./hash.js";
import {DATA_FILES} from "./paths.js";

/** Built-in dataset names -> shipped file and the split they keep (if any). */
export const BUILTIN_DATASETS: Readonly<Record<string, {file: string; split?: string}>> = {
  udhr: {file: DATA_FILES.udhr},
  "udhr-train": {file: DATA_FILES.udhr, split: "train"},
  "udhr-heldout": {file: DATA_FILES.udhr, split: "heldout"},
  questions: {file: DATA_FILES.questions},
  statements: {file: DATA_FILES.statements},
  "false-premise": {file: DATA_FILES.falsePremise},
  words: {file: DATA_FILES.words}
};

export interface LoadOptions {
  /** Keep these languages: exact codes (`cmn_hans`) or ISO 639-3 bases matching all variants (`cmn`). */
  langs?: string[];
  /** Keep only items of this split. */
  split?: string;
  /**
   * With `langs`: ignore the codes this dataset lacks instead of failing (a project's language list
   * spans datasets with different languages); fails only when none is present.
   */
  someLangs?: boolean;
}

const parsed = new Map<string, TextItem[]>();

function readBuiltin(name: string, file: string): TextItem[] {
  if (!existsSync(file)) throw new DatasetError(`built-in dataset "${name}": ${file} is missing; run "npm run data"`);
  if (!parsed.has(file)) parsed.set(file, readDatasetFile(file));
  return parsed.get(file)!;
}

/**
 * Items whose language matches one of `langs`; an unmatched code is an error listing valid ones
 * (with `some`, only when no code matches).
 */
function filterLangs(items: readonly TextItem[], langs: readonly string[], name: string, some = false): TextItem[] {
  const present = [...new Set(items.map((i) => i.lang))].sort();
  const matches = (lang: string, wanted: string) => lang === wanted || lang.split("_")[0] === wanted;
  const missing = langs.filter((wanted) => !present.some((lang) => matches(lang, wanted)));
  if (missing.length && !(some && missing.length < langs.length)) {
    const few = present.slice(0, 8).join(", ");
    const what = missing.length > 1 ? `unknown languages ${missing.map((code) => `"${code}"`).join(", ")}` : `unknown language "${missing[0]}"`;
    throw new DatasetError(`${what} for dataset "${name}"; valid codes include ${few} (${present.length} in all)`);
  }
  return items.filter((i) => langs.some((wanted) => matches(i.lang, wanted)));
}

function filterSplit(items: readonly TextItem[], split: string, name: string): TextItem[] {
  const kept = items.filter((i) => i.split === split);
  if (kept.length === 0) {
    const splits = [...new Set(items.map((i) => i.split ?? "(none)"))].sort().join(", ");
    throw new DatasetError(`no items with split "${split}" in dataset "${name}" (splits: ${splits})`);
  }
  return kept;
}

/**
 * A built-in dataset (`udhr`, `udhr-train`, `udhr-heldout`, `questions`, `statements`, `false-premise`, `words`) or a user
 * .jsonl/.csv file. The hash covers the items after filtering (see hash.ts).
 */
export async function loadDataset(nameOrPath: string, opts: LoadOptions = {}): Promise<Dataset> {
  const builtin = BUILTIN_DATASETS[nameOrPath];
  let items = builtin ? readBuiltin(nameOrPath, builtin.file) : readDatasetFile(nameOrPath);
  // A built-in's own split and a requested one both apply: `udhr-heldout` with split "train" is empty.
  for (const split of [builtin?.split, opts.split]) if (split !== undefined) items = filterSplit(items, split, nameOrPath);
  if (opts.langs?.length) items = filterLangs(items, opts.langs, nameOrPath, opts.someLangs);
  return {name: nameOrPath, hash: datasetHash(items), items};
}
