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

export function tokenize(tokenizer: PreTrainedTokenizer, texts: string[], maxLength: number): Tokenized {
  if (!(Number.isInteger(maxLength) && maxLength >= 2)) throw new Error(`max length must be an integer >= 2, got ${maxLength}`);
  const ids: number[][] = [];
  const fullLengths = new Int32Array(texts.length);
  texts.forEach((text, i) => {
    const encoded = tokenizer.encode(text);
    fullLengths[i] = encoded.length;
    if (encoded.length === 0) throw new Error(`item ${i} has no tokens (empty text?)`);
    ids.push(encoded.length > maxLength ? truncate(encoded, tokenizer.encode(text, {add_special_tokens: false}), maxLength) : encoded);
  });
  return {ids, fullLengths};
}

/**
 * Cuts the text's own tokens and keeps the special tokens around them (`[CLS] ... [SEP]`, a BOS), as
 * Hugging Face tokenizers truncate; transformers.js would cut the final `[SEP]` off.
 */
export function truncate(withSpecials: number[], plain: number[], maxLength: number): number[] {
  const extra = withSpecials.length - plain.length;
  let prefix = 0;
  while (prefix <= extra && !plain.every((id, t) => withSpecials[prefix + t] === id)) prefix++;
  if (prefix > extra || maxLength <= extra) return withSpecials.slice(0, maxLength);
  return [...withSpecials.slice(0, prefix), ...plain.slice(0, maxLength - extra), ...withSpecials.slice(prefix + plain.length)];
}

/** The id used for padding; any id works since pads are masked, but a real one keeps embeddings in range. */
export function padId(tokenizer: PreTrainedTokenizer): number {
  return tokenizer.pad_token_id ?? (tokenizer as unknown as {eos_token_id?: number}).eos_token_id ?? 0;
}

/**
 * Groups rows into right-padded batches. Rows are taken in order of length, so a batch pads little;
 * results do not depend on the grouping, only speed does.
 */
export function batches(ids: number[][], rows: number[], batchSize: number, pad: number): Batch[] {
  const sorted = [...rows].sort((a, b) => ids[a].length - ids[b].length || a - b);
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
