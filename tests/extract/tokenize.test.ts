import {describe, expect, it} from "vitest";
import {resolve} from "node:path";
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import {loadNpmTokenizer} from "../../loaders/extract/token-counts.js";
import {batches, findLayout, lengthOrder, loadTokenizer, specialTokenLayout, tokenize, truncate, type SpecialTokenLayout} from "../../loaders/extract/tokenize.js";

describe("truncate", () => {
  it("truncate keeps leading and trailing special tokens and cuts the text's tokens", () => {
    // [CLS]=101 a b c d e [SEP]=102
    expect(truncate([101, 1, 2, 3, 4, 5, 102], {prefix: 1, suffix: 1}, 5)).toEqual([101, 1, 2, 3, 102]);
  });
  it("truncate with a leading BOS only", () => {
    expect(truncate([9, 1, 2, 3, 4], {prefix: 1, suffix: 0}, 3)).toEqual([9, 1, 2]);
  });
  it("truncate without special tokens, with an unknown layout, or with no room for text is a prefix", () => {
    expect(truncate([1, 2, 3, 4], {prefix: 0, suffix: 0}, 2)).toEqual([1, 2]);
    expect(truncate([101, 1, 2, 3, 102], null, 3)).toEqual([101, 1, 2]);
    expect(truncate([101, 102, 1, 2, 3, 103], {prefix: 2, suffix: 1}, 3)).toEqual([101, 102, 1]);
  });
});

describe("findLayout", () => {
  it("findLayout locates the text's tokens among the special tokens", () => {
    expect(findLayout([101, 1, 2, 102], [1, 2])).toEqual({prefix: 1, suffix: 1});
    expect(findLayout([9, 1, 2], [1, 2])).toEqual({prefix: 1, suffix: 0});
    expect(findLayout([1, 2, 7, 8], [1, 2])).toEqual({prefix: 0, suffix: 2});
    // A tokenizer whose special tokens change the text's own tokens.
    expect(findLayout([101, 5, 2, 102], [1, 2])).toBeNull();
  });
});

// The special tokens each adds around a text as transformers.js reads its files: a BERT WordPiece
// tokenizer ([CLS] ... [SEP]), byte-level BPE without special tokens (Qwen3; Llama 3 as its npm
// package ships it), and SentencePiece with a BOS (Gemma 3).
const TOKENIZERS: [string, () => Promise<PreTrainedTokenizer>, SpecialTokenLayout][] = [
  ["tiny-bert", () => loadTokenizer(resolve("tests/fixtures/models/tiny-bert")), {prefix: 1, suffix: 1}],
  ["qwen3", () => loadNpmTokenizer("qwen3"), {prefix: 0, suffix: 0}],
  ["llama3", () => loadNpmTokenizer("llama3"), {prefix: 0, suffix: 0}],
  ["gemma3", () => loadNpmTokenizer("gemma3"), {prefix: 1, suffix: 0}]
];
const TEXTS = [
  "Everyone has the right to life, liberty and security of person.",
  "Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность.",
  "人人有权享有生命、自由和人身安全。",
  "لكل فرد الحق في الحياة والحرية وسلامة شخصه.",
  "  leading spaces and 1234567 digits  ",
  "short"
];

describe("tokenize", () => {
  it.each(TOKENIZERS)("tokenize with %s encodes once and truncates each text's own tokens between its special tokens", async (_, load, layout) => {
    const tokenizer = await load();
    expect(specialTokenLayout(tokenizer)).toEqual(layout);
    const {prefix, suffix} = layout;
    for (const maxLength of [2, 3, 5, 9]) {
      const {ids, fullLengths} = tokenize(tokenizer, TEXTS, maxLength);
      TEXTS.forEach((text, i) => {
        const full = tokenizer.encode(text);
        const plain = tokenizer.encode(text, {add_special_tokens: false});
        const cut = maxLength <= prefix + suffix ? full.slice(0, maxLength) : [...full.slice(0, prefix), ...plain.slice(0, maxLength - prefix - suffix), ...full.slice(full.length - suffix)];
        expect(fullLengths[i]).toBe(full.length);
        expect(ids[i]).toEqual(full.length <= maxLength ? full : cut);
      });
    }
  }, 30_000);

  it("tokenize finds each text's layout when the tokenizer's special tokens vary from text to text", () => {
    // Adds a marker (id 0) after texts with non-ASCII characters only: the probes disagree.
    const encode = (text: string, options?: {add_special_tokens?: boolean}) => {
      const ids = [...text].map((c) => c.codePointAt(0)!);
      return options?.add_special_tokens === false || /^[\x00-\x7f]*$/.test(text) ? ids : [...ids, 0];
    };
    const tokenizer = {encode} as unknown as PreTrainedTokenizer;
    expect(specialTokenLayout(tokenizer)).toBeNull();
    expect(tokenize(tokenizer, ["abcd", "äbcd"], 3).ids).toEqual([[97, 98, 99], [228, 98, 0]]);
  });
});

describe("batches", () => {
  const ids = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]];
  it("lengthOrder puts rows longest first, ties in row order", () => {
    expect(lengthOrder([[1, 2], [3], [4, 5], [6, 7, 8]], [0, 1, 2, 3])).toEqual([3, 0, 2, 1]);
    expect(lengthOrder([[1, 2], [3], [4, 5], [6, 7, 8]], [2, 1, 0])).toEqual([0, 2, 1]);
  });
  it("batches groups rows by length and right-pads with the pad id and a zero mask", () => {
    const out = batches(ids, [0, 1, 2, 3], 2, 0);
    expect(out.map((b) => b.rows)).toEqual([[3, 0], [2, 1]]);
    expect(out[1].seqLen).toBe(2);
    expect(Array.from(out[1].inputIds, Number)).toEqual([5, 6, 4, 0]);
    expect(Array.from(out[1].attentionMask, Number)).toEqual([1, 1, 1, 0]);
    expect(Array.from(out[0].lengths)).toEqual([4, 3]);
  });
  it("batches covers only the rows asked for", () => {
    expect(batches(ids, [0, 3], 8, 0).flatMap((b) => b.rows)).toEqual([3, 0]);
  });
});
