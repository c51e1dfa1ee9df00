/** The shipped language metadata (data/languages.json, made by `npm run data`). */
import {readFileSync} from "node:fs";
import {DatasetError} from "./errors.js";
import type {LanguageInfo} from "./languages.js";
import {DATA_FILES} from "./paths.js";

let cached: LanguageInfo[] | undefined;

/** Metadata of every language code in the shipped corpora, sorted by code. */
export function languages(): LanguageInfo[] {
  if (!cached) {
    try {
      cached = JSON.parse(readFileSync(DATA_FILES.languages, "utf8")) as LanguageInfo[];
    } catch (e) {
      throw new DatasetError(`${DATA_FILES.languages}: cannot read (${(e as Error).message}); run "npm run data"`);
    }
  }
  return cached;
}
