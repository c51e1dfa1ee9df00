// Ranking score against a resource proxy (speakers, web share), log scale, one dot per language.
import * as Plot from "@observablehq/plot";
import {described} from "./chart-text.js";
import {MIN_CORRELATION_N, percentTick, plural} from "./format.js";

/**
 * @param {import("../loaders/report/page-data.js").ProxyPoint[]} data languages with a positive proxy value
 * @param {{width: number, x: string, title?: string, percent?: boolean}} options
 *   percent: the proxy is already in percent (web share): ticks read "0.5%", not "500m"
 */
export function proxyScatter(data, {width, x, title, percent = false}) {
  const chart = Plot.plot({
    width,
    height: 340,
    title,
    x: {type: "log", label: x, grid: true, ...(percent ? {tickFormat: percentTick} : {})},
    y: {label: "Score (mean cosine with English)", grid: true},
    marks: [
      Plot.dot(data, {x: "proxy", y: "score", r: 3, fill: "currentColor", fillOpacity: 0.5}),
      // A fitted line over a handful of languages would suggest a trend the data cannot carry.
      data.length >= MIN_CORRELATION_N ? Plot.linearRegressionY(data, {x: (d) => d.proxy, y: "score", stroke: "var(--theme-foreground-focus)"}) : null,
      Plot.tip(data, Plot.pointer({x: "proxy", y: "score", title: (d) => `${d.name}\n${x}: ${d.proxy.toLocaleString("en-US")}${percent ? "%" : ""}\nscore ${d.score.toFixed(4)}`}))
    ]
  });
  return described(chart, title, `${plural(data.length, "language")}, score against ${x} on a log scale.`);
}
