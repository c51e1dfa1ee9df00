/**
 * Hub layouts beyond a single model.onnx of a BERT-like encoder or a Llama-like decoder: weights as
 * external data, Optimum's merged decoders, sentence-transformers exports, Gemma-style decoders and
 * the encoders of translation models (NLLB-200/M2M100, mT5). Each fixture was written by
 * tests/fixtures/make_layout_models.py with torch's hidden states as reference.json.
 */
import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import * as ort from "onnxruntime-node";
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorProto_DataLocation,
  ValueInfoProtoSchema
} from "onnx-buf";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {envFrom, type Env} from "../../loaders/config.js";
import {extractVectors} from "../../loaders/extract/extract.js";
import {inlineNoCacheBranch} from "../../loaders/models/merged.js";
import {externalDataPath} from "../../loaders/models/optimize.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {modelStatus} from "../../loaders/models/status.js";
import {LayerModel} from "../../loaders/models/session.js";
import {exposeLayers, graphInputs, surgeredModelPath, type Family} from "../../loaders/models/surgery.js";
import type {ModelKind} from "../../loaders/types.js";
import {maxAbsDiff} from "../helpers/diff.js";
import {startHub, type TestHub} from "../helpers/hub-server.js";
import {testItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/models");

interface Reference {
  cases: {input_ids: number[]; hidden_states: number[][][]}[];
}

/** A copy of a fixture folder, so that cached surgered models are not written into the repository. */
function copyFixture(name: string): string {
  const dir = join(tempDir("layouts"), name);
  cpSync(join(FIXTURES, name), dir, {recursive: true});
  return dir;
}

const reference = (name: string): Reference => JSON.parse(readFileSync(join(FIXTURES, name, "reference.json"), "utf8"));

/** Max |onnx - torch| over every real token of batch row `row`. */
function maxDiff(layer: Float32Array, row: number, seqLen: number, expected: number[][]): number {
  const start = row * seqLen * expected[0].length;
  return maxAbsDiff(layer.subarray(start, start + expected.length * expected[0].length), expected.flat());
}

interface Layout {
  name: string;
  file: string;
  kind: ModelKind;
  family: Family;
  numLayers: number;
  /** Tensors that surgery must take for some hidden states (index -> tensor). */
  taps: Record<number, string>;
}

// The tap names say which tensor HF's convention asks for: Gemma's hidden state 0 after the
// embedding scale, the encoders' last one after their final norm.
const LAYOUTS: Layout[] = [
  {name: "tiny-bert-external", file: "onnx/model.onnx", kind: "encoder", family: "bert", numLayers: 2, taps: {0: "/embeddings/LayerNorm/Add_1_output_0", 2: "last_hidden_state"}},
  {name: "tiny-llama-merged", file: "onnx/decoder_model_merged.onnx", kind: "decoder", family: "decoder", numLayers: 3, taps: {0: "/model/embed_tokens/Gather_output_0", 3: "/model/norm/Mul_1_output_0"}},
  {name: "tiny-sentence-bert", file: "onnx/model.onnx", kind: "encoder", family: "bert", numLayers: 2, taps: {0: "/0/auto_model/embeddings/LayerNorm/Add_1_output_0", 2: "token_embeddings"}},
  {name: "tiny-gemma", file: "onnx/model.onnx", kind: "decoder", family: "decoder", numLayers: 3, taps: {0: "/model/Mul_output_0", 3: "/model/norm/Mul_1_output_0"}},
  {name: "tiny-nllb", file: "onnx/encoder_model.onnx", kind: "encoder", family: "m2m100", numLayers: 2, taps: {0: "/Add_output_0", 2: "last_hidden_state"}},
  {name: "tiny-mt5", file: "onnx/encoder_model.onnx", kind: "encoder", family: "t5", numLayers: 2, taps: {0: "/embed_tokens/Gather_output_0", 2: "last_hidden_state"}}
];

/** Largest per-layer difference from torch that the README's table of layouts reports. */
const TOLERANCE = 3e-6;

for (const layout of LAYOUTS) {
  describe(`${layout.name} (${layout.file})`, () => {
    const ref = reference(layout.name);
    let model: LayerModel;
    beforeAll(async () => {
      model = await LayerModel.load(join(copyFixture(layout.name), layout.file), {threads: 1, numLayers: layout.numLayers});
    });
    afterAll(() => model.dispose());

    it(`finds ${layout.family} taps: ${layout.numLayers + 1} hidden states (${layout.kind})`, () => {
      const {taps} = exposeLayers(readFileSync(join(FIXTURES, layout.name, layout.file)));
      expect([taps.kind, taps.family, taps.numLayers, taps.tensors.length]).toEqual([layout.kind, layout.family, layout.numLayers, layout.numLayers + 1]);
      for (const [i, tensor] of Object.entries(layout.taps)) expect(taps.tensors[Number(i)]).toBe(tensor);
    });

    it(`matches torch's hidden states at every layer within ${TOLERANCE}, alone and in a right-padded batch`, async () => {
      for (const c of ref.cases) {
        const n = c.input_ids.length;
        const out = await model.run(BigInt64Array.from(c.input_ids, BigInt), new BigInt64Array(n).fill(1n), 1, n);
        expect(out.layers).toHaveLength(layout.numLayers + 1);
        out.layers.forEach((layer, i) => expect(maxDiff(layer, 0, n, c.hidden_states[i])).toBeLessThan(TOLERANCE));
      }
      const seqLen = Math.max(...ref.cases.map((c) => c.input_ids.length));
      const ids = new BigInt64Array(ref.cases.length * seqLen);
      const mask = new BigInt64Array(ref.cases.length * seqLen);
      ref.cases.forEach((c, b) => c.input_ids.forEach((id, t) => ((ids[b * seqLen + t] = BigInt(id)), (mask[b * seqLen + t] = 1n))));
      const out = await model.run(ids, mask, ref.cases.length, seqLen);
      ref.cases.forEach((c, b) => out.layers.forEach((layer, i) => expect(maxDiff(layer, b, seqLen, c.hidden_states[i])).toBeLessThan(TOLERANCE)));
    });
  });
}

describe("external data (onnx/model.onnx + onnx/model.onnx_data)", () => {
  const initializers = (path: string) => fromBinary(ModelProtoSchema, readFileSync(path)).graph!.initializer;
  const external = (path: string) => initializers(path).filter((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL);

  it("surgery keeps the weights out of the protobuf; the optimised copy has a data file of its own, recorded in the sidecar", async () => {
    const dir = copyFixture("tiny-bert-external");
    const original = join(dir, "onnx/model.onnx");
    const {bytes} = exposeLayers(readFileSync(original));
    // The surgered protobuf is the original's size plus a few nodes, not the weights' 150 KB.
    expect(bytes.length).toBeLessThan(statSync(original).size + 4096);
    const pooled = await surgeredModelPath(original, {outputs: "pooled"});
    const data = externalDataPath(pooled.path);
    const stem = basename(pooled.path, ".onnx");
    expect(readdirSync(join(dir, "onnx")).sort()).toEqual(["model.onnx", "model.onnx_data", `${stem}.json`, `${stem}.onnx`, `${stem}.onnx_data`]);
    // Every large initializer points at the copy's own data file, none at the original's.
    const locations = new Set(external(pooled.path).flatMap((t) => t.externalData.filter((e) => e.key === "location").map((e) => e.value)));
    expect(locations).toEqual(new Set([basename(data)]));
    expect(external(pooled.path).length).toBeGreaterThan(10);
    expect(statSync(pooled.path).size).toBeLessThan(statSync(original).size + 4096);
    // onnxruntime optimised it: GELU's Erf is fused away.
    expect(fromBinary(ModelProtoSchema, readFileSync(pooled.path)).graph!.node.some((n) => n.opType === "Erf")).toBe(false);
    const sidecar = JSON.parse(readFileSync(pooled.path.replace(/\.onnx$/, ".json"), "utf8"));
    expect(sidecar.data).toEqual({size: statSync(data).size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/)});
    expect((await surgeredModelPath(original, {outputs: "pooled"})).reused).toBe(true);
  });

  it("rebuilds an entry whose data file was damaged, with one warning, and removes other versions' data files", async () => {
    const dir = copyFixture("tiny-bert-external");
    const original = join(dir, "onnx/model.onnx");
    const first = await surgeredModelPath(original, {outputs: "pooled"});
    const data = externalDataPath(first.path);
    const clean = readFileSync(data);
    const damaged = Buffer.from(clean);
    damaged[100] ^= 0xff;
    writeFileSync(data, damaged);
    const stale = join(dir, "onnx/model.pooled-v1-0123456789abcdef.onnx_data");
    writeFileSync(stale, "x");
    const warnings: string[] = [];
    const again = await surgeredModelPath(original, {outputs: "pooled", warn: (line) => warnings.push(line)});
    expect(warnings).toEqual([`warning: cached surgered model ${first.path} was damaged (data file: checksum mismatch); removed and rebuilt`]);
    expect(again.reused).toBe(false);
    expect(readFileSync(data).equals(clean)).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });

  it("resolveModel hashes the data file of a folder, and downloads it from the hub", async () => {
    const folder = join(FIXTURES, "tiny-bert-external");
    const local = await resolveModel(folder, testEnv());
    expect(Object.keys(local.files)).toContain("onnx/model.onnx_data");
    const hub = await startHub({"test-org/external": folder});
    try {
      const model = await resolveModel("test-org/external", testEnv({BABELSCOPE_HUB: hub.url}));
      expect(model.files["onnx/model.onnx_data"]).toBe(local.files["onnx/model.onnx_data"]);
      expect(readFileSync(join(model.dir, "onnx/model.onnx_data")).equals(readFileSync(join(folder, "onnx/model.onnx_data")))).toBe(true);
    } finally {
      await hub.close();
    }
  });
});

describe("merged decoders (decoder_model_merged.onnx)", () => {
  const merged = join(FIXTURES, "tiny-llama-merged/onnx/decoder_model_merged.onnx");

  it("surgery drops use_cache_branch and the past inputs that only the cache branch read", () => {
    const graph = fromBinary(ModelProtoSchema, exposeLayers(readFileSync(merged)).bytes).graph!;
    expect(graphInputs(graph).map((i) => i.name)).toEqual(["input_ids", "attention_mask", "position_ids", "pooling_weights"]);
    expect(graph.node.some((n) => n.opType === "If")).toBe(false);
  });

  it("the inlined graph computes the logits that the merged graph computes with use_cache_branch false and an empty past", async () => {
    const dir = tempDir("merged");
    const inlined = join(dir, "inlined.onnx");
    writeFileSync(inlined, exposeLayers(readFileSync(merged)).bytes);
    const [batch, seqLen] = [1, 5];
    const ids = new ort.Tensor("int64", BigInt64Array.from([7, 30, 2, 99, 41], BigInt), [batch, seqLen]);
    const feeds = {input_ids: ids, attention_mask: new ort.Tensor("int64", new BigInt64Array(seqLen).fill(1n), [batch, seqLen]), position_ids: new ort.Tensor("int64", BigInt64Array.from([0, 1, 2, 3, 4], BigInt), [batch, seqLen])};
    const original = await ort.InferenceSession.create(merged);
    const past = Object.fromEntries(original.inputNames.filter((n) => n.startsWith("past_key_values.")).map((n) => [n, new ort.Tensor("float32", new Float32Array(0), [batch, 2, 0, 8])]));
    const expected = await original.run({...feeds, ...past, use_cache_branch: new ort.Tensor("bool", [false], [1])}, ["logits"]);
    const session = await ort.InferenceSession.create(inlined);
    const got = await session.run({...feeds, pooling_weights: new ort.Tensor("float32", new Float32Array(seqLen), [batch, seqLen])}, ["logits"]);
    expect(got.logits.dims).toEqual(expected.logits.dims);
    expect(maxAbsDiff(got.logits.data as Float32Array, expected.logits.data as Float32Array)).toBeLessThan(1e-6);
    await Promise.all([original.release(), session.release()]);
  });

  it("joins a branch output named apart from the If's output, and renames a branch initializer that a main-graph tensor shadows", () => {
    const branch = create(GraphProtoSchema, {
      node: [create(NodeProtoSchema, {name: "/model/Add", opType: "Add", input: ["input_ids", "w"], output: ["inner_logits"]})],
      initializer: [create(TensorProtoSchema, {name: "w", dims: [1n]})],
      output: [create(ValueInfoProtoSchema, {name: "inner_logits"})]
    });
    // The cache branch reads the past from the main graph's inputs.
    const withPast = create(GraphProtoSchema, {
      node: [create(NodeProtoSchema, {name: "/model/Add", opType: "Add", input: ["input_ids", "past_key_values.0.key"], output: ["cached_logits"]})],
      output: [create(ValueInfoProtoSchema, {name: "cached_logits"})]
    });
    const branches = [["then_branch", withPast], ["else_branch", branch]] as const;
    const attribute = branches.map(([name, g]) => create(AttributeProtoSchema, {name, type: AttributeProto_AttributeType.GRAPH, g}));
    const graph = create(GraphProtoSchema, {
      node: [create(NodeProtoSchema, {name: "optimum::if", opType: "If", input: ["use_cache_branch"], output: ["logits"], attribute})],
      initializer: [create(TensorProtoSchema, {name: "w", dims: [2n]})],
      input: ["input_ids", "past_key_values.0.key", "use_cache_branch"].map((name) => create(ValueInfoProtoSchema, {name})),
      output: [create(ValueInfoProtoSchema, {name: "logits"})]
    });
    expect(inlineNoCacheBranch(graph)).toBe(true);
    expect(graph.node.map((n) => [n.opType, ...n.input, "->", ...n.output])).toEqual([
      ["Add", "input_ids", "w/no_past", "->", "inner_logits"],
      ["Identity", "inner_logits", "->", "logits"]
    ]);
    expect(graph.initializer.map((t) => [t.name, t.dims])).toEqual([["w", [2n]], ["w/no_past", [1n]]]);
    expect(graph.input.map((i) => i.name)).toEqual(["input_ids"]);
  });

  it("refuses an If on use_cache_branch without an else_branch in one line, and leaves other graphs alone", () => {
    const graph = create(GraphProtoSchema, {node: [create(NodeProtoSchema, {name: "optimum::if", opType: "If", input: ["use_cache_branch"], output: ["logits"]})]});
    expect(() => inlineNoCacheBranch(graph, "m.onnx")).toThrow("m.onnx: If node optimum::if on use_cache_branch has no else_branch");
    const plain = fromBinary(ModelProtoSchema, readFileSync(join(FIXTURES, "tiny-llama/onnx/model.onnx")));
    expect(inlineNoCacheBranch(plain.graph!)).toBe(false);
    expect(Buffer.from(toBinary(ModelProtoSchema, plain)).equals(readFileSync(join(FIXTURES, "tiny-llama/onnx/model.onnx")))).toBe(true);
  });
});

const TMP = tempDir("layouts-env");
let envCount = 0;
function testEnv(vars: Record<string, string> = {}): Env {
  const cache = join(TMP, `cache-${envCount++}`);
  return envFrom({BABELSCOPE_CACHE: cache, BABELSCOPE_STORES: join(cache, "stores"), ...vars});
}

describe("resolveModel: which graph a folder or hub repo has", () => {
  /** A model folder of the tiny-nllb fixture's files whose onnx/ holds `graphs` (copies of its encoder). */
  function folderWith(graphs: string[]): string {
    const dir = tempDir("resolve-layout");
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) cpSync(join(FIXTURES, "tiny-nllb", file), join(dir, file));
    mkdirSync(join(dir, "onnx"));
    for (const graph of graphs) cpSync(join(FIXTURES, "tiny-nllb/onnx/encoder_model.onnx"), join(dir, "onnx", graph));
    return dir;
  }

  it("prefers model.onnx, then an encoder-decoder's encoder_model.onnx, then decoder_model_merged.onnx", async () => {
    const cases: [string[], string][] = [
      [["model.onnx", "encoder_model.onnx", "decoder_model_merged.onnx"], "onnx/model.onnx"],
      [["encoder_model.onnx", "decoder_model_merged.onnx", "decoder_model.onnx"], "onnx/encoder_model.onnx"],
      [["decoder_model_merged.onnx"], "onnx/decoder_model_merged.onnx"]
    ];
    for (const [graphs, chosen] of cases) {
      const dir = folderWith(graphs);
      const model = await resolveModel(dir, testEnv());
      expect([model.onnx, model.onnxPath]).toEqual([chosen, join(dir, chosen)]);
      expect(Object.keys(model.files).filter((f) => f.startsWith("onnx/"))).toEqual([chosen]);
    }
    const q8 = folderWith(["encoder_model_quantized.onnx", "model.onnx"]);
    expect((await resolveModel(q8, testEnv(), "q8")).onnx).toBe("onnx/encoder_model_quantized.onnx");
  });

  it("babelscope models counts a folder with any of the graphs as available", async () => {
    const merged = folderWith(["decoder_model_merged.onnx"]);
    expect(await modelStatus(merged, "fp32", testEnv())).toMatchObject({state: "available", detail: merged});
    const none = folderWith(["decoder_model.onnx"]);
    expect(await modelStatus(none, "fp32", testEnv())).toMatchObject({
      state: "unusable",
      detail: `missing onnx/model.onnx or onnx/encoder_model.onnx or onnx/decoder_model_merged.onnx in ${none}`
    });
  });

  it("names what the folder has when no graph fits, in one line", async () => {
    const dir = folderWith(["decoder_model.onnx", "decoder_with_past_model.onnx"]);
    await expect(resolveModel(dir, testEnv())).rejects.toThrow(
      `${dir}: missing onnx/model.onnx in ${dir} (and its alternatives onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx); onnx/ has decoder_model.onnx, decoder_with_past_model.onnx`
    );
  });

  describe("from the hub", () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startHub({"test-org/nllb": folderWith(["encoder_model.onnx", "decoder_model_merged.onnx"]), "test-org/none": folderWith(["decoder_model.onnx"])});
    });
    afterAll(() => hub.close());

    it("downloads the encoder of an encoder-decoder repo and not its decoder, once", async () => {
      const env = testEnv({BABELSCOPE_HUB: hub.url});
      const model = await resolveModel("test-org/nllb", env);
      expect(model.onnx).toBe("onnx/encoder_model.onnx");
      expect(existsSync(model.onnxPath)).toBe(true);
      expect(existsSync(join(model.dir, "onnx/decoder_model_merged.onnx"))).toBe(false);
      expect(hub.requests.filter((r) => r.startsWith("/test-org/nllb/") && r.includes("/onnx/")).map((r) => r.replace(/^.*\/onnx\//, ""))).toEqual(["model.onnx", "encoder_model.onnx", "encoder_model.onnx_data"]);
      const asked = hub.requests.length;
      expect(await resolveModel("test-org/nllb", env)).toEqual(model);
      expect(hub.requests.length).toBe(asked);
    });

    it("says in one line that the repo has none of the graphs", async () => {
      await expect(resolveModel("test-org/none", testEnv({BABELSCOPE_HUB: hub.url}))).rejects.toThrow(
        "test-org/none: no ONNX weights for dtype fp32 in test-org/none (none of onnx/model.onnx, onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx); "
      );
    });
  });
});

describe("extraction end to end", () => {
  it.each([["tiny-nllb", 2], ["tiny-mt5", 2], ["tiny-llama-merged", 3]] as const)("extracts every layer of %s from its folder", async (name, numLayers) => {
    const out = await extractVectors(copyFixture(name), testItems(6), {batchSize: 4, threads: 1}, testEnv());
    expect([out.numLayers, out.hiddenSize, out.layers.length]).toEqual([numLayers, 32, numLayers + 1]);
    for (const layer of out.layers) expect(layer.every(Number.isFinite)).toBe(true);
    // Layers differ from each other: each tap is a different tensor.
    expect(maxAbsDiff(out.layers[0], out.layers[numLayers])).toBeGreaterThan(1e-3);
  });
});
