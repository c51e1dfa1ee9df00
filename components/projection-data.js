// The explorer's data file (an Arrow table written by loaders/report/projection-table.ts) as columns.

/** @typedef {ReturnType<typeof projectionData>} ProjectionData */

/**
 * Reads an Arrow table from a projection loader (see loaders/report/projection-table.ts) into columns.
 * @param {import("apache-arrow").Table} table
 */
export function projectionData(table) {
  /** @type {import("../loaders/report/page-data.js").ProjectionMeta} */
  const meta = JSON.parse(table.schema.metadata.get("babelscope") ?? "{}");
  const strings = (/** @type {string} */ name) => Array.from(table.getChild(name)?.toArray() ?? [], String);
  const columns = /** @type {Record<keyof import("../loaders/report/page-data.js").PointInfo, string[]>} */ (Object.fromEntries(["id", "lang", "language", "family", "script", "direction", "text", "label"].map((name) => [name, strings(name)])));
  /** The 2-D positions of a method at a layer (Float32 columns). */
  const position = (/** @type {string} */ method, /** @type {number} */ layer) => ({
    x: /** @type {Float32Array} */ (table.getChild(`${method}_${layer}_x`)?.toArray()),
    y: /** @type {Float32Array} */ (table.getChild(`${method}_${layer}_y`)?.toArray())
  });
  /** @type {Map<number, Int8Array>} */
  const spaces = new Map();
  /** The layer's int8 neighbour space (rows x meta.neighbourDimensions), or null if the file has none. */
  const neighbourSpace = (/** @type {number} */ layer) => {
    const vector = table.getChild(`nn_${layer}`);
    const k = meta.neighbourDimensions;
    if (!vector || !k) return null;
    if (!spaces.has(layer)) {
      const out = new Int8Array(table.numRows * k);
      let row = 0;
      for (const chunk of vector.data) {
        const child = chunk.children[0];
        const start = child.offset + chunk.offset * k;
        out.set(child.values.subarray(start, start + chunk.length * k), row * k);
        row += chunk.length;
      }
      spaces.set(layer, out);
    }
    return spaces.get(layer);
  };
  return {meta, n: table.numRows, columns, position, neighbourSpace, methods: meta.projections.map((p) => p.method)};
}
