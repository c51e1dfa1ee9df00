/**
 * Pooling: one vector per item from a layer's token vectors.
 *
 * - `mean`: average over the item's real tokens (attention mask 1, special tokens included, as
 *   sentence-transformers does);
 * - `last`: the last real token, read through the item's length (never position -1 of a
 *   right-padded batch, which is a pad for shorter items);
 * - `first`: the first token (`[CLS]` for BERT-like encoders, BOS for decoders that add one).
 *
 * Sums run in float64 over the item's own tokens in order, so a vector does not depend on the batch
 * it was computed in.
 */
import {POOLINGS, type Pooling} from "../types.js";

export function assertPooling(value: string): asserts value is Pooling {
  if (!(POOLINGS as readonly string[]).includes(value)) throw new Error(`unknown pooling "${value}": expected one of ${POOLINGS.join(", ")}`);
}

/**
 * Pools `hidden` ([batch, seqLen, dim], row-major, right-padded) into `out` at row `outRow + b` for
 * each batch row b, using `lengths[b]` real tokens.
 *
 * @example pool(new Float32Array([1, 2, 3, 4, 9, 9]), 1, 3, 2, [2], "mean", out, 0) // out = [2, 3]
 */
export function pool(
  hidden: Float32Array,
  batch: number,
  seqLen: number,
  dim: number,
  lengths: ArrayLike<number>,
  pooling: Pooling,
  out: Float32Array,
  outRow: number
): void {
  for (let b = 0; b < batch; b++) {
    const length = lengths[b];
    if (length < 1 || length > seqLen) throw new Error(`item ${b} has ${length} tokens in a batch of length ${seqLen}`);
    const rowStart = b * seqLen * dim;
    const target = (outRow + b) * dim;
    if (pooling === "mean") {
      for (let d = 0; d < dim; d++) {
        let sum = 0;
        for (let t = 0, i = rowStart + d; t < length; t++, i += dim) sum += hidden[i];
        out[target + d] = sum / length;
      }
    } else {
      const token = pooling === "last" ? length - 1 : 0;
      out.set(hidden.subarray(rowStart + token * dim, rowStart + (token + 1) * dim), target);
    }
  }
}
