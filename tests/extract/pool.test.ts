import {describe, expect, it} from "vitest";
import {assertPooling, poolingWeights} from "../../loaders/extract/pool.js";

// Two items in a batch of length 3: item 0 has 2 real tokens (the third is padding), item 1 has 3.
const lengths = [2, 3];

describe("poolingWeights", () => {
  it("poolingWeights(..., 'mean') weighs real tokens 1 / length and padding 0", () => {
    expect(poolingWeights(lengths, 3, "mean")).toEqual(new Float32Array([1 / 2, 1 / 2, 0, 1 / 3, 1 / 3, 1 / 3]));
  });
  it("poolingWeights(..., 'last') picks the last real token, not the padded position", () => {
    expect(poolingWeights(lengths, 3, "last")).toEqual(new Float32Array([0, 1, 0, 0, 0, 1]));
  });
  it("poolingWeights(..., 'first') picks position 0", () => {
    expect(poolingWeights(lengths, 3, "first")).toEqual(new Float32Array([1, 0, 0, 1, 0, 0]));
  });
  it("poolingWeights rejects a length that does not fit the batch", () => {
    expect(() => poolingWeights([0, 3], 3, "mean")).toThrow("item 0 has 0 tokens in a batch of length 3");
    expect(() => poolingWeights([2, 4], 3, "last")).toThrow("item 1 has 4 tokens in a batch of length 3");
  });
  it("assertPooling(value) names the choices", () => {
    expect(() => assertPooling("max")).toThrow('unknown pooling "max": expected one of mean, last, first');
  });
});
