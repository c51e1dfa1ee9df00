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
 * @param {string | null} text
 * @param {number} [limit]
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
 * Sorted distinct non-negative integers as URL-safe text: alternating gap and run lengths (the gap
 * before a run of consecutive indices, then the run's length) as LEB128 varints, in base64url.
 * A scattered set costs about 2-3 bytes per index, a set of long runs a few bytes per run.
 * @param {ArrayLike<number>} indices ascending, distinct
 * @returns {string}
 * @example encodeIdSet([0, 1, 2, 10]) // "AAMHAQ" (gap 0, run 3, gap 7, run 1)
 */
export function encodeIdSet(indices) {
  /** @type {number[]} */
  const bytes = [];
  const varint = (/** @type {number} */ value) => {
    for (; value >= 0x80; value = Math.floor(value / 0x80)) bytes.push((value % 0x80) | 0x80);
    bytes.push(value);
  };
  let next = 0; // the first index not yet covered
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    varint(indices[i] - next);
    varint(j - i + 1);
    next = indices[j] + 1;
    i = j + 1;
  }
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The inverse of encodeIdSet; indices >= limit are dropped, and malformed text gives null (a link
 * made for other data, or cut short, must not break the page).
 * @param {string} text
 * @param {number} [limit]
 * @returns {Int32Array | null}
 */
export function decodeIdSet(text, limit = Infinity) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let binary;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  /** @type {number[]} */
  const values = [];
  for (let i = 0; i < binary.length; ) {
    let value = 0;
    for (let shift = 1; ; shift *= 0x80) {
      if (i >= binary.length) return null;
      const byte = binary.charCodeAt(i++);
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
    }
    values.push(value);
  }
  if (values.length % 2) return null;
  /** @type {number[]} */
  const out = [];
  let next = 0;
  for (let k = 0; k < values.length; k += 2) {
    const start = next + values[k];
    const end = Math.min(start + values[k + 1], limit);
    for (let i = start; i < end; i++) out.push(i);
    next = start + values[k + 1];
  }
  return Int32Array.from(out);
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
  /** @type {Record<string, string | number | null>} */
  const state = {...defaults};
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
 * @param {Record<string, string | number | null>} state
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
