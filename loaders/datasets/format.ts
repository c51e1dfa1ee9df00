/**
 * The dataset format users supply: JSONL (one JSON object per line) or CSV (RFC 4180, header row),
 * with fields `id`, `unit`, `lang`, `text` (required, non-empty strings) and `label`, `split`,
 * `script` (ISO 15924), `direction` (`ltr`/`rtl`), `entity` and `answer` optional. Other fields are kept as they are.
 * `id` must be unique, and so must (`lang`, `unit`): the analyses pair items by them. `lang` must be
 * a valid code (see lang-codes.ts). A missing `script` is detected from the text and a missing
 * `direction` follows from the script.
 * Files are UTF-8; a leading byte order mark is dropped in both formats (editors on Windows write
 * one), and a byte that is not UTF-8 is an error, never replaced by U+FFFD.
 * Every error is a DatasetError naming file, line and field: `data.jsonl:17: field "lang": ...`.
 */
import {readFileSync} from "node:fs";
import {extname} from "node:path";
import type {TextItem} from "../types.js";
import {DatasetError, locate} from "./errors.js";
import {langCodeProblem} from "./lang-codes.js";
import {detectScript, scriptDirection} from "./scripts.js";

const REQUIRED_FIELDS = ["id", "unit", "lang", "text"] as const;
const OPTIONAL_FIELDS = ["label", "split", "script", "direction", "entity", "answer"] as const;

/** One raw record and the line it starts on. */
interface RawRecord {
  line: number;
  fields: Record<string, unknown>;
}

/** Checks one record and returns it as a TextItem (plus its extra fields). */
function validateRecord({line, fields}: RawRecord, file: string): TextItem {
  const fail = (field: string | undefined, problem: string) => locate(file, line, field, problem);
  for (const field of REQUIRED_FIELDS) {
    const value = fields[field];
    if (value === undefined || value === null) throw fail(field, "missing");
    if (typeof value !== "string") throw fail(field, `expected a string, got ${JSON.stringify(value)}`);
    if (value.trim() === "") throw fail(field, "empty");
  }
  for (const field of OPTIONAL_FIELDS) {
    const value = fields[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw fail(field, `expected a string, got ${JSON.stringify(value)}`);
    }
  }
  const item = {...fields} as unknown as TextItem & Record<string, unknown>;
  for (const field of OPTIONAL_FIELDS) if (item[field] === null || item[field] === "") delete item[field];
  const langProblem = langCodeProblem(item.lang);
  if (langProblem) throw fail("lang", langProblem);
  if (item.script !== undefined && !/^[A-Z][a-z]{3}$/.test(item.script)) {
    throw fail("script", `"${item.script}" is not an ISO 15924 code (e.g. "Latn", "Arab")`);
  }
  if (item.direction !== undefined && item.direction !== "ltr" && item.direction !== "rtl") {
    throw fail("direction", `"${item.direction}" is not "ltr" or "rtl"`);
  }
  item.script ??= detectScript(item.text);
  if (item.direction === undefined && item.script !== undefined) item.direction = scriptDirection(item.script);
  return item;
}

/** JSONL lines to raw records; blank lines are skipped. */
function parseJsonl(content: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  content.split(/\r?\n/).forEach((text, k) => {
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw locate(file, k + 1, undefined, `invalid JSON (${(e as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw locate(file, k + 1, undefined, "expected a JSON object");
    }
    records.push({line: k + 1, fields: value as Record<string, unknown>});
  });
  return records;
}

/** RFC 4180 rows, each with the line it starts on (quoted fields may span lines). */
export function csvRows(text: string, file: string): {line: number; cells: string[]}[] {
  const rows: {line: number; cells: string[]}[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw locate(file, start, undefined, "unterminated quoted field");
          if (text[i] === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          if (text[i] === '"') { i++; break; }
          if (text[i] === "\n") line++;
          cell += text[i++];
        }
        if (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          throw locate(file, line, undefined, "unexpected character after a closing quote");
        }
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") cell += text[i++];
      }
      cells.push(cell);
      if (text[i] === ",") { i++; continue; }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") { i++; line++; }
      break;
    }
    if (!(cells.length === 1 && cells[0] === "")) rows.push({line: start, cells});
  }
  return rows;
}

/** CSV content to raw records keyed by the header row. */
function parseCsv(content: string, file: string): RawRecord[] {
  const [header, ...rows] = csvRows(content, file);
  if (!header) return [];
  const names = header.cells.map((c) => c.trim());
  for (const field of REQUIRED_FIELDS) {
    if (!names.includes(field)) throw locate(file, header.line, undefined, `missing column "${field}" in the header (have: ${names.join(", ")})`);
  }
  return rows.map(({line, cells}) => {
    if (cells.length !== names.length) throw locate(file, line, undefined, `expected ${names.length} fields, found ${cells.length}`);
    return {line, fields: Object.fromEntries(names.map((n, k) => [n, cells[k]]))};
  });
}

/** Parses and validates a user dataset file's content (a leading BOM dropped); `file` names it in errors. */
export function parseDatasetFile(content: string, file: string): TextItem[] {
  const ext = extname(file).toLowerCase();
  if (ext !== ".jsonl" && ext !== ".csv") throw new DatasetError(`${file}: unsupported file type "${ext}" (expected .jsonl or .csv)`);
  const text = content.replace(/^\uFEFF/, "");
  const records = ext === ".csv" ? parseCsv(text, file) : parseJsonl(text, file);
  if (records.length === 0) throw new DatasetError(`${file}: no items`);
  const idLine = new Map<string, number>();
  const pairLine = new Map<string, number>();
  return records.map((record) => {
    const item = validateRecord(record, file);
    const seen = idLine.get(item.id);
    if (seen !== undefined) throw locate(file, record.line, "id", `duplicate id "${item.id}" (first on line ${seen})`);
    idLine.set(item.id, record.line);
    // Two items of one unit in one language would make every pairing by unit ambiguous.
    const pair = JSON.stringify([item.lang, item.unit]);
    const first = pairLine.get(pair);
    if (first !== undefined) throw locate(file, record.line, undefined, `duplicate (lang, unit) (${JSON.stringify(item.lang)}, ${JSON.stringify(item.unit)}), first at line ${first}`);
    pairLine.set(pair, record.line);
    return item;
  });
}

/**
 * `bytes` as UTF-8 text, a byte order mark kept (parseDatasetFile drops it); invalid UTF-8 is an
 * error naming its line and its byte offset in the file (0-based, as hex editors count).
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", {fatal: true, ignoreBOM: true}).decode(bytes);
  } catch {
    // The decoder does not say where. A streaming decode of a prefix fails exactly when the prefix
    // holds a complete invalid sequence (the whole file, decoded to its end, also fails on one cut
    // off there), so the shortest failing prefix ends at the byte that broke a sequence.
    const decodes = (n: number, stream: boolean) => {
      try {
        new TextDecoder("utf-8", {fatal: true}).decode(bytes.subarray(0, n), {stream});
        return true;
      } catch {
        return false;
      }
    };
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (decodes(mid + 1, mid + 1 < bytes.length)) low = mid + 1;
      else high = mid;
    }
    // When that byte cut short a sequence begun before it, the fault is where the sequence began:
    // back over the continuation bytes (10xxxxxx) to its lead byte.
    if (!decodes(low, false)) do low--; while ((bytes[low] & 0xc0) === 0x80);
    const line = bytes.subarray(0, low).reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 1);
    throw locate(file, line, undefined, `invalid UTF-8 (byte offset ${low})`);
  }
}

/** Reads a user dataset file; errors name the file as the path was given. */
export function readDatasetFile(path: string): TextItem[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DatasetError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseDatasetFile(decodeUtf8(bytes, path), path);
}
