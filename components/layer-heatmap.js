// A heatmap of rows (languages) by columns (layers or languages), e.g. CKA per layer or probe transfer.
import * as Plot from "@observablehq/plot";

/**
 * @param {import("../loaders/report/page-data.js").HeatmapCell[]} data
 * @param {{width: number, rows: string[], columns: (string | number)[], label: string, xLabel: string, yLabel?: string | null, domain?: [number, number], title?: string}} options
 */
export function layerHeatmap(data, {width, rows, columns, label, xLabel, yLabel = null, domain, title}) {
  // Hundreds of languages: thin rows without labels (the tooltip names them).
  const many = rows.length > 60;
  const cell = rows.length > 200 ? 2 : many ? 4 : 16;
  return Plot.plot({
    width,
    height: cell * rows.length + 80,
    title,
    marginLeft: many ? 20 : 210,
    padding: 0,
    x: {domain: columns, label: xLabel, tickFormat: (d) => d},
    y: {domain: rows, label: yLabel, axis: many ? null : "left"},
    color: {scheme: "viridis", domain, legend: true, label},
    marks: [
      Plot.cell(data, {x: "column", y: "row", fill: "value", inset: 0.2}),
      Plot.tip(data, Plot.pointer({x: "column", y: "row", title: (d) => `${d.row} · ${xLabel} ${d.column}\n${label}: ${Number.isFinite(d.value) ? d.value.toFixed(3) : "n/a"}`}))
    ]
  });
}
