/**
 * `babelscope datasets`: counts of built-in datasets or of users' files (languages, units, items per
 * language, split, relation and label), which also validates a user file.
 */
import {BUILTIN_DATASETS, datasetCounts, formatCounts} from "../datasets/index.js";
import {parseOptions} from "./options.js";

export async function datasets(args: string[]): Promise<void> {
  const {values, positionals} = parseOptions({args, options: {"per-language": {type: "boolean", default: false}}, allowPositionals: true, strict: true});
  const names = positionals.length ? positionals : Object.keys(BUILTIN_DATASETS);
  for (const name of names) process.stdout.write(formatCounts(await datasetCounts(name), values["per-language"]) + "\n");
}
