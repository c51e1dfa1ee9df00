// The explorer's view in a link, kept short. The camera: its centre in data coordinates (the same
// on every layer, whose pictures share one frame) and its zoom. The selection: the rule that made it
// (a lasso's polygon on one layer's picture, or one category of a column) when that names exactly
// the selected items, else the compressed set of their row numbers.
import {pointsInPolygon} from "./lasso.js";
import {decodeIdSet, decodeIndices, encodeIdSet} from "./url-state.js";

/**
 * The longest selection text put in a link. With the rest of the view the address stays under
 * 2,000 characters, which chat clients, mail and older browsers keep whole.
 */
export const SELECTION_LINK_BUDGET = 1500;

/** Vertices kept of a drawn lasso path: its shape, in a few hundred characters of the link. */
const LASSO_VERTICES = 60;

/**
 * How a selection was made, in the words a link can carry.
 * @typedef {{kind: "lasso", method: string, layer: number, text: string, polygon: [number, number][]}} LassoRule
 *   text: the polygon's coordinates as written in the link (x0_y0_x1_y1...)
 */

/**
 * What selection-link needs of the explorer's data (see projection-data.js).
 * @typedef {object} SelectableData
 * @property {number} n
 * @property {Record<string, string[]>} columns
 * @property {string[]} methods
 * @property {{layers: number[]}} meta
 * @property {(method: string, layer: number) => {x: ArrayLike<number>, y: ArrayLike<number>}} position
 */

/**
 * A drawn path thinned to at most `max` vertices, evenly spaced along the drawing.
 * @template T
 * @param {T[]} path
 * @param {number} [max]
 * @returns {T[]}
 */
export function thinPath(path, max = LASSO_VERTICES) {
  if (path.length <= max) return path;
  return Array.from({length: max}, (_, k) => path[Math.floor((k * path.length) / max)]);
}

/**
 * A coordinate as written in a link: to 1/10,000 of the picture's span (well below a pixel), in
 * the shortest decimals.
 * @param {number} value
 * @param {number} span the picture's extent (largest side) in data units
 */
function roundCoordinate(value, span) {
  const decimals = Math.min(20, Math.max(0, Math.ceil(-Math.log10(span / 10_000))));
  return String(Number(value.toFixed(decimals)));
}

/**
 * A lasso polygon (data coordinates) rounded as it is written in a link, with the polygon read back
 * from that text: the selection is made from the rounded polygon, so the link restores exactly the
 * items selected.
 * @param {[number, number][]} polygon
 * @param {number} span the picture's extent (largest side) in data units
 * @returns {{text: string, polygon: [number, number][]}}
 */
export function roundPolygon(polygon, span) {
  const text = polygon.flat().map((v) => roundCoordinate(v, span)).join("_");
  return {text, polygon: /** @type {[number, number][]} */ (parsePolygon(text))};
}

/**
 * The camera as link text "x_y_zoom" (zoom to 4 significant digits).
 * @param {import("./embedding-scatter.js").Camera} camera
 * @param {number} span the picture's extent (largest side) in data units
 */
export function formatCamera({x, y, k}, span) {
  return `${roundCoordinate(x, span)}_${roundCoordinate(y, span)}_${Number(k.toPrecision(4))}`;
}

/**
 * The inverse of formatCamera; null for text that is not a camera.
 * @param {string} text
 * @returns {import("./embedding-scatter.js").Camera | null}
 */
export function parseCamera(text) {
  const numbers = text.split("_").map(Number);
  if (numbers.length !== 3 || !numbers.every(Number.isFinite) || !(numbers[2] > 0)) return null;
  return {x: numbers[0], y: numbers[1], k: numbers[2]};
}

/**
 * @param {string} text x0_y0_x1_y1...
 * @returns {[number, number][] | null} null unless at least 3 finite vertices
 */
function parsePolygon(text) {
  const numbers = text.split("_").map(Number);
  if (numbers.length < 6 || numbers.length % 2 || !numbers.every(Number.isFinite)) return null;
  return Array.from({length: numbers.length / 2}, (_, k) => /** @type {[number, number]} */ ([numbers[2 * k], numbers[2 * k + 1]]));
}

/**
 * The category (a value of one of `fields`) whose items are exactly `indices`, or null.
 * @param {ArrayLike<number>} indices ascending
 * @param {Record<string, string[]>} columns
 * @param {readonly string[]} fields
 * @returns {{field: string, value: string} | null}
 */
export function categoryRule(indices, columns, fields) {
  if (!indices.length) return null;
  for (const field of fields) {
    const values = columns[field];
    const value = values[indices[0]];
    let count = 0;
    for (const v of values) if (v === value) count++;
    if (count !== indices.length) continue;
    let same = true;
    for (let k = 0; k < indices.length && same; k++) same = values[indices[k]] === value;
    if (same) return {field, value};
  }
  return null;
}

/**
 * The selection as link text: the shortest of its lasso rule (when it was drawn), its category rule
 * (when it is one category), and its id set; "" when even the shortest exceeds the budget (the link
 * then leaves the selection out, and the page says so).
 * @param {ArrayLike<number>} indices ascending
 * @param {LassoRule | null} rule
 * @param {Record<string, string[]>} columns
 * @param {readonly string[]} fields the columns a category rule may name
 * @returns {string}
 */
export function selectionParam(indices, rule, columns, fields) {
  const candidates = [`b_${encodeIdSet(indices)}`];
  const category = categoryRule(indices, columns, fields);
  if (category) candidates.push(`c_${category.field}_${category.value}`);
  if (rule) candidates.push(`p_${rule.method}_${rule.layer}_${rule.text}`);
  const best = candidates.reduce((a, b) => (linkLength(b) < linkLength(a) ? b : a));
  return linkLength(best) <= SELECTION_LINK_BUDGET ? best : "";
}

/** @param {string} text */
function linkLength(text) {
  return new URLSearchParams({s: text}).toString().length - 2;
}

/**
 * The items a link's selection text names in `data` (and the lasso rule, when it is one); null when
 * the text names nothing here (a link made for other data must not break the page). Text without a
 * kind prefix is the older range list ("1-3.7").
 * @param {string} text
 * @param {SelectableData} data
 * @param {readonly string[]} fields
 * @returns {{indices: Int32Array, rule: LassoRule | null} | null}
 */
export function selectionFromParam(text, data, fields) {
  const [kind, ...rest] = text.split("_");
  /** @type {Int32Array | null} */
  let indices = null;
  /** @type {LassoRule | null} */
  let rule = null;
  if (kind === "b") {
    indices = decodeIdSet(rest.join("_"), data.n);
  } else if (kind === "c") {
    const [field, ...value] = rest;
    const name = value.join("_");
    if (fields.includes(field)) indices = Int32Array.from(data.columns[field].flatMap((v, i) => (v === name ? [i] : [])));
  } else if (kind === "p") {
    const [method, layerText, ...coordinates] = rest;
    const layer = Number(layerText);
    const polygon = parsePolygon(coordinates.join("_"));
    if (polygon && data.methods.includes(method) && data.meta.layers.includes(layer)) {
      const {x, y} = data.position(method, layer);
      indices = pointsInPolygon(x, y, polygon);
      rule = {kind: "lasso", method, layer, text: coordinates.join("_"), polygon};
    }
  } else {
    indices = decodeIndices(text, data.n);
  }
  return indices?.length ? {indices, rule} : null;
}
