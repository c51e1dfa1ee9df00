// A WebGL2 scatter for many points (50,000 and more), as a controlled component: columnar typed
// arrays and the interactive state (hover, selection, highlight) come in as props; user actions go
// out through callbacks; the caller decides what the state becomes and passes it back.
import {quadtree} from "d3-quadtree";
import {pointsInPolygon} from "./lasso.js";

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
const DEFAULTS = {pointSize: 3, opacity: 0.75, dimOpacity: 0.08, hoverRadius: 12, transitionMs: 350, background: "transparent"};

/**
 * Props. Arrays are columnar, one entry per point.
 * @typedef {object} ScatterProps
 * @property {Float32Array} x
 * @property {Float32Array} y
 * @property {Uint8Array} rgb colour per point, 3 bytes (r, g, b) per point
 * @property {number} width CSS pixels
 * @property {number} height CSS pixels
 * @property {Int32Array | null} [selection] selected points; the others are dimmed
 * @property {Uint8Array | null} [highlight] 1 = matches a search; when set, non-matches are dimmed
 * @property {number | null} [hovered] the point under the pointer (drawn enlarged)
 * @property {Int32Array | null} [marked] points drawn with a ring (e.g. the clicked point's neighbours)
 * @property {{x: number, y: number} | null} [probe] a point that is not one of the items (a typed sentence), drawn as a diamond over the points
 * @property {"pan" | "lasso"} [mode] what a drag does (shift-drag always lassos)
 * @property {(index: number | null, event?: MouseEvent) => void} [onHover]
 * @property {(indices: Int32Array) => void} [onSelect] after a lasso
 * @property {(index: number | null) => void} [onClick]
 * @property {(phase: "render") => void} [onRender] after every frame (benchmarks use it)
 */

const VERTEX = `#version 300 es
in vec2 a_from; in vec2 a_to; in vec3 a_rgb; in float a_state;
uniform float u_t; uniform vec2 u_scale; uniform vec2 u_offset; uniform float u_size;
uniform float u_opacity; uniform float u_dim;
out vec4 v_color; out float v_ring;
void main() {
  vec2 p = mix(a_from, a_to, u_t) * u_scale + u_offset;
  gl_Position = vec4(p, 0.0, 1.0);
  // a_state: 0 normal, 1 dimmed, 2 hovered, 3 marked
  float big = a_state >= 2.0 ? 2.6 : 1.0;
  gl_PointSize = u_size * big;
  v_ring = a_state == 3.0 ? 1.0 : 0.0;
  v_color = vec4(a_rgb, a_state == 1.0 ? u_dim : (a_state >= 2.0 ? 1.0 : u_opacity));
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
in vec4 v_color; in float v_ring;
out vec4 color;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  if (r > 1.0) discard;
  vec3 rgb = (v_ring > 0.5 && r > 0.45) ? vec3(0.0) : v_color.rgb;
  color = vec4(rgb * v_color.a, v_color.a);
}`;

const STATE_NORMAL = 0, STATE_DIM = 1, STATE_HOVER = 2, STATE_MARK = 3;

export class EmbeddingScatter {
  /** Data to CSS pixels before zoom and pan: set by fitView() once there are points. */
  fit = {scale: 1, cx: 0, cy: 0};
  /** @type {import("d3-quadtree").Quadtree<number> | null | undefined} built by pick() */
  tree;
  /** Removes the listeners listen() added. */
  unlisten = () => {};

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
    this.canvas.setAttribute("role", "img");
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
    this.view = {k: 1, tx: 0, ty: 0}; // zoom and pan in CSS pixels on top of the fitted view
    this.props = /** @type {ScatterProps} */ ({});
    this.transition = /** @type {{start: number} | null} */ (null);
    this.frame = 0;
    /** @type {HTMLDivElement | undefined} the `probe` prop's marker, made on first draw */
    this.probeMarker = undefined;
    this.listen();
    this.update(props);
  }

  /**
   * Replace some props; coordinates that change animate from the previous ones.
   * @param {Partial<ScatterProps>} props
   */
  update(props) {
    const previous = this.props;
    this.props = /** @type {ScatterProps} */ ({selection: null, highlight: null, hovered: null, marked: null, probe: null, mode: "pan", ...previous, ...props});
    const p = this.props;
    if (p.x.length !== p.y.length || p.rgb.length !== 3 * p.x.length) {
      throw new Error(`EmbeddingScatter: x (${p.x.length}), y (${p.y.length}) and rgb (${p.rgb.length / 3} colours) differ in length`);
    }
    if (p.width !== previous.width || p.height !== previous.height) this.resize();
    if (p.x !== previous.x || p.y !== previous.y) this.setCoordinates(previous);
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
   */
  pick(px, py) {
    const [x, y] = this.invert(px, py);
    const radius = this.config.hoverRadius / (this.fit.scale * this.view.k);
    // Built on first use after the coordinates change: a layer change stays quick, hovering pays once.
    this.tree ??= quadtree(Array.from({length: this.props.x.length}, (_, i) => i), (i) => this.props.x[i], (i) => this.props.y[i]);
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

  /** @param {ScatterProps} previous */
  setCoordinates(previous) {
    const {x, y} = this.props;
    const n = x.length;
    const to = interleave(x, y);
    const sameCount = previous.x && previous.x.length === n;
    this.upload(this.buffers.from, sameCount ? interleave(previous.x, previous.y) : to);
    this.upload(this.buffers.to, to);
    this.tree = null;
    if (!sameCount) this.fitView();
    this.transition = sameCount && this.config.transitionMs > 0 ? {start: performance.now()} : null;
  }

  /** Fits the data's extent (both layers' union when animating) into the canvas with a margin. */
  fitView() {
    const {x, y, width, height} = this.props;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < x0) x0 = x[i];
      if (x[i] > x1) x1 = x[i];
      if (y[i] < y0) y0 = y[i];
      if (y[i] > y1) y1 = y[i];
    }
    if (!(x1 > x0)) (x0 -= 1), (x1 += 1);
    if (!(y1 > y0)) (y0 -= 1), (y1 += 1);
    const margin = 16;
    const scale = Math.min((width - 2 * margin) / (x1 - x0), (height - 2 * margin) / (y1 - y0));
    this.fit = {scale, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2};
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {[number, number]}
   */
  toScreen(x, y) {
    const {width, height} = this.props;
    const {scale, cx, cy} = this.fit;
    const {k, tx, ty} = this.view;
    return [width / 2 + ((x - cx) * scale * k) + tx, height / 2 - ((y - cy) * scale * k) + ty];
  }

  /**
   * @param {number} px
   * @param {number} py
   * @returns {[number, number]}
   */
  invert(px, py) {
    const {width, height} = this.props;
    const {scale, cx, cy} = this.fit;
    const {k, tx, ty} = this.view;
    return [cx + (px - tx - width / 2) / (scale * k), cy - (py - ty - height / 2) / (scale * k)];
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
   * @param {WebGLBuffer | null} buffer
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
    const {width, height, x} = this.props;
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
    // Data -> clip space: the fitted scale and pan/zoom, as toScreen() computes in CSS pixels.
    const {scale, cx, cy} = this.fit;
    const {k, tx, ty} = this.view;
    const sx = (2 * scale * k) / width, sy = (2 * scale * k) / height;
    gl.uniform1f(this.uniform("u_t"), t);
    gl.uniform2f(this.uniform("u_scale"), sx, sy);
    gl.uniform2f(this.uniform("u_offset"), -cx * sx + (2 * tx) / width, -cy * sy - (2 * ty) / height);
    gl.uniform1f(this.uniform("u_size"), this.config.pointSize * Math.min(3, Math.sqrt(k)) * (window.devicePixelRatio || 1));
    gl.uniform1f(this.uniform("u_opacity"), this.config.opacity);
    gl.uniform1f(this.uniform("u_dim"), this.config.dimOpacity);
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
   * @param {WebGLBuffer | null} buffer
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
    /** @type {{lasso: boolean, start: number[], last: number[], path: [number, number][], moved: boolean} | null} */
    let drag = null;
    const local = (/** @type {MouseEvent} */ event) => {
      const box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    };
    const handlers = {
      pointerdown: (/** @type {PointerEvent} */ event) => {
        const [px, py] = local(event);
        const lasso = event.shiftKey || this.props.mode === "lasso";
        drag = {lasso, start: [px, py], last: [px, py], path: [[px, py]], moved: false};
        canvas.setPointerCapture?.(event.pointerId);
      },
      pointermove: (/** @type {PointerEvent} */ event) => {
        const [px, py] = local(event);
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
          this.view.tx += px - drag.last[0];
          this.view.ty += py - drag.last[1];
          this.requestDraw();
        }
        drag.last = [px, py];
      },
      pointerup: (/** @type {PointerEvent} */ event) => {
        const [px, py] = local(event);
        const finished = drag;
        drag = null;
        if (!finished) return;
        if (finished.lasso && finished.moved && finished.path.length > 2) {
          this.drawLasso(null);
          const polygon = finished.path.map(([sx, sy]) => this.invert(sx, sy));
          this.props.onSelect?.(pointsInPolygon(this.props.x, this.props.y, polygon));
        } else if (!finished.moved) {
          this.props.onClick?.(this.pick(px, py));
        }
      },
      pointerleave: () => {
        if (!drag && this.props.hovered != null) this.props.onHover?.(null);
      },
      wheel: (/** @type {WheelEvent} */ event) => {
        event.preventDefault();
        const [px, py] = local(event);
        const factor = Math.exp(-event.deltaY * 0.002);
        const k = Math.max(0.5, Math.min(64, this.view.k * factor));
        const {width, height} = this.props;
        // Keep the point under the pointer fixed while zooming.
        const ratio = k / this.view.k;
        this.view.tx = px - width / 2 - (px - width / 2 - this.view.tx) * ratio;
        this.view.ty = py - height / 2 - (py - height / 2 - this.view.ty) * ratio;
        this.view.k = k;
        this.requestDraw();
      },
      dblclick: () => {
        this.view = {k: 1, tx: 0, ty: 0};
        this.requestDraw();
      }
    };
    for (const [type, handler] of Object.entries(handlers)) canvas.addEventListener(type, /** @type {EventListener} */ (handler), {passive: type !== "wheel"});
    this.unlisten = () => {
      for (const [type, handler] of Object.entries(handlers)) canvas.removeEventListener(type, /** @type {EventListener} */ (handler));
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
  const program = /** @type {WebGLProgram} */ (gl.createProgram());
  for (const [type, source] of /** @type {[number, string][]} */ ([[gl.VERTEX_SHADER, vertexSource], [gl.FRAGMENT_SHADER, fragmentSource]])) {
    const shader = /** @type {WebGLShader} */ (gl.createShader(type));
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`EmbeddingScatter: shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`EmbeddingScatter: program: ${gl.getProgramInfoLog(program)}`);
  return program;
}
