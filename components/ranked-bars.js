// Ranked horizontal bars with confidence intervals: one bar per language, best first.
import * as Plot from "@observablehq/plot";
import {described, labelMargin} from "./chart-text.js";
import {fixed, plural} from "./format.js";

/**
 * @param {import("../loaders/report/page-data.js").RankedBar[]} data sorted by rank
 * @param {{width: number, x?: string, title?: string, baseline?: import("../loaders/report/page-data.js").ReferenceLine}} options
 *   baseline: a dashed reference line (e.g. 0 for centred vectors: the cosine of unrelated paragraphs)
 */
export function rankedBars(data, {width, x = "Score (mean cosine with English)", title, baseline}) {
  const label = (/** @type {typeof data[number]} */ d) => `${d.rank}. ${d.name}`;
  const labels = data.map(label);
  const chart = Plot.plot({
    width,
    height: 18 * data.length + 50,
    title,
    // Long language names ("Haitian Creole (hat) *") would be clipped by a fixed margin.
    marginLeft: labelMargin(labels),
    x: {label: x, grid: true},
    y: {label: null, domain: labels},
    marks: [
      Plot.barX(data, {x: "score", y: label, fill: "var(--theme-foreground-focus)", fillOpacity: 0.35}),
      Plot.ruleY(data, {x1: "low", x2: "high", y: label, strokeWidth: 2}),
      baseline ? Plot.ruleX([baseline.value], {strokeDasharray: "4,3", strokeOpacity: 0.8}) : null,
      baseline ? Plot.text([baseline], {x: "value", text: "label", frameAnchor: "top", dy: -2, textAnchor: "start", dx: 3}) : null,
      Plot.tip(data, Plot.pointerY({x: "score", y: label,
        title: (d) => `${d.name}\nrank ${d.rank}, score ${d.score.toFixed(4)}\n95% interval ${d.low.toFixed(4)} – ${d.high.toFixed(4)}`}))
    ]
  });
  const ends = data.length ? `first ${data[0].name} (${fixed(data[0].score, 3)}), last ${data[data.length - 1].name} (${fixed(data[data.length - 1].score, 3)})` : "no languages";
  return described(chart, title, `Bars of ${plural(data.length, "language")} by ${x}: ${ends}.`);
}
