import {fromBinary} from "@bufbuild/protobuf";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import * as ort from "onnxruntime-node";
import {ModelProtoSchema} from "onnx-buf";
import {describe, expect, it} from "vitest";
import {tempDir} from "../helpers/tmp.js";
import {poolingWeights} from "../../loaders/extract/pool.js";
import {writeOptimized} from "../../loaders/models/optimize.js";
import {sessionOptions} from "../../loaders/models/session.js";
import {exposeLayers, POOLING_WEIGHTS} from "../../loaders/models/surgery.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/models");
const opTypes = (graph: Uint8Array) => new Set(fromBinary(ModelProtoSchema, graph).graph!.node.map((node) => node.opType));

/** Every output of a session for two right-padded rows of token ids. */
async function outputs(path: string): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(path, sessionOptions());
  const [batch, seqLen] = [2, 5];
  const mask = BigInt64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], BigInt);
  const dims = [batch, seqLen];
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", BigInt64Array.from([5, 9, 13, 17, 2, 7, 11, 3, 0, 0], BigInt), dims),
    attention_mask: new ort.Tensor("int64", mask, dims),
    [POOLING_WEIGHTS]: new ort.Tensor("float32", poolingWeights(Int32Array.from([5, 3]), seqLen, "mean"), dims)
  };
  if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(batch * seqLen), dims);
  const results = await session.run(feeds);
  await session.release();
  return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
}

describe("writeOptimized", () => {
  it("saves onnxruntime's fused graph, which computes every output bit for bit as the unsaved graph does", async () => {
    const dir = tempDir("optimize");
    const {bytes} = exposeLayers(readFileSync(join(FIXTURES, "tiny-bert/onnx/model.onnx")), {outputs: "pooled"});
    const [plain, optimized] = [join(dir, "plain.onnx"), join(dir, "optimized.onnx")];
    writeFileSync(plain, bytes);
    expect(await writeOptimized(optimized, bytes)).toBe(true);
    // GELU's Erf form is fused away.
    expect(opTypes(bytes).has("Erf")).toBe(true);
    expect(opTypes(readFileSync(optimized)).has("Erf")).toBe(false);
    const [fused, unfused] = [await outputs(optimized), await outputs(plain)];
    expect(Object.keys(fused).sort()).toEqual(["pooled_states.0", "pooled_states.1", "pooled_states.2"]);
    for (const name of Object.keys(unfused)) expect(fused[name]).toEqual(unfused[name]);
    expect(readdirSync(dir).sort()).toEqual(["optimized.onnx", "plain.onnx"]);
  });

  it("writes a graph that onnxruntime cannot load as it is, leaving no temp file", async () => {
    const dir = tempDir("optimize");
    const path = join(dir, "model.pooled.onnx");
    const garbage = new TextEncoder().encode("not an ONNX graph");
    expect(await writeOptimized(path, garbage)).toBe(false);
    expect(readFileSync(path)).toEqual(Buffer.from(garbage));
    expect(readdirSync(dir)).toEqual(["model.pooled.onnx"]);
  });
});
