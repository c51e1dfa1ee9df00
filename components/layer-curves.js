// Layer-wise curves: one line per series over hidden-state index (0 = embeddings) or relative depth.
import * as Plot from "@observablehq/plot";

/**
 * @param {{layer: number, value: number, series: string}[]} data
 * @param {{width: number, y?: string, title?: string, relative?: boolean}} options
 *   relative: `layer` is a relative depth in [0, 1] (models of different depth on one chart)
 */
export function layerCurves(data, {width, y = "Mean cosine with English", title, relative = false} = {}) {
  const x = relative
    ? {label: "Relative depth (0 = embeddings, 1 = last layer)", domain: [0, 1]}
    : {label: "Hidden state (0 = embeddings)", tickFormat: "d", ticks: Math.max(0, ...data.map((d) => d.layer)) + 1};
  return Plot.plot({
    width,
    height: 280,
    title,
    x,
    y: {label: y, grid: true},
    color: {legend: true},
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, {x: "layer", y: "value", stroke: "series", marker: "circle", tip: true})
    ]
  });
}
