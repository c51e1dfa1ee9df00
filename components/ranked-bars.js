// Ranked horizontal bars with confidence intervals: one bar per language, best first.
import * as Plot from "@observablehq/plot";

/**
 * @param {import("../loaders/report/page-data.js").RankedBar[]} data sorted by rank
 * @param {{width: number, x?: string, title?: string}} options
 */
export function rankedBars(data, {width, x = "Score (mean cosine with English)", title}) {
  return Plot.plot({
    width,
    height: 18 * data.length + 50,
    title,
    marginLeft: 170,
    x: {label: x, grid: true},
    y: {label: null, domain: data.map((d) => `${d.rank}. ${d.name}`)},
    marks: [
      Plot.barX(data, {x: "score", y: (d) => `${d.rank}. ${d.name}`, fill: "var(--theme-foreground-focus)", fillOpacity: 0.35}),
      Plot.ruleY(data, {x1: "low", x2: "high", y: (d) => `${d.rank}. ${d.name}`, strokeWidth: 2}),
      Plot.tip(data, Plot.pointerY({x: "score", y: (d) => `${d.rank}. ${d.name}`,
        title: (d) => `${d.name}\nrank ${d.rank}, score ${d.score.toFixed(4)}\n95% interval ${d.low.toFixed(4)} – ${d.high.toFixed(4)}`}))
    ]
  });
}
