import {describe, expect, it} from "vitest";
import {assertPooling, pool} from "../../loaders/extract/pool.js";

// Two items, seqLen 3, dim 2; item 0 has 2 real tokens (third is padding), item 1 has 3.
const hidden = new Float32Array([
  1, 2, 3, 4, 100, 100, //
  5, 6, 7, 8, 9, 10
]);
const lengths = [2, 3];

describe("pool", () => {
  it("pool(..., 'mean') averages real tokens only", () => {
    const out = new Float32Array(4);
    pool(hidden, 2, 3, 2, lengths, "mean", out, 0);
    expect(Array.from(out)).toEqual([2, 3, 7, 8]);
  });
  it("pool(..., 'last') reads the last real token, not the padded position", () => {
    const out = new Float32Array(4);
    pool(hidden, 2, 3, 2, lengths, "last", out, 0);
    expect(Array.from(out)).toEqual([3, 4, 9, 10]);
  });
  it("pool(..., 'first') reads position 0", () => {
    const out = new Float32Array(4);
    pool(hidden, 2, 3, 2, lengths, "first", out, 0);
    expect(Array.from(out)).toEqual([1, 2, 5, 6]);
  });
  it("pool(..., outRow) writes at the given row of out", () => {
    const out = new Float32Array(6);
    pool(hidden, 2, 3, 2, lengths, "first", out, 1);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 5, 6]);
  });
  it("pool rejects a length that does not fit the batch", () => {
    expect(() => pool(hidden, 2, 3, 2, [0, 3], "mean", new Float32Array(4), 0)).toThrow("item 0 has 0 tokens");
  });
  it("assertPooling(value) names the choices", () => {
    expect(() => assertPooling("max")).toThrow('unknown pooling "max": expected one of mean, last, first');
  });
});
