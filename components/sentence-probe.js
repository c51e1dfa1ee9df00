// "Type a sentence, see it in every layer": the explorer's model runs in the page (onnxruntime-web,
// WebAssembly, the wasm shipped with the site), the sentence is tokenised and pooled as the store
// was, and its vector in the shown layer is drawn into the explorer's picture with its nearest
// stored item in every language. Nothing leaves the page.
import * as ort from "onnxruntime-web/wasm";
import {Tokenizer} from "@huggingface/tokenizers";
// @ts-ignore htl ships no type declarations
import {html} from "htl";
import {cosines, nearestByLanguage, neighbourPosition, pcaPosition, sentenceWeights, PLACEMENT_NEIGHBOURS} from "./sentence-probe-math.js";

/** @typedef {import("../loaders/report/sentence-probe.js").SentenceProbeMeta} SentenceProbeMeta */
/** @typedef {Required<SentenceProbeMeta>} ReadyMeta a probe file whose model runs in the page */
/** @typedef {{json: () => Promise<any>, url: () => Promise<string>, arrayBuffer: () => Promise<ArrayBuffer>}} Attachment */
/** @typedef {{text: string, ids: number[], layers: number[], vectors: Float32Array[], similarity: Float64Array[]}} ProbeReading */

/**
 * @param {HTMLElement & {explorer: {state: {method: string, layer: number}, scatter: import("./embedding-scatter.js").EmbeddingScatter, data: import("./projection-data.js").ProjectionData}}} explorerRoot
 *   the element `embeddingExplorer` returns; the probe follows its "viewchange" events
 * @param {{meta: Attachment, vectors: Attachment, model: Attachment, wasm: Attachment}} files FileAttachments: sentence-probe.json,
 *   sentence-vectors.bin, sentence-model.onnx, ort-wasm-simd-threaded.wasm
 */
export function sentenceProbe(explorerRoot, files) {
  const {scatter, data, state} = explorerRoot.explorer;
  const input = html`<input type="text" name="sentence" placeholder="Type a sentence in any language" style="flex:1;min-width:20rem" disabled>`;
  const button = html`<button type="submit" disabled>Place in every layer</button>`;
  const form = html`<form style="display:flex;gap:0.5rem;align-items:center;flex-wrap:wrap;margin:1rem 0 0.5rem"><label style="font-weight:600">Your sentence</label>${input}${button}</form>`;
  const status = html`<div class="sentence-probe-status" style="font-size:13px;color:var(--theme-foreground-muted);min-height:1.2em"></div>`;
  const table = html`<div class="sentence-probe-neighbours"></div>`;
  const root = /** @type {HTMLDivElement & {probe: ProbeReading | null, destroy: () => void}} */ (html`<div class="sentence-probe"><h3>Type a sentence, see it in every layer</h3>${form}${status}${table}</div>`);

  /** @type {Promise<{session: ort.InferenceSession, tokenizer: Tokenizer, vectors: Float32Array}> | null} the loaded model, or the promise of it */
  let loaded = null;
  /** The last sentence read: its token ids and its vector at every pictured layer (read by the browser test). */
  root.probe = null;
  /** @type {ReadyMeta} read before the text box is enabled, so every use below sees it */
  let meta;

  files.meta.json().then((/** @type {SentenceProbeMeta} */ m) => {
    meta = /** @type {ReadyMeta} */ (m);
    if (!meta.available) return void (status.textContent = `The text box is off: ${meta.reason}.`);
    input.disabled = button.disabled = false;
    status.textContent = `${meta.model} runs in this page (onnxruntime-web, WebAssembly); the sentence is pooled as the store was (${meta.pooling} of its tokens), at most ${meta.maxLength} tokens.`;
  }, (/** @type {Error} */ error) => (status.textContent = `The text box is off: the probe's data could not be read (${error.message}).`));

  async function load() {
    ort.env.wasm.wasmPaths = {wasm: await files.wasm.url()};
    // One thread: no worker, and no cross-origin isolation needed from the server.
    ort.env.wasm.numThreads = 1;
    const [model, vectors] = await Promise.all([files.model.arrayBuffer(), files.vectors.arrayBuffer()]);
    const session = await ort.InferenceSession.create(new Uint8Array(model), {executionProviders: ["wasm"], graphOptimizationLevel: "all"});
    const tokenizer = new Tokenizer(/** @type {any} */ (meta.tokenizer.json), /** @type {any} */ (meta.tokenizer.config));
    return {session, tokenizer, vectors: new Float32Array(vectors)};
  }

  form.addEventListener("submit", async (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return void (status.textContent = "Type a sentence first.");
    button.disabled = true;
    root.dataset.state = "running";
    try {
      status.textContent = loaded ? "Reading…" : "Loading the model into the page…";
      loaded ??= load();
      const {session, tokenizer, vectors} = await loaded;
      const ids = tokenizer.encode(text, {add_special_tokens: true}).ids;
      if (ids.length > meta.maxLength) throw new Error(`the sentence has ${ids.length} tokens, more than the ${meta.maxLength} the store read; shorten it`);
      const layers = await pooledLayers(session, ids);
      const n = meta.items, hidden = meta.hidden;
      root.probe = {
        text, ids, layers: meta.layers,
        vectors: layers,
        similarity: layers.map((v, k) => cosines(v, vectors.subarray(k * n * hidden, (k + 1) * n * hidden)))
      };
      root.dataset.state = "done";
      status.textContent = `“${text}”: ${ids.length} tokens, placed in ${meta.layers.length} layers (the ◆ in the picture).`;
      show();
    } catch (error) {
      root.dataset.state = "error";
      status.textContent = `Could not read the sentence: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      button.disabled = false;
    }
  });

  /**
   * The sentence's pooled vector at each pictured layer (the graph pools inside, as extraction does).
   * @param {ort.InferenceSession} session
   * @param {number[]} ids
   */
  async function pooledLayers(session, ids) {
    const length = ids.length, dims = [1, length];
    const int64 = (/** @type {number[]} */ values) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);
    /** @type {Record<string, ort.Tensor>} */
    const feeds = {
      input_ids: int64(ids),
      attention_mask: int64(ids.map(() => 1)),
      pooling_weights: new ort.Tensor("float32", sentenceWeights(length, meta.pooling), dims)
    };
    if (meta.feeds.hasTokenTypeIds) feeds.token_type_ids = int64(ids.map(() => 0));
    if (meta.feeds.hasPositionIds) feeds.position_ids = int64(ids.map((_, /** @type {number} */ t) => t));
    if (meta.feeds.past) {
      const {names, kvHeads, headDim, type} = meta.feeds.past;
      for (const name of names) feeds[name] = new ort.Tensor(type, type === "float16" ? new Uint16Array(0) : new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const names = meta.layers.map((layer) => `pooled_states.${layer}`);
    const out = await session.run(feeds, names);
    return names.map((name) => Float32Array.from(/** @type {Float32Array} */ (out[name].data)));
  }

  /** Places the sentence in the explorer's current picture and lists its neighbours there. */
  function show() {
    const probe = root.probe;
    const k = probe ? meta.layers.indexOf(state.layer) : -1;
    if (!probe || k < 0) return void scatter.update({probe: null});
    const similarity = probe.similarity[k];
    const position = state.method === "pca"
      ? pcaPosition(probe.vectors[k], meta.pca[k])
      : neighbourPosition(similarity, data.position(state.method, state.layer).x, data.position(state.method, state.layer).y).position;
    scatter.update({probe: {x: position[0], y: position[1]}});
    root.dataset.x = String(position[0]);
    root.dataset.y = String(position[1]);
    const {columns} = data;
    const rows = nearestByLanguage(similarity, columns.lang);
    const how = state.method === "pca"
      ? "projected on this layer's principal axes exactly as the stored items were"
      : `placed at the cosine-weighted mean of the positions of its ${PLACEMENT_NEIGHBOURS} most similar stored items (UMAP has no exact placement for a new point)`;
    table.replaceChildren(html`<p>Layer ${state.layer}, ${state.method.toUpperCase()}: the sentence is ${how}. Its nearest item in each language, by cosine of the layer's full vectors:</p>
      <table class="explorer-table"><thead><tr><th>Language</th><th>Cosine</th><th>Text</th></tr></thead><tbody>${rows.map(({index, cosine}) => html`<tr>
        <td>${columns.language[index]} (${columns.lang[index]})</td><td>${cosine.toFixed(3)}</td><td dir="auto">${columns.text[index]}</td></tr>`)}</tbody></table>`);
  }

  explorerRoot.addEventListener("viewchange", show);
  root.destroy = () => explorerRoot.removeEventListener("viewchange", show);
  return root;
}
