import {create, fromBinary, toBinary} from "@bufbuild/protobuf";
import {copyFileSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {AutoTokenizer, env} from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import {ModelProtoSchema, StringStringEntryProtoSchema, TensorProto_DataLocation} from "onnx-buf";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {referencePool} from "../helpers/pool-reference.js";
import {tempDir} from "../helpers/tmp.js";
import {poolingWeights} from "../../loaders/extract/pool.js";
import {LayerModel, positionIdsFromMask} from "../../loaders/models/session.js";
import {surgeredModelPath} from "../../loaders/models/surgery.js";
import {POOLINGS} from "../../loaders/types.js";
import {maxAbsDiff} from "../helpers/diff.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/models");

interface Reference {
  cases: {input_ids: number[]; hidden_states: number[][][]}[];
}

/** Copies a fixture's ONNX file to a temp folder, so the cached surgered model is not written into the repo. */
function copyFixture(name: string): string {
  const dir = tempDir("session");
  copyFileSync(join(FIXTURES, name, "onnx/model.onnx"), join(dir, "model.onnx"));
  return join(dir, "model.onnx");
}

const reference = (name: string): Reference => JSON.parse(readFileSync(join(FIXTURES, name, "reference.json"), "utf8"));

/** Max |a - b| between the ONNX rows of one batch row and torch's [token][dim] reference. */
function maxDiff(layer: Float32Array, row: number, seqLen: number, expected: number[][]): number {
  const hidden = expected[0].length;
  let worst = 0;
  expected.forEach((token, t) =>
    token.forEach((v, d) => {
      worst = Math.max(worst, Math.abs(layer[(row * seqLen + t) * hidden + d] - v));
    })
  );
  return worst;
}

/** All reference cases in one right-padded batch (pad id 0, mask 0). */
function paddedBatch(ref: Reference) {
  const batch = ref.cases.length;
  const seqLen = Math.max(...ref.cases.map((c) => c.input_ids.length));
  const inputIds = new BigInt64Array(batch * seqLen);
  const attentionMask = new BigInt64Array(batch * seqLen);
  ref.cases.forEach((c, b) =>
    c.input_ids.forEach((id, t) => {
      inputIds[b * seqLen + t] = BigInt(id);
      attentionMask[b * seqLen + t] = 1n;
    })
  );
  return {inputIds, attentionMask, batch, seqLen, lengths: ref.cases.map((c) => c.input_ids.length)};
}

describe("positionIdsFromMask", () => {
  it("counts attended tokens minus one per row, clamped at 0, so right padding repeats the last position", () => {
    const mask = new BigInt64Array([1n, 1n, 1n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect([...positionIdsFromMask(mask, 3, 4)]).toEqual([0n, 1n, 2n, 2n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });
});

for (const [name, kind, numLayers] of [["tiny-bert", "encoder", 2], ["tiny-llama", "decoder", 3]] as const) {
  describe(`LayerModel on ${name}`, () => {
    const ref = reference(name);
    let model: LayerModel;
    beforeAll(async () => {
      model = await LayerModel.load(copyFixture(name), {threads: 1, numLayers});
    });
    afterAll(() => model.dispose());

    it("reports kind, layer count and hidden size", () => {
      expect([model.kind, model.numLayers, model.hiddenSize]).toEqual([kind, numLayers, 32]);
    });

    it("matches torch's hidden states at every layer within 1e-4, one sequence at a time", async () => {
      for (const c of ref.cases) {
        const n = c.input_ids.length;
        const out = await model.run(BigInt64Array.from(c.input_ids, BigInt), new BigInt64Array(n).fill(1n), 1, n);
        expect(out.layers).toHaveLength(numLayers + 1);
        expect([out.batch, out.seqLen, out.hidden]).toEqual([1, n, 32]);
        out.layers.forEach((layer, i) => {
          expect(layer).toHaveLength(n * 32);
          expect(maxDiff(layer, 0, n, c.hidden_states[i])).toBeLessThan(1e-4);
        });
      }
    });

    it("matches torch at every real token of a right-padded batch (mask and position ids fed right)", async () => {
      const {inputIds, attentionMask, batch, seqLen} = paddedBatch(ref);
      const out = await model.run(inputIds, attentionMask, batch, seqLen);
      ref.cases.forEach((c, b) => out.layers.forEach((layer, i) => expect(maxDiff(layer, b, seqLen, c.hidden_states[i])).toBeLessThan(1e-4)));
    });

    it.each(POOLINGS)("pools %s inside the graph as JavaScript pools the full hidden states of a right-padded batch (within 1e-5)", async (pooling) => {
      const {inputIds, attentionMask, batch, seqLen, lengths} = paddedBatch(ref);
      const full = await model.run(inputIds, attentionMask, batch, seqLen);
      const pooled = await model.pooled(inputIds, attentionMask, batch, seqLen, poolingWeights(lengths, seqLen, pooling));
      expect([pooled.batch, pooled.hidden, pooled.layers.length]).toEqual([batch, 32, numLayers + 1]);
      pooled.layers.forEach((layer, i) => {
        const expected = referencePool(full.layers[i], seqLen, 32, lengths, pooling);
        expect(layer).toHaveLength(batch * 32);
        // One weight 1 and the rest 0: picking a token is exact.
        if (pooling === "mean") expect(maxAbsDiff(layer, expected)).toBeLessThan(1e-5);
        else expect(layer).toEqual(expected);
      });
    });

    it("the pooled graph (no lm_head, no whole states) pools exactly as the states graph does", async () => {
      const pooledModel = await LayerModel.load(copyFixture(name), {threads: 1, numLayers, outputs: "pooled"});
      try {
        const {inputIds, attentionMask, batch, seqLen, lengths} = paddedBatch(ref);
        for (const pooling of POOLINGS) {
          const weights = poolingWeights(lengths, seqLen, pooling);
          const expected = await model.pooled(inputIds, attentionMask, batch, seqLen, weights);
          expect((await pooledModel.pooled(inputIds, attentionMask, batch, seqLen, weights)).layers).toEqual(expected.layers);
        }
        await expect(pooledModel.run(inputIds, attentionMask, batch, seqLen)).rejects.toThrow('returns pooled hidden states only (open the model with outputs "states")');
      } finally {
        await pooledModel.dispose();
      }
    });

    it("refuses arrays whose length is not batch × seqLen, naming the sizes", async () => {
      await expect(model.run(new BigInt64Array(5), new BigInt64Array(6), 2, 3)).rejects.toThrow(
        "LayerModel.run: inputIds has 5 and attentionMask 6 values, expected batch 2 × seqLen 3 = 6"
      );
      await expect(model.pooled(new BigInt64Array(6), new BigInt64Array(6), 2, 3, new Float32Array(5))).rejects.toThrow(
        "LayerModel.pooled: weights has 5 values, expected batch 2 × seqLen 3 = 6"
      );
    });
  });
}

describe("LayerModel last taps", () => {
  it("the encoder's last tap equals the original graph's last_hidden_state exactly", async () => {
    const original = copyFixture("tiny-bert");
    const {inputIds, attentionMask, batch, seqLen} = paddedBatch(reference("tiny-bert"));
    const model = await LayerModel.load(original, {threads: 1});
    const ours = await model.run(inputIds, attentionMask, batch, seqLen);
    await model.dispose();

    const plain = await ort.InferenceSession.create(original, {intraOpNumThreads: 1});
    const dims = [batch, seqLen];
    const theirs = await plain.run({
      input_ids: new ort.Tensor("int64", inputIds, dims),
      attention_mask: new ort.Tensor("int64", attentionMask, dims),
      token_type_ids: new ort.Tensor("int64", new BigInt64Array(batch * seqLen), dims)
    });
    await plain.release();
    expect(ours.layers[2]).toEqual(theirs.last_hidden_state.data);
  });

  it("the decoder's last tap is torch's hidden state after the final norm, not the last layer's raw output", async () => {
    const ref = reference("tiny-llama");
    const c = ref.cases[2];
    const n = c.input_ids.length;
    const model = await LayerModel.load(copyFixture("tiny-llama"), {threads: 1});
    const out = await model.run(BigInt64Array.from(c.input_ids, BigInt), new BigInt64Array(n).fill(1n), 1, n);
    await model.dispose();
    expect(maxDiff(out.layers[3], 0, n, c.hidden_states[3])).toBeLessThan(1e-4);
    // The final RMSNorm changes the scale: the tap is far from layer 2's residual stream.
    expect(maxDiff(out.layers[3], 0, n, c.hidden_states[2])).toBeGreaterThan(1e-2);
  });
});

describe("LayerModel.load", () => {
  it("accepts the result of surgeredModelPath", async () => {
    const surgered = await surgeredModelPath(copyFixture("tiny-bert"));
    const model = await LayerModel.load(surgered);
    expect(model.path).toBe(surgered.path);
    await model.dispose();
  });

  it("refuses a thread count that is not a positive integer", async () => {
    await expect(LayerModel.load(copyFixture("tiny-bert"), {threads: 0})).rejects.toThrow("LayerModel.load: threads must be a positive integer, got 0");
  });

  it("runs a model whose weights live in an external data file (model.onnx_data)", async () => {
    // Move every initializer's bytes into model.onnx_data, as large hub exports do.
    const original = copyFixture("tiny-bert");
    const model = fromBinary(ModelProtoSchema, readFileSync(original));
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const tensor of model.graph!.initializer) {
      if (tensor.rawData.length === 0) continue;
      const entry = (key: string, value: string) => create(StringStringEntryProtoSchema, {key, value});
      tensor.externalData = [entry("location", "model.onnx_data"), entry("offset", String(offset)), entry("length", String(tensor.rawData.length))];
      tensor.dataLocation = TensorProto_DataLocation.EXTERNAL;
      chunks.push(tensor.rawData);
      offset += tensor.rawData.length;
      tensor.rawData = new Uint8Array(0);
    }
    writeFileSync(original, toBinary(ModelProtoSchema, model));
    writeFileSync(original.replace(/model\.onnx$/, "model.onnx_data"), Buffer.concat(chunks));
    expect(readFileSync(original).length).toBeLessThan(60_000);

    const c = reference("tiny-bert").cases[1];
    const n = c.input_ids.length;
    const layerModel = await LayerModel.load(original, {threads: 1});
    const out = await layerModel.run(BigInt64Array.from(c.input_ids, BigInt), new BigInt64Array(n).fill(1n), 1, n);
    await layerModel.dispose();
    out.layers.forEach((layer, i) => expect(maxDiff(layer, 0, n, c.hidden_states[i])).toBeLessThan(1e-4));
  });
});

describe("fixture tokenizers", () => {
  const TEXTS = ["The model reads every language.", "Привет, мир", "مرحبا بالعالم", "你好，世界", "नमस्ते दुनिया"];

  it("load offline in transformers.js and turn text in five scripts into known ids that LayerModel runs", async () => {
    env.allowRemoteModels = false;
    for (const [name, unknownId] of [["tiny-bert", 1], ["tiny-llama", -1]] as const) {
      const tokenizer = await AutoTokenizer.from_pretrained(join(FIXTURES, name));
      const model = await LayerModel.load(copyFixture(name), {threads: 1});
      for (const text of TEXTS) {
        const ids = tokenizer.encode(text);
        expect(ids.length).toBeGreaterThan(2);
        expect(ids).not.toContain(unknownId);
        expect(tokenizer.decode(ids, {skip_special_tokens: true}).replace(/ /g, "")).toBe(text.replace(/ /g, ""));
        const out = await model.run(BigInt64Array.from(ids, BigInt), new BigInt64Array(ids.length).fill(1n), 1, ids.length);
        expect(out.layers.every((layer) => layer.every(Number.isFinite))).toBe(true);
      }
      await model.dispose();
    }
  });

  it("pad on the right with the documented pad tokens ([PAD] = 0, <pad> = 416)", async () => {
    env.allowRemoteModels = false;
    for (const [name, pad] of [["tiny-bert", 0n], ["tiny-llama", 416n]] as const) {
      const tokenizer = await AutoTokenizer.from_pretrained(join(FIXTURES, name));
      const {input_ids, attention_mask} = tokenizer(["a b c", "a"], {padding: true});
      const [long, short] = input_ids.tolist() as bigint[][];
      expect(short.at(-1)).toBe(pad);
      expect(short.length).toBe(long.length);
      expect((attention_mask.tolist() as bigint[][])[1].at(-1)).toBe(0n);
    }
  });
});
