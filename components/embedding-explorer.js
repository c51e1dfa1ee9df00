// The embedding explorer: controls, the WebGL scatter, hover text, search, lasso selection linked to
// a table, and nearest neighbours of a clicked point. Its view state (camera and selection included)
// lives in the URL query string.
import {color as parseColor} from "d3-color";
import {EmbeddingScatter} from "./embedding-scatter.js";
import {colorByCategory} from "./category-colors.js";
import {csvBlob, downloadable, saveBlob, svgToPng} from "./downloads.js";
import {formatCamera, parseCamera, roundPolygon, selectionFromParam, selectionParam} from "./explorer-link.js";
import {pointsInPolygon} from "./lasso.js";
import {readState, replaceQuery} from "./url-state.js";

/** @typedef {import("./projection-data.js").ProjectionData} ProjectionData */
/** @typedef {import("./explorer-link.js").LassoRule} LassoRule */
/** @typedef {"language" | "family" | "script" | "label"} ColorField */

/** @type {ColorField[]} */
const COLOR_FIELDS = ["language", "family", "script", "label"];
const NEIGHBOURS = 10;
const TABLE_ROWS = 200;
const PLAY_MS = 1200;
const LEGEND_ENTRIES = 16;
/** The camera is written to the address bar this long after the last pan or zoom step. */
const CAMERA_WRITE_MS = 250;

/**
 * @param {ProjectionData} data
 * @param {{width: number, height?: number, name: string}} options name: download file prefix
 * @returns {HTMLElement & {explorer: object, destroy: () => void}}
 */
export function embeddingExplorer(data, {width, height = Math.min(640, Math.round(width * 0.62)), name}) {
  const {meta, n, columns} = data;
  const defaults = {method: data.methods[0], layer: meta.layers[Math.floor(meta.layers.length / 2)], color: /** @type {string} */ ("language"), q: "", sel: "", pt: -1, cam: ""};
  const state = readState(location.search, defaults, {method: data.methods, layer: meta.layers, color: COLOR_FIELDS});
  if (!(Number.isInteger(state.pt) && state.pt < n)) state.pt = -1; // a link made for other data
  /** @type {{indices: Int32Array, rule: LassoRule | null} | null} */
  let selection = state.sel ? selectionFromParam(state.sel, data, COLOR_FIELDS) : null;
  /** The item the keyboard is on, or null. */
  /** @type {number | null} */
  let focused = null;
  /** @type {number | null} */
  let hovered = null;

  const root = /** @type {HTMLElement & {explorer: object, destroy: () => void}} */ (/** @type {unknown} */ (element("div", {className: "embedding-explorer"})));
  const controls = element("form", {className: "explorer-controls"});
  controls.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:center;margin-bottom:0.5rem;max-width:100%;";
  controls.addEventListener("submit", (event) => event.preventDefault());
  const methodSelect = select("method", data.methods, state.method);
  const layerInput = element("input", {type: "range", name: "layer", min: 0, max: meta.layers.length - 1, step: 1, value: meta.layers.indexOf(state.layer)});
  const layerLabel = element("output", {name: "layer-label"});
  const play = element("button", {type: "button", name: "play", textContent: "▶ Play"});
  const colorSelect = select("color", COLOR_FIELDS, state.color);
  const search = element("input", {type: "search", name: "search", placeholder: "text or language", value: state.q});
  search.style.maxWidth = "12rem";
  const lassoToggle = element("input", {type: "checkbox", name: "lasso"});
  const lasso = element("label", {}, [lassoToggle, " lasso (or shift-drag)"]);
  const clear = element("button", {type: "button", name: "clear", textContent: "Clear selection"});
  controls.append(
    labelled("Projection", methodSelect), labelled("Layer", layerInput, layerLabel), play,
    labelled("Colour by", colorSelect), labelled("Search", search), lasso, clear
  );
  // Read by screen readers as it changes: layer, selection, the hovered or focused item.
  const status = element("div", {className: "explorer-status", role: "status"});
  status.setAttribute("aria-live", "polite");
  status.style.cssText = "font-size:12px;color:var(--theme-foreground-muted);min-height:1.2em;overflow-wrap:anywhere;";
  const stage = element("div", {className: "explorer-stage"});
  stage.style.position = "relative";
  const tooltip = element("div", {className: "explorer-tooltip"});
  tooltip.style.cssText = "position:absolute;pointer-events:none;display:none;max-width:min(360px,90vw);background:var(--theme-background);border:1px solid var(--theme-foreground-faint);padding:6px 8px;border-radius:4px;font-size:13px;box-shadow:0 2px 8px rgba(0,0,0,.15);z-index:2;";
  const legend = element("div", {className: "explorer-legend"});
  legend.style.cssText = "display:flex;flex-wrap:wrap;gap:0.25rem 0.75rem;font-size:12px;margin:0.25rem 0;";
  const neighbours = element("section", {className: "explorer-neighbours"});
  neighbours.setAttribute("aria-label", "Nearest neighbours");
  const selected = element("div", {className: "explorer-selection"});

  /** @type {Map<string, ReturnType<typeof colorByCategory>>} */
  const colorings = new Map();
  const coloring = (/** @type {string} */ field) => {
    if (!colorings.has(field)) colorings.set(field, colorByCategory(columns[/** @type {ColorField} */ (field)]));
    return /** @type {ReturnType<typeof colorByCategory>} */ (colorings.get(field));
  };
  let highlight = searchMask(columns, state.q);
  /** @type {ReturnType<typeof setInterval> | null} */
  let timer = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let cameraWrite = null;
  let firstRender = true;
  const span = () => {
    const f = data.frame(state.method);
    return Math.max(f.x1 - f.x0, f.y1 - f.y0);
  };

  const scatter = new EmbeddingScatter(stage, {
    ...data.position(state.method, state.layer),
    rgb: coloring(state.color).rgb,
    frame: data.frame(state.method),
    camera: parseCamera(state.cam),
    width, height, selection: selection?.indices ?? null, highlight,
    marked: state.pt >= 0 ? nearest(state.pt) : null,
    onHover(index, event) {
      hovered = index;
      scatter.update({hovered: index});
      showTooltip(index, event);
      announce();
    },
    onSelect(indices, polygon) {
      if (!polygon) return setSelection(indices.length ? {indices, rule: null} : null);
      // The link carries the polygon rounded: the selection is made from that polygon, so that the
      // link restores exactly these items.
      const rounded = roundPolygon(polygon, span());
      const {x, y} = positions();
      const inside = pointsInPolygon(x, y, rounded.polygon);
      setSelection(inside.length ? {indices: inside, rule: {kind: "lasso", method: state.method, layer: state.layer, ...rounded}} : null);
    },
    onClick(index) {
      state.pt = index ?? -1;
      scatter.update({marked: index == null ? null : nearest(index)});
      sync();
    },
    onCamera(camera) {
      const {x0, x1, y0, y1} = data.frame(state.method);
      const home = camera.k === 1 && camera.x === (x0 + x1) / 2 && camera.y === (y0 + y1) / 2;
      state.cam = home ? "" : formatCamera(camera, span());
      if (cameraWrite) clearTimeout(cameraWrite);
      cameraWrite = setTimeout(() => replaceQuery(state, defaults), CAMERA_WRITE_MS);
    },
    onRender() {
      if (firstRender) {
        firstRender = false;
        // Milliseconds from navigation to the first complete frame: read by the benchmark and tests.
        root.dataset.firstRender = String(Math.round(performance.now()));
      }
      root.dataset.frames = String(Number(root.dataset.frames ?? 0) + 1);
    }
  });
  scatter.canvas.setAttribute("aria-label", `Embedding scatter plot of ${n.toLocaleString("en-US")} items. ` +
    "Arrow keys step through the selected items (or the search's matches, or all items), Enter lists the item's nearest neighbours, + and - zoom.");
  stage.append(tooltip);

  function positions() {
    return data.position(state.method, state.layer);
  }

  /** @param {{indices: Int32Array, rule: LassoRule | null} | null} next */
  function setSelection(next) {
    selection = next;
    focused = null;
    scatter.update({selection: selection?.indices ?? null, hovered: null});
    sync();
  }

  /**
   * The item and its nearest neighbours at the current layer: by cosine in the layer's neighbour
   * space when the data has one (the model's own geometry), else by distance in the picture.
   * @param {number} index
   */
  function nearest(index) {
    const space = data.neighbourSpace(state.layer);
    const distance = new Float64Array(n);
    if (space) {
      const k = /** @type {number} */ (meta.neighbourDimensions);
      for (let i = 0; i < n; i++) {
        let dot = 0;
        for (let c = 0; c < k; c++) dot += space[i * k + c] * space[index * k + c];
        distance[i] = -dot;
      }
    } else {
      const {x, y} = positions();
      for (let i = 0; i < n; i++) distance[i] = (x[i] - x[index]) ** 2 + (y[i] - y[index]) ** 2;
    }
    const order = Array.from({length: n}, (_, i) => i).filter((i) => i !== index);
    order.sort((a, b) => distance[a] - distance[b] || a - b);
    return Int32Array.from([index, ...order.slice(0, NEIGHBOURS)]);
  }

  /**
   * @param {number | null} index
   * @param {MouseEvent} [event]
   */
  function showTooltip(index, event) {
    if (index == null) return void (tooltip.style.display = "none");
    tooltip.replaceChildren(
      element("div", {style: "font-weight:600"}, [`${columns.language[index]} (${columns.lang[index]}) · ${columns[/** @type {ColorField} */ (state.color)][index]}`]),
      element("div", {className: "explorer-tooltip-text", dir: "auto", textContent: columns.text[index]}),
      element("div", {style: "color:var(--theme-foreground-muted);font-size:11px", textContent: `${columns.id[index]} · ${columns.family[index]} · ${columns.script[index]}`})
    );
    const [px, py] = event ? [event.offsetX, event.offsetY] : scatter.position(index);
    tooltip.style.left = `${Math.max(0, Math.min(px + 12, width - 370))}px`;
    tooltip.style.top = `${py + 12}px`;
    tooltip.style.display = "block";
  }

  /** @param {number} k index into meta.layers */
  function setLayer(k) {
    state.layer = meta.layers[k];
    layerInput.value = String(k);
    scatter.update(positions());
    if (state.pt >= 0) scatter.update({marked: nearest(state.pt)});
    sync();
  }

  /**
   * The items the arrow keys step through: the selection, else the search's matches, else all.
   * @returns {ArrayLike<number> | null} null: every item, in order
   */
  function route() {
    if (selection) return selection.indices;
    if (highlight) return Int32Array.from(Array.from(highlight).flatMap((m, i) => (m ? [i] : [])));
    return null;
  }

  /** @param {number} step +1, -1, or 0 for the first */
  function stepFocus(step) {
    const items = route();
    const count = items ? items.length : n;
    if (!count) return;
    const at = (/** @type {number} */ k) => (items ? items[k] : k);
    let k = 0;
    if (focused != null && step) {
      const now = items ? Array.prototype.indexOf.call(items, focused) : focused;
      k = now < 0 ? 0 : (now + step + count) % count;
    }
    focus(at(k), k, count);
  }

  /**
   * @param {number} index
   * @param {number} k its place in the route
   * @param {number} count the route's length
   */
  function focus(index, k, count) {
    focused = index;
    const [px, py] = scatter.position(index);
    // An item outside the picture is brought to its centre, at the same zoom.
    if (px < 0 || py < 0 || px > width || py > height) {
      const {x, y} = positions();
      scatter.moveCamera({x: x[index], y: y[index], k: scatter.camera().k});
    }
    scatter.update({hovered: index});
    showTooltip(index);
    announce(`Item ${(k + 1).toLocaleString("en-US")} of ${count.toLocaleString("en-US")}`);
  }

  scatter.canvas.addEventListener("keydown", (event) => {
    const actions = {
      ArrowRight: () => stepFocus(1), ArrowDown: () => stepFocus(1), ArrowLeft: () => stepFocus(-1), ArrowUp: () => stepFocus(-1),
      Home: () => stepFocus(0),
      Enter: () => focused != null && scatter.props.onClick?.(focused),
      Escape: () => {
        focused = null;
        scatter.update({hovered: null});
        showTooltip(null);
        announce();
      },
      "+": () => scatter.zoomAt(1.25, width / 2, height / 2), "=": () => scatter.zoomAt(1.25, width / 2, height / 2),
      "-": () => scatter.zoomAt(0.8, width / 2, height / 2)
    };
    const action = actions[/** @type {keyof typeof actions} */ (event.key)];
    if (!action) return;
    event.preventDefault();
    action();
  });

  methodSelect.addEventListener("change", () => {
    state.method = methodSelect.value;
    // Another projection's coordinates: the camera starts over at its frame.
    state.cam = "";
    scatter.update({...positions(), frame: data.frame(state.method), camera: null, marked: state.pt >= 0 ? nearest(state.pt) : null});
    sync();
  });
  layerInput.addEventListener("input", () => setLayer(Number(layerInput.value)));
  play.addEventListener("click", () => {
    if (timer) return stop();
    play.textContent = "❚❚ Pause";
    timer = setInterval(() => setLayer((Number(layerInput.value) + 1) % meta.layers.length), PLAY_MS);
  });
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "▶ Play";
  }
  colorSelect.addEventListener("change", () => {
    state.color = colorSelect.value;
    scatter.update({rgb: coloring(state.color).rgb});
    sync();
  });
  search.addEventListener("input", () => {
    state.q = search.value;
    highlight = searchMask(columns, state.q);
    scatter.update({highlight});
    sync();
  });
  lassoToggle.addEventListener("change", () => scatter.update({mode: lassoToggle.checked ? "lasso" : "pan"}));
  clear.addEventListener("click", () => {
    state.pt = -1;
    scatter.update({marked: null});
    setSelection(null);
  });

  /** Everything that follows from the state: URL, labels, legend, tables. */
  function sync() {
    state.sel = selection ? selectionParam(selection.indices, selection.rule, columns, COLOR_FIELDS) : "";
    replaceQuery(state, defaults);
    layerLabel.textContent = `${state.layer} of ${meta.layers[meta.layers.length - 1]}`;
    announce();
    renderLegend();
    renderNeighbours();
    renderSelection();
    // For what draws into this picture from outside (the sentence probe): method and layer may have changed.
    root.dispatchEvent(new CustomEvent("viewchange"));
  }

  /**
   * The status line: the view, the selection, and the item under the pointer or keyboard.
   * @param {string} [place] the focused item's place in the keyboard's route
   */
  function announce(place) {
    const matches = highlight ? highlight.reduce((a, b) => a + b, 0) : n;
    const item = focused ?? hovered;
    status.textContent = `${n.toLocaleString("en-US")} points · ${state.method.toUpperCase()} of layer ${state.layer}` +
      (highlight ? ` · ${matches.toLocaleString("en-US")} match “${state.q}”` : "") +
      (selection ? ` · ${selection.indices.length.toLocaleString("en-US")} selected` : "") +
      (selection && !state.sel ? " (too many to put in the link: download them as CSV)" : "") +
      (item != null ? ` · ${place ? `${place}: ` : ""}${columns.language[item]}: ${columns.text[item]}` : "");
  }

  function renderLegend() {
    const {categories} = coloring(state.color);
    const shown = categories.slice(0, LEGEND_ENTRIES);
    legend.replaceChildren(...shown.map(({name, count, color}) => element("span", {}, [
      element("span", {style: `display:inline-block;width:10px;height:10px;border-radius:50%;background:${color};margin-right:4px`}),
      `${name} (${count})`
    ])));
    if (categories.length > shown.length) legend.append(element("span", {textContent: `… ${categories.length - shown.length} more`}));
  }

  function renderNeighbours() {
    if (state.pt < 0 || state.pt >= n) return void neighbours.replaceChildren();
    const [self, ...others] = nearest(state.pt);
    const heading = data.neighbourSpace(state.layer)
      ? `Nearest neighbours at layer ${state.layer} (cosine in the layer's top ${meta.neighbourDimensions} principal components)`
      : `Nearest neighbours in this picture (${state.method.toUpperCase()}, layer ${state.layer})`;
    neighbours.replaceChildren(element("h3", {textContent: heading}), itemTable([self, ...others], heading, ["", ...others.map((_, k) => String(k + 1))]));
  }

  function renderSelection() {
    if (!selection) return void selected.replaceChildren();
    const indices = selection.indices;
    const rows = Array.from(indices.subarray(0, TABLE_ROWS));
    const download = element("button", {type: "button", textContent: "Download selection (CSV)"});
    download.dataset.download = "selection";
    download.addEventListener("click", () => saveBlob(csvBlob(Array.from(indices, (i) => itemRow(columns, i))), `${name}-selection.csv`));
    const heading = `Selected: ${indices.length.toLocaleString("en-US")} items${indices.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown)` : ""}`;
    selected.replaceChildren(element("h3", {textContent: heading}), download, itemTable(rows, heading));
  }

  /**
   * Items as a table whose rows (clicked, or Enter on a focused row) show that item's neighbours.
   * @param {number[]} rows
   * @param {string} caption
   * @param {string[]} [ranks]
   */
  function itemTable(rows, caption, ranks) {
    const table = element("table", {className: "explorer-table"});
    table.setAttribute("aria-label", caption);
    table.append(element("thead", {}, [element("tr", {}, [...(ranks ? ["#"] : []), "Language", "Family", "Label", "Text"].map((h) => element("th", {textContent: h})))]));
    const body = element("tbody");
    rows.forEach((i, k) => {
      const row = element("tr", {title: "Show this item's neighbours", style: "cursor:pointer", tabIndex: 0}, [
        ...(ranks ? [element("td", {textContent: ranks[k]})] : []),
        element("td", {textContent: `${columns.language[i]} (${columns.lang[i]})`}),
        element("td", {textContent: columns.family[i]}),
        element("td", {textContent: columns.label[i]}),
        element("td", {dir: "auto", textContent: columns.text[i]})
      ]);
      row.addEventListener("click", () => scatter.props.onClick?.(i));
      row.addEventListener("keydown", (event) => event.key === "Enter" && scatter.props.onClick?.(i));
      body.append(row);
    });
    table.append(body);
    return table;
  }

  const picture = downloadable(stage, {
    name: () => `${name}-${state.method}-layer${state.layer}`,
    rows: () => {
      const {x, y} = positions();
      return Array.from({length: n}, (_, i) => ({...itemRow(columns, i), x: x[i], y: y[i]}));
    },
    svg: () => exportSvg(),
    png: () => svgToPng(exportSvg(), 2)
  });

  /** The picture as on screen, with a title and the legend, on an opaque white page (SVG text). */
  function exportSvg() {
    const title = `${meta.model ?? name}: ${state.method.toUpperCase()} of layer ${state.layer}, coloured by ${state.color}` +
      (meta.dataset ? ` (${meta.dataset})` : "");
    const {categories} = coloring(state.color);
    const entries = categories.slice(0, LEGEND_ENTRIES).map(({name, count, color}) => ({text: `${name} (${count})`, color}));
    if (categories.length > entries.length) entries.push({text: `… ${categories.length - entries.length} more`, color: ""});
    return scatterSvg({title, entries, width, height, rgb: coloring(state.color).rgb, states: scatter.states(), position: (i) => scatter.position(i)});
  }

  root.append(controls, status, legend, picture, neighbours, selected);
  /** Rings in the page's text colour: dark on a light page, light on a dark one. */
  const setRingColor = () => {
    const c = parseColor(getComputedStyle(root).color)?.rgb();
    if (c) scatter.update({ringColor: [c.r, c.g, c.b]});
  };
  const darkMode = matchMedia("(prefers-color-scheme: dark)");
  darkMode.addEventListener("change", setRingColor);
  const resizeObserver = new ResizeObserver(() => {
    setRingColor();
    const w = Math.floor(root.clientWidth);
    if (w > 0 && w !== width) {
      width = w;
      height = Math.min(640, Math.round(width * 0.62));
      scatter.update({width, height});
    }
  });
  resizeObserver.observe(root);
  root.explorer = {state, scatter, data, get selection() { return selection?.indices ?? null; }, get focused() { return focused; }};
  root.destroy = () => {
    stop();
    if (cameraWrite) clearTimeout(cameraWrite);
    darkMode.removeEventListener("change", setRingColor);
    resizeObserver.disconnect();
    scatter.destroy();
  };
  sync();
  return root;
}

/**
 * 1 for points whose text contains the query (case-insensitive), or whose language code/name matches it.
 * @param {{text: string[], lang: string[], language: string[]}} columns
 * @param {string} query
 * @returns {Uint8Array | null} null: no query
 */
function searchMask(columns, query) {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const mask = new Uint8Array(columns.text.length);
  for (let i = 0; i < mask.length; i++) {
    if (columns.lang[i] === q || columns.language[i].toLowerCase().includes(q) || columns.text[i].toLowerCase().includes(q)) mask[i] = 1;
  }
  return mask;
}

/**
 * One item's fields for a CSV row.
 * @param {Record<import("./projection-data.js").Column, string[]>} columns
 * @param {number} i
 */
function itemRow(columns, i) {
  return {id: columns.id[i], lang: columns.lang[i], language: columns.language[i], family: columns.family[i], script: columns.script[i], label: columns.label[i], text: columns.text[i]};
}

const TITLE_HEIGHT = 28;
const LEGEND_ROW = 18;

/**
 * The picture as SVG: a title, the points as the scatter places them on screen (dimmed ones faint),
 * and the legend below, on a white background.
 * @param {object} picture
 * @param {string} picture.title
 * @param {{text: string, color: string}[]} picture.entries legend entries ("" colour: no swatch)
 * @param {number} picture.width
 * @param {number} picture.height
 * @param {Uint8Array} picture.rgb
 * @param {Float32Array} picture.states the scatter's point states (1 = dimmed)
 * @param {(i: number) => [number, number]} picture.position
 */
function scatterSvg({title, entries, width, height, rgb, states, position}) {
  const circles = [];
  for (let i = 0; i < states.length; i++) {
    const [cx, cy] = position(i);
    if (cx < 0 || cy < 0 || cx > width || cy > height) continue;
    const opacity = states[i] === 1 ? 0.08 : 0.75;
    circles.push(`<circle cx="${cx.toFixed(1)}" cy="${(cy + TITLE_HEIGHT).toFixed(1)}" r="1.5" fill="rgb(${rgb[3 * i]},${rgb[3 * i + 1]},${rgb[3 * i + 2]})" fill-opacity="${opacity}"/>`);
  }
  // Legend entries flow into rows (text width estimated at 6.5 px a character of 12 px text).
  const legend = [];
  let x = 8, row = 0;
  for (const {text, color} of entries) {
    const w = (color ? 14 : 0) + text.length * 6.5 + 14;
    if (x + w > width && x > 8) (x = 8), row++;
    const y = TITLE_HEIGHT + height + 14 + row * LEGEND_ROW;
    if (color) legend.push(`<circle cx="${x + 5}" cy="${y - 4}" r="5" fill="${color}"/>`);
    legend.push(`<text x="${x + (color ? 14 : 0)}" y="${y}">${escapeXml(text)}</text>`);
    x += w;
  }
  const total = TITLE_HEIGHT + height + (row + 1) * LEGEND_ROW + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif" font-size="12" fill="#222">` +
    `<rect width="100%" height="100%" fill="white"/><text x="8" y="19" font-size="15" font-weight="600">${escapeXml(title)}</text>` +
    `${circles.join("")}${legend.join("")}</svg>`;
}

/** @param {string} text */
function escapeXml(text) {
  return text.replace(/[<>&"]/g, (c) => `&${{"<": "lt", ">": "gt", "&": "amp", '"': "quot"}[c]};`);
}

/**
 * @param {string} name
 * @param {readonly string[]} options
 * @param {string} value
 */
function select(name, options, value) {
  const s = element("select", {name});
  for (const option of options) s.append(element("option", {value: option, textContent: option, selected: option === value}));
  return s;
}

/**
 * @param {string} text
 * @param {...Node} children
 */
function labelled(text, ...children) {
  return element("label", {style: "display:flex;gap:0.4rem;align-items:center;flex-wrap:wrap"}, [text, ...children]);
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [properties] DOM properties; "style" and "dir" as attributes
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, properties = {}, children = []) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === "style") e.style.cssText = value;
    else if (key === "dir" || key === "role") e.setAttribute(key, value);
    else /** @type {any} */ (e)[key] = value;
  }
  e.append(...children);
  return e;
}
