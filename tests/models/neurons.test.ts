// The neuron graphs of neuron-taps.ts against tests/fixtures/lape_reference.py (torch, float64
// numpy): activity counts, LAPE probabilities, entropies and selected sets, and the loss with
// neurons silenced through the mask input.
import {copyFileSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {activationProbabilities, lapeEntropy, selectLanguageNeurons, silencingMask, type LapeRates} from "../../loaders/analyses/lape.js";
import {addNextTokenLoss} from "../../loaders/extract/language-neurons.js";
import {batches} from "../../loaders/extract/tokenize.js";
import {NeuronModel} from "../../loaders/models/neuron-session.js";
import {tempDir} from "../helpers/tmp.js";

interface Reference {
  languages: string[];
  layers: number;
  intermediate: number;
  sequences: {lang: string; ids: number[]}[];
  tokens: number[];
  active: number[][];
  probs: number[][];
  entropy: number[];
  rates: Record<string, LapeRates>;
  selections: Record<string, {filterValue: number; barValue: number; candidates: number; selected: number[]; byLanguage: number[][]}>;
  baseline: Record<string, number>;
  silencing: {what: string; neurons: number[]; loss: Record<string, number>}[];
  bert: {sequences: number[][]; active: number[]};
}

const FIXTURES = join(import.meta.dirname, "../fixtures");
const reference: Reference = JSON.parse(readFileSync(join(FIXTURES, "lape/reference.json"), "utf8"));

/** A copy of a fixture's model.onnx in a temp folder, so the cached graphs are written there. */
function fixtureCopy(name: string): string {
  const path = join(tempDir(`neurons-${name}`), "model.onnx");
  copyFileSync(join(FIXTURES, "models", name, "onnx/model.onnx"), path);
  return path;
}

const ids = reference.sequences.map((s) => s.ids);
const langOf = reference.sequences.map((s) => reference.languages.indexOf(s.lang));
// Padded batches of mixed lengths (batch size 3): the reference ran each sequence alone.
const padded = batches(ids, ids.map((_, r) => r), 3, 0);
const tokenBatch = (b: (typeof padded)[number]) => ({inputIds: b.inputIds, attentionMask: b.attentionMask, batch: b.rows.length, seqLen: b.seqLen});

describe("language neurons on tiny-llama, against torch", () => {
  const onnx = fixtureCopy("tiny-llama");

  it("counts the tokens that activate each neuron exactly, and LAPE selects the reference's neurons", async () => {
    const model = await NeuronModel.load(onnx, "activity");
    expect([model.file.taps.family, model.numLayers, model.intermediate]).toEqual(["gated", reference.layers, reference.intermediate]);
    const size = model.numLayers * model.intermediate;
    const active = reference.languages.map(() => new Float64Array(size));
    const tokens = reference.languages.map(() => 0);
    for (const batch of padded) {
      const counts = await model.activity(tokenBatch(batch));
      batch.rows.forEach((r, b) => {
        tokens[langOf[r]] += batch.lengths[b];
        counts.forEach((layer, l) => {
          for (let j = 0; j < model.intermediate; j++) active[langOf[r]][l * model.intermediate + j] += layer[b * model.intermediate + j];
        });
      });
    }
    await model.dispose();
    expect(tokens).toEqual(reference.tokens);
    expect(active.map((a) => Array.from(a))).toEqual(reference.active);

    const probs = activationProbabilities(active, tokens);
    const k = reference.languages.length;
    reference.probs.forEach((row, n) => row.forEach((p, lang) => expect(Math.abs(probs[n * k + lang] - p)).toBeLessThan(1e-6)));
    const entropy = lapeEntropy(probs, k);
    reference.entropy.forEach((h, n) => expect(Math.abs(entropy[n] - h)).toBeLessThan(1e-6));
    for (const [name, rates] of Object.entries(reference.rates)) {
      const {filterValue, barValue, candidates, selected, byLanguage} = selectLanguageNeurons(probs, k, rates);
      expect({name, filterValue, barValue, candidates, selected, byLanguage}).toEqual({name, ...reference.selections[name]});
    }
  });

  it("silencing neurons through the mask input gives torch's loss with those neurons zeroed", async () => {
    const model = await NeuronModel.load(onnx, "loss", {intermediate: reference.intermediate});
    const size = reference.layers * reference.intermediate;
    const meanLoss = async (mask: Float32Array) => {
      const sums = new Float64Array(reference.languages.length);
      const counts = new Float64Array(reference.languages.length);
      for (const batch of padded) {
        const logprobs = await model.nextTokenLogprobs(tokenBatch(batch), mask);
        addNextTokenLoss(logprobs, batch.lengths, batch.seqLen, batch.rows.map((r) => langOf[r]), sums, counts);
      }
      return Object.fromEntries(reference.languages.map((lang, k) => [lang, sums[k] / counts[k]]));
    };
    const close = (got: Record<string, number>, want: Record<string, number>) => {
      for (const lang of reference.languages) expect(Math.abs(got[lang] - want[lang]), lang).toBeLessThan(1e-5);
    };
    close(await meanLoss(model.ones()), reference.baseline);
    for (const {neurons, loss} of reference.silencing) close(await meanLoss(silencingMask(neurons, size)), loss);
    await model.dispose();
  });
});

describe("language neurons of encoders", () => {
  it("taps BERT's GELU output (torch's counts, exactly), and refuses the loss graph without a language-model head", async () => {
    const onnx = fixtureCopy("tiny-bert");
    const model = await NeuronModel.load(onnx, "activity");
    expect([model.file.taps.family, model.numLayers, model.intermediate, model.file.taps.hasLogits]).toEqual(["bert", 2, 64, false]);
    const {sequences} = reference.bert;
    const active = new Array<number>(model.numLayers * model.intermediate).fill(0);
    for (const batch of batches(sequences, sequences.map((_, r) => r), 4, 0)) {
      const counts = await model.activity(tokenBatch(batch));
      counts.forEach((layer, l) => layer.forEach((c, i) => (active[l * model.intermediate + (i % model.intermediate)] += c)));
    }
    expect(active).toEqual(reference.bert.active);
    await model.dispose();
    await expect(NeuronModel.load(onnx, "loss", {intermediate: 64})).rejects.toThrow(/needs a language-model head: the graph has no logits output/);
  });
});
