/**
 * Tokenisation with the model's own tokenizer (transformers.js, read from the local folder only:
 * downloads are the hub module's job), truncation that is reported rather than silent, and
 * right-padded batches.
 */
import {AutoTokenizer, env as transformersEnv, type PreTrainedTokenizer} from "@huggingface/transformers";

// Babelscope fetches hub files itself (bounded, cached); transformers.js must never reach out.
transformersEnv.allowRemoteModels = false;

export interface Tokenized {
  /** Token ids per item, special tokens included, truncated to maxLength. */
  ids: number[][];
  /** Length of each item before truncation. */
  fullLengths: Int32Array;
}

export interface Batch {
  /** Positions of the batch's items in the tokenized list. */
  rows: number[];
  seqLen: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  lengths: Int32Array;
}

export async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  return AutoTokenizer.from_pretrained(dir, {local_files_only: true});
}

/**
 * Token ids with special tokens, truncated to `maxLength` as Hugging Face tokenizers truncate: the
 * text's own tokens are cut and the special tokens around them kept (transformers.js would cut the
 * final `[SEP]` off). Each text is encoded once; where the special tokens go is learned from the
 * tokenizer (see `specialTokenLayout`).
 */
export function tokenize(tokenizer: PreTrainedTokenizer, texts: string[], maxLength: number): Tokenized {
  if (!(Number.isInteger(maxLength) && maxLength >= 2)) throw new Error(`max length must be an integer >= 2, got ${maxLength}`);
  const layout = specialTokenLayout(tokenizer);
  const ids: number[][] = [];
  const fullLengths = new Int32Array(texts.length);
  texts.forEach((text, i) => {
    const encoded = tokenizer.encode(text);
    fullLengths[i] = encoded.length;
    if (encoded.length === 0) throw new Error(`item ${i} has no tokens (empty text?)`);
    if (encoded.length <= maxLength) ids.push(encoded);
    else ids.push(truncate(encoded, layout ?? findLayout(encoded, tokenizer.encode(text, {add_special_tokens: false})), maxLength));
  });
  return {ids, fullLengths};
}

/** How many special tokens a tokenizer puts before and after a single text's own tokens. */
export interface SpecialTokenLayout {
  prefix: number;
  suffix: number;
}

/** The layout of one encoding, given the same text's tokens without special tokens; null if they are not found inside it. */
export function findLayout(withSpecials: number[], plain: number[]): SpecialTokenLayout | null {
  const extra = withSpecials.length - plain.length;
  for (let prefix = 0; prefix <= extra; prefix++) {
    if (plain.every((id, t) => withSpecials[prefix + t] === id)) return {prefix, suffix: extra - prefix};
  }
  return null;
}

// Texts in several scripts, digits and punctuation: a post-processor that adds the same tokens
// around each of them (BERT, RoBERTa, template and BOS/EOS processors all do) adds them around any text.
const LAYOUT_PROBES = ["a", "Hello, world 123.", "Всем привет", "こんにちは 世界"];
const layouts = new WeakMap<PreTrainedTokenizer, SpecialTokenLayout | null>();

/**
 * The special-token layout a tokenizer gives every text, from a few probe texts; null when the
 * probes disagree, and then truncation finds each text's layout with a second encoding.
 */
export function specialTokenLayout(tokenizer: PreTrainedTokenizer): SpecialTokenLayout | null {
  if (!layouts.has(tokenizer)) {
    const found = LAYOUT_PROBES.map((text) => findLayout(tokenizer.encode(text), tokenizer.encode(text, {add_special_tokens: false})));
    const [first] = found;
    const same = first !== null && found.every((l) => l !== null && l.prefix === first.prefix && l.suffix === first.suffix);
    layouts.set(tokenizer, same ? first : null);
  }
  return layouts.get(tokenizer)!;
}

/**
 * Cuts the text's own tokens to fit `maxLength` and keeps the special tokens around them; a plain
 * cut when the layout is unknown or the special tokens alone fill `maxLength`.
 *
 * @example truncate([101, 1, 2, 3, 4, 5, 102], {prefix: 1, suffix: 1}, 5) // [101, 1, 2, 3, 102]
 */
export function truncate(withSpecials: number[], layout: SpecialTokenLayout | null, maxLength: number): number[] {
  if (!layout || maxLength <= layout.prefix + layout.suffix) return withSpecials.slice(0, maxLength);
  const {suffix} = layout;
  return [...withSpecials.slice(0, maxLength - suffix), ...withSpecials.slice(withSpecials.length - suffix)];
}

/** The id used for padding; any id works since pads are masked, but a real one keeps embeddings in range. */
export function padId(tokenizer: PreTrainedTokenizer): number {
  return tokenizer.pad_token_id ?? (tokenizer as unknown as {eos_token_id?: number}).eos_token_id ?? 0;
}

/**
 * Rows longest first (ties in row order): batches cut from this order pad little, and the most
 * memory-hungry batch runs first, so one too large for memory fails at once.
 */
export function lengthOrder(ids: number[][], rows: readonly number[]): number[] {
  return [...rows].sort((a, b) => ids[b].length - ids[a].length || a - b);
}

/**
 * Groups rows into right-padded batches, cut from their `lengthOrder`; results do not depend on the
 * grouping, only speed does.
 */
export function batches(ids: number[][], rows: readonly number[], batchSize: number, pad: number): Batch[] {
  const sorted = lengthOrder(ids, rows);
  const out: Batch[] = [];
  for (let start = 0; start < sorted.length; start += batchSize) {
    const group = sorted.slice(start, start + batchSize);
    const seqLen = Math.max(...group.map((r) => ids[r].length));
    const inputIds = new BigInt64Array(group.length * seqLen).fill(BigInt(pad));
    const attentionMask = new BigInt64Array(group.length * seqLen);
    const lengths = new Int32Array(group.length);
    group.forEach((row, b) => {
      const tokens = ids[row];
      lengths[b] = tokens.length;
      for (let t = 0; t < tokens.length; t++) {
        inputIds[b * seqLen + t] = BigInt(tokens[t]);
        attentionMask[b * seqLen + t] = 1n;
      }
    });
    out.push({rows: group, seqLen, inputIds, attentionMask, lengths});
  }
  return out;
}
