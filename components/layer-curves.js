// Layer-wise curves: one line per series over hidden-state index (0 = embeddings) or relative depth.
import * as Plot from "@observablehq/plot";
import {described} from "./chart-text.js";

/**
 * @param {import("../loaders/report/page-data.js").CurvePoint[]} data
 *   low/high: an interval drawn as a band around the series' line
 * @param {{width: number, y?: string, title?: string, relative?: boolean, percent?: boolean, references?: import("../loaders/report/page-data.js").ReferenceLine[]}} options
 *   relative: `layer` is a relative depth in [0, 1] (models of different depth on one chart);
 *   percent: values are shares in [0, 1], drawn in percent;
 *   references: horizontal dashed lines (a baseline, chance), labelled at the right end
 */
export function layerCurves(data, {width, y = "Mean cosine with English", title, relative = false, percent = false, references = []}) {
  const x = relative
    ? {label: "Relative depth (0 = embeddings, 1 = last layer)", domain: [0, 1]}
    : {label: "Hidden state (0 = embeddings)", tickFormat: "d", ticks: Math.max(0, ...data.map((d) => d.layer)) + 1};
  const banded = data.filter((d) => Number.isFinite(d.low) && Number.isFinite(d.high));
  const lastLayer = Math.max(...data.map((d) => d.layer));
  const series = [...new Set(data.map((d) => d.series))];
  const chart = Plot.plot({
    width,
    height: 280,
    title,
    x,
    y: {label: percent ? `${y} (%)` : y, grid: true, percent},
    color: {legend: true},
    marks: [
      Plot.ruleY([0]),
      Plot.areaY(banded, {x: "layer", y1: "low", y2: "high", fill: "series", fillOpacity: 0.15}),
      Plot.ruleY(references, {y: "value", stroke: "currentColor", strokeOpacity: 0.6, strokeDasharray: "4,3"}),
      Plot.text(references, {x: lastLayer, y: "value", text: "label", textAnchor: "end", dy: -6, fill: "currentColor"}),
      Plot.line(data, {x: "layer", y: "value", stroke: "series", marker: "circle", tip: true})
    ]
  });
  const lines = references.length ? `; dashed: ${references.map((r) => r.label).join(", ")}` : "";
  return described(chart, title, `${y} by ${relative ? "relative depth" : "hidden state"}, ${series.length === 1 ? "one line" : `${series.length} lines`}: ${series.join(", ")}${lines}.`);
}
