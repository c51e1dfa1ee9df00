// Download buttons under a chart: the picture as PNG or SVG and the chart's data as CSV. A picture
// stands alone: it carries the chart's title, legend, axes and a source line, on an opaque background.
import {csvFormat} from "d3-dsv";
import {textWidth} from "./chart-text.js";

/**
 * Wraps a chart with a toolbar of download buttons.
 * @param {Element} chart a Plot figure/SVG, or any element (then pass `svg`/`png`)
 * @param {object} options
 * @param {string | (() => string)} options.name file name without extension, e.g. "ranking-babelscope-tiny"
 *   (a function when it follows the view, e.g. the explorer's layer)
 * @param {object[]} [options.data] rows for the CSV download
 * @param {() => object[]} [options.rows] rows for the CSV download, computed on click (default: `data`;
 *   neither: no CSV button)
 * @param {string} [options.title] the picture's title (default: the Plot figure's own title)
 * @param {string} [options.source] the source line under the picture (see `sourceLine`)
 * @param {() => string} [options.svg] SVG text of the picture (default: `standaloneSvg` of the chart)
 * @param {() => Promise<Blob>} [options.png] PNG of the picture (default: the SVG rasterised at 2x)
 * @returns {HTMLElement}
 */
export function downloadable(chart, {name, data, rows = data && (() => data), title, source, svg = () => standaloneSvg(chart, {title, source}), png = () => svgToPng(svg(), 2, pageBackground(chart))}) {
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
 * The source line of a picture: what produced its numbers, so that a copy found elsewhere says so.
 * @param {{model: string, dataset?: string, store?: string, protocol?: string}} source
 */
export function sourceLine({model, dataset, store, protocol}) {
  return ["Babelscope", model, dataset && `dataset ${dataset}`, store && `store ${store}`, protocol && `protocol: ${protocol}`].filter(Boolean).join(" · ");
}

/**
 * Rows of objects as a CSV file (header from the first row's keys; quoting as RFC 4180).
 * @param {object[]} rows
 */
export function csvBlob(rows) {
  return new Blob([csvFormat(/** @type {{[key: string]: any}[]} */ (rows))], {type: "text/csv"});
}

/**
 * The chart's main SVG: the largest, so that legend ramps are skipped.
 * @param {Element} chart
 * @returns {SVGSVGElement}
 */
function mainSvg(chart) {
  const svgs = chart instanceof SVGSVGElement ? [chart] : [...chart.querySelectorAll("svg")];
  if (!svgs.length) throw new Error("downloadable: the chart has no <svg>; pass an svg() option");
  const area = (/** @type {SVGSVGElement} */ s) => (s.width.baseVal.value || 0) * (s.height.baseVal.value || 0);
  return svgs.reduce((a, b) => (area(b) > area(a) ? b : a));
}

/**
 * The colour behind an element: its own or its nearest ancestor's opaque background; white when
 * none (dark themes set one on the page, so a dark chart gets a dark picture).
 * @param {Element} element
 */
function pageBackground(element) {
  for (let e = /** @type {Element | null} */ (element); e; e = e.parentElement) {
    const color = getComputedStyle(e).backgroundColor;
    if (color && color !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(color)) return color;
  }
  return "white";
}

/**
 * A copy of an SVG element in which every colour given through a CSS variable or `currentColor`
 * is written out as the colour the page computed: outside the page neither resolves.
 * @param {SVGSVGElement} svg
 */
function resolvedCopy(svg) {
  const copy = /** @type {SVGSVGElement} */ (svg.cloneNode(true));
  const originals = [...svg.querySelectorAll("*")];
  const copies = [...copy.querySelectorAll("*")];
  originals.forEach((original, i) => {
    for (const property of /** @type {const} */ (["fill", "stroke"])) {
      const value = copies[i].getAttribute(property);
      if (value && /var\(|currentcolor/i.test(value)) copies[i].setAttribute(property, getComputedStyle(original)[property]);
    }
  });
  return copy;
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * A copied SVG placed at the left edge, `y` down, at its own size: Plot's stylesheet sizes its SVGs
 * for the page (height: auto, max-width: 100%), which inside another SVG would stretch them.
 * @param {SVGSVGElement} copy
 * @param {number} y
 */
function placed(copy, y) {
  copy.setAttribute("x", "0");
  copy.setAttribute("y", String(y));
  copy.setAttribute("style", `width:${copy.getAttribute("width")}px;height:${copy.getAttribute("height")}px;max-width:none`);
  return copy;
}

/**
 * @param {string} name
 * @param {Record<string, string | number>} attributes
 * @param {string} [text]
 */
function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Plot's legends: swatches (HTML, class `plot-…-swatches`, one `plot-…-swatch` per category) and ramps (an SVG, `plot-…-ramp`). */
const LEGENDS = 'div[class*="-swatches"], svg[class$="-ramp"]';

/**
 * A Plot legend of swatches redrawn as SVG rows that wrap at `width`.
 * @param {Element} swatches
 * @param {number} width
 * @returns {{group: SVGGElement, height: number}}
 */
function swatchRows(swatches, width) {
  const group = /** @type {SVGGElement} */ (svgElement("g", {}));
  let x = 0;
  let y = 0;
  for (const swatch of swatches.querySelectorAll('[class$="-swatch"]')) {
    const label = swatch.textContent?.trim() ?? "";
    const shape = swatch.querySelector("svg");
    const itemWidth = 18 + textWidth(label, 11) + 14;
    if (x > 0 && x + itemWidth > width) [x, y] = [0, y + 18];
    group.append(svgElement("rect", {x, y, width: 12, height: 12, fill: shape ? getComputedStyle(shape).fill : "currentColor"}));
    group.append(svgElement("text", {x: x + 17, y: y + 10, "font-size": 11}, label));
    x += itemWidth;
  }
  return {group, height: y + 18};
}

/**
 * Text broken into lines of at most `width` pixels (estimated), at the separators " · ".
 * @param {string} text
 * @param {number} width
 * @param {number} fontSize
 */
export function wrapAtSeparators(text, width, fontSize) {
  /** @type {string[]} */
  const lines = [];
  for (const part of text.split(" · ")) {
    const last = lines.length ? `${lines[lines.length - 1]} · ${part}` : part;
    if (lines.length && textWidth(last, fontSize) <= width) lines[lines.length - 1] = last;
    else lines.push(part);
  }
  return lines;
}

/**
 * The chart as a standalone SVG document: title, legends, the chart with its axes, and a source line,
 * on an opaque background of the page's colour, with the page's text colour and font written out.
 * @param {Element} chart a Plot figure or SVG
 * @param {{title?: string, source?: string}} [options]
 */
function standaloneSvg(chart, {title, source} = {}) {
  const main = mainSvg(chart);
  const width = main.width.baseVal.value;
  const style = getComputedStyle(main);
  const foreground = style.color || "black";
  const root = svgElement("svg", {xmlns: SVG, width, "font-family": style.fontFamily || "sans-serif", "font-size": 10, color: foreground, fill: foreground});
  const background = svgElement("rect", {width: "100%", height: "100%", fill: pageBackground(main)});
  root.append(background);
  let y = 0;
  const heading = title ?? chart.querySelector("figure > h2, h2")?.textContent ?? "";
  if (heading) {
    root.append(svgElement("text", {x: 0, y: y + 16, "font-size": 15, "font-weight": "bold"}, heading));
    y += 26;
  }
  const subtitle = chart.querySelector("figure > h3, h3")?.textContent;
  if (subtitle) {
    root.append(svgElement("text", {x: 0, y: y + 12, "font-size": 12}, subtitle));
    y += 20;
  }
  // Plot draws a category legend as HTML swatches and a continuous one as its own small SVG.
  for (const legend of chart === main ? [] : chart.querySelectorAll(LEGENDS)) {
    if (legend instanceof SVGSVGElement) {
      root.append(placed(resolvedCopy(legend), y));
      y += legend.height.baseVal.value + 6;
    } else {
      const {group, height} = swatchRows(legend, width);
      group.setAttribute("transform", `translate(0,${y + 2})`);
      root.append(group);
      y += height + 6;
    }
  }
  root.append(placed(resolvedCopy(main), y));
  y += main.height.baseVal.value;
  for (const line of source ? wrapAtSeparators(source, width, 10) : []) {
    root.append(svgElement("text", {x: 0, y: y + 14, "font-size": 10, "fill-opacity": 0.75}, line));
    y += 14;
  }
  if (source) y += 6;
  root.setAttribute("height", String(y));
  root.setAttribute("viewBox", `0 0 ${width} ${y}`);
  return new XMLSerializer().serializeToString(root);
}

/**
 * Rasterises SVG text on an opaque background at `scale` times its size.
 * @param {string} svgText
 * @param {number} [scale]
 * @param {string} [background] a CSS colour (default white)
 * @returns {Promise<Blob>}
 */
export async function svgToPng(svgText, scale = 2, background = "white") {
  const url = URL.createObjectURL(new Blob([svgText], {type: "image/svg+xml"}));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(image.width * scale);
    canvas.height = Math.ceil(image.height * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("downloadable: this browser gives no 2D canvas to draw the PNG on");
    context.fillStyle = background;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("downloadable: the PNG could not be encoded"))), "image/png"));
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
