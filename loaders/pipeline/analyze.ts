/**
 * The analyses of a store with its model at hand: the model a store was made with is found again
 * from the manifest, to count tokens with its tokenizer (fertility) and, for decoders, to answer
 * the questions (the probe of the model's own knowledge). `report/analyze.ts` computes; this
 * module is where model resolution meets it.
 */
import {env as defaultEnv, type Env} from "../config.js";
import {countTokens, loadNpmTokenizer} from "../extract/token-counts.js";
import type {Dtype, ResolvedModel} from "../models/resolve.js";
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import {analyzeStore, checkTokenizerName, type AnalysisFile, type Answerer, type AnalyzeOptions, type LensReader, type NeuronFinder, type TokenCounter} from "../report/analyze.js";
import type {Store} from "../store/store.js";

export interface PipelineAnalyzeOptions extends Omit<AnalyzeOptions, "countTokens" | "answer" | "lens"> {
  /** Where the store's model is found again. Default: the process environment. */
  env?: Env;
  /** Default: `storeTokenCounter(env)` (loads tokenizers with transformers.js). */
  countTokens?: TokenCounter;
  /** Default: `storeAnswerer(env)` (runs the store's model through onnxruntime). */
  answer?: Answerer;
  /** Default: `storeLens(env)` (the store's model's logit lens through onnxruntime). */
  lens?: LensReader;
  /** Default: `storeNeuronFinder(env)` (the store's model's neuron graphs through onnxruntime). */
  findNeurons?: NeuronFinder;
}

/**
 * `analyzeStore` with the store's own model behind the `model` tokenizer and the answers.
 *
 * @example
 * const files = await analyze(await openStore(dir), {only: ["rank"], settings: {layers: {from: 2, to: 4}}});
 */
export function analyze(store: Store, options: PipelineAnalyzeOptions = {}): Promise<AnalysisFile[]> {
  const {env = defaultEnv, ...rest} = options;
  return analyzeStore(store, {...rest, countTokens: options.countTokens ?? storeTokenCounter(env), answer: options.answer ?? storeAnswerer(env), lens: options.lens ?? storeLens(env), findNeurons: options.findNeurons ?? storeNeuronFinder(env, options.log)});
}

/**
 * The token counter of `analyze`: `model` is the store's own model's tokenizer (found again
 * from the manifest's reference, and refused if its tokenizer.json is not the one the store was
 * made with); any other name is an npm tokenizer.
 */
function storeTokenCounter(env: Env): TokenCounter {
  return async (tokenizer, store, texts) => {
    if (tokenizer !== "model") return countTokens(await loadNpmTokenizer(checkTokenizerName(tokenizer)), texts);
    const {loadTokenizer} = await import("../extract/tokenize.js");
    return countTokens(await loadTokenizer((await storeModel(store, env)).dir), texts);
  };
}

/** The model a store was made with, found again from its manifest; refused if its files changed since. */
async function storeModel(store: Store, env: Env): Promise<ResolvedModel> {
  const {resolveModel} = await import("../models/resolve.js");
  const {ref, source, id, dtype, files} = store.manifest.model;
  // A local folder is recorded as given (maybe relative to another working directory) and as an absolute path.
  const model = await resolveModel(source === "local" ? id : ref, env, dtype as Dtype);
  const changed = Object.keys(files).find((file) => model.files[file] !== files[file]);
  if (changed) throw new Error(`${ref}: ${changed} differs from the one the store was made with`);
  return model;
}

/** The `answer` of `analyze`: the store's model, found again from the manifest, answers greedily. */
function storeAnswerer(env: Env): Answerer {
  return async (store, questions) => {
    const {modelKnowledgeLabels} = await import("../extract/model-knowledge.js");
    return modelKnowledgeLabels(await storeModel(store, env), questions);
  };
}

/** The `lens` of `analyze`: the store's model, found again from the manifest, read through its logit lens. */
function storeLens(env: Env): LensReader {
  return async (store, langs, options) => {
    const {latentLanguage} = await import("../extract/latent-language.js");
    return latentLanguage(await storeModel(store, env), langs, options);
  };
}

/**
 * The `findNeurons` of `analyze`: the store's model, found again from the manifest, read at the
 * store's maximum length and device.
 */
export function storeNeuronFinder(env: Env, log?: (line: string) => void): NeuronFinder {
  return async (store, items, {seed, rates}) => {
    const {languageNeurons} = await import("../extract/language-neurons.js");
    const {max_length: maxLength, device} = store.manifest.settings;
    return languageNeurons(await storeModel(store, env), items, {seed, rates, maxLength, batchSize: DEFAULT_SETTINGS.batchSize, device, log});
  };
}
