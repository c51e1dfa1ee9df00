/**
 * A store's files as Parquet, for tools that read Parquet but not Arrow IPC offline (DuckDB's
 * Arrow reader is an extension it downloads at run time):
 * - items: `store`, the item's metadata columns (as in items.arrow), `tokens`, `truncated`;
 * - a layer: `store`, `layer`, `id`, and `vector`, a LIST of required FLOAT (DuckDB reads FLOAT[]),
 *   one row per item in the store's item order.
 * `store` and `id` join items to vectors across the files of several stores. The bytes depend on
 * nothing but the arguments (and the writer's version): same store, same files.
 */
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement} from "hyparquet-writer";
import type {Matrix} from "../vectors.js";
import {TEXT_FIELDS, type StoredItem} from "./arrow.js";

/** The Parquet writer and its version, recorded in each file's `created_by` and in the export's record. */
export const PARQUET_WRITER = {
  name: "hyparquet-writer",
  // Its package.json is not among its exports: found beside its entry point.
  version: (JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve("hyparquet-writer")), "..", "package.json"), "utf8")) as {version: string}).version
};

/** What every file of one export says about where it comes from (Parquet key-value metadata). */
export interface ParquetProvenance {
  /** The store's hash (its folder name). */
  store: string;
  /** The sha256 its manifest records of itself. */
  manifestSha256: string;
  /** Babelscope's version. */
  version: string;
}

/**
 * Rows per row group: about 16M floats (64 MB) of vectors, so that encoding one group holds a
 * bounded share of a large layer, and a reader can skip groups.
 */
const rowGroupRows = (hidden: number): number => Math.max(1, Math.floor(2 ** 24 / Math.max(1, hidden)));

/** One top-level column: its schema elements (a list has three), and its values for rows start..end-1. */
interface Field {
  schema: SchemaElement[];
  values: (start: number, end: number) => ColumnSource["data"];
  options?: Pick<ColumnSource, "statistics">;
}

const string = (name: string, required: boolean, values: Field["values"]): Field => ({
  schema: [{name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: {type: "STRING"}, repetition_type: required ? "REQUIRED" : "OPTIONAL"}],
  values
});

const constant = <T>(value: T) => (start: number, end: number): T[] => new Array<T>(end - start).fill(value);

/**
 * A Parquet file of `rows` rows, written `groupRows` at a time: only one row group's values are
 * ever built as JS values.
 */
function write(fields: Field[], rows: number, groupRows: number, provenance: ParquetProvenance): Uint8Array {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: [{name: "root", num_children: fields.length}, ...fields.flatMap((field) => field.schema)],
    kvMetadata: [
      {key: "babelscope.store", value: provenance.store},
      {key: "babelscope.manifest_sha256", value: provenance.manifestSha256}
    ],
    createdBy: `babelscope ${provenance.version} (${PARQUET_WRITER.name} ${PARQUET_WRITER.version})`
  });
  for (let start = 0; start < rows; start += groupRows) {
    const end = Math.min(rows, start + groupRows);
    const columnData = fields.map((field) => ({name: field.schema[0].name, data: field.values(start, end), ...field.options}));
    parquet.write({columnData, rowGroupSize: end - start});
  }
  parquet.finish();
  return new Uint8Array(writer.getBuffer());
}

/** items.parquet: one row per item, the columns of items.arrow after the store's hash. */
export function itemsToParquet(items: readonly StoredItem[], provenance: ParquetProvenance): Uint8Array {
  const required = new Set<string>(["id", "unit", "lang"]);
  const fields: Field[] = [
    string("store", true, constant(provenance.store)),
    ...TEXT_FIELDS.map((name) => string(name, required.has(name), (start, end) => items.slice(start, end).map((item) => item[name] ?? null))),
    {schema: [{name: "tokens", type: "INT32", repetition_type: "REQUIRED"}], values: (start, end) => Int32Array.from(items.slice(start, end), (item) => item.tokens)},
    {schema: [{name: "truncated", type: "BOOLEAN", repetition_type: "REQUIRED"}], values: (start, end) => items.slice(start, end).map((item) => item.truncated)}
  ];
  return write(fields, items.length, Math.max(1, items.length), provenance);
}

/**
 * layer-NN.parquet: row i is item i's vector (row i of the matrix), with its id. `vector` is a
 * three-level LIST of required FLOAT, as the Parquet format specifies lists, PLAIN-encoded and
 * Snappy-compressed, which every Parquet reader reads. Hidden states barely compress (Snappy saves
 * 0.6% on the embedded model's; BYTE_STREAM_SPLIT before it, 6%, but older readers lack that
 * encoding). No min/max statistics: a bound over every dimension tells a query nothing.
 */
export function layerToParquet(matrix: Matrix, ids: readonly string[], layer: number, provenance: ParquetProvenance): Uint8Array {
  if (ids.length !== matrix.rows) throw new Error(`layer ${layer}: ${matrix.rows} vectors for ${ids.length} items`);
  const {cols, data} = matrix;
  const fields: Field[] = [
    string("store", true, constant(provenance.store)),
    {schema: [{name: "layer", type: "INT32", repetition_type: "REQUIRED"}], values: (start, end) => new Int32Array(end - start).fill(layer)},
    string("id", true, (start, end) => ids.slice(start, end)),
    {
      schema: [
        {name: "vector", repetition_type: "REQUIRED", converted_type: "LIST", logical_type: {type: "LIST"}, num_children: 1},
        {name: "list", repetition_type: "REPEATED", num_children: 1},
        {name: "element", type: "FLOAT", repetition_type: "REQUIRED"}
      ],
      // The writer walks a list as a JS array; float32 -> number -> float32 is exact.
      values: (start, end) => Array.from({length: end - start}, (_, i) => Array.from(data.subarray((start + i) * cols, (start + i + 1) * cols))),
      options: {statistics: false}
    }
  ];
  return write(fields, matrix.rows, rowGroupRows(cols), provenance);
}
