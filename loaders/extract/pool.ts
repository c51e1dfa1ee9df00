/**
 * Pooling: one vector per item from a layer's token vectors.
 *
 * - `mean`: average over the item's real tokens (attention mask 1, special tokens included, as
 *   sentence-transformers does);
 * - `last`: the last real token, read through the item's length (never position -1 of a
 *   right-padded batch, which is a pad for shorter items);
 * - `first`: the first token (`[CLS]` for BERT-like encoders, BOS for decoders that add one).
 *
 * The surgered graph pools (see `LayerModel.pooled`): each pooling is a weighted sum over tokens, so
 * only [batch, hidden] per layer leaves onnxruntime. `last` and `first` are exact (one weight 1, the
 * rest 0); `mean` sums in float32 with weight 1 / length. Pads get weight 0, so a vector does not
 * depend on the batch it was computed in (up to float32 rounding).
 */
import {POOLINGS, type Pooling} from "../types.js";

export function assertPooling(value: string): asserts value is Pooling {
  if (!(POOLINGS as readonly string[]).includes(value)) throw new Error(`unknown pooling "${value}": expected one of ${POOLINGS.join(", ")}`);
}

/**
 * Per-token weights [batch, seqLen] (row-major, right-padded) of a pooling, for batch rows with
 * `lengths[b]` real tokens each.
 *
 * @example poolingWeights([2, 3], 3, "mean") // [0.5, 0.5, 0, 1/3, 1/3, 1/3]
 */
export function poolingWeights(lengths: ArrayLike<number>, seqLen: number, pooling: Pooling): Float32Array {
  const weights = new Float32Array(lengths.length * seqLen);
  for (let b = 0; b < lengths.length; b++) {
    const length = lengths[b];
    if (!(Number.isInteger(length) && length >= 1 && length <= seqLen)) throw new Error(`item ${b} has ${length} tokens in a batch of length ${seqLen}`);
    const row = b * seqLen;
    if (pooling === "mean") weights.fill(1 / length, row, row + length);
    else weights[row + (pooling === "last" ? length - 1 : 0)] = 1;
  }
  return weights;
}
