// A WebGL2 scatter for many points (50,000 and more), as a controlled component: columnar typed
// arrays and the interactive state (hover, selection, highlight) come in as props; user actions go
// out through callbacks; the caller decides what the state becomes and passes it back.
import {quadtree} from "d3-quadtree";
import {pointsInPolygon} from "./lasso.js";
import {thinPath} from "./explorer-link.js";

/**
 * Configuration, with defaults.
 * @typedef {object} ScatterConfig
 * @property {number} [pointSize=3] point diameter in CSS pixels (scaled by zoom up to 3x)
 * @property {number} [opacity=0.75] opacity of normal points
 * @property {number} [dimOpacity=0.08] opacity of points outside the selection/highlight
 * @property {number} [hoverRadius=12] how far from a point (CSS pixels) the pointer still hovers it
 * @property {number} [transitionMs=350] duration of the animation when coordinates change (0 = none)
 * @property {string} [background="transparent"] canvas background (CSS colour)
 */
/** @type {Required<ScatterConfig>} */
const DEFAULTS = {pointSize: 3, opacity: 0.75, dimOpacity: 0.08, hoverRadius: 12, transitionMs: 350, background: "transparent"};

/**
 * The data rectangle the default camera shows whole (with a margin).
 * @typedef {{x0: number, x1: number, y0: number, y1: number}} Frame
 */

/**
 * What the canvas shows: the data point at its centre and the zoom (1 = the frame fits).
 * @typedef {{x: number, y: number, k: number}} Camera
 */

/**
 * Props. Arrays are columnar, one entry per point.
 * @typedef {object} ScatterProps
 * @property {ArrayLike<number>} x
 * @property {ArrayLike<number>} y
 * @property {Uint8Array} rgb colour per point, 3 bytes (r, g, b) per point
 * @property {number} width CSS pixels
 * @property {number} height CSS pixels
 * @property {Frame | null} [frame] what the default camera fits (default: the extent of x and y); a
 *   frame shared by several sets of coordinates (a model's layers) keeps the picture still between them
 * @property {Camera | null} [camera] the camera to show (default: the frame's centre at zoom 1);
 *   a new object moves the camera, and the user's pan and zoom move it too (see onCamera)
 * @property {Int32Array | null} [selection] selected points; the others are dimmed
 * @property {Uint8Array | null} [highlight] 1 = matches a search; when set, non-matches are dimmed
 * @property {number | null} [hovered] the point under the pointer or keyboard focus (drawn enlarged)
 * @property {Int32Array | null} [marked] points drawn with a ring (e.g. the clicked point's neighbours)
 * @property {[number, number, number]} [ringColor] the rings' colour, 0-255 (one that stands out
 *   against the page's background: the page's text colour)
 * @property {{x: number, y: number} | null} [probe] a point that is not one of the items (a typed sentence), drawn as a diamond over the points
 * @property {"pan" | "lasso"} [mode] what a drag does (shift-drag always lassos)
 * @property {(index: number | null, event?: MouseEvent) => void} [onHover]
 * @property {(indices: Int32Array, polygon: [number, number][]) => void} [onSelect] after a lasso:
 *   the points inside and the lasso (at most 60 vertices) in data coordinates
 * @property {(index: number | null) => void} [onClick]
 * @property {(camera: Camera) => void} [onCamera] after the user pans, zooms or pinches
 * @property {(phase: "render") => void} [onRender] after every frame (benchmarks use it)
 */

/** @typedef {ScatterProps & {selection: Int32Array | null, highlight: Uint8Array | null, hovered: number | null, marked: Int32Array | null, probe: {x: number, y: number} | null, mode: "pan" | "lasso", frame: Frame | null, camera: Camera | null, ringColor: [number, number, number]}} FullProps */

const VERTEX = `#version 300 es
in vec2 a_from; in vec2 a_to; in vec3 a_rgb; in float a_state;
uniform float u_t; uniform vec2 u_scale; uniform vec2 u_offset; uniform float u_size;
uniform float u_opacity; uniform float u_dim; uniform vec3 u_ring;
out vec4 v_color; out float v_ring; out vec3 v_ringColor;
void main() {
  vec2 p = mix(a_from, a_to, u_t) * u_scale + u_offset;
  gl_Position = vec4(p, 0.0, 1.0);
  // a_state: 0 normal, 1 dimmed, 2 hovered, 3 marked
  float big = a_state >= 2.0 ? 2.6 : 1.0;
  gl_PointSize = u_size * big;
  v_ring = a_state == 3.0 ? 1.0 : 0.0;
  v_ringColor = u_ring;
  v_color = vec4(a_rgb, a_state == 1.0 ? u_dim : (a_state >= 2.0 ? 1.0 : u_opacity));
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
in vec4 v_color; in float v_ring; in vec3 v_ringColor;
out vec4 color;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  if (r > 1.0) discard;
  vec3 rgb = (v_ring > 0.5 && r > 0.45) ? v_ringColor : v_color.rgb;
  color = vec4(rgb * v_color.a, v_color.a);
}`;

/** Props' values when not given. */
const UNSET = {selection: null, highlight: null, hovered: null, marked: null, probe: null, mode: "pan", frame: null, camera: null, ringColor: [0, 0, 0]};

const STATE_NORMAL = 0, STATE_DIM = 1, STATE_HOVER = 2, STATE_MARK = 3;

export class EmbeddingScatter {
  /**
   * @param {HTMLElement} target element the scatter is appended to
   * @param {ScatterProps} props
   * @param {ScatterConfig} [config]
   */
  constructor(target, props, config = {}) {
    this.config = {...DEFAULTS, ...config};
    this.root = document.createElement("div");
    this.root.className = "embedding-scatter";
    this.root.style.position = "relative";
    this.canvas = document.createElement("canvas");
    this.canvas.style.display = "block";
    // The page's scroll and pinch would take touches meant for the picture's pan and pinch-zoom.
    this.canvas.style.touchAction = "none";
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "application");
    this.canvas.setAttribute("aria-roledescription", "scatter plot");
    this.canvas.setAttribute("aria-label", "Scatter plot of the items; hover a point to read it");
    this.canvas.style.background = this.config.background;
    this.overlay = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    Object.assign(this.overlay.style, {position: "absolute", left: "0", top: "0", pointerEvents: "none"});
    this.root.append(this.canvas, this.overlay);
    target.append(this.root);
    // preserveDrawingBuffer so that a PNG download reads the last frame. No MSAA: the fragment shader
    // draws round points itself, and multisampling made each frame 2.5x slower in software WebGL.
    const gl = this.canvas.getContext("webgl2", {antialias: false, premultipliedAlpha: true, preserveDrawingBuffer: true});
    if (!gl) throw new Error("This browser has no WebGL2: the embedding explorer cannot draw.");
    this.gl = gl;
    this.program = createProgram(gl, VERTEX, FRAGMENT);
    this.buffers = {from: gl.createBuffer(), to: gl.createBuffer(), rgb: gl.createBuffer(), state: gl.createBuffer()};
    this.vao = gl.createVertexArray();
    /** @type {Camera} */
    this.view = {x: 0, y: 0, k: 1};
    /** Data units to CSS pixels at zoom 1, and the frame's centre (the default camera). */
    this.fit = {scale: 1, cx: 0, cy: 0};
    /** @type {FullProps} */
    this.props = /** @type {FullProps} */ ({});
    /** @type {{start: number} | null} */
    this.transition = null;
    /** @type {import("d3-quadtree").Quadtree<number> | null} */
    this.tree = null;
    this.frame = 0;
    /** @type {HTMLDivElement | undefined} the `probe` prop's marker, made on first draw */
    this.probeMarker = undefined;
    /** @type {() => void} */
    this.unlisten = () => {};
    this.listen();
    this.update(props);
  }

  /**
   * Replace some props; coordinates that change animate from the previous ones.
   * @param {Partial<ScatterProps>} props
   */
  update(props) {
    const previous = this.props;
    /** @type {FullProps} */
    const p = /** @type {FullProps} */ ({...UNSET, ...previous, ...props});
    this.props = p;
    if (p.x.length !== p.y.length || p.rgb.length !== 3 * p.x.length) {
      throw new Error(`EmbeddingScatter: x (${p.x.length}), y (${p.y.length}) and rgb (${p.rgb.length / 3} colours) differ in length`);
    }
    if (p.width !== previous.width || p.height !== previous.height) this.resize();
    if (p.x !== previous.x || p.y !== previous.y) this.setCoordinates(previous);
    if (p.frame !== previous.frame && previous.x) this.fitView();
    if (p.camera !== previous.camera) this.view = p.camera ? {...p.camera} : {x: this.fit.cx, y: this.fit.cy, k: 1};
    if (p.rgb !== previous.rgb) this.upload(this.buffers.rgb, normalizeColors(p.rgb));
    this.upload(this.buffers.state, this.states());
    this.requestDraw();
  }

  /** Remove the canvas and free GPU memory. */
  destroy() {
    cancelAnimationFrame(this.frame);
    this.unlisten();
    const gl = this.gl;
    for (const buffer of Object.values(this.buffers)) gl.deleteBuffer(buffer);
    gl.deleteVertexArray(this.vao);
    gl.deleteProgram(this.program);
    this.root.remove();
  }

  /**
   * The index of the point nearest to a position in CSS pixels, or null beyond the hover radius.
   * @param {number} px
   * @param {number} py
   * @returns {number | null}
   */
  pick(px, py) {
    const [x, y] = this.invert(px, py);
    const radius = this.config.hoverRadius / (this.fit.scale * this.view.k);
    const {x: xs, y: ys} = this.props;
    // Built on first use after the coordinates change: a layer change stays quick, hovering pays once.
    this.tree ??= quadtree(Array.from({length: xs.length}, (_, i) => i), (i) => xs[i], (i) => ys[i]);
    const found = this.tree.find(x, y, radius);
    return found === undefined ? null : found;
  }

  /**
   * CSS-pixel position of point i (for tests and tooltips).
   * @param {number} i
   */
  position(i) {
    return this.toScreen(this.props.x[i], this.props.y[i]);
  }

  /** The camera now (after the user's pan and zoom). */
  camera() {
    return {...this.view};
  }

  resize() {
    const {width, height} = this.props;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.overlay.setAttribute("width", String(width));
    this.overlay.setAttribute("height", String(height));
    if (this.props.x) this.fitView();
  }

  /** @param {Partial<FullProps>} previous */
  setCoordinates(previous) {
    const {x, y} = this.props;
    const n = x.length;
    const to = interleave(x, y);
    const sameCount = previous.x && previous.y && previous.x.length === n;
    this.upload(this.buffers.from, sameCount ? interleave(/** @type {ArrayLike<number>} */ (previous.x), /** @type {ArrayLike<number>} */ (previous.y)) : to);
    this.upload(this.buffers.to, to);
    this.tree = null;
    if (!sameCount) {
      this.fitView();
      this.view = this.props.camera ? {...this.props.camera} : {x: this.fit.cx, y: this.fit.cy, k: 1};
    }
    this.transition = sameCount && this.config.transitionMs > 0 ? {start: performance.now()} : null;
  }

  /** Fits the frame (default: the data's extent) into the canvas with a margin; the camera is kept. */
  fitView() {
    const {x, y, width, height} = this.props;
    let {x0, x1, y0, y1} = this.props.frame ?? extent(x, y);
    if (!(x1 > x0)) (x0 -= 1), (x1 += 1);
    if (!(y1 > y0)) (y0 -= 1), (y1 += 1);
    const margin = 16;
    const scale = Math.min((width - 2 * margin) / (x1 - x0), (height - 2 * margin) / (y1 - y0));
    this.fit = {scale, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2};
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {[number, number]} CSS pixels
   */
  toScreen(x, y) {
    const {width, height} = this.props;
    const s = this.fit.scale * this.view.k;
    return [width / 2 + (x - this.view.x) * s, height / 2 - (y - this.view.y) * s];
  }

  /**
   * @param {number} px
   * @param {number} py
   * @returns {[number, number]} data coordinates
   */
  invert(px, py) {
    const {width, height} = this.props;
    const s = this.fit.scale * this.view.k;
    return [this.view.x + (px - width / 2) / s, this.view.y - (py - height / 2) / s];
  }

  /**
   * Zooms by `factor` keeping the data point under (px, py) in place, and tells the caller.
   * @param {number} factor
   * @param {number} px
   * @param {number} py
   */
  zoomAt(factor, px, py) {
    const [x, y] = this.invert(px, py);
    const k = Math.max(0.5, Math.min(64, this.view.k * factor));
    const s = this.fit.scale * k;
    this.moveCamera({x: x - (px - this.props.width / 2) / s, y: y + (py - this.props.height / 2) / s, k});
  }

  /**
   * Moves the camera by a drag of (dx, dy) CSS pixels.
   * @param {number} dx
   * @param {number} dy
   */
  panBy(dx, dy) {
    const s = this.fit.scale * this.view.k;
    this.moveCamera({x: this.view.x - dx / s, y: this.view.y + dy / s, k: this.view.k});
  }

  /** @param {Camera} camera */
  moveCamera(camera) {
    this.view = camera;
    this.requestDraw();
    this.props.onCamera?.(this.camera());
  }

  states() {
    const {x, selection, highlight, hovered, marked} = this.props;
    const state = new Float32Array(x.length);
    const dimmed = selection || highlight;
    if (dimmed) state.fill(STATE_DIM);
    if (selection && highlight) {
      for (const i of selection) if (highlight[i]) state[i] = STATE_NORMAL;
    } else if (selection) {
      for (const i of selection) state[i] = STATE_NORMAL;
    } else if (highlight) {
      for (let i = 0; i < highlight.length; i++) if (highlight[i]) state[i] = STATE_NORMAL;
    }
    if (marked) for (const i of marked) state[i] = STATE_MARK;
    if (hovered != null) state[hovered] = STATE_HOVER;
    return state;
  }

  /**
   * @param {WebGLBuffer} buffer
   * @param {Float32Array} data
   */
  upload(buffer, data) {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.DYNAMIC_DRAW);
  }

  requestDraw() {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.draw()));
  }

  draw() {
    const gl = this.gl;
    const {width, height, x, ringColor} = this.props;
    let t = 1;
    if (this.transition) {
      t = Math.min(1, (performance.now() - this.transition.start) / this.config.transitionMs);
      t = t * t * (3 - 2 * t); // smoothstep
      if (t >= 1) this.transition = null;
    }
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(this.program);
    gl.bindVertexArray(this.vao);
    this.attribute("a_from", this.buffers.from, 2);
    this.attribute("a_to", this.buffers.to, 2);
    this.attribute("a_rgb", this.buffers.rgb, 3);
    this.attribute("a_state", this.buffers.state, 1);
    // Data -> clip space: the fitted scale and the camera, as toScreen() computes in CSS pixels.
    const s = this.fit.scale * this.view.k;
    const sx = (2 * s) / width, sy = (2 * s) / height;
    gl.uniform1f(this.uniform("u_t"), t);
    gl.uniform2f(this.uniform("u_scale"), sx, sy);
    gl.uniform2f(this.uniform("u_offset"), -this.view.x * sx, -this.view.y * sy);
    gl.uniform1f(this.uniform("u_size"), this.config.pointSize * Math.min(3, Math.sqrt(this.view.k)) * (window.devicePixelRatio || 1));
    gl.uniform1f(this.uniform("u_opacity"), this.config.opacity);
    gl.uniform1f(this.uniform("u_dim"), this.config.dimOpacity);
    gl.uniform3f(this.uniform("u_ring"), ringColor[0] / 255, ringColor[1] / 255, ringColor[2] / 255);
    gl.drawArrays(gl.POINTS, 0, x.length);
    if (this.transition) this.requestDraw();
    this.placeProbe();
    this.props.onRender?.("render");
  }

  /** The `probe` prop as an element over the canvas, moved with every frame (pan and zoom). */
  placeProbe() {
    const {probe} = this.props;
    this.probeMarker ??= this.root.appendChild(Object.assign(document.createElement("div"), {className: "scatter-probe", title: "your sentence"}));
    this.probeMarker.style.cssText = "position:absolute;width:12px;height:12px;margin:-8px 0 0 -8px;transform:rotate(45deg);background:#fff;border:2px solid #000;pointer-events:none;";
    this.probeMarker.style.display = probe ? "block" : "none";
    if (!probe) return;
    const [px, py] = this.toScreen(probe.x, probe.y);
    this.probeMarker.style.left = `${px}px`;
    this.probeMarker.style.top = `${py}px`;
  }

  /**
   * @param {string} name
   * @param {WebGLBuffer} buffer
   * @param {number} size
   */
  attribute(name, buffer, size) {
    const gl = this.gl;
    const location = gl.getAttribLocation(this.program, name);
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.enableVertexAttribArray(location);
    gl.vertexAttribPointer(location, size, gl.FLOAT, false, 0, 0);
  }

  /** @param {string} name */
  uniform(name) {
    return this.gl.getUniformLocation(this.program, name);
  }

  listen() {
    const canvas = this.canvas;
    /** @type {{lasso: boolean, start: [number, number], last: [number, number], path: [number, number][], moved: boolean} | null} */
    let drag = null;
    /** Pointers down (touch fingers) by id: two make a pinch. */
    /** @type {Map<number, [number, number]>} */
    const pointers = new Map();
    /** @type {{distance: number, middle: [number, number]} | null} */
    let pinch = null;
    /** @param {MouseEvent} event @returns {[number, number]} */
    const local = (event) => {
      const box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    };
    const twoFingers = () => {
      const [[ax, ay], [bx, by]] = pointers.values();
      return {distance: Math.hypot(ax - bx, ay - by), middle: /** @type {[number, number]} */ ([(ax + bx) / 2, (ay + by) / 2])};
    };
    /** @param {PointerEvent} event */
    const release = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
    };
    /** @type {Record<string, (event: any) => void>} */
    const handlers = {
      /** @param {PointerEvent} event */
      pointerdown: (event) => {
        const [px, py] = local(event);
        pointers.set(event.pointerId, [px, py]);
        if (pointers.size === 2) {
          // A second finger: the gesture is a pinch, not the first finger's pan or lasso.
          drag = null;
          this.drawLasso(null);
          pinch = twoFingers();
          return;
        }
        const lasso = event.shiftKey || this.props.mode === "lasso";
        drag = {lasso, start: [px, py], last: [px, py], path: [[px, py]], moved: false};
        try {
          canvas.setPointerCapture(event.pointerId);
        } catch {
          // A synthetic pointer (no active pointer with this id) cannot be captured; the drag works without.
        }
      },
      /** @param {PointerEvent} event */
      pointermove: (event) => {
        const [px, py] = local(event);
        if (pointers.has(event.pointerId)) pointers.set(event.pointerId, [px, py]);
        if (pinch && pointers.size >= 2) {
          const now = twoFingers();
          this.panBy(now.middle[0] - pinch.middle[0], now.middle[1] - pinch.middle[1]);
          if (pinch.distance > 0) this.zoomAt(now.distance / pinch.distance, now.middle[0], now.middle[1]);
          pinch = now;
          return;
        }
        if (!drag) {
          const index = this.pick(px, py);
          if (index !== this.props.hovered) this.props.onHover?.(index, event);
          return;
        }
        drag.moved ||= Math.hypot(px - drag.start[0], py - drag.start[1]) > 3;
        if (drag.lasso) {
          drag.path.push([px, py]);
          this.drawLasso(drag.path);
        } else {
          this.panBy(px - drag.last[0], py - drag.last[1]);
        }
        drag.last = [px, py];
      },
      /** @param {PointerEvent} event */
      pointerup: (event) => {
        const [px, py] = local(event);
        release(event);
        const finished = drag;
        drag = null;
        if (!finished) return;
        if (finished.lasso && finished.moved && finished.path.length > 2) {
          this.drawLasso(null);
          const polygon = thinPath(finished.path).map(([sx, sy]) => this.invert(sx, sy));
          this.props.onSelect?.(pointsInPolygon(this.props.x, this.props.y, polygon), polygon);
        } else if (!finished.moved) {
          this.props.onClick?.(this.pick(px, py));
        }
      },
      pointercancel: release,
      pointerleave: () => {
        if (!drag && this.props.hovered != null) this.props.onHover?.(null);
      },
      /** @param {WheelEvent} event */
      wheel: (event) => {
        event.preventDefault();
        const [px, py] = local(event);
        this.zoomAt(Math.exp(-event.deltaY * 0.002), px, py);
      },
      dblclick: () => this.moveCamera({x: this.fit.cx, y: this.fit.cy, k: 1})
    };
    for (const [type, handler] of Object.entries(handlers)) canvas.addEventListener(type, handler, {passive: type !== "wheel"});
    this.unlisten = () => {
      for (const [type, handler] of Object.entries(handlers)) canvas.removeEventListener(type, handler);
    };
  }

  /** @param {[number, number][] | null} path */
  drawLasso(path) {
    this.overlay.replaceChildren();
    if (!path) return;
    const polygon = document.createElementNS("http://www.w3.org/2000/svg", "polygon");
    polygon.setAttribute("points", path.map((p) => p.join(",")).join(" "));
    polygon.setAttribute("fill", "rgba(80,120,255,0.12)");
    polygon.setAttribute("stroke", "currentColor");
    polygon.setAttribute("stroke-dasharray", "4 3");
    this.overlay.append(polygon);
  }
}

/**
 * The smallest rectangle holding every point.
 * @param {ArrayLike<number>} x
 * @param {ArrayLike<number>} y
 * @returns {Frame}
 */
export function extent(x, y) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < x0) x0 = x[i];
    if (x[i] > x1) x1 = x[i];
    if (y[i] < y0) y0 = y[i];
    if (y[i] > y1) y1 = y[i];
  }
  return {x0, x1, y0, y1};
}

/**
 * @param {ArrayLike<number>} x
 * @param {ArrayLike<number>} y
 */
function interleave(x, y) {
  const out = new Float32Array(2 * x.length);
  for (let i = 0; i < x.length; i++) (out[2 * i] = x[i]), (out[2 * i + 1] = y[i]);
  return out;
}

/** @param {Uint8Array} rgb */
function normalizeColors(rgb) {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 255;
  return out;
}

/**
 * @param {WebGL2RenderingContext} gl
 * @param {string} vertexSource
 * @param {string} fragmentSource
 */
function createProgram(gl, vertexSource, fragmentSource) {
  const program = gl.createProgram();
  if (!program) throw new Error("EmbeddingScatter: WebGL could not create a program (context lost?)");
  for (const [type, source] of /** @type {[number, string][]} */ ([[gl.VERTEX_SHADER, vertexSource], [gl.FRAGMENT_SHADER, fragmentSource]])) {
    const shader = gl.createShader(type);
    if (!shader) throw new Error("EmbeddingScatter: WebGL could not create a shader (context lost?)");
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`EmbeddingScatter: shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`EmbeddingScatter: program: ${gl.getProgramInfoLog(program)}`);
  return program;
}
