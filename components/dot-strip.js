// One dot per language on a value axis, sorted, with an optional reference line (e.g. 1 = like English).
import * as Plot from "@observablehq/plot";
import {described, labelMargin} from "./chart-text.js";
import {plural} from "./format.js";

/**
 * @param {import("../loaders/report/page-data.js").StripDot[]} data
 * @param {{width: number, x: string, reference?: import("../loaders/report/page-data.js").ReferenceLine, title?: string}} options
 */
export function dotStrip(data, {width, x, reference, title}) {
  const order = [...new Set([...data].sort((a, b) => b.value - a.value).map((d) => d.name))];
  const chart = Plot.plot({
    width,
    height: 16 * order.length + 70,
    title,
    marginLeft: labelMargin(order),
    x: {label: x, grid: true},
    y: {domain: order, label: null},
    color: {legend: data.some((d) => d.series)},
    marks: [
      reference ? Plot.ruleX([reference.value], {strokeDasharray: "4 3"}) : null,
      reference ? Plot.text([reference], {x: "value", text: "label", frameAnchor: "top", dy: -2, textAnchor: "start", dx: 3}) : null,
      Plot.dot(data, {x: "value", y: "name", fill: (d) => d.series ?? "value", r: 3.5, tip: true})
    ]
  });
  const series = [...new Set(data.map((d) => d.series).filter(Boolean))];
  return described(chart, title, `${plural(order.length, "language")} on ${x}${series.length ? `, one dot per ${series.join(", ")}` : ""}; highest ${order[0] ?? "none"}, lowest ${order[order.length - 1] ?? "none"}.`);
}
