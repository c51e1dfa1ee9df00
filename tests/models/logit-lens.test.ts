import {fromBinary, toBinary} from "@bufbuild/protobuf";
import {copyFileSync, readFileSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import * as ort from "onnxruntime-node";
import {ModelProtoSchema} from "onnx-buf";
import {describe, expect, it} from "vitest";
import {tempDir} from "../helpers/tmp.js";
import {softmax} from "../../loaders/analyses/latent.js";
import {exposeLens, isCurrentLensEntry, LENS_VERSION, lensModelPath, LensModel} from "../../loaders/models/logit-lens.js";
import {tokenFeeds} from "../../loaders/models/session.js";
import {describeFeeds, graphInputs} from "../../loaders/models/surgery.js";

/** numpy's lens (tests/fixtures/logit_lens_reference.py) on the stored states of make_logit_lens_states.ts. */
interface Reference {
  models: {name: string; onnx: string; ranked: number; cases: {input_ids: number[]; layers: {ids: number[]; probabilities: number[]; argmax: number; rank: number}[]}[]}[];
}
const reference: Reference = JSON.parse(readFileSync("tests/fixtures/logit-lens/reference.json", "utf8"));

/** A copy of an ONNX file in a temp folder, so the cached lens graph is not written into the repository. */
function copyModel(path: string): string {
  const copy = join(tempDir("lens"), basename(path));
  copyFileSync(path, copy);
  return copy;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

describe("LensModel against numpy's norm and head on the stored states", () => {
  for (const model of reference.models) {
    it(`${model.name}: every layer's probabilities equal numpy's to 1e-5 (log-probabilities to 1e-4), with the same argmax`, async () => {
      const lens = await LensModel.load(copyModel(model.onnx), {threads: 1});
      try {
        let worst = 0;
        let worstLog = 0;
        for (const c of model.cases) {
          const layers = await lens.logits(c.input_ids);
          expect(layers).toHaveLength(c.layers.length);
          layers.forEach((logits, i) => {
            const p = softmax(logits);
            const expected = c.layers[i];
            expected.ids.forEach((id, k) => {
              worst = Math.max(worst, Math.abs(p[id] - expected.probabilities[k]));
              worstLog = Math.max(worstLog, Math.abs(Math.log(p[id]) - Math.log(expected.probabilities[k])));
            });
            expect(argmax(logits)).toBe(expected.argmax);
          });
        }
        process.stderr.write(`${model.name}: max |p - numpy| ${worst.toExponential(2)}, max |log p - numpy| ${worstLog.toExponential(2)}\n`);
        expect(worst).toBeLessThanOrEqual(1e-5);
        expect(worstLog).toBeLessThanOrEqual(1e-4);
      } finally {
        await lens.dispose();
      }
    });
  }
});

describe("the last layer's lens is the model's own next-token distribution", () => {
  for (const path of ["tests/fixtures/models/tiny-llama/onnx/model.onnx", "tests/fixtures/models/tiny-gemma/onnx/model.onnx", "models/babelscope-tiny/onnx/model.onnx"]) {
    it(`${path}: softmax of the last lens layer equals softmax(logits) at the last position to 1e-6`, async () => {
      const ids = [1, 40, 7, 300, 12, 5];
      const original = await ort.InferenceSession.create(path);
      const graph = fromBinary(ModelProtoSchema, readFileSync(path)).graph!;
      const tokens = {inputIds: BigInt64Array.from(ids, BigInt), attentionMask: new BigInt64Array(ids.length).fill(1n), batch: 1, seqLen: ids.length};
      const logits = (await original.run(tokenFeeds({...describeFeeds(graphInputs(graph)), batchDependent: false}, tokens), ["logits"])).logits.data as Float32Array;
      await original.release();
      const lens = await LensModel.load(copyModel(path), {threads: 1});
      const layers = await lens.logits(ids);
      await lens.dispose();
      const vocab = layers[0].length;
      const ownLogits = logits.subarray((ids.length - 1) * vocab);
      const own = softmax(ownLogits);
      const last = softmax(layers.at(-1)!);
      const diff = Math.max(...own.map((p, v) => Math.abs(p - last[v])));
      process.stderr.write(`${path}: max |softmax(lens L) - softmax(logits)| ${diff.toExponential(2)}\n`);
      expect(diff).toBeLessThanOrEqual(1e-6);
      // The embeddings' lens is not the model's output (else the lens would read one layer for all).
      expect(Math.max(...ownLogits.map((l, v) => Math.abs(l - layers[0][v])))).toBeGreaterThan(1e-2);
    });
  }
});

describe("lens graphs that cannot be built", () => {
  it("an encoder has no output head: one line naming the model", async () => {
    await expect(LensModel.load(copyModel("tests/fixtures/models/tiny-bert/onnx/model.onnx"))).rejects.toThrow(/model\.onnx: no logit lens: an encoder has no output head$/);
  });

  it("a decoder graph without a logits output is refused, naming its outputs", () => {
    const model = fromBinary(ModelProtoSchema, readFileSync("tests/fixtures/models/tiny-llama/onnx/model.onnx"));
    model.graph!.output = model.graph!.output.filter((o) => o.name !== "logits");
    expect(() => exposeLens(toBinary(ModelProtoSchema, model), {source: "headless"})).toThrow(/^headless: no logit lens: the graph has no "logits" output \(outputs: present\.0\.key, /);
  });
});

describe("lensModelPath cache", () => {
  it("reuses its entry, and rebuilds a damaged one with one warning", async () => {
    const path = copyModel("tests/fixtures/models/tiny-llama/onnx/model.onnx");
    const first = await lensModelPath(path);
    expect(first.reused).toBe(false);
    expect(first.taps.numLayers).toBe(3);
    expect((await lensModelPath(path)).reused).toBe(true);
    // What `babelscope verify` checks: this version's entries, not an earlier version's.
    expect(isCurrentLensEntry(basename(first.path))).toBe(true);
    expect(isCurrentLensEntry(basename(first.path).replace(`.lens-v${LENS_VERSION}-`, `.lens-v${LENS_VERSION - 1}-`))).toBe(false);
    writeFileSync(first.path, "damaged");
    const warnings: string[] = [];
    const rebuilt = await lensModelPath(path, {warn: (line) => warnings.push(line), check: "always"});
    expect(rebuilt.reused).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cached lens model ${first.path} was damaged`);
    const lens = await LensModel.load(path, {threads: 1});
    expect(await lens.logits([1, 2, 3])).toHaveLength(4);
    await lens.dispose();
  });
});
