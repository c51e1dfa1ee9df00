import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {basename, dirname, join} from "node:path";
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  ValueInfoProtoSchema,
  type GraphProto
} from "onnx-buf";
import {describe, expect, it} from "vitest";
import {tempDir} from "../helpers/tmp.js";
import {describeFeeds, exposeLayers, findLayerTaps, graphInputs, pruneToOutputs, SURGERY_VERSION, surgeredModelPath, type InputSpec} from "../../loaders/models/surgery.js";
import {ORT_VERSION} from "../../loaders/models/optimize.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/models");
const fixtureBytes = (name: string) => readFileSync(join(FIXTURES, name, "onnx/model.onnx"));

/** A graph of named nodes: [node name, op type, inputs, outputs]. */
function graphOf(nodes: [string, string, string[], string[]][], outputs: string[] = []): GraphProto {
  return create(GraphProtoSchema, {
    node: nodes.map(([name, opType, input, output]) => create(NodeProtoSchema, {name, opType, input, output})),
    output: outputs.map((name) => create(ValueInfoProtoSchema, {name}))
  });
}

/** Nodes of a decomposed LayerNorm scope reading `x` and writing `out` (as torch opset 14 exports). */
function layerNorm(scope: string, x: string, out: string): [string, string, string[], string[]][] {
  return [
    [`${scope}/ReduceMean`, "ReduceMean", [x], [`${scope}/m`]],
    [`${scope}/Sub`, "Sub", [x, `${scope}/m`], [`${scope}/d`]],
    [`${scope}/Constant`, "Constant", [], [`${scope}/eps`]],
    [`${scope}/Div`, "Div", [`${scope}/d`, `${scope}/eps`], [`${scope}/n`]],
    [`${scope}/Add_1`, "Add", [`${scope}/n`, "bias"], [out]]
  ];
}

describe("findLayerTaps", () => {
  it("finds the embeddings LayerNorm and every layer's output LayerNorm of the torch BERT fixture", () => {
    const graph = fromBinary(ModelProtoSchema, fixtureBytes("tiny-bert")).graph!;
    expect(findLayerTaps(graph)).toEqual({
      kind: "encoder",
      family: "bert",
      numLayers: 2,
      tensors: ["/embeddings/LayerNorm/Add_1_output_0", "/encoder/layer.0/output/LayerNorm/Add_1_output_0", "last_hidden_state"]
    });
  });

  it("finds the residual stream entering each layer and the final norm of the torch Llama fixture", () => {
    const graph = fromBinary(ModelProtoSchema, fixtureBytes("tiny-llama")).graph!;
    expect(findLayerTaps(graph, {numLayers: 3})).toEqual({
      kind: "decoder",
      family: "decoder",
      numLayers: 3,
      tensors: ["/model/embed_tokens/Gather_output_0", "/model/layers.0/Add_1_output_0", "/model/layers.1/Add_1_output_0", "/model/norm/Mul_1_output_0"]
    });
  });

  it("finds DistilBERT's output_layer_norm scopes", () => {
    const graph = graphOf([
      ["/embeddings/word_embeddings/Gather", "Gather", ["w", "input_ids"], ["e"]],
      ...layerNorm("/embeddings/LayerNorm", "e", "emb"),
      ["/transformer/layer.0/attention/Add", "Add", ["emb", "emb"], ["a0"]],
      ...layerNorm("/transformer/layer.0/output_layer_norm", "a0", "h0"),
      ["/transformer/layer.1/attention/Add", "Add", ["h0", "h0"], ["a1"]],
      ...layerNorm("/transformer/layer.1/output_layer_norm", "a1", "last_hidden_state")
    ], ["last_hidden_state"]);
    expect(findLayerTaps(graph)).toEqual({kind: "encoder", family: "distilbert", numLayers: 2, tensors: ["emb", "h0", "last_hidden_state"]});
  });

  it("finds XLM-R taps under a /roberta prefix with single LayerNormalization nodes", () => {
    const graph = graphOf([
      ["/roberta/embeddings/Add", "Add", ["x", "p"], ["e"]],
      ["/roberta/embeddings/LayerNorm/LayerNormalization", "LayerNormalization", ["e", "g", "b"], ["emb"]],
      ["/roberta/encoder/layer.0/output/Add", "Add", ["emb", "emb"], ["a0"]],
      ["/roberta/encoder/layer.0/output/LayerNorm/LayerNormalization", "LayerNormalization", ["a0", "g", "b"], ["last_hidden_state"]],
      ["/pooler/dense/MatMul", "MatMul", ["last_hidden_state", "w"], ["pooled"]]
    ], ["last_hidden_state", "pooled"]);
    expect(findLayerTaps(graph, {numLayers: 1}).tensors).toEqual(["emb", "last_hidden_state"]);
  });

  it("takes Gemma's scaled embeddings (not the raw Gather) as hidden state 0", () => {
    const layer = (i: number, x: string, out: string): [string, string, string[], string[]][] => [
      [`/model/layers.${i}/input_layernorm/Pow`, "Pow", [x, "two"], [`n${i}a`]],
      [`/model/layers.${i}/input_layernorm/Constant`, "Constant", [], [`eps${i}`]],
      [`/model/layers.${i}/input_layernorm/Mul`, "Mul", [x, `n${i}a`, `eps${i}`], [`n${i}`]],
      [`/model/layers.${i}/self_attn/MatMul`, "MatMul", [`n${i}`, "w"], [`att${i}`]],
      [`/model/layers.${i}/Add`, "Add", [x, `att${i}`], [`r${i}`]],
      [`/model/layers.${i}/Add_1`, "Add", [`r${i}`, `r${i}`], [out]]
    ];
    const graph = graphOf([
      ["/model/embed_tokens/Gather", "Gather", ["w", "input_ids"], ["gathered"]],
      ["/model/Mul", "Mul", ["gathered", "sqrt_hidden"], ["scaled"]],
      ...layer(0, "scaled", "h1"),
      ...layer(1, "h1", "h2"),
      ["/model/norm/Mul", "Mul", ["h2", "g"], ["normed"]],
      ["/model/norm/Mul_1", "Mul", ["normed", "g"], ["final"]],
      ["/lm_head/MatMul", "MatMul", ["final", "w"], ["logits"]]
    ], ["logits"]);
    expect(findLayerTaps(graph)).toEqual({kind: "decoder", family: "decoder", numLayers: 2, tensors: ["scaled", "h1", "final"]});
  });

  it("refuses a fused SkipLayerNormalization build with one line naming the op and the expected taps", () => {
    const graph = graphOf([
      ["/embeddings/EmbedLayerNormalization", "EmbedLayerNormalization", ["input_ids"], ["emb"]],
      ["/encoder/layer.0/output/LayerNorm/SkipLayerNorm", "SkipLayerNormalization", ["emb", "x"], ["h0"]],
      ["/encoder/layer.1/output/LayerNorm/SkipLayerNorm", "SkipLayerNormalization", ["h0", "x"], ["last_hidden_state"]]
    ]);
    expect(() => findLayerTaps(graph, {numLayers: 2, source: "m.onnx"})).toThrow(
      /^m\.onnx: cannot expose every layer: fused ops SkipLayerNormalization×2, EmbedLayerNormalization×1 hide the layer outputs .*; expected 3 taps \(num_layers 2 \+ 1\)$/
    );
  });

  it("refuses an unknown graph, naming the patterns it looked for and the norm ops it saw", () => {
    const graph = graphOf([["/blocks.0/ln/LayerNormalization", "LayerNormalization", ["x"], ["y"]]]);
    let message = "";
    try {
      findLayerTaps(graph);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("no node scope matches /encoder/layer.N/output/LayerNorm/");
    expect(message).toContain("among 1 nodes (norm/attention ops: LayerNormalization×1)");
    expect(message).not.toContain("\n");
  });

  it("refuses a graph whose layer count differs from config's num_layers", () => {
    const graph = fromBinary(ModelProtoSchema, fixtureBytes("tiny-bert")).graph!;
    expect(() => findLayerTaps(graph, {numLayers: 12})).toThrow(
      "cannot expose every layer: found bert layers /encoder/layer.0..1/output/LayerNorm/, i.e. 3 taps; expected 13 taps (num_layers 12 + 1)"
    );
  });

  it("refuses layer indices with gaps", () => {
    const graph = graphOf([
      ...layerNorm("/embeddings/LayerNorm", "e", "emb"),
      ...layerNorm("/encoder/layer.0/output/LayerNorm", "emb", "h0"),
      ...layerNorm("/encoder/layer.2/output/LayerNorm", "h0", "h2")
    ], ["h2"]);
    expect(() => findLayerTaps(graph)).toThrow("with gaps (only 2 distinct indices)");
  });

  it("refuses a scope with two outputs, naming them", () => {
    const graph = graphOf([
      ...layerNorm("/embeddings/LayerNorm", "e", "emb"),
      ...layerNorm("/encoder/layer.0/output/LayerNorm", "emb", "h0"),
      ["/pooler/Mul", "Mul", ["/encoder/layer.0/output/LayerNorm/n", "h0"], ["p"]]
    ], ["p"]);
    expect(() => findLayerTaps(graph)).toThrow(
      "but scope /encoder/layer.0/output/LayerNorm/ has 2 output tensors (/encoder/layer.0/output/LayerNorm/n, h0), expected 1"
    );
  });
});

describe("describeFeeds", () => {
  it("reports token_type_ids, position_ids and fixed past key/value heads from the Llama fixture", () => {
    const graph = fromBinary(ModelProtoSchema, fixtureBytes("tiny-llama")).graph!;
    const feeds = describeFeeds(graphInputs(graph));
    expect(feeds.hasTokenTypeIds).toBe(false);
    expect(feeds.hasPositionIds).toBe(true);
    expect(feeds.past).toEqual({
      names: ["past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value", "past_key_values.2.key", "past_key_values.2.value"],
      kvHeads: 2,
      headDim: 8,
      type: "float32"
    });
  });

  it("reports token_type_ids and no past for the BERT fixture", () => {
    const graph = fromBinary(ModelProtoSchema, fixtureBytes("tiny-bert")).graph!;
    expect(describeFeeds(graphInputs(graph))).toEqual({inputs: ["input_ids", "attention_mask", "token_type_ids"], hasTokenTypeIds: true, hasPositionIds: false, past: null});
  });

  const ids = (name: string): InputSpec => ({name, type: "int64", shape: ["batch", "seq"]});

  it("refuses an input it cannot feed, naming it", () => {
    expect(() => describeFeeds([ids("input_ids"), ids("attention_mask"), {name: "pixel_values", type: "float32", shape: [1, 3]}], "m")).toThrow(
      "m: unsupported graph input pixel_values (float32 [1, 3]); can feed input_ids, attention_mask, token_type_ids, position_ids, past_key_values.N.key/value"
    );
  });

  it("refuses past key/values whose head count is symbolic", () => {
    const past = {name: "past_key_values.0.key", type: "float32", shape: ["batch", "heads", "past", 64]};
    expect(() => describeFeeds([ids("input_ids"), ids("attention_mask"), past])).toThrow("input past_key_values.0.key has shape [batch, heads, past, 64], expected [batch, kv_heads, past_len, head_dim]");
  });

  it("refuses a graph without attention_mask", () => {
    expect(() => describeFeeds([ids("input_ids")])).toThrow("graph has no attention_mask input (inputs: input_ids)");
  });
});

describe("exposeLayers", () => {
  it("adds float32 outputs hidden_states.0..L fed by the taps and keeps the original outputs", () => {
    const {bytes, taps} = exposeLayers(fixtureBytes("tiny-llama"));
    const graph = fromBinary(ModelProtoSchema, bytes).graph!;
    const names = graph.output.map((o) => o.name);
    expect(names.slice(0, 1)).toEqual(["logits"]);
    expect(names.slice(-8, -4)).toEqual(["hidden_states.0", "hidden_states.1", "hidden_states.2", "hidden_states.3"]);
    for (const [i, tensor] of taps.tensors.entries()) {
      const node = graph.node.find((n) => n.output[0] === `hidden_states.${i}`)!;
      expect(node.opType).toBe("Cast");
      expect(node.input).toEqual([tensor]);
      expect(node.attribute[0].i).toBe(BigInt(TensorProto_DataType.FLOAT));
    }
  });

  it("adds a float32 input pooling_weights shaped like input_ids and outputs pooled_states.0..L = weights [batch, 1, seq] MatMul hidden_states.i", () => {
    const graph = fromBinary(ModelProtoSchema, exposeLayers(fixtureBytes("tiny-llama")).bytes).graph!;
    expect(graph.output.map((o) => o.name).slice(-4)).toEqual(["pooled_states.0", "pooled_states.1", "pooled_states.2", "pooled_states.3"]);
    const inputs = graphInputs(graph);
    expect(inputs.at(-1)).toEqual({...inputs.find((i) => i.name === "input_ids"), name: "pooling_weights", type: "float32"});
    const rows = graph.node.find((n) => n.input[0] === "pooling_weights")!;
    expect(rows.opType).toBe("Reshape");
    for (let i = 0; i < 4; i++) {
      const node = graph.node.find((n) => n.output[0] === `pooled_states.${i}`)!;
      expect([node.opType, ...node.input]).toEqual(["MatMul", rows.output[0], `hidden_states.${i}`]);
    }
  });

  it("with outputs pooled returns pooled_states.0..L only and drops the nodes they do not need, such as lm_head", () => {
    const states = fromBinary(ModelProtoSchema, exposeLayers(fixtureBytes("tiny-llama")).bytes).graph!;
    const {bytes, outputs} = exposeLayers(fixtureBytes("tiny-llama"), {outputs: "pooled"});
    const graph = fromBinary(ModelProtoSchema, bytes).graph!;
    expect(outputs).toBe("pooled");
    expect(graph.output.map((o) => o.name)).toEqual(["pooled_states.0", "pooled_states.1", "pooled_states.2", "pooled_states.3"]);
    expect(states.node.some((n) => n.name === "/lm_head/MatMul")).toBe(true);
    expect(graph.node.some((n) => n.name === "/lm_head/MatMul")).toBe(false);
    // The layers stay: every pooled output still reads its tap through the Cast.
    expect(graph.node.filter((n) => n.name.startsWith("/model/layers.")).length).toBeGreaterThan(0);
    expect(graphInputs(graph).map((i) => i.name)).toEqual(graphInputs(states).map((i) => i.name));
  });

  it("refuses a graph that already uses a name it adds", () => {
    const model = fromBinary(ModelProtoSchema, fixtureBytes("tiny-bert"));
    model.graph!.node[0].output[0] = "pooled_states.1";
    expect(() => exposeLayers(toBinary(ModelProtoSchema, model), {source: "m.onnx"})).toThrow("m.onnx: graph already has a tensor named pooled_states.1");
  });

  it("refuses bytes that are not an ONNX model with a one-line message", () => {
    expect(() => exposeLayers(new Uint8Array([0xff, 0xff, 0xff]), {source: "bad.onnx"})).toThrow(/^bad\.onnx: not a readable ONNX model \(.*\)$/);
  });
});

describe("pruneToOutputs", () => {
  it("pruneToOutputs keeps what the outputs need, through subgraphs, and drops the rest with their initializers", () => {
    const graph = graphOf(
      [
        ["a", "Relu", ["x"], ["a_out"]],
        ["dead", "MatMul", ["a_out", "w_dead"], ["dead_out"]],
        ["dead2", "Relu", ["dead_out"], ["logits"]],
        ["outer", "Relu", ["x"], ["outer_out"]],
        ["if", "If", ["cond"], ["if_out"]],
        ["b", "Add", ["a_out", "if_out"], ["y"]]
      ],
      ["y"]
    );
    // The If branch reads outer_out from the enclosing graph, not through its inputs.
    const branch = graphOf([["inner", "Identity", ["outer_out"], ["branch_out"]]], ["branch_out"]);
    graph.node[4].attribute.push(create(AttributeProtoSchema, {name: "then_branch", type: AttributeProto_AttributeType.GRAPH, g: branch}));
    graph.initializer.push(create(TensorProtoSchema, {name: "w_dead"}), create(TensorProtoSchema, {name: "cond"}));
    // An old export that lists its initializers among the inputs.
    graph.input.push(...["x", "w_dead", "cond"].map((name) => create(ValueInfoProtoSchema, {name})));
    graph.valueInfo.push(create(ValueInfoProtoSchema, {name: "dead_out"}), create(ValueInfoProtoSchema, {name: "a_out"}));
    pruneToOutputs(graph);
    expect(graph.node.map((n) => n.name)).toEqual(["a", "outer", "if", "b"]);
    expect(graph.initializer.map((t) => t.name)).toEqual(["cond"]);
    expect(graph.input.map((i) => i.name)).toEqual(["x", "cond"]);
    expect(graph.valueInfo.map((v) => v.name)).toEqual(["a_out"]);
  });
});

describe("surgeredModelPath", () => {
  /** The cache entry's file name without its extension. */
  const stemOf = (kind: "layers" | "pooled", sha256: string) => `model.${kind}-v${SURGERY_VERSION}-${sha256.slice(0, 16)}-ort${ORT_VERSION}`;

  function copyFixture(name: string): string {
    const dir = tempDir("surgery");
    copyFileSync(join(FIXTURES, name, "onnx/model.onnx"), join(dir, "model.onnx"));
    return join(dir, "model.onnx");
  }

  it("writes the surgered model next to the original, keyed by the original's sha256, and reuses it", async () => {
    const original = copyFixture("tiny-bert");
    const first = await surgeredModelPath(original, {numLayers: 2});
    expect(first.reused).toBe(false);
    expect(first.path).toBe(join(dirname(original), `${stemOf("layers", first.sha256)}.onnx`));
    expect(fromBinary(ModelProtoSchema, readFileSync(first.path)).graph!.output.map((o) => o.name)).toContain("hidden_states.2");
    const written = statSync(first.path).mtimeMs;

    const second = await surgeredModelPath(original, {numLayers: 2});
    expect(second).toEqual({...first, reused: true});
    expect(statSync(second.path).mtimeMs).toBe(written);
    // Temp files were renamed away: only the original, the surgered model and its sidecar remain.
    const stem = stemOf("layers", first.sha256);
    expect(readdirSync(dirname(original)).sort()).toEqual([`${stem}.json`, `${stem}.onnx`, "model.onnx"]);
  });

  it("caches the pooled graph beside the states graph under its own name", async () => {
    const original = copyFixture("tiny-bert");
    const states = await surgeredModelPath(original);
    const pooled = await surgeredModelPath(original, {outputs: "pooled"});
    expect([states.outputs, pooled.outputs]).toEqual(["states", "pooled"]);
    expect(pooled.path).toBe(join(dirname(original), `${stemOf("pooled", states.sha256)}.onnx`));
    expect(fromBinary(ModelProtoSchema, readFileSync(pooled.path)).graph!.output.map((o) => o.name)).toEqual(["pooled_states.0", "pooled_states.1", "pooled_states.2"]);
    expect(await surgeredModelPath(original, {outputs: "pooled"})).toEqual({...pooled, reused: true});
  });

  it("takes the original's sha256 from the caller when given, without hashing the file again", async () => {
    const original = copyFixture("tiny-bert");
    const sha256 = "ab".repeat(32);
    const surgered = await surgeredModelPath(original, {sha256});
    expect(surgered.sha256).toBe(sha256);
    expect(surgered.path).toBe(join(dirname(original), `${stemOf("layers", sha256)}.onnx`));
  });

  it("uses a new cache entry when the original changes", async () => {
    const original = copyFixture("tiny-bert");
    const before = await surgeredModelPath(original);
    const model = fromBinary(ModelProtoSchema, readFileSync(original));
    model.docString = "changed";
    writeFileSync(original, toBinary(ModelProtoSchema, model));
    const after = await surgeredModelPath(original);
    expect(after.reused).toBe(false);
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.path).not.toBe(before.path);
    // The old entry, as large as the model, is gone.
    expect(existsSync(before.path)).toBe(false);
    expect(existsSync(before.path.replace(/\.onnx$/, ".json"))).toBe(false);
  });

  it("removes earlier surgery versions', other onnxruntimes' and killed writers' copies of either kind, also when it reuses its own, and keeps other files", async () => {
    const original = copyFixture("tiny-bert");
    const pooled = await surgeredModelPath(original, {outputs: "pooled"});
    const dir = dirname(original);
    const otherRuntime = basename(pooled.path).replace(`-ort${ORT_VERSION}.`, "-ort1.2.3-dev.4.");
    // Temp files of a writer that was killed (its pid is gone) go; a running writer's stay.
    const dead = spawnSync("true").pid;
    const orphans = [`${basename(pooled.path)}.${dead}.plain.tmp`, `${basename(pooled.path)}.${dead}.tmp`, `${basename(pooled.path).replace(".onnx", ".json")}.${dead}.tmp`];
    const old = ["model.layers-v1-0123456789abcdef.onnx", "model.layers-v1-0123456789abcdef.json", "model.pooled-v2-0123456789abcdef.onnx", otherRuntime, ...orphans];
    const others = ["model_q8.layers-v1-0123456789abcdef.onnx", "model.onnx_data", "notes.json", `${basename(pooled.path)}.${process.pid}.plain.tmp`, `notes.json.${dead}.tmp`];
    for (const name of [...old, ...others]) writeFileSync(join(dir, name), "x");
    expect((await surgeredModelPath(original, {outputs: "pooled"})).reused).toBe(true);
    const entry = (path: string) => [basename(path), basename(path).replace(".onnx", ".json")];
    expect(readdirSync(dir).sort()).toEqual([...entry(pooled.path), "model.onnx", ...others].sort());
  });

  it("checks num_layers against a reused entry too", async () => {
    const original = copyFixture("tiny-bert");
    await surgeredModelPath(original);
    await expect(surgeredModelPath(original, {numLayers: 4, source: "tiny"})).rejects.toThrow("tiny: cannot expose every layer: found 3 taps; expected 5 taps (num_layers 4 + 1)");
  });

  it("records the surgered file's size and sha256 in the sidecar, written after it", async () => {
    const original = copyFixture("tiny-bert");
    const {path} = await surgeredModelPath(original, {outputs: "pooled"});
    const sidecar = JSON.parse(readFileSync(path.replace(/\.onnx$/, ".json"), "utf8"));
    const bytes = readFileSync(path);
    expect(sidecar.onnx).toEqual({size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex")});
    expect(statSync(path.replace(/\.onnx$/, ".json")).mtimeMs).toBeGreaterThanOrEqual(statSync(path).mtimeMs);
  });

  it("rebuilds an entry whose ONNX file was overwritten in place or truncated, or whose sidecar is damaged, with one warning each", async () => {
    const original = copyFixture("tiny-bert");
    const first = await surgeredModelPath(original, {outputs: "pooled"});
    const clean = readFileSync(first.path);
    const sidecar = first.path.replace(/\.onnx$/, ".json");
    const damages: [string, () => void][] = [
      ["checksum mismatch", () => writeFileSync(first.path, Buffer.concat([clean.subarray(0, 20_000), Buffer.alloc(4096, 0xff), clean.subarray(24_096)]))],
      [`truncated to 50,000 of ${clean.length.toLocaleString("en-US")} bytes`, () => writeFileSync(first.path, clean.subarray(0, 50_000))],
      ["sidecar: not valid JSON", () => writeFileSync(sidecar, "{")],
      ["sidecar: checksum mismatch", () => writeFileSync(sidecar, readFileSync(sidecar, "utf8").replace('"numLayers": 2', '"numLayers": 3'))]
    ];
    for (const [reason, damage] of damages) {
      damage();
      const warnings: string[] = [];
      const again = await surgeredModelPath(original, {outputs: "pooled", warn: (line) => warnings.push(line)});
      expect(warnings).toEqual([`warning: cached surgered model ${first.path} was damaged (${reason}); removed and rebuilt`]);
      expect(again).toEqual({...first, reused: false});
      expect(readFileSync(first.path).equals(clean)).toBe(true);
    }
  });

  it("rebuilds an ONNX file left without its sidecar (a run killed in between) without a warning", async () => {
    const original = copyFixture("tiny-bert");
    const first = await surgeredModelPath(original);
    rmSync(first.path.replace(/\.onnx$/, ".json"));
    const warnings: string[] = [];
    expect((await surgeredModelPath(original, {warn: (line) => warnings.push(line)})).reused).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("names a missing file", async () => {
    await expect(surgeredModelPath("/nonexistent/model.onnx")).rejects.toThrow("/nonexistent/model.onnx: no ONNX file at /nonexistent/model.onnx");
  });
});
