// View state in the URL's query string, so that a copied link reproduces what the sender saw.

/**
 * Sorted non-negative integers as compact ranges: [1, 2, 3, 7, 9, 10] -> "1-3.7.9-10".
 * @param {ArrayLike<number>} indices ascending
 */
export function encodeIndices(indices) {
  const parts = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(j > i ? `${indices[i]}-${indices[j]}` : `${indices[i]}`);
    i = j + 1;
  }
  return parts.join(".");
}

/**
 * The inverse of encodeIndices; indices >= limit or malformed parts are dropped (a link made for
 * other data must not break the page).
 * @param {string | null | undefined} text
 * @returns {Int32Array}
 */
export function decodeIndices(text, limit = Infinity) {
  const out = [];
  for (const part of (text ?? "").split(".")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) continue;
    const from = Number(match[1]);
    const to = Math.min(match[2] === undefined ? from : Number(match[2]), limit - 1);
    for (let i = from; i <= to; i++) out.push(i);
  }
  return Int32Array.from(new Set(out)).sort();
}

/**
 * Reads typed state from a query string, falling back to defaults for missing or invalid values.
 * @template {Record<string, string | number | null>} T
 * @param {string} search e.g. location.search
 * @param {T} defaults the keys to read and their types
 * @param {Partial<Record<keyof T, readonly (string | number)[]>>} [choices] allowed values per key
 * @returns {T}
 */
export function readState(search, defaults, choices = {}) {
  const params = new URLSearchParams(search);
  const state = /** @type {Record<string, string | number | null>} */ ({...defaults});
  for (const [key, fallback] of Object.entries(defaults)) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = typeof fallback === "number" ? Number(raw) : raw;
    if (typeof value === "number" && !Number.isFinite(value)) continue;
    if (choices[key] && !choices[key].includes(value)) continue;
    state[key] = value;
  }
  return /** @type {T} */ (state);
}

/**
 * The query string for a state, leaving out values equal to their defaults (short links).
 * @param {Record<string, string | number | null | undefined>} state
 * @param {Record<string, string | number | null>} defaults
 * @returns {string} "" or "?key=value&..."
 */
export function writeState(state, defaults) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value === null || value === undefined || value === "" || value === defaults[key]) continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * Replaces the address bar's query string (no new history entry): the keys of `defaults` take their
 * values from `state` (dropped when equal to the default); other keys (another control's) are kept.
 * @param {Record<string, string | number | null>} state
 * @param {Record<string, string | number | null>} defaults
 */
export function replaceQuery(state, defaults) {
  history.replaceState(history.state, "", `${location.pathname}${mergeQuery(location.search, state, defaults)}${location.hash}`);
}

/**
 * The query string `search` with the keys of `defaults` set from `state` (see replaceQuery).
 * @param {string} search
 * @param {Record<string, string | number | null>} state
 * @param {Record<string, string | number | null>} defaults
 */
export function mergeQuery(search, state, defaults) {
  const params = new URLSearchParams(search);
  for (const key of Object.keys(defaults)) params.delete(key);
  for (const [key, value] of new URLSearchParams(writeState(state, defaults))) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : "";
}
