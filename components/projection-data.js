// The explorer's data file (an Arrow table written by loaders/report/projection-table.ts) as columns.
import {extent} from "./embedding-scatter.js";

/** @typedef {ReturnType<typeof projectionData>} ProjectionData */

/** @typedef {keyof import("../loaders/report/page-data.js").PointInfo} Column */
/** @type {Column[]} */
const COLUMNS = ["id", "lang", "language", "family", "script", "direction", "text", "label"];

/**
 * Reads an Arrow table from a projection loader (see loaders/report/projection-table.ts) into columns.
 * @param {import("apache-arrow").Table} table
 */
export function projectionData(table) {
  /** @type {import("../loaders/report/page-data.js").ProjectionMeta} */
  const meta = JSON.parse(table.schema.metadata.get("babelscope") ?? "{}");
  /** @param {string} name */
  const strings = (name) => Array.from(table.getChild(name)?.toArray() ?? [], String);
  const columns = /** @type {Record<Column, string[]>} */ (Object.fromEntries(COLUMNS.map((name) => [name, strings(name)])));
  /** @param {string} name */
  const child = (name) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`projection table: no column ${name}`);
    return /** @type {Float32Array} */ (vector.toArray());
  };
  /**
   * @param {string} method
   * @param {number} layer
   */
  const position = (method, layer) => ({x: child(`${method}_${layer}_x`), y: child(`${method}_${layer}_y`)});
  /** @type {Map<string, import("./embedding-scatter.js").Frame>} */
  const frames = new Map();
  /**
   * The rectangle holding every layer's points of a projection: one frame for all layers keeps the
   * picture still while the layer changes, so that points move only as their positions do.
   * @param {string} method
   */
  const frame = (method) => {
    if (!frames.has(method)) {
      const all = meta.layers.map((layer) => extent(position(method, layer).x, position(method, layer).y));
      frames.set(method, {x0: Math.min(...all.map((f) => f.x0)), x1: Math.max(...all.map((f) => f.x1)), y0: Math.min(...all.map((f) => f.y0)), y1: Math.max(...all.map((f) => f.y1))});
    }
    return /** @type {import("./embedding-scatter.js").Frame} */ (frames.get(method));
  };
  /** @type {Map<number, Int8Array>} */
  const spaces = new Map();
  /**
   * The layer's int8 neighbour space (rows x meta.neighbourDimensions), or null if the file has none.
   * @param {number} layer
   * @returns {Int8Array | null}
   */
  const neighbourSpace = (layer) => {
    const vector = table.getChild(`nn_${layer}`);
    const k = meta.neighbourDimensions;
    if (!vector || !k) return null;
    if (!spaces.has(layer)) {
      const out = new Int8Array(table.numRows * k);
      let row = 0;
      for (const chunk of vector.data) {
        const values = chunk.children[0];
        const start = values.offset + chunk.offset * k;
        out.set(values.values.subarray(start, start + chunk.length * k), row * k);
        row += chunk.length;
      }
      spaces.set(layer, out);
    }
    return spaces.get(layer) ?? null;
  };
  return {meta, n: table.numRows, columns, position, frame, neighbourSpace, methods: meta.projections.map((p) => p.method)};
}
