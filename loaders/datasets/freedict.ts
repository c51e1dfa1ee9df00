/**
 * Read access to FreeDict bilingual dictionaries as Debian installs them (`dict-freedict-<from>-<to>`:
 * /usr/share/dictd/freedict-<from>-<to>.index and .dict.dz, the dictd format). Only what the word
 * dataset needs: each single-word headword with its single-word translations.
 */
import {existsSync, readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";
import {DatasetError} from "./errors.js";

export const DICTD_DIR = "/usr/share/dictd";

/** A dictionary's files and the Debian package that installs them. */
export function freedictFiles(from: string, to: string, dir = DICTD_DIR): {index: string; dict: string; pkg: string} {
  return {index: `${dir}/freedict-${from}-${to}.index`, dict: `${dir}/freedict-${from}-${to}.dict.dz`, pkg: `dict-freedict-${from}-${to}`};
}

/**
 * The licence of each dictionary the word dataset reads, as its header (`00databaseinfo`,
 * "Availability") states it.
 */
export const FREEDICT_LICENCES: Readonly<Record<string, string>> = {
  "eng-fra": "GPL-2.0-or-later", "fra-eng": "GPL-2.0-or-later", "eng-spa": "GPL-2.0-or-later", "spa-eng": "GPL-2.0-or-later",
  "eng-ita": "GPL-2.0-or-later", "ita-eng": "GPL-2.0-or-later", "eng-por": "GPL-2.0-or-later", "por-eng": "GPL-2.0-or-later",
  "eng-nld": "GPL-2.0-or-later", "nld-eng": "GPL-2.0-or-later", "eng-ell": "GPL-2.0-or-later OR CC-BY-SA-3.0"
};

/** dictd's base-64 digits for offsets and lengths in the index (most significant first). */
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function dictdNumber(text: string): number {
  let n = 0;
  for (const char of text) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0) throw new Error(`not a dictd number: "${text}"`);
    n = n * 64 + digit;
  }
  return n;
}

/** A dictionary word we keep: letters only (no spaces, hyphens, apostrophes or digits). */
const WORD = /^\p{L}+$/u;

/**
 * The translations one entry body gives: its unindented or single-space-indented lines (deeper
 * indents are notes, synonyms and examples; `see:` lines are cross-references), each without
 * numbering, domain labels `[...]`, grammar `<...>` and glosses `(...)`, split at commas and
 * semicolons, keeping single words.
 *
 * @example
 * entryTranslations("Amboss /ˈambɔs/ <masc>\n [anat.] incus <n>, anvil <n>\n   Synonym: {Ambos}") // ["incus", "anvil"]
 */
export function entryTranslations(entry: string): string[] {
  const out: string[] = [];
  for (const line of entry.split("\n").slice(1)) {
    if (/^\s{2,}/.test(line) || /^\s*see:/.test(line)) continue;
    const cleaned = line.replace(/\[[^\]]*\]|<[^>]*>|\([^)]*\)|\{[^}]*\}/g, " ").replace(/^\s*\d+\.\s*/, "");
    for (const part of cleaned.split(/[,;]/)) {
      const word = part.trim();
      if (WORD.test(word) && !out.includes(word)) out.push(word);
    }
  }
  return out;
}

/** A dictionary's edition, from its header entry (`Edition: 0.1.6`). */
export function freedictEdition(from: string, to: string, dir = DICTD_DIR): string | undefined {
  return /^Edition:\s*(\S+)/m.exec(gunzipSync(readFileSync(freedictFiles(from, to, dir).dict)).subarray(0, 4096).toString("utf8"))?.[1];
}

/** Headword -> its single-word translations, for every single-word headword of a dictionary. */
export type Dictionary = Map<string, string[]>;

/**
 * A FreeDict dictionary read from its dictd files; throws (one line) naming the Debian package
 * when it is not installed.
 */
export function readFreedict(from: string, to: string, dir = DICTD_DIR): Dictionary {
  const files = freedictFiles(from, to, dir);
  if (!existsSync(files.index) || !existsSync(files.dict)) {
    throw new DatasetError(`FreeDict ${from}-${to} is not installed (${files.index}); install the Debian package ${files.pkg}`);
  }
  // dictzip is gzip with a seek table in the header: plain gunzip reads it whole.
  const body = gunzipSync(readFileSync(files.dict));
  const dictionary: Dictionary = new Map();
  for (const line of readFileSync(files.index, "utf8").split("\n")) {
    const [headword, offset, length] = line.split("\t");
    if (!length || headword.startsWith("00database") || !WORD.test(headword)) continue;
    const start = dictdNumber(offset);
    const translations = entryTranslations(body.subarray(start, start + dictdNumber(length)).toString("utf8"));
    if (translations.length === 0) continue;
    const known = dictionary.get(headword) ?? [];
    dictionary.set(headword, [...known, ...translations.filter((t) => !known.includes(t))]);
  }
  return dictionary;
}
