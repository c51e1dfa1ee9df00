// Layer-wise curves: one line per series over hidden-state index (0 = embeddings).
import * as Plot from "@observablehq/plot";

/**
 * @param {{layer: number, value: number, series: string}[]} data
 * @param {{width: number, y?: string, title?: string}} options
 */
export function layerCurves(data, {width, y = "Mean cosine with English", title} = {}) {
  return Plot.plot({
    width,
    height: 280,
    title,
    x: {label: "Hidden state (0 = embeddings)", tickFormat: "d", ticks: Math.max(...data.map((d) => d.layer)) + 1},
    y: {label: y, grid: true},
    color: {legend: true},
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, {x: "layer", y: "value", stroke: "series", marker: "circle", tip: true})
    ]
  });
}
