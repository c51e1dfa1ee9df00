/**
 * The store's columnar files, in the Arrow IPC file format (Feather v2):
 * - items: one row per item with its metadata and token count;
 * - vectors: one `FixedSizeList<float32>[hidden]` column named `vector`, one row per item.
 */
import {Bool, Field, FixedSizeList, Float32, makeData, makeVector, RecordBatchFileWriter, Table, tableFromIPC, tableToIPC, Utf8, type Vector} from "apache-arrow";
import type {Matrix} from "../vectors.js";
import type {TextItem} from "../types.js";

/** An item as stored: its metadata plus what tokenisation saw. */
export interface StoredItem extends TextItem {
  /** Tokens before truncation (special tokens included). */
  tokens: number;
  truncated: boolean;
}

export const TEXT_FIELDS = ["id", "unit", "lang", "script", "direction", "text", "label", "split", "entity", "answer"] as const;

export function vectorColumn(matrix: Matrix): Vector {
  const child = makeData({type: new Float32(), length: matrix.rows * matrix.cols, data: matrix.data});
  const type = new FixedSizeList(matrix.cols, new Field("item", new Float32(), false));
  return makeVector(makeData({type, length: matrix.rows, nullCount: 0, child}));
}

/**
 * A Utf8 column (null and undefined are nulls), encoded in one pass into one buffer. Arrow's
 * `vectorFromArray` builder takes about 4 µs a string: 70 ms of a 7 s extraction of 2,048 items
 * went to the items file's eight text columns.
 */
export function textColumn(values: readonly (string | null | undefined)[]): Vector {
  const offsets = new Int32Array(values.length + 1);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
  const bytes = new Uint8Array(3 * values.reduce((sum, value) => sum + (value?.length ?? 0), 0));
  const encoder = new TextEncoder();
  const valid = validity(values.map((value) => value != null));
  values.forEach((value, i) => {
    offsets[i + 1] = offsets[i] + (value == null ? 0 : encoder.encodeInto(value, bytes.subarray(offsets[i])).written);
  });
  const nullCount = values.length - valid.count;
  const data = bytes.subarray(0, offsets[values.length]);
  return makeVector(makeData({type: new Utf8(), length: values.length, nullCount, ...(nullCount > 0 ? {nullBitmap: valid.bits} : {}), valueOffsets: offsets, data}));
}

/** A Bool column without nulls, packed directly (see textColumn). */
export function boolColumn(values: readonly boolean[]): Vector {
  return makeVector(makeData({type: new Bool(), length: values.length, nullCount: 0, data: validity(values).bits}));
}

/** Flags as Arrow packs them (least significant bit first), with the number set. */
function validity(flags: readonly boolean[]): {bits: Uint8Array; count: number} {
  const bits = new Uint8Array(Math.ceil(flags.length / 8));
  let count = 0;
  flags.forEach((flag, i) => {
    if (!flag) return;
    bits[i >> 3] |= 1 << (i & 7);
    count++;
  });
  return {bits, count};
}

/**
 * A table as an Arrow IPC file, in the pieces the writer produces: headers, padding and the column
 * buffers themselves (views of the vectors, not copies), for one vectored write. Joining them into
 * one array would copy every vector once more.
 */
export async function ipcFileChunks(table: Table): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of RecordBatchFileWriter.writeAll(table)) chunks.push(chunk);
  return chunks;
}

export function matrixToIPC(matrix: Matrix, extra: Record<string, Vector> = {}): Promise<Uint8Array[]> {
  return ipcFileChunks(new Table({vector: vectorColumn(matrix), ...extra}));
}

/** Reads the `vector` column of an IPC file into one contiguous row-major matrix. */
export function matrixFromIPC(bytes: Uint8Array, column = "vector"): Matrix {
  const table = tableFromIPC(bytes);
  const vector = table.getChild(column);
  if (!vector || !(vector.type instanceof FixedSizeList)) throw new Error(`no FixedSizeList column "${column}"`);
  const cols = vector.type.listSize;
  const data = new Float32Array(table.numRows * cols);
  let row = 0;
  for (const chunk of vector.data) {
    const values = chunk.children[0].values as Float32Array;
    const start = (chunk.offset + chunk.children[0].offset) * cols;
    data.set(values.subarray(start, start + chunk.length * cols), row * cols);
    row += chunk.length;
  }
  return {data, rows: table.numRows, cols};
}

export function itemsToIPC(items: StoredItem[]): Uint8Array {
  const columns: Record<string, Vector> = {};
  for (const field of TEXT_FIELDS) columns[field] = textColumn(items.map((item) => item[field]));
  columns.tokens = makeVector(Int32Array.from(items, (item) => item.tokens));
  columns.truncated = boolColumn(items.map((item) => item.truncated));
  return tableToIPC(new Table(columns), "file");
}

export function itemsFromIPC(bytes: Uint8Array): StoredItem[] {
  const table = tableFromIPC(bytes);
  const columns = Object.fromEntries(table.schema.fields.map((field) => [field.name, table.getChild(field.name)!.toArray() as ArrayLike<unknown>]));
  return Array.from({length: table.numRows}, (_, i) => {
    const item: Record<string, unknown> = {};
    for (const field of TEXT_FIELDS) if (columns[field]?.[i] != null) item[field] = columns[field][i];
    item.tokens = Number(columns.tokens[i]);
    item.truncated = Boolean(columns.truncated[i]);
    return item as unknown as StoredItem;
  });
}
