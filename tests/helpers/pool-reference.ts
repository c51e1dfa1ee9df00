/** Pooling computed in JavaScript from full hidden states: the reference the in-graph pooling is tested against. */
import type {Pooling} from "../../loaders/types.js";

/** Pools [batch, seqLen, dim] (right-padded, lengths[b] real tokens) into [batch, dim]; means sum in float64. */
export function referencePool(hidden: Float32Array, seqLen: number, dim: number, lengths: readonly number[], pooling: Pooling): Float32Array {
  const out = new Float32Array(lengths.length * dim);
  lengths.forEach((length, b) => {
    const token = (t: number) => hidden.subarray((b * seqLen + t) * dim, (b * seqLen + t + 1) * dim);
    if (pooling === "mean") {
      for (let d = 0; d < dim; d++) {
        let sum = 0;
        for (let t = 0; t < length; t++) sum += token(t)[d];
        out[b * dim + d] = sum / length;
      }
    } else {
      out.set(token(pooling === "last" ? length - 1 : 0), b * dim);
    }
  });
  return out;
}
