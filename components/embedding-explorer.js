// The embedding explorer: controls, the WebGL scatter, hover text, search, lasso selection linked to
// a table, and nearest neighbours of a clicked point. Its view state lives in the URL query string.
import {EmbeddingScatter} from "./embedding-scatter.js";
import {colorByCategory} from "./category-colors.js";
import {csvBlob, downloadable, saveBlob} from "./downloads.js";
import {decodeIndices, encodeIndices, readState, replaceQuery} from "./url-state.js";

/** @typedef {import("./projection-data.js").ProjectionData} ProjectionData */

/** @typedef {keyof import("../loaders/report/page-data.js").PointInfo} PointField */
/** @type {PointField[]} */
const COLOR_FIELDS = ["language", "family", "script", "label"];
const NEIGHBOURS = 10;
const TABLE_ROWS = 200;
const PLAY_MS = 1200;

/**
 * @param {ProjectionData} data
 * @param {{width: number, height?: number, name: string}} options name: download file prefix
 * @returns {HTMLElement & {explorer: object, destroy: () => void}}
 */
export function embeddingExplorer(data, {width, height = Math.min(640, Math.round(width * 0.62)), name}) {
  const {meta, n, columns} = data;
  /** @type {{method: string, layer: number, color: PointField, q: string, sel: string, pt: number}} */
  const defaults = {method: data.methods[0], layer: meta.layers[Math.floor(meta.layers.length / 2)], color: "language", q: "", sel: "", pt: -1};
  const state = readState(location.search, defaults, {method: data.methods, layer: meta.layers, color: COLOR_FIELDS});
  if (!(Number.isInteger(state.pt) && state.pt < n)) state.pt = -1; // a link made for other data
  let selection = state.sel ? decodeIndices(state.sel, n) : null;
  if (selection && !selection.length) selection = null;

  const root = /** @type {HTMLDivElement & {explorer: object, destroy: () => void}} */ (element("div", {className: "embedding-explorer"}));
  const controls = element("form", {className: "explorer-controls"});
  controls.style.cssText = "display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:center;margin-bottom:0.5rem;";
  controls.addEventListener("submit", (/** @type {SubmitEvent} */ event) => event.preventDefault());
  const methodSelect = select("method", data.methods, state.method);
  const layerInput = element("input", {type: "range", name: "layer", min: 0, max: meta.layers.length - 1, step: 1, value: meta.layers.indexOf(state.layer)});
  const layerLabel = element("output", {name: "layer-label"});
  const play = element("button", {type: "button", name: "play", textContent: "▶ Play"});
  const colorSelect = select("color", COLOR_FIELDS, state.color);
  const search = element("input", {type: "search", name: "search", placeholder: "text or language", value: state.q});
  const lasso = element("label", {}, [element("input", {type: "checkbox", name: "lasso"}), " lasso (or shift-drag)"]);
  const clear = element("button", {type: "button", name: "clear", textContent: "Clear selection"});
  controls.append(
    labelled("Projection", methodSelect), labelled("Layer", layerInput, layerLabel), play,
    labelled("Colour by", colorSelect), labelled("Search", search), lasso, clear
  );
  const status = element("div", {className: "explorer-status"});
  status.style.cssText = "font-size:12px;color:var(--theme-foreground-muted);min-height:1.2em;";
  const stage = element("div", {className: "explorer-stage"});
  stage.style.position = "relative";
  const tooltip = element("div", {className: "explorer-tooltip"});
  tooltip.style.cssText = "position:absolute;pointer-events:none;display:none;max-width:360px;background:var(--theme-background);border:1px solid var(--theme-foreground-faint);padding:6px 8px;border-radius:4px;font-size:13px;box-shadow:0 2px 8px rgba(0,0,0,.15);z-index:2;";
  const legend = element("div", {className: "explorer-legend"});
  legend.style.cssText = "display:flex;flex-wrap:wrap;gap:0.25rem 0.75rem;font-size:12px;margin:0.25rem 0;";
  const neighbours = element("div", {className: "explorer-neighbours"});
  const selected = element("div", {className: "explorer-selection"});

  /** @type {Map<PointField, ReturnType<typeof colorByCategory>>} */
  const colorings = new Map();
  const coloring = (/** @type {PointField} */ field) => {
    if (!colorings.has(field)) colorings.set(field, colorByCategory(columns[field]));
    return /** @type {ReturnType<typeof colorByCategory>} */ (colorings.get(field));
  };
  let highlight = searchMask(columns, state.q);
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let timer;
  let firstRender = true;

  const scatter = new EmbeddingScatter(stage, {
    ...data.position(state.method, state.layer),
    rgb: coloring(state.color).rgb,
    width, height, selection, highlight,
    marked: state.pt >= 0 ? nearest(state.pt) : null,
    onHover(index, event) {
      scatter.update({hovered: index});
      showTooltip(index, event);
    },
    onSelect(indices) {
      selection = indices.length ? indices : null;
      scatter.update({selection});
      sync();
    },
    onClick(index) {
      state.pt = index ?? -1;
      scatter.update({marked: index == null ? null : nearest(index)});
      sync();
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
  stage.append(tooltip);

  function positions() {
    return data.position(state.method, state.layer);
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
      element("div", {style: "font-weight:600"}, [`${columns.language[index]} (${columns.lang[index]}) · ${columns[state.color][index]}`]),
      element("div", {className: "explorer-tooltip-text", dir: "auto", textContent: columns.text[index]}),
      element("div", {style: "color:var(--theme-foreground-muted);font-size:11px", textContent: `${columns.id[index]} · ${columns.family[index]} · ${columns.script[index]}`})
    );
    const [px, py] = event ? [event.offsetX, event.offsetY] : scatter.position(index);
    tooltip.style.left = `${Math.min(px + 12, width - 370)}px`;
    tooltip.style.top = `${py + 12}px`;
    tooltip.style.display = "block";
  }

  /** @param {number} k */
  function setLayer(k) {
    state.layer = meta.layers[k];
    layerInput.value = String(k);
    scatter.update(positions());
    if (state.pt >= 0) scatter.update({marked: nearest(state.pt)});
    sync();
  }

  methodSelect.addEventListener("change", () => {
    state.method = methodSelect.value;
    scatter.update({...positions(), marked: state.pt >= 0 ? nearest(state.pt) : null});
    sync();
  });
  layerInput.addEventListener("input", () => setLayer(Number(layerInput.value)));
  play.addEventListener("click", () => {
    if (timer) return stop();
    play.textContent = "❚❚ Pause";
    timer = setInterval(() => setLayer((Number(layerInput.value) + 1) % meta.layers.length), PLAY_MS);
  });
  function stop() {
    clearInterval(timer);
    timer = undefined;
    play.textContent = "▶ Play";
  }
  colorSelect.addEventListener("change", () => {
    state.color = /** @type {PointField} */ (colorSelect.value);
    scatter.update({rgb: coloring(state.color).rgb});
    sync();
  });
  search.addEventListener("input", () => {
    state.q = search.value;
    highlight = searchMask(columns, state.q);
    scatter.update({highlight});
    sync();
  });
  /** @type {HTMLInputElement} */ (lasso.querySelector("input")).addEventListener("change", (event) => scatter.update({mode: /** @type {HTMLInputElement} */ (event.target).checked ? "lasso" : "pan"}));
  clear.addEventListener("click", () => {
    selection = null;
    state.pt = -1;
    scatter.update({selection, marked: null});
    sync();
  });

  /** Everything that follows from the state: URL, labels, legend, tables. */
  function sync() {
    state.sel = selection ? encodeIndices(selection) : "";
    replaceQuery(state, defaults);
    layerLabel.textContent = `${state.layer} of ${meta.layers[meta.layers.length - 1]}`;
    const matches = highlight ? highlight.reduce((a, b) => a + b, 0) : n;
    status.textContent = `${n.toLocaleString("en-US")} points · ${state.method.toUpperCase()} of layer ${state.layer}` +
      (highlight ? ` · ${matches.toLocaleString("en-US")} match “${state.q}”` : "") +
      (selection ? ` · ${selection.length.toLocaleString("en-US")} selected` : "");
    renderLegend();
    renderNeighbours();
    renderSelection();
    // For what draws into this picture from outside (the sentence probe): method and layer may have changed.
    root.dispatchEvent(new CustomEvent("viewchange"));
  }

  function renderLegend() {
    const {categories} = coloring(state.color);
    const shown = categories.slice(0, 16);
    legend.replaceChildren(...shown.map(({name, count, color}) => element("span", {}, [
      element("span", {style: `display:inline-block;width:10px;height:10px;border-radius:50%;background:${color};margin-right:4px`}),
      `${name} (${count})`
    ])));
    if (categories.length > shown.length) legend.append(element("span", {textContent: `… ${categories.length - shown.length} more`}));
  }

  function renderNeighbours() {
    if (state.pt < 0 || state.pt >= n) return void neighbours.replaceChildren();
    const [self, ...others] = nearest(state.pt);
    neighbours.replaceChildren(
      element("h3", {textContent: data.neighbourSpace(state.layer)
        ? `Nearest neighbours at layer ${state.layer} (cosine in the layer's top ${meta.neighbourDimensions} principal components)`
        : `Nearest neighbours in this picture (${state.method.toUpperCase()}, layer ${state.layer})`}),
      itemTable([self, ...others], ["", ...others.map((_, k) => String(k + 1))])
    );
  }

  function renderSelection() {
    if (!selection) return void selected.replaceChildren();
    const rows = Array.from(selection.subarray(0, TABLE_ROWS));
    const download = element("button", {type: "button", textContent: "Download selection (CSV)"});
    download.dataset.download = "selection";
    download.addEventListener("click", () => saveBlob(csvBlob(Array.from(/** @type {Int32Array} */ (selection), (i) => itemRow(columns, i))), `${name}-selection.csv`));
    selected.replaceChildren(
      element("h3", {textContent: `Selected: ${selection.length.toLocaleString("en-US")} items${selection.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} shown)` : ""}`}),
      download,
      itemTable(rows)
    );
  }

  /**
   * @param {number[]} rows
   * @param {string[]} [ranks]
   */
  function itemTable(rows, ranks) {
    const table = element("table", {className: "explorer-table"});
    table.append(element("thead", {}, [element("tr", {}, [...(ranks ? ["#"] : []), "Language", "Family", "Label", "Text"].map((h) => element("th", {textContent: h})))]));
    const body = element("tbody");
    rows.forEach((i, k) => {
      const row = element("tr", {title: "Show this item's neighbours", style: "cursor:pointer"}, [
        ...(ranks ? [element("td", {textContent: ranks[k]})] : []),
        element("td", {textContent: `${columns.language[i]} (${columns.lang[i]})`}),
        element("td", {textContent: columns.family[i]}),
        element("td", {textContent: columns.label[i]}),
        element("td", {dir: "auto", textContent: columns.text[i]})
      ]);
      row.addEventListener("click", () => scatter.props.onClick?.(i));
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
    svg: () => scatterSvg(positions(), coloring(state.color).rgb, width, height, scatter),
    png: () => /** @type {Promise<Blob>} */ (new Promise((/** @type {(blob: Blob | null) => void} */ resolve) => scatter.canvas.toBlob(resolve, "image/png")))
  });

  root.append(controls, status, legend, picture, neighbours, selected);
  const resizeObserver = new ResizeObserver(() => {
    const w = Math.floor(root.clientWidth);
    if (w > 0 && w !== width) {
      width = w;
      height = Math.min(640, Math.round(width * 0.62));
      scatter.update({width, height});
    }
  });
  resizeObserver.observe(root);
  root.explorer = {state, scatter, data, get selection() { return selection; }};
  root.destroy = () => {
    stop();
    resizeObserver.disconnect();
    scatter.destroy();
  };
  sync();
  return root;
}

/**
 * 1 for points whose text contains the query (case-insensitive), or whose language code/name matches it.
 * @param {ProjectionData["columns"]} columns
 * @param {string} query
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
 * @param {ProjectionData["columns"]} columns
 * @param {number} i
 */
function itemRow(columns, i) {
  return {id: columns.id[i], lang: columns.lang[i], language: columns.language[i], family: columns.family[i], script: columns.script[i], label: columns.label[i], text: columns.text[i]};
}

/**
 * The current picture as SVG circles (as the scatter places them on screen).
 * @param {{x: ArrayLike<number>}} positions
 * @param {Uint8Array} rgb
 * @param {number} width
 * @param {number} height
 * @param {EmbeddingScatter} scatter
 */
function scatterSvg({x}, rgb, width, height, scatter) {
  const circles = [];
  for (let i = 0; i < x.length; i++) {
    const [cx, cy] = scatter.position(i);
    if (cx < 0 || cy < 0 || cx > width || cy > height) continue;
    circles.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="1.5" fill="rgb(${rgb[3 * i]},${rgb[3 * i + 1]},${rgb[3 * i + 2]})" fill-opacity="0.75"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="white"/>${circles.join("")}</svg>`;
}

/**
 * @param {string} name
 * @param {readonly (string | number)[]} options
 * @param {string | number} value
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
  return element("label", {style: "display:flex;gap:0.4rem;align-items:center"}, [text, ...children]);
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [properties] DOM properties; `style` and `dir` as attributes
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, properties = {}, children = []) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === "style") e.style.cssText = value;
    else if (key === "dir") e.setAttribute("dir", value);
    else /** @type {any} */ (e)[key] = value;
  }
  e.append(...children);
  return e;
}
