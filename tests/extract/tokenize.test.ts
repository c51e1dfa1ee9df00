import {describe, expect, it} from "vitest";
import {batches, truncate} from "../../loaders/extract/tokenize.js";

describe("truncate", () => {
  it("truncate keeps leading and trailing special tokens and cuts the text's tokens", () => {
    // [CLS]=101 a b c d e [SEP]=102
    expect(truncate([101, 1, 2, 3, 4, 5, 102], [1, 2, 3, 4, 5], 5)).toEqual([101, 1, 2, 3, 102]);
  });
  it("truncate with a leading BOS only", () => {
    expect(truncate([9, 1, 2, 3, 4], [1, 2, 3, 4], 3)).toEqual([9, 1, 2]);
  });
  it("truncate without special tokens is a prefix", () => {
    expect(truncate([1, 2, 3, 4], [1, 2, 3, 4], 2)).toEqual([1, 2]);
  });
});

describe("batches", () => {
  const ids = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]];
  it("batches groups rows by length and right-pads with the pad id and a zero mask", () => {
    const out = batches(ids, [0, 1, 2, 3], 2, 0);
    expect(out.map((b) => b.rows)).toEqual([[1, 2], [0, 3]]);
    expect(out[0].seqLen).toBe(2);
    expect(Array.from(out[0].inputIds, Number)).toEqual([4, 0, 5, 6]);
    expect(Array.from(out[0].attentionMask, Number)).toEqual([1, 0, 1, 1]);
    expect(Array.from(out[1].lengths)).toEqual([3, 4]);
  });
  it("batches covers only the rows asked for", () => {
    expect(batches(ids, [3, 0], 8, 0).flatMap((b) => b.rows)).toEqual([0, 3]);
  });
});
