/**
 * Batched greedy decoding through onnxruntime against transformers.js's `generate` (one question at
 * a time, no padding) on the embedded model: the same new tokens, question for question, with
 * left and right padding and with batches cut across the questions; and with an end-of-sequence
 * token the model does produce, the same early stops while other rows of the batch go on.
 */
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {AutoModelForCausalLM, AutoTokenizer, type Tensor} from "@huggingface/transformers";
import {beforeAll, describe, expect, it} from "vitest";
import {env} from "../../loaders/config.js";
import {Generator, greedyComplete} from "../../loaders/extract/generate.js";
import {resolveModel, type ResolvedModel} from "../../loaders/models/resolve.js";
import {tempDir} from "../helpers/tmp.js";

const MODEL_DIR = resolve("models/babelscope-tiny");
const NEW_TOKENS = 10;
/** Real and fabricated entities in eight languages and scripts: prompts from 8 to 20-odd tokens. */
const IDS = [
  "q:capital:AL:eng", "q:capital:AL:jpn", "q:currency:fab03:deu", "q:language:AL:tha",
  "q:continent:fab01:arb", "q:capital:fab02:hin", "q:currency:AL:cmn_hans", "q:language:fab04:swh"
];
const rows = readFileSync("data/questions/questions.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l) as {id: string; text: string});
const QUESTIONS = IDS.map((id) => rows.find((r) => r.id === id)!.text);

/** transformers.js greedy generation, one question at a time: the new token ids. */
async function reference(dir: string, questions: string[]): Promise<number[][]> {
  const tokenizer = await AutoTokenizer.from_pretrained(dir, {local_files_only: true});
  const model = await AutoModelForCausalLM.from_pretrained(dir, {local_files_only: true, dtype: "fp32"});
  try {
    const out: number[][] = [];
    for (const question of questions) {
      const inputs = tokenizer(question);
      const ids = ((await model.generate({...inputs, max_new_tokens: NEW_TOKENS, do_sample: false})) as Tensor).tolist() as bigint[][];
      out.push(ids[0].slice(inputs.input_ids.dims[1]).map(Number));
    }
    return out;
  } finally {
    await model.dispose();
  }
}

/** A copy of the embedded model whose generation config ends sequences at `eos`. */
function withEos(eos: number): string {
  const dir = tempDir("generate-eos");
  mkdirSync(join(dir, "onnx"));
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) copyFileSync(join(MODEL_DIR, file), join(dir, file));
  const generation = JSON.parse(readFileSync(join(MODEL_DIR, "generation_config.json"), "utf8"));
  writeFileSync(join(dir, "generation_config.json"), JSON.stringify({...generation, eos_token_id: eos}));
  return dir;
}

describe("Generator on the embedded model", () => {
  let model: ResolvedModel;
  let expected: number[][];
  beforeAll(async () => {
    model = await resolveModel("embedded:babelscope-tiny", env);
    expected = await reference(MODEL_DIR, QUESTIONS);
  });

  it.each([
    ["one left-padded batch", {padding: "left", batchSize: 8}],
    ["one right-padded batch", {padding: "right", batchSize: 8}],
    ["batches of 3, left-padded", {padding: "left", batchSize: 3}]
  ] as const)("gives transformers.js's greedy tokens for every question in %s", async (_, options) => {
    const generator = await Generator.open(model);
    try {
      const completions = await generator.complete(QUESTIONS, {maxNewTokens: NEW_TOKENS, ...options});
      expect(completions.map((c) => c.ids)).toEqual(expected);
      expect(completions.map((c) => c.text)).toEqual(expected.map((ids) => generator.tokenizer.decode(ids, {skip_special_tokens: true})));
    } finally {
      await generator.dispose();
    }
    // The prompts really are of different lengths, so the batches pad.
    expect(new Set(QUESTIONS.map((q) => generator.tokenizer.encode(q).length)).size).toBeGreaterThan(4);
  });

  it("stops each row at its first end-of-sequence token, as transformers.js does, while the rest of the batch goes on", async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_DIR, {local_files_only: true});
    const [dot] = tokenizer.encode(".", {add_special_tokens: false});
    const dir = withEos(dot);
    const stopped = await reference(dir, QUESTIONS);
    const lengths = stopped.map((ids) => ids.length);
    // The test means something only if some rows stop early and others run to the end.
    expect(Math.min(...lengths)).toBeLessThan(NEW_TOKENS);
    expect(Math.max(...lengths)).toBe(NEW_TOKENS);
    for (const padding of ["left", "right"] as const) {
      const completions = await greedyComplete(await resolveModel(dir, env), QUESTIONS, {maxNewTokens: NEW_TOKENS, padding});
      expect(completions.map((c) => c.ids), padding).toEqual(stopped);
    }
  });

  it("refuses a model without logits (an encoder) in one line", async () => {
    const encoder = await resolveModel(resolve("tests/fixtures/models/tiny-bert"), env);
    await expect(Generator.open(encoder)).rejects.toThrow(/cannot generate: the graph has no logits output/);
  });
});
