import {resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {countTokens, loadNpmTokenizer, NPM_TOKENIZERS, npmTokenizerDir} from "../../loaders/extract/token-counts.js";
import {loadTokenizer} from "../../loaders/extract/tokenize.js";

const HELLO = "Hello, my dog is cute.";

describe("npm tokenizers", () => {
  it("npmTokenizerDir(name) finds each package's tokenizer.json inside node_modules", () => {
    for (const name of Object.keys(NPM_TOKENIZERS) as (keyof typeof NPM_TOKENIZERS)[]) {
      expect(npmTokenizerDir(name)).toBe(resolve(`node_modules/${NPM_TOKENIZERS[name]}/models`));
    }
  });

  // Ids as the original Hugging Face tokenizers give them (Qwen2/3 and Llama 3 share GPT-style
  // byte-level BPE pieces, Gemma 3 is SentencePiece): loading offline gives the real vocabularies.
  it.each([
    ["qwen3", [9707, 11, 847, 5562, 374, 18838, 13]],
    ["llama3", [9906, 11, 856, 5679, 374, 19369, 13]],
    ["gemma3", [9259, 236764, 1041, 4799, 563, 12864, 236761]]
  ] as const)("loadNpmTokenizer(%s) loads offline and encodes with the real vocabulary", async (name, ids) => {
    const tokenizer = await loadNpmTokenizer(name);
    expect(tokenizer.encode(HELLO, {add_special_tokens: false})).toEqual(ids);
    expect(countTokens(tokenizer, [HELLO, ""])).toEqual(Int32Array.of(ids.length, 0));
  }, 30_000);
});

describe("countTokens", () => {
  it("countTokens(tokenizer, texts) leaves out the special tokens the model adds ([CLS] ... [SEP])", async () => {
    const tokenizer = await loadTokenizer(resolve("tests/fixtures/models/tiny-bert"));
    const texts = ["Everyone has the right to life", "Каждый человек имеет право на жизнь"];
    const counts = countTokens(tokenizer, texts);
    texts.forEach((text, i) => expect(counts[i]).toBe(tokenizer.encode(text).length - 2));
  });
});
