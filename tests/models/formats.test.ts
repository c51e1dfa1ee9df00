/**
 * Every weight format of the hub (fp32, q8, q4, q4f16, fp16; tests/fixtures/quantize.py) for the
 * BERT-like encoder, the same encoder under a `/bert/` task head, a DistilBERT-like encoder and the
 * Llama-like decoder (its float16 formats also with float16 past key/values and logits).
 * References are independent of surgery: tests/fixtures/add_tap_outputs.py adds the hidden states,
 * named from the export, as plain outputs of the unmodified graphs (tests/fixtures/taps/), and
 * JavaScript pools them (tests/helpers/pool-reference.ts).
 */
import {create, fromBinary} from "@bufbuild/protobuf";
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, TensorProto_DataType} from "onnx-buf";
import * as ort from "onnxruntime-node";
import {afterAll, describe, expect, it} from "vitest";
import {runCli} from "../helpers/cli.js";
import {startHub} from "../helpers/hub-server.js";
import {maxAbsDiff} from "../helpers/diff.js";
import {testItems} from "../helpers/items.js";
import {referencePool} from "../helpers/pool-reference.js";
import {tempDir} from "../helpers/tmp.js";
import {envFrom} from "../../loaders/config.js";
import {DEFAULT_SETTINGS, extractVectors} from "../../loaders/extract/extract.js";
import {settingsFor} from "../../loaders/extract/settings.js";
import {loadTokenizer, tokenize} from "../../loaders/extract/tokenize.js";
import {DTYPE_SUFFIX, onnxFile, resolveModel, REQUIRED_FILES, type Dtype, type ResolvedModel} from "../../loaders/models/resolve.js";
import {itemsFromIPC, matrixFromIPC} from "../../loaders/store/arrow.js";
import {LayerModel, sessionOptions} from "../../loaders/models/session.js";
import {findLayerTaps, surgeredModelPath} from "../../loaders/models/surgery.js";
import {writeOptimized} from "../../loaders/models/optimize.js";
import {POOLINGS, type Pooling} from "../../loaders/types.js";

const FIXTURES = join(import.meta.dirname, "../fixtures");
const DTYPES: Dtype[] = ["fp32", "q8", "q4", "q4f16", "fp16"];
const MODELS = [
  {name: "tiny-bert", numLayers: 2, dtypes: DTYPES},
  {name: "tiny-bert-head", numLayers: 2, dtypes: DTYPES},
  {name: "tiny-distilbert", numLayers: 2, dtypes: DTYPES},
  {name: "tiny-llama", numLayers: 3, dtypes: DTYPES},
  // float16 past key/values and logits, no Casts at the graph's edge
  {name: "tiny-llama-kv16", numLayers: 3, dtypes: ["q4f16", "fp16"] as Dtype[]}
];
const HIDDEN = 32;
const items = testItems(12);

interface Reference {
  cases: {input_ids: number[]; hidden_states: number[][][]}[];
}

/** A model folder in a temp dir with one weight format only, so cached surgered graphs stay out of the repo. */
function copyModel(name: string, dtype: Dtype): string {
  const dir = tempDir(`formats-${name}-${dtype}`);
  mkdirSync(join(dir, "onnx"));
  for (const file of [...REQUIRED_FILES, onnxFile(dtype)]) copyFileSync(join(FIXTURES, "models", name, file), join(dir, file));
  return dir;
}

/**
 * The reference graph of a model and format (the original with its hidden states as outputs
 * `reference.<i>`), saved by onnxruntime and opened as extraction saves and opens a surgered graph:
 * float16 results depend on which nodes onnxruntime fuses, by float16 roundings.
 */
async function openReference(name: string, dtype: Dtype): Promise<ort.InferenceSession> {
  const path = join(tempDir("formats-reference"), "model.onnx");
  await writeOptimized(path, readFileSync(join(FIXTURES, "taps", name, `model${DTYPE_SUFFIX[dtype]}.onnx`)));
  return ort.InferenceSession.create(path, sessionOptions(1));
}

/**
 * How far pooled vectors may be from pooling the reference's hidden states. Float16 graphs: the
 * pooled graph, without the lm_head or the original outputs, is fused differently, which moves
 * float16 roundings (measured up to 4e-4). Which tensors are tapped is checked within 1e-5 on the
 * states graph, opened as the reference is.
 */
const pooledTolerance = (dtype: Dtype): number => (dtype === "fp16" || dtype === "q4f16" ? 2e-3 : 1e-5);

/** Hidden states [seq, hidden] of one unpadded sequence, fed as the graph asks (empty past, positions 0..n-1). */
async function referenceStates(session: ort.InferenceSession, ids: readonly number[], count: number): Promise<Float32Array[]> {
  const n = ids.length;
  const int64 = (values: bigint[]) => new ort.Tensor("int64", BigInt64Array.from(values), [1, n]);
  const feeds: Record<string, ort.Tensor> = {};
  for (const meta of session.inputMetadata) {
    if (meta.name === "input_ids") feeds[meta.name] = int64(ids.map(BigInt));
    else if (meta.name === "attention_mask") feeds[meta.name] = int64(ids.map(() => 1n));
    else if (meta.name === "token_type_ids") feeds[meta.name] = int64(ids.map(() => 0n));
    else if (meta.name === "position_ids") feeds[meta.name] = int64(ids.map((_, t) => BigInt(t)));
    else if (meta.isTensor && meta.name.startsWith("past_key_values.")) {
      const [, heads, , dim] = meta.shape as number[];
      feeds[meta.name] = meta.type === "float16" ? new ort.Tensor("float16", new Uint16Array(0), [1, heads, 0, dim]) : new ort.Tensor("float32", new Float32Array(0), [1, heads, 0, dim]);
    } else throw new Error(`reference graph input ${meta.name} not fed`);
  }
  const names = Array.from({length: count}, (_, i) => `reference.${i}`);
  const out = await session.run(feeds, names);
  return names.map((name) => out[name].data as Float32Array);
}

/** Token ids of texts as extraction tokenizes them for a model (without opening a session). */
async function tokenIds(model: ResolvedModel, texts: string[]): Promise<number[][]> {
  return tokenize(await loadTokenizer(model.dir), texts, settingsFor(model, DEFAULT_SETTINGS).maxLength).ids;
}

/** Hidden state `layer` of each item ([seq, hidden], unpadded) pooled: [items, hidden]. */
function pooledReference(states: Float32Array[][], layer: number, pooling: Pooling): Float32Array {
  const pooled = new Float32Array(states.length * HIDDEN);
  states.forEach((perLayer, row) => {
    const length = perLayer[layer].length / HIDDEN;
    pooled.set(referencePool(perLayer[layer], length, HIDDEN, [length], pooling), row * HIDDEN);
  });
  return pooled;
}

/** Max |ours - torch| per hidden state over the reference cases of a model (the format's error). */
const errors = new Map<string, number[]>();

afterAll(() => {
  // A measurement for the README's table, not a pass/fail golden.
  const rows = [...errors].map(([key, perLayer]) => `${key.padEnd(22)} ${perLayer.map((e) => e.toExponential(1)).join("  ")}`);
  console.log(`max |hidden state - torch fp32| per layer (0..L)\n${rows.join("\n")}`);
});

describe.each(MODELS)("$name", ({name, numLayers, dtypes}) => {
  const reference: Reference = JSON.parse(readFileSync(join(FIXTURES, "models", name, "reference.json"), "utf8"));

  it.each(dtypes)("%s: surgery's hidden states are the reference graph's, and extraction pools them (mean, last, first), every layer", async (dtype) => {
    const dir = copyModel(name, dtype);
    const model = await resolveModel(dir, envFrom(), dtype);
    const ids = await tokenIds(model, items.map((item) => item.text));

    const session = await openReference(name, dtype);
    const states = await Promise.all(ids.map((sequence) => referenceStates(session, sequence, numLayers + 1)));
    const layerModel = await LayerModel.load(await surgeredModelPath(model.onnxPath, {numLayers}), {threads: 1});
    expect([layerModel.numLayers, layerModel.hiddenSize]).toEqual([numLayers, HIDDEN]);
    for (const [row, sequence] of ids.entries()) {
      const ours = await layerModel.run(BigInt64Array.from(sequence, BigInt), new BigInt64Array(sequence.length).fill(1n), 1, sequence.length);
      ours.layers.forEach((layer, l) => expect(maxAbsDiff(layer, states[row][l]), `item ${row}, layer ${l}`).toBeLessThan(1e-5));
    }
    await layerModel.dispose();
    // Batched, as users run it: q8's per-run activation scales would make a vector depend on the
    // rest of its batch, so extraction runs such graphs one row at a time (pooled alone, above).
    for (const pooling of POOLINGS) {
      const {layers} = await extractVectors(dir, items, {dtype, pooling, batchSize: 8});
      expect(layers).toHaveLength(numLayers + 1);
      layers.forEach((layer, l) => {
        expect(maxAbsDiff(layer, pooledReference(states, l, pooling)), `${pooling} pooling, layer ${l}`).toBeLessThan(pooledTolerance(dtype));
      });
    }

    const perLayer = Array.from({length: numLayers + 1}, () => 0);
    for (const c of reference.cases) {
      const ours = await referenceStates(session, c.input_ids, numLayers + 1);
      ours.forEach((state, l) => (perLayer[l] = Math.max(perLayer[l], maxAbsDiff(state, c.hidden_states[l].flat()))));
    }
    await session.release();
    errors.set(`${name} ${dtype}`, perLayer);
    // fp32 is the torch model itself; every other format really changed the weights.
    if (dtype === "fp32") expect(Math.max(...perLayer)).toBeLessThan(1e-4);
    else expect(Math.max(...perLayer)).toBeGreaterThan(1e-4);
  });
});

describe("babelscope extract --dtype", () => {
  it.each([["tiny-llama", "q8"]] as const)("stores %s %s vectors equal to mean-pooling the reference graph's hidden states", async (name, dtype) => {
    const dir = copyModel(name, dtype);
    const input = join(tempDir("formats-cli"), "items.jsonl");
    writeFileSync(input, items.map((item) => JSON.stringify(item)).join("\n") + "\n");
    const {code, stdout, stderr} = await runCli(["extract", "--model", dir, "--input", input, "--dtype", dtype, "--pooling", "mean", "--batch-size", "8", "--out", tempDir("formats-stores"), "--threads", "1"]);
    expect(stderr).not.toContain("babelscope:");
    expect(code).toBe(0);
    const store = stdout.trim();
    const manifest = JSON.parse(readFileSync(join(store, "manifest.json"), "utf8"));
    const numLayers = MODELS.find((m) => m.name === name)!.numLayers;
    expect(manifest.counts.hidden_states).toBe(numLayers + 1);

    const stored = itemsFromIPC(readFileSync(join(store, "items.arrow")));
    const model = await resolveModel(dir, envFrom(), dtype);
    const ids = await tokenIds(model, stored.map((item) => item.text));
    const session = await openReference(name, dtype);
    const states = await Promise.all(ids.map((sequence) => referenceStates(session, sequence, numLayers + 1)));
    await session.release();
    for (let l = 0; l <= numLayers; l++) {
      const layer = matrixFromIPC(readFileSync(join(store, `layer-${String(l).padStart(2, "0")}.arrow`)));
      expect(maxAbsDiff(layer.data, pooledReference(states, l, "mean")), `layer ${l}`).toBeLessThan(pooledTolerance(dtype));
    }
  });
});

describe("findLayerTaps by element type", () => {
  const graphOf = (name: string, file: string) => fromBinary(ModelProtoSchema, readFileSync(join(FIXTURES, "models", name, "onnx", file))).graph!;
  const node = (name: string, opType: string, input: string[], output: string[]) => create(NodeProtoSchema, {name, opType, input, output});

  it("takes the float tensor of a scope that also exports an integer one (a shape)", () => {
    const graph = graphOf("tiny-bert", "model_quantized.onnx");
    const expected = findLayerTaps(graph).tensors;
    graph.node.push(node("/embeddings/LayerNorm/Shape", "Shape", [expected[0]], ["ln_shape"]), node("/extra/Identity", "Identity", ["ln_shape"], ["shape_copy"]));
    expect(findLayerTaps(graph).tensors).toEqual(expected);
  });

  it("takes a 4-bit embedding table's GatherBlockQuantized output (float, like its scales) as the decoder's hidden state 0", () => {
    const graph = graphOf("tiny-llama", "model_q4.onnx");
    const expected = findLayerTaps(graph).tensors;
    const gather = graph.node.find((n) => n.name === "/model/embed_tokens/Gather")!;
    const table = graph.initializer.find((t) => t.name === gather.input[0])!;
    table.dataType = TensorProto_DataType.UINT8;
    graph.initializer.push(create(TensorProtoSchema, {name: "embed_scales", dataType: TensorProto_DataType.FLOAT, dims: [1n]}));
    Object.assign(gather, {opType: "GatherBlockQuantized", domain: "com.microsoft", input: [gather.input[0], gather.input[1], "embed_scales"]});
    expect(findLayerTaps(graph).tensors).toEqual(expected);
  });

  it("refuses a scope with several float outputs when its quantiser is not one it knows, naming them", () => {
    const graph = graphOf("tiny-llama", "model_quantized.onnx");
    // The lm_head reads the final norm's output only through its DynamicQuantizeLinear: under another op type, that node computes three outputs in the scope.
    graph.node.find((n) => n.opType === "DynamicQuantizeLinear" && n.name.startsWith("/model/norm/"))!.opType = "MyQuantizer";
    expect(() => findLayerTaps(graph, {source: "m"})).toThrow(/^m: cannot expose every layer: .*but scope \/model\/norm\/ has 3 output tensors \(\/model\/norm\/Mul_1_output_0_quantized, .*\), expected 1 float tensor$/);
  });
});

describe("q8 from a hub laid out like onnx-community's", () => {
  it("downloads onnx/model_quantized.onnx only, and extraction pools the reference graph's hidden states", async () => {
    const hub = await startHub({"test-org/tiny-llama": join(FIXTURES, "models", "tiny-llama")});
    try {
      const cache = tempDir("formats-hub");
      const env = envFrom({BABELSCOPE_CACHE: cache, BABELSCOPE_STORES: join(cache, "stores"), BABELSCOPE_HUB: hub.url});
      const {layers} = await extractVectors("test-org/tiny-llama", items, {dtype: "q8", pooling: "mean", batchSize: 8}, env);
      expect(hub.requests.filter((url) => url.endsWith(".onnx"))).toEqual(["/test-org/tiny-llama/resolve/main/onnx/model_quantized.onnx"]);

      const model = await resolveModel("test-org/tiny-llama", env, "q8");
      const ids = await tokenIds(model, items.map((item) => item.text));
      const session = await openReference("tiny-llama", "q8");
      const states = await Promise.all(ids.map((sequence) => referenceStates(session, sequence, layers.length)));
      await session.release();
      layers.forEach((layer, l) => expect(maxAbsDiff(layer, pooledReference(states, l, "mean")), `layer ${l}`).toBeLessThan(1e-5));
    } finally {
      await hub.close();
    }
  });
});
