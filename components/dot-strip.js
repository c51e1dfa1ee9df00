// One dot per language on a value axis, sorted, with an optional reference line (e.g. 1 = like English).
import * as Plot from "@observablehq/plot";

/**
 * @param {import("../loaders/report/page-data.js").StripDot[]} data
 * @param {{width: number, x: string, reference?: number, title?: string}} options
 */
export function dotStrip(data, {width, x, reference, title}) {
  const order = [...new Set([...data].sort((a, b) => b.value - a.value).map((d) => d.name))];
  return Plot.plot({
    width,
    height: 16 * order.length + 60,
    title,
    marginLeft: 170,
    x: {label: x, grid: true},
    y: {domain: order, label: null},
    color: {legend: data.some((d) => d.series)},
    marks: [
      reference === undefined ? null : Plot.ruleX([reference], {strokeDasharray: "4 3"}),
      Plot.dot(data, {x: "value", y: "name", fill: (d) => d.series ?? "value", r: 3.5, tip: true})
    ]
  });
}
