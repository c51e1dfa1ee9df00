// Ranking score against a resource proxy (speakers, web share), log scale, one dot per language.
import * as Plot from "@observablehq/plot";

/**
 * @param {import("../loaders/report/page-data.js").ProxyPoint[]} data languages with a positive proxy value
 * @param {{width: number, x: string, title?: string}} options
 */
export function proxyScatter(data, {width, x, title}) {
  return Plot.plot({
    width,
    height: 340,
    title,
    x: {type: "log", label: x, grid: true},
    y: {label: "Score (mean cosine with English)", grid: true},
    marks: [
      Plot.dot(data, {x: "proxy", y: "score", r: 3, fill: "currentColor", fillOpacity: 0.5}),
      Plot.linearRegressionY(data, {x: (d) => d.proxy, y: "score", stroke: "var(--theme-foreground-focus)"}),
      Plot.tip(data, Plot.pointer({x: "proxy", y: "score", title: (d) => `${d.name}\n${x}: ${d.proxy.toLocaleString("en-US")}\nscore ${d.score.toFixed(4)}`}))
    ]
  });
}
