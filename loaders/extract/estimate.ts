/**
 * What an extraction will cost, said before it is spent: items and tokens (tokenising is cheap, so
 * they are counted, not guessed), then, once the first batch has run, the time, extrapolated from
 * that batch by the tokens onnxruntime is fed (padding included). Batches run longest first, so the
 * first batch is the slowest per token (attention grows with length) and the estimate errs long.
 */
export interface ExtractionEstimate {
  items: number;
  /** The items' tokens after truncation. */
  tokens: number;
  /** Tokens as batched: each batch is as long as its longest item. */
  paddedTokens: number;
  /** Set once the first batch this run computes has returned. */
  firstBatch?: {items: number; paddedTokens: number; seconds: number};
  /** Extrapolated seconds for the padded tokens still to compute when the first batch started (it included). */
  seconds?: number;
}

/**
 * Tokens fed to onnxruntime for items of these lengths, batched as extraction batches them: chunks
 * of `chunkItems` cut from the lengths sorted longest first, each cut into batches of `batchSize`
 * padded to their longest item.
 */
export function paddedTokens(lengths: readonly number[], batchSize: number, chunkItems: number): number {
  const sorted = [...lengths].sort((a, b) => b - a);
  let total = 0;
  for (let chunk = 0; chunk < sorted.length; chunk += chunkItems) {
    const end = Math.min(chunk + chunkItems, sorted.length);
    for (let start = chunk; start < end; start += batchSize) total += sorted[start] * (Math.min(start + batchSize, end) - start);
  }
  return total;
}

/** Seconds for `remainingPaddedTokens` at the first batch's rate (seconds per padded token). */
export function extrapolatedSeconds(firstBatch: {paddedTokens: number; seconds: number}, remainingPaddedTokens: number): number {
  return (firstBatch.seconds / firstBatch.paddedTokens) * remainingPaddedTokens;
}
