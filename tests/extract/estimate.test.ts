import {describe, expect, it} from "vitest";
import {formatEstimate} from "../../loaders/cli/progress.js";
import {extrapolatedSeconds, paddedTokens} from "../../loaders/extract/estimate.js";
import {chunkRows} from "../../loaders/extract/to-store.js";
import {batches} from "../../loaders/extract/tokenize.js";

describe("paddedTokens", () => {
  it("pads each batch to its longest item, batches cut from the length order within chunks (by hand)", () => {
    // Sorted 9 7 5 3 | 2 (chunks of 4), batches of 3: [9 7 5] = 27, [3] = 3, [2] = 2.
    expect(paddedTokens([5, 3, 9, 2, 7], 3, 4)).toBe(32);
    // One chunk: [9 7 5] = 27, [3 2] = 6.
    expect(paddedTokens([5, 3, 9, 2, 7], 3, 100)).toBe(33);
    expect(paddedTokens([], 3, 4)).toBe(0);
  });

  it("counts what extraction's own batches feed onnxruntime", () => {
    let seed = 3;
    const ids = Array.from({length: 203}, () => Array.from({length: 1 + ((seed = (seed * 69069 + 1) % 2 ** 32) % 40)}, () => 1));
    for (const [batchSize, chunkItems] of [[8, 64], [32, 256], [5, 7]]) {
      let fed = 0;
      for (const rows of chunkRows(ids, chunkItems).values()) for (const b of batches(ids, rows, batchSize, 0)) fed += b.rows.length * b.seqLen;
      expect(paddedTokens(ids.map((t) => t.length), batchSize, chunkItems)).toBe(fed);
    }
  });
});

describe("extrapolatedSeconds", () => {
  it("scales the first batch's seconds per padded token to the tokens left (by hand)", () => {
    // 2 s for 512 tokens; 51,200 tokens: 200 s.
    expect(extrapolatedSeconds({paddedTokens: 512, seconds: 2}, 51_200)).toBe(200);
    expect(extrapolatedSeconds({paddedTokens: 100, seconds: 0.5}, 100)).toBe(0.5);
  });
});

describe("formatEstimate", () => {
  it("gives the counts before the first batch, and the time after it", () => {
    const counts = {items: 1000, tokens: 24_000, paddedTokens: 25_600};
    expect(formatEstimate(counts)).toBe("estimate: 1000 items, 24000 tokens (25600 as batched); timing the first batch");
    expect(formatEstimate({...counts, firstBatch: {items: 32, paddedTokens: 1024, seconds: 1.5}, seconds: 37.5})).toBe(
      "estimate: 1000 items, 24000 tokens (25600 as batched); first batch 32 items (1024 tokens) in 1.50 s: about 0:38 to extract, extrapolated by tokens"
    );
  });
});
