// Text on charts: room for tick labels, and what a screen reader announces for a chart.

/** East Asian wide characters (Han, kana, Hangul, full-width forms) take a full em; others about 0.6. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/**
 * An upper estimate of a label's width in pixels at `fontSize` in a sans-serif font: 0.62 em per
 * character (the widest common Latin letters average below that), 1 em for wide characters.
 * @param {string} text
 * @param {number} [fontSize] px (Plot's default is 10)
 */
export function textWidth(text, fontSize = 10) {
  let ems = 0;
  for (const c of text) ems += WIDE.test(c) ? 1 : 0.62;
  return Math.ceil(ems * fontSize);
}

/**
 * A left margin that fits the longest y tick label: its width, the tick (6 px) and a gap.
 * @param {readonly string[]} labels
 * @param {number} [fontSize]
 */
export function labelMargin(labels, fontSize = 10) {
  return Math.max(40, ...labels.map((label) => textWidth(label, fontSize))) + 12;
}

/**
 * Marks a chart as one image for assistive technology, named by its title and a one-line summary.
 * @template {Element} T
 * @param {T} chart a Plot figure or SVG
 * @param {string | undefined} title
 * @param {string} summary
 * @returns {T}
 */
export function described(chart, title, summary) {
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", title ? `${title}. ${summary}` : summary);
  return chart;
}
