// Colours for categorical columns with few or many categories (languages: hundreds).
import {schemeTableau10, interpolateRainbow} from "d3-scale-chromatic";
import {color as parseColor} from "d3-color";

/**
 * One CSS colour per category, in the order given (most frequent first gets the clearest colours):
 * Tableau 10 for up to 10 categories; beyond that, hues spread around the wheel in golden-ratio
 * steps so that neighbours in the list differ.
 * @param {number} n
 * @returns {string[]}
 */
export function categoryPalette(n) {
  if (n <= schemeTableau10.length) return schemeTableau10.slice(0, n);
  return Array.from({length: n}, (_, i) => interpolateRainbow((i * 0.618033988749895) % 1));
}

/**
 * Codes a column as categories ordered by frequency (ties by name) and colours each point.
 * @param {Iterable<string> & ArrayLike<string>} values one category per point
 * @returns {{categories: {name: string, count: number, color: string}[], code: Uint16Array, rgb: Uint8Array}}
 */
export function colorByCategory(values) {
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const names = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : a > b ? 1 : 0));
  const palette = categoryPalette(names.length);
  const index = new Map(names.map((name, i) => [name, i]));
  const rgbOf = palette.map((c) => {
    const {r, g, b} = /** @type {NonNullable<ReturnType<typeof parseColor>>} */ (parseColor(c)).rgb();
    return [r, g, b];
  });
  const code = new Uint16Array(values.length);
  const rgb = new Uint8Array(3 * values.length);
  for (let i = 0; i < values.length; i++) {
    const k = /** @type {number} */ (index.get(values[i]));
    code[i] = k;
    rgb.set(rgbOf[k], 3 * i);
  }
  return {categories: names.map((name, i) => ({name, count: counts.get(name), color: palette[i]})), code, rgb};
}
