import {mkdirSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";

/** Writes one JSON object per line (LF, trailing newline), creating the folder. */
export function writeJsonl(path: string, rows: readonly object[]): void {
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, rows.map((r) => JSON.stringify(r) + "\n").join(""), "utf8");
}

/** Writes pretty JSON (2-space indent, trailing newline), creating the folder. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n", "utf8");
}
