// Colours for categorical columns with few or many categories (languages: hundreds).
import {interpolateRainbow} from "d3-scale-chromatic";
import {color as parseColor} from "d3-color";

/**
 * The first categories' colours, told apart with normal vision and under deuteranopia and protanopia
 * (every pair at least 12 CIEDE2000 apart in the simulation of Machado et al. 2009): Okabe & Ito's
 * colour-universal-design palette (2008) without its black and yellow, which vanish on a dark and a
 * white page, and two colours chosen to keep that distance.
 */
export const DISTINCT_COLORS = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#ff99aa", "#007766"];

/**
 * One CSS colour per category, in the order given (most frequent first gets the clearest colours):
 * DISTINCT_COLORS first; beyond them, hues spread around the wheel in golden-ratio steps so that
 * neighbours in the list differ (hundreds of languages cannot all be told apart by colour alone).
 * @param {number} n
 * @returns {string[]}
 */
export function categoryPalette(n) {
  return Array.from({length: n}, (_, i) => (i < DISTINCT_COLORS.length ? DISTINCT_COLORS[i] : interpolateRainbow((i * 0.618033988749895) % 1)));
}

/**
 * Codes a column as categories ordered by frequency (ties by name) and colours each point.
 * @param {readonly string[]} values one category per point
 * @returns {{categories: {name: string, count: number, color: string}[], code: Uint16Array, rgb: Uint8Array}}
 */
export function colorByCategory(values) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const count = (/** @type {string} */ name) => counts.get(name) ?? 0;
  const names = [...counts.keys()].sort((a, b) => count(b) - count(a) || (a < b ? -1 : a > b ? 1 : 0));
  const palette = categoryPalette(names.length);
  const rgbOf = palette.map((c) => {
    const parsed = parseColor(c);
    if (!parsed) throw new Error(`categoryPalette gave a colour d3 cannot read: ${c}`);
    const {r, g, b} = parsed.rgb();
    return [r, g, b];
  });
  const index = new Map(names.map((name, i) => [name, i]));
  const code = new Uint16Array(values.length);
  const rgb = new Uint8Array(3 * values.length);
  for (let i = 0; i < values.length; i++) {
    const k = /** @type {number} */ (index.get(values[i]));
    code[i] = k;
    rgb.set(rgbOf[k], 3 * i);
  }
  return {categories: names.map((name, i) => ({name, count: count(name), color: palette[i]})), code, rgb};
}
