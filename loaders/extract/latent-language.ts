/**
 * The latent-language page's measurement: a decoder's logit lens (models/logit-lens.ts) on
 * word-translation prompts (datasets/translation-words.ts), read per layer as Wendler et al.
 * (ACL 2024) do: the correct answer's first token, the English word's first token, and the mass on
 * each language's and script's tokens (analyses/latent.ts).
 */
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import {languageTokens, readLayer, scriptTokens, summarizeLayers, type LayerSummary, type LensReading} from "../analyses/latent.js";
import {ENGLISH, localeWords, promptLanguages, translationPrompts, translationWords, type PromptLanguage} from "../datasets/translation-words.js";
import type {ResolvedModel} from "../models/resolve.js";
import {loadTokenizer} from "./tokenize.js";

export interface LatentOptions {
  /** About this many prompts in all (spread over the target languages). */
  budget: number;
  /** Example pairs before each query. */
  shots: number;
  seed: number;
  threads?: number;
}

export interface LatentTarget {
  lang: string;
  prompts: number;
  layers: LayerSummary[];
}

export interface LatentLanguageResult {
  languages: {lang: string; name: string; script: string}[];
  /** Scripts whose token mass is reported: the compared languages' (Han for Hans/Hant). */
  scripts: string[];
  vocabulary: number;
  /** Tokens that belong to each language / script: the uniform baseline is count / vocabulary. */
  tokens: {languages: Record<string, number>; scripts: Record<string, number>};
  /** Prompts run, and prompts left out: answer and English word start with the same token, or the answer's first token merges with the prompt's end. */
  prompts: number;
  left: {sameFirstToken: number; boundary: number};
  example: string | null;
  targets: LatentTarget[];
}

/** The ISO 15924 code `detectScript` gives a language's letters (Han characters alone read as Hani). */
const tokenScript = (script: string): string => (script === "Hans" || script === "Hant" ? "Hani" : script);

/** The id of the first token after `prompt` when `word` follows it; undefined when the tokens of `prompt` change (a merge across the boundary). */
export function nextTokenId(tokenizer: PreTrainedTokenizer, prompt: number[], text: string): number | undefined {
  const ids = tokenizer.encode(text) as number[];
  return ids.length > prompt.length && prompt.every((id, i) => ids[i] === id) ? ids[prompt.length] : undefined;
}

/** Every token's text (special tokens as empty strings), by id. */
function vocabularyTexts(tokenizer: PreTrainedTokenizer, size: number): string[] {
  return Array.from({length: size}, (_, id) => tokenizer.decode([id], {skip_special_tokens: true}));
}

/**
 * The logit lens of a decoder on translation prompts among `codes` (those with CLDR names; English
 * is always compared). Throws ModelError when the graph has no output head (an encoder, or no `logits`).
 */
export async function latentLanguage(model: ResolvedModel, codes: readonly string[], options: LatentOptions): Promise<LatentLanguageResult | string> {
  const langs = promptLanguages([ENGLISH, ...codes]);
  const words = translationWords(langs);
  const prompts = translationPrompts(langs, words, options);
  if (prompts.length === 0) return `translation prompts need two non-English languages with CLDR names among ${[...codes].join(", ")} (have ${langs.filter((l) => l.lang !== ENGLISH).map((l) => l.lang).join(", ") || "none"}) and enough one-word country names (${words.length})`;
  const {LensModel} = await import("../models/logit-lens.js");
  const lens = await LensModel.load(model.onnxPath, {source: model.raw, threads: options.threads});
  try {
    const tokenizer = await loadTokenizer(model.dir);
    const vocabulary = (await lens.logits(tokenizer.encode("a") as number[]))[0].length;
    const texts = vocabularyTexts(tokenizer, vocabulary);
    const groups = {
      languages: languageTokens(texts, Object.fromEntries(langs.map((l) => [l.lang, localeWords(l.locale)]))),
      scripts: pickScripts(scriptTokens(texts), langs)
    };
    const left = {sameFirstToken: 0, boundary: 0};
    const readings = new Map<string, LensReading[][]>();
    let example: string | null = null;
    for (const prompt of prompts) {
      const ids = tokenizer.encode(prompt.text) as number[];
      const target = nextTokenId(tokenizer, ids, prompt.text + prompt.answer);
      const english = nextTokenId(tokenizer, ids, prompt.text + prompt.english);
      if (target === undefined || english === undefined) {
        left.boundary++;
        continue;
      }
      if (target === english) {
        left.sameFirstToken++;
        continue;
      }
      example ??= `${prompt.text}${prompt.answer}"`;
      const layers = await lens.logits(ids);
      (readings.get(prompt.target) ?? readings.set(prompt.target, []).get(prompt.target)!).push(layers.map((logits) => readLayer(logits, {target, english}, groups)));
    }
    const count = (of: Record<string, Int32Array>) => Object.fromEntries(Object.entries(of).map(([key, ids]) => [key, ids.length]));
    return {
      languages: langs.map(({lang, name, script}) => ({lang, name, script})),
      scripts: Object.keys(groups.scripts),
      vocabulary,
      tokens: {languages: count(groups.languages), scripts: count(groups.scripts)},
      prompts: [...readings.values()].reduce((n, r) => n + r.length, 0),
      left,
      example,
      targets: [...readings].map(([lang, of]) => ({lang, prompts: of.length, layers: summarizeLayers(of)}))
    };
  } finally {
    await lens.dispose();
  }
}

/** The token groups of the compared languages' scripts, Latin first. */
function pickScripts(scripts: Record<string, Int32Array>, langs: readonly PromptLanguage[]): Record<string, Int32Array> {
  const wanted = [...new Set(["Latn", ...langs.map((l) => tokenScript(l.script))])];
  return Object.fromEntries(wanted.filter((s) => scripts[s]).map((s) => [s, scripts[s]]));
}

