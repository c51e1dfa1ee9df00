/**
 * Batched greedy decoding with a decoder's original ONNX export (the text-generation layout:
 * `logits` and `present.N.key/value` outputs, `past_key_values.N.key/value` inputs) through
 * onnxruntime-node: one pass over each padded batch of prompts, then one pass per new token that
 * feeds the presents back as the past. transformers.js's `generate` runs the same greedy loop one
 * prompt at a time; batching is what makes thousands of questions take seconds.
 *
 * The surgered graphs of extraction are not used: they drop the lm_head (pooled) or add outputs
 * that generation does not need (states).
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import {ModelError} from "../models/errors.js";
import type {ResolvedModel} from "../models/resolve.js";
import {positionIdsFromMask, sessionOptions} from "../models/session.js";
import {describeFeeds, type GraphFeeds} from "../models/surgery.js";
import {DEFAULT_NEW_TOKENS, positionLimit} from "./settings.js";
import {lengthOrder, loadTokenizer, padId} from "./tokenize.js";

export const DEFAULT_GENERATE_BATCH = 64;

export type Padding = "left" | "right";

export interface GenerateOptions {
  /** New tokens per prompt at most (default 10); a row stops at its first end-of-sequence token. */
  maxNewTokens?: number;
  /** Prompts per forward pass (default 64); affects speed, not the tokens (up to float rounding). */
  batchSize?: number;
  /**
   * Which side of a batch the pads go (default left, as Hugging Face pads for generation). Both
   * give the same tokens: the mask hides the pads and position ids count each row's own tokens.
   */
  padding?: Padding;
}

export interface Completion {
  /** The new token ids, up to and including the first end-of-sequence token. */
  ids: number[];
  /** The new tokens decoded, special tokens skipped (as transformers.js's text-generation does). */
  text: string;
}

/** A padded batch of prompts: row-major [batch, seqLen] ids, mask and position ids, and where each row's last token is. */
export interface PaddedPrompts {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Each row's tokens count from 0 whichever side its pads are (pads take 0 or repeat the last: they are masked). */
  positionIds: BigInt64Array;
  seqLen: number;
  /** Column of each row's last prompt token. */
  last: Int32Array;
}

/** Pads prompts to their longest, on the given side; the mask is 1 on prompt tokens. */
export function padPrompts(prompts: readonly number[][], pad: number, side: Padding): PaddedPrompts {
  const seqLen = Math.max(...prompts.map((p) => p.length));
  const inputIds = new BigInt64Array(prompts.length * seqLen).fill(BigInt(pad));
  const attentionMask = new BigInt64Array(prompts.length * seqLen);
  const last = new Int32Array(prompts.length);
  prompts.forEach((prompt, b) => {
    if (prompt.length === 0) throw new Error(`generate: prompt ${b} has no tokens`);
    const offset = side === "left" ? seqLen - prompt.length : 0;
    prompt.forEach((id, t) => {
      inputIds[b * seqLen + offset + t] = BigInt(id);
      attentionMask[b * seqLen + offset + t] = 1n;
    });
    last[b] = offset + prompt.length - 1;
  });
  return {inputIds, attentionMask, positionIds: positionIdsFromMask(attentionMask, prompts.length, seqLen), seqLen, last};
}

/** Position ids of the tokens fed at a step after the first pass (step 0 feeds the first new token): each follows its row's prompt. */
export function stepPositions(promptLengths: readonly number[], step: number): BigInt64Array {
  return BigInt64Array.from(promptLengths, (length) => BigInt(length + step));
}

/** Index of the largest of `length` values from `offset` (the first one on ties, as torch's argmax). */
export function argmax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

/** The end-of-sequence ids generation stops at: generation_config.json's, else config.json's (as transformers.js reads them). */
function eosIds(model: ResolvedModel): Set<number> {
  const path = join(model.dir, "generation_config.json");
  const generation = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as {eos_token_id?: unknown}) : {};
  const value = generation.eos_token_id ?? model.config.eos_token_id;
  return new Set((Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(Number));
}

export class Generator {
  private constructor(
    readonly model: ResolvedModel,
    readonly tokenizer: PreTrainedTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly feeds: Omit<GraphFeeds, "batchDependent"> & {past: NonNullable<GraphFeeds["past"]>},
    private readonly eos: Set<number>
  ) {}

  /** Opens the model's original ONNX file; throws a ModelError for a graph that cannot generate. */
  static async open(model: ResolvedModel, options: {threads?: number} = {}): Promise<Generator> {
    const tokenizer = await loadTokenizer(model.dir);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model.onnxPath, sessionOptions(options.threads));
    } catch (e) {
      throw new ModelError("unsupported", model.raw, `onnxruntime cannot load the model: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`);
    }
    const fail = async (what: string): Promise<never> => {
      await session.release();
      throw new ModelError("unsupported", model.raw, `cannot generate: ${what}`);
    };
    const feeds = describeFeeds(session.inputMetadata.map((m) => ({name: m.name, type: m.isTensor ? m.type : "non-tensor", shape: m.isTensor ? m.shape : []})), model.raw);
    if (!session.outputNames.includes("logits")) return fail("the graph has no logits output (not a text-generation export)");
    if (!feeds.past) return fail("the graph has no past_key_values inputs (an export without the key/value cache)");
    const missing = feeds.past.names.map(presentName).filter((name) => !session.outputNames.includes(name));
    if (missing.length) return fail(`the graph lacks the outputs ${missing.join(", ")}`);
    return new Generator(model, tokenizer, session, {...feeds, past: feeds.past}, eosIds(model));
  }

  /** Greedy completions of texts, tokenised as the model's tokenizer encodes them (special tokens added), in input order. */
  async complete(texts: readonly string[], options: GenerateOptions = {}): Promise<Completion[]> {
    const generated = await this.generate(texts.map((text) => this.tokenizer.encode(text)), options);
    return generated.map((ids) => ({ids, text: this.tokenizer.decode(ids, {skip_special_tokens: true})}));
  }

  /** Greedy new token ids for each prompt, in input order; prompts are batched longest first, so batches pad little. */
  async generate(prompts: readonly number[][], options: GenerateOptions = {}): Promise<number[][]> {
    const {maxNewTokens = DEFAULT_NEW_TOKENS, batchSize = DEFAULT_GENERATE_BATCH, padding = "left"} = options;
    if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 1)) throw new Error(`generate: maxNewTokens must be a positive integer, got ${maxNewTokens}`);
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`generate: batchSize must be a positive integer, got ${batchSize}`);
    const limit = positionLimit(this.model.config);
    const longest = Math.max(0, ...prompts.map((p) => p.length));
    if (limit !== undefined && longest + maxNewTokens > limit) throw new Error(`generate: a prompt of ${longest} tokens and ${maxNewTokens} new ones exceed the model's ${limit} positions`);
    const out: number[][] = new Array(prompts.length);
    const order = lengthOrder(prompts as number[][], prompts.map((_, i) => i));
    for (let start = 0; start < order.length; start += batchSize) {
      const rows = order.slice(start, start + batchSize);
      const batch = await this.generateBatch(rows.map((r) => prompts[r]), maxNewTokens, padding);
      rows.forEach((r, b) => (out[r] = batch[b]));
    }
    return out;
  }

  private async generateBatch(prompts: number[][], maxNewTokens: number, padding: Padding): Promise<number[][]> {
    const batch = prompts.length;
    const {inputIds, attentionMask, positionIds, seqLen, last} = padPrompts(prompts, padId(this.tokenizer), padding);
    const {names, kvHeads, headDim, type} = this.feeds.past;
    const empty = new ort.Tensor(type, type === "float16" ? new Uint16Array(0) : new Float32Array(0), [batch, kvHeads, 0, headDim]);
    let mask = attentionMask;
    let total = seqLen;
    let feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", inputIds, [batch, seqLen]),
      ...Object.fromEntries(names.map((name) => [name, empty]))
    };
    let positions = positionIds;
    // Logits column to read per row: the last prompt token in the first pass, the only column after.
    let read = last;
    const out = prompts.map((): number[] => []);
    const done = new Array<boolean>(batch).fill(false);
    for (let step = 0; ; step++) {
      feeds.attention_mask = new ort.Tensor("int64", mask, [batch, total]);
      if (this.feeds.hasPositionIds) feeds.position_ids = new ort.Tensor("int64", positions, [batch, positions.length / batch]);
      const results = await this.session.run(feeds);
      const logits = results.logits;
      if (logits.type !== "float32") throw new ModelError("unsupported", this.model.raw, `cannot generate: logits are ${logits.type}, expected float32`);
      const [, columns, vocab] = logits.dims;
      const next = new BigInt64Array(batch);
      for (let b = 0; b < batch; b++) {
        if (done[b]) continue;
        const token = argmax(logits.data as Float32Array, (b * columns + read[b]) * vocab, vocab);
        out[b].push(token);
        done[b] = this.eos.has(token);
        next[b] = BigInt(token);
      }
      if (step + 1 === maxNewTokens || done.every(Boolean)) return out;
      // The new token attends to its row's prompt and earlier new tokens (never to pads).
      mask = appendOnes(mask, batch, total);
      total += 1;
      positions = stepPositions(prompts.map((p) => p.length), step);
      read = new Int32Array(batch);
      feeds = {input_ids: new ort.Tensor("int64", next, [batch, 1]), ...Object.fromEntries(names.map((name) => [name, results[presentName(name)]]))};
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** The output that holds the cache a past input takes in the next pass. */
const presentName = (past: string): string => past.replace(/^past_key_values\./, "present.");

/** The row-major [batch, columns] mask with a column of ones appended. */
function appendOnes(mask: BigInt64Array, batch: number, columns: number): BigInt64Array {
  const grown = new BigInt64Array(batch * (columns + 1));
  for (let b = 0; b < batch; b++) {
    grown.set(mask.subarray(b * columns, (b + 1) * columns), b * (columns + 1));
    grown[b * (columns + 1) + columns] = 1n;
  }
  return grown;
}

/** Greedy completions of texts with a resolved decoder model (opens and closes its session). */
export async function greedyComplete(model: ResolvedModel, texts: readonly string[], options: GenerateOptions & {threads?: number} = {}): Promise<Completion[]> {
  const generator = await Generator.open(model, {threads: options.threads});
  try {
    return await generator.complete(texts, options);
  } finally {
    await generator.dispose();
  }
}
