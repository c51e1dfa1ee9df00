// A heatmap of rows (languages) by columns (layers or languages), e.g. CKA per layer or probe transfer.
import * as Plot from "@observablehq/plot";
import {described, labelMargin, textWidth} from "./chart-text.js";
import {fixed, plural} from "./format.js";

/**
 * @param {import("../loaders/report/page-data.js").HeatmapCell[]} data
 * @param {{width: number, rows: string[], columns: (string | number)[], label: string, xLabel: string, yLabel?: string | null,
 *   domain?: [number, number], pivot?: number, title?: string}} options
 *   pivot: chance, where one exists: the colours diverge around it, so a cell below chance reads as below
 *   chance (not as merely low); otherwise a sequential scale over `domain`
 */
export function layerHeatmap(data, {width, rows, columns, label, xLabel, yLabel = null, domain, pivot, title}) {
  // Hundreds of languages (every UDHR text) still get a labelled row each, at the height of one tick label.
  const cell = rows.length > 60 ? 12 : 16;
  const columnLabels = columns.map(String);
  // Long column labels (language codes) are turned so that neighbours do not overlap.
  const turn = columns.length > 8 && Math.max(...columnLabels.map((c) => textWidth(c))) > (width - labelMargin(rows)) / columns.length - 4;
  const chart = Plot.plot({
    width,
    height: cell * rows.length + (turn ? 110 : 80),
    title,
    marginLeft: labelMargin(rows),
    marginBottom: turn ? 30 + Math.max(...columnLabels.map((c) => textWidth(c))) * 0.72 : undefined,
    padding: 0,
    x: {domain: columns, label: xLabel, tickFormat: (d) => d, tickRotate: turn ? -45 : 0},
    y: {domain: rows, label: yLabel},
    color: pivot === undefined
      ? {scheme: "viridis", domain, legend: true, label}
      : {type: "diverging", scheme: "RdBu", pivot, symmetric: true, legend: true, label: `${label} (white: chance, ${fixed(pivot)}; red: below)`},
    marks: [
      Plot.cell(data, {x: "column", y: "row", fill: "value", inset: 0.2}),
      Plot.tip(data, Plot.pointer({x: "column", y: "row", title: (d) => `${d.row} · ${xLabel} ${d.column}\n${label}: ${Number.isFinite(d.value) ? d.value.toFixed(3) : "n/a"}`}))
    ]
  });
  const values = data.map((d) => d.value).filter(Number.isFinite);
  const range = values.length ? `from ${fixed(Math.min(...values))} to ${fixed(Math.max(...values))}` : "no values";
  const below = pivot === undefined ? "" : `; ${values.filter((v) => v < pivot).length} of ${values.length} cells below chance`;
  return described(chart, title, `Heatmap of ${label}, ${plural(rows.length, "row")} by ${plural(columns.length, "column")} (${xLabel}), ${range}${below}.`);
}
