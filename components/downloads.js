// Download buttons under a chart: the picture as PNG or SVG and the chart's data as CSV.
import {csvFormat} from "d3-dsv";

/**
 * Wraps a chart with a toolbar of download buttons.
 * @param {Element} chart a Plot figure/SVG, or any element (then pass `svg`/`png`)
 * @param {object} options
 * @param {string | (() => string)} options.name file name without extension, e.g. "ranking-babelscope-tiny"
 *   (a function when it follows the view, e.g. the explorer's layer)
 * @param {object[]} [options.data] rows for the CSV download
 * @param {() => object[]} [options.rows] rows for the CSV download, computed on click (default: `data`;
 *   neither: no CSV button)
 * @param {() => string} [options.svg] SVG text of the picture (default: the chart's largest <svg>)
 * @param {() => Promise<Blob>} [options.png] PNG of the picture (default: the SVG rasterised at 2x)
 * @returns {HTMLElement}
 */
export function downloadable(chart, {name, data, rows = data && (() => data), svg = () => chartSvg(chart), png = () => svgToPng(svg())}) {
  const wrapper = document.createElement("div");
  wrapper.className = "downloadable";
  const bar = document.createElement("div");
  bar.className = "download-bar";
  bar.style.cssText = "display:flex;gap:0.5rem;justify-content:flex-end;font-size:12px;";
  const fileName = typeof name === "function" ? name : () => name;
  const button = (/** @type {string} */ label, /** @type {() => Blob | Promise<Blob>} */ action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.download = label.toLowerCase();
    b.addEventListener("click", async () => saveBlob(await action(), `${fileName()}.${label.toLowerCase()}`));
    bar.append(b);
  };
  button("PNG", png);
  button("SVG", () => new Blob([svg()], {type: "image/svg+xml"}));
  if (rows) button("CSV", () => csvBlob(rows()));
  wrapper.append(chart, bar);
  return wrapper;
}

/**
 * Rows of objects as a CSV file (header from the first row's keys; quoting as RFC 4180).
 * @param {object[]} rows
 */
export function csvBlob(rows) {
  return new Blob([csvFormat(rows)], {type: "text/csv"});
}

/**
 * The chart's main SVG (the largest, so legends are skipped) as standalone text.
 * @param {Element} chart
 */
function chartSvg(chart) {
  const svgs = chart instanceof SVGSVGElement ? [chart] : [...chart.querySelectorAll("svg")];
  if (!svgs.length) throw new Error("downloadable: the chart has no <svg>; pass an svg() option");
  const area = (/** @type {SVGSVGElement} */ s) => (s.width.baseVal.value || 0) * (s.height.baseVal.value || 0);
  const main = svgs.reduce((a, b) => (area(b) > area(a) ? b : a));
  const copy = /** @type {SVGSVGElement} */ (main.cloneNode(true));
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  // Plot styles text through a scoped <style>; the font needs to be explicit outside the page.
  copy.setAttribute("font-family", getComputedStyle(main).fontFamily || "sans-serif");
  return new XMLSerializer().serializeToString(copy);
}

/**
 * Rasterises SVG text on a white background at `scale` times its size.
 * @param {string} svgText
 * @returns {Promise<Blob>}
 */
export async function svgToPng(svgText, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], {type: "image/svg+xml"}));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(image.width * scale);
    canvas.height = Math.ceil(image.height * scale);
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return /** @type {Blob} */ (await new Promise((/** @type {(blob: Blob | null) => void} */ resolve) => canvas.toBlob(resolve, "image/png")));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * @param {Blob} blob
 * @param {string} filename
 */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
