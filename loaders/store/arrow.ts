/**
 * The store's columnar files, in Arrow IPC file format (Feather v2), readable by pyarrow, polars,
 * pandas (`read_feather`) and DuckDB's arrow extension:
 * - items: one row per item with its metadata and token count;
 * - vectors: one `FixedSizeList<float32>[hidden]` column named `vector`, one row per item.
 */
import {Bool, Field, FixedSizeList, Float32, Int32, makeData, makeVector, RecordBatchFileWriter, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Vector} from "apache-arrow";
import type {Matrix} from "../analyses/matrix.js";
import type {TextItem} from "../types.js";

/** An item as stored: its metadata plus what tokenisation saw. */
export interface StoredItem extends TextItem {
  /** Tokens before truncation (special tokens included). */
  tokens: number;
  truncated: boolean;
}

const TEXT_FIELDS = ["id", "unit", "lang", "script", "direction", "text", "label", "split"] as const;

export function vectorColumn(matrix: Matrix): Vector {
  const child = makeData({type: new Float32(), length: matrix.rows * matrix.cols, data: matrix.data});
  const type = new FixedSizeList(matrix.cols, new Field("item", new Float32(), false));
  return makeVector(makeData({type, length: matrix.rows, nullCount: 0, child}));
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
  for (const field of TEXT_FIELDS) columns[field] = vectorFromArray(items.map((item) => item[field] ?? null), new Utf8());
  columns.tokens = makeVector(Int32Array.from(items, (item) => item.tokens));
  columns.truncated = vectorFromArray(items.map((item) => item.truncated), new Bool());
  return tableToIPC(new Table(columns), "file");
}

export function itemsFromIPC(bytes: Uint8Array): StoredItem[] {
  const table = tableFromIPC(bytes);
  const columns = Object.fromEntries(table.schema.fields.map((field) => [field.name, table.getChild(field.name)!.toArray() as ArrayLike<unknown>]));
  return Array.from({length: table.numRows}, (_, i) => {
    const item: Record<string, unknown> = {};
    for (const field of TEXT_FIELDS) if (columns[field][i] != null) item[field] = columns[field][i];
    item.tokens = Number(columns.tokens[i]);
    item.truncated = Boolean(columns.truncated[i]);
    return item as unknown as StoredItem;
  });
}
