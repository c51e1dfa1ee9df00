/** Greedy decoding's pure parts: padded batches with their position ids, step positions, argmax. */
import {describe, expect, it} from "vitest";
import {argmax, padPrompts, stepPositions} from "../../loaders/extract/generate.js";

const big = (xs: number[]) => BigInt64Array.from(xs, BigInt);

describe("padPrompts", () => {
  const prompts = [[5, 6, 7], [8], [9, 10]];

  it("left padding: pads first, every row's last token in the last column, positions count each row's own tokens from 0", () => {
    const p = padPrompts(prompts, 0, "left");
    expect(p.seqLen).toBe(3);
    expect(p.inputIds).toEqual(big([5, 6, 7, 0, 0, 8, 0, 9, 10]));
    expect(p.attentionMask).toEqual(big([1, 1, 1, 0, 0, 1, 0, 1, 1]));
    expect(p.positionIds).toEqual(big([0, 1, 2, 0, 0, 0, 0, 0, 1]));
    expect(Array.from(p.last)).toEqual([2, 2, 2]);
  });

  it("right padding: pads last, each row's last token where its prompt ends", () => {
    const p = padPrompts(prompts, 0, "right");
    expect(p.inputIds).toEqual(big([5, 6, 7, 8, 0, 0, 9, 10, 0]));
    expect(p.attentionMask).toEqual(big([1, 1, 1, 1, 0, 0, 1, 1, 0]));
    expect(p.positionIds.filter((_, i) => p.attentionMask[i] === 1n)).toEqual(big([0, 1, 2, 0, 0, 1]));
    expect(Array.from(p.last)).toEqual([2, 0, 1]);
  });

  it("refuses an empty prompt", () => {
    expect(() => padPrompts([[1], []], 0, "left")).toThrow(/prompt 1 has no tokens/);
  });
});

describe("stepPositions", () => {
  it("places the token fed at step k right after its row's prompt and the k tokens before it, whatever the padding", () => {
    expect(stepPositions([3, 1, 2], 0)).toEqual(big([3, 1, 2]));
    expect(stepPositions([3, 1, 2], 4)).toEqual(big([7, 5, 6]));
  });
});

describe("argmax", () => {
  it("finds the largest value in a row of a flat array, the first on ties (as torch)", () => {
    const values = Float32Array.from([9, 9, 1, 3, 3, 2, -1, -5]);
    expect(argmax(values, 2, 4)).toBe(1);
    expect(argmax(values, 6, 2)).toBe(0);
    expect(argmax(values, 0, 2)).toBe(0);
  });
});
