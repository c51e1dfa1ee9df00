/**
 * Every analysis of one hidden-state store, as small JSON result files that pages and the CLI share.
 *
 * Where results go: `<store>/analyses/<analysis>.json` by default. Results are derived from exactly
 * one store, so they live inside it: they travel with it when it is copied and go when it is
 * deleted, and no second folder has to be kept in step with the stores. (The store's identity is
 * its inputs, not its listing; a store stays "complete" with or without this subfolder.)
 *
 * Each file is `{analysis, version, store, model, dataset, settings, result}` (see `AnalysisFile`); an
 * analysis that does not apply to the store (no parallel units, no labels, too few items, no
 * tokenizer) is written with `result: null` and the reason in `skipped`, so a rerun replaces a
 * stale result either way.
 */
import {join} from "node:path";
import {
  ALIGNMENTS, alignedTransferSteps, binaryLabels, ckaSteps, fertility, mexaSteps, parallelCosineSteps, probeSteps, projectSteps, rankSteps,
  resolveUmapOptions, retrievalSteps, transferSteps, CENTERINGS, foldPlan, languageRows, PAPER_SEED, pick, PROBE_PROTOCOLS, PROJECTION_METHODS,
  onRows, orSkippedSteps, resolveProbeSettings, splitRows, streamAll, type FoldPlan, type ProbeProtocol,
  type AlignmentResult, type CkaResult, type Centering, type FertilityResult, type LanguageRanking,
  type MexaResult, type ParallelCosineResult, type ProbeResult, type ProjectionSettings,
  type RetrievalResult, type TransferResult
} from "../analyses/index.js";
import {surfaceBaseline, type SurfaceScores} from "../analyses/surface.js";
import {wordPairs, wordsSteps, type WordsResult} from "../analyses/words.js";
import {languages} from "../datasets/index.js";
import {isNpmTokenizer, TOKENIZER_NAMES, type NpmTokenizer} from "../extract/token-counts.js";
import {DEFAULT_NEW_TOKENS, isChatTemplateDataset} from "../extract/settings.js";
import type {KnowledgeQuestion, ModelKnowledge} from "../extract/model-knowledge.js";
import type {LatentLanguageResult, LatentOptions} from "../extract/latent-language.js";
import type {LanguageNeuronsResult} from "../extract/language-neurons.js";
import {PAPER_LAPE, type LapeRates} from "../analyses/lape.js";
import {ANALYSES, DEFAULT_ANALYZE_SETTINGS, type AnalysisName, type AnalyzeSettings} from "./analyze-settings.js";
import {layerSource, type Store} from "../store/store.js";
import {writeAtomic} from "../write-atomic.js";
import type {StoredItem} from "../store/arrow.js";
import type {LabelledRows, LayerSource, Matrix, VectorRows} from "../vectors.js";

export {ANALYSES, DEFAULT_ANALYZE_SETTINGS, type AnalysisName, type AnalyzeSettings};

/** Label values taken as the positive class (1) of a probe, in order of preference. */
const POSITIVE_LABELS = ["known", "true", "answerable", "yes"];

export interface RankFileResult {
  /** Babelscope's ranking (the configured pooling, the layer range), with raw and per-language mean-centred vectors. */
  rankings: Record<Centering, LanguageRanking>;
  /**
   * The Language Ranker paper's protocol: last-token vectors, layers 1..L, no centring; or why not
   * (a store pooled otherwise).
   */
  paper: LanguageRanking | {skipped: string};
}

export interface AlignFileResult {
  parallelCosine: Record<Centering, ParallelCosineResult>;
  retrieval: Record<Centering, RetrievalResult>;
  mexa: Record<Centering, MexaResult>;
  cka: CkaResult;
}

/** One protocol's probes of the labels (see ProbeProtocol). */
export interface ProtocolProbes {
  probe: ProbeResult;
  /** Unaligned transfer heatmaps, every probed layer. */
  transfer: TransferResult;
  /** Probe trained on the baseline, scored on each language before and after each alignment; or why not. */
  alignment: AlignmentResult | {skipped: string};
  /**
   * What the spelling alone gives: a character n-gram probe of each language's question texts,
   * trained and scored within the language on the probe's own folds (so comparable with `within`).
   */
  surface: SurfaceLanguage[];
}

export type SurfaceLanguage = {lang: string} & SurfaceScores;

/**
 * The model's own knowledge boundary (decoders): its greedy answers to the real-entity questions,
 * matched against the gold answers, as labels of a second probe on those questions' states.
 */
export interface ModelLabelsResult {
  knowledge: Omit<ModelKnowledge, "labels">;
  /** The babelscope protocol (entity-grouped folds) on the model's labels; or why not (say, it knows every answer). */
  probe: ProbeResult | {skipped: string};
}

export interface ProbeFileResult {
  labels: {positive: string; negative: string; unlabelled: number};
  /** What the babelscope protocol's folds keep apart: the items' entities, or (without entities) their units. */
  grouping: "entity" | "unit";
  protocols: Record<ProbeProtocol, ProtocolProbes>;
  modelLabels: ModelLabelsResult | {skipped: string};
}

/** Projections as plain arrays: row i of every layer is item i of the store's items.arrow. */
export interface ProjectFileResult {
  method: "projection";
  settings: ProjectionSettings;
  layers: {layer: number; x: number[]; y: number[]; explainedVarianceRatio: [number, number] | null}[];
}

export interface FertilityFileResult {
  tokenizers: FertilityResult[];
  skipped: {tokenizer: string; reason: string}[];
}

export interface AnalysisResults {
  rank: RankFileResult;
  align: AlignFileResult;
  probe: ProbeFileResult;
  project: ProjectFileResult;
  fertility: FertilityFileResult;
  latent: LatentLanguageResult;
  words: WordsResult;
  neurons: LanguageNeuronsResult;
}

/** One result file. */
export interface AnalysisFile<A extends AnalysisName = AnalysisName> {
  analysis: A;
  /** Version of the analysis's code (see analysisVersion). */
  version: number;
  /** Hash of the store the result was computed from. */
  store: string;
  model: string;
  dataset: string;
  /** The settings this analysis used. */
  settings: Record<string, unknown>;
  result: AnalysisResults[A] | null;
  /** Why the analysis does not apply to this store (when result is null). */
  skipped?: string;
}

/** Counts tokens of texts with a named tokenizer (`model` or an npm tokenizer); I/O, injected. */
export type TokenCounter = (tokenizer: string, store: Store, texts: string[]) => Promise<Int32Array>;

/** The store's model's greedy answers to questions, labelled against their gold answers; I/O, injected. */
export type Answerer = (store: Store, questions: KnowledgeQuestion[]) => Promise<ModelKnowledge>;

/**
 * The logit lens of the store's model on translation prompts among these languages (a decoder's),
 * or why there is none (no output head, too few languages); I/O, injected.
 */
export type LensReader = (store: Store, langs: string[], options: LatentOptions) => Promise<LatentLanguageResult | string>;
/** The store's model's language-specific neurons over the store's items, and the loss when they are silenced; I/O, injected. */
export type NeuronFinder = (store: Store, items: StoredItem[], settings: {seed: number; rates: LapeRates}) => Promise<LanguageNeuronsResult | string>;

export interface AnalyzeOptions {
  only?: readonly AnalysisName[];
  settings?: Partial<AnalyzeSettings>;
  /** The pipeline's counts with the store's model and npm tokenizers (pipeline/analyze.ts). */
  countTokens: TokenCounter;
  /** The pipeline's answers of the store's model (pipeline/analyze.ts). */
  answer: Answerer;
  /** The pipeline's logit lens of the store's model (pipeline/analyze.ts). */
  lens: LensReader;
  /** The pipeline's neuron graphs of the store's model (pipeline/analyze.ts); without it, `neurons` is skipped. */
  findNeurons?: NeuronFinder;
  log?: (line: string) => void;
}

/** Merges settings with the defaults and checks the ones the analyses do not check themselves. */
export function resolveAnalyzeSettings(settings: Partial<AnalyzeSettings> = {}): AnalyzeSettings {
  const resolved = {...DEFAULT_ANALYZE_SETTINGS, ...settings};
  if (!PROJECTION_METHODS.includes(resolved.projection)) {
    throw new Error(`unknown projection "${resolved.projection}" (choose one of ${PROJECTION_METHODS.join(", ")})`);
  }
  resolveUmapOptions({...resolved.umap, seed: resolved.seed});
  for (const name of resolved.tokenizers) if (name !== "model") checkTokenizerName(name);
  return resolved;
}

/**
 * Runs the requested analyses (default all, in the order of ANALYSES) on a store's items and
 * hidden states and returns one result file each, not yet written (see writeAnalyses). Layers are
 * read on demand, one at a time and only those an analysis needs (see analyses/layer-steps.ts):
 * memory stays about one layer whatever the number of layers.
 * Throws on a setting that cannot work (unknown name, a layer range outside the store).
 *
 * @example
 * const files = await analyzeStore(await openStore(dir), {only: ["rank"], settings: {layers: {from: 2, to: 4}}, countTokens, answer});
 * files[0].result?.rankings.none.languages[0]; // {lang: "fra", rank: 1, score: 0.81, ...}
 */
export async function analyzeStore(store: Store, options: AnalyzeOptions): Promise<AnalysisFile[]> {
  const settings = resolveAnalyzeSettings(options.settings);
  const only = options.only ?? ANALYSES;
  for (const name of only) if (!ANALYSES.includes(name)) throw new Error(`unknown analysis "${name}" (choose from ${ANALYSES.join(", ")})`);
  const log = options.log ?? (() => {});
  const used = new Map(only.map((name) => [name, analysisSettings(name, settings, store)]));
  const items = await store.items();
  const layers = layerSource(store);
  const data = {items, layerCount: layers.count, unit: items.map((item) => item.unit), lang: items.map((item) => item.lang)};
  const context: Context = {store, data, layers, countTokens: options.countTokens, answer: options.answer, lens: options.lens, findNeurons: options.findNeurons};
  const files: AnalysisFile[] = [];
  for (const name of ANALYSES.filter((a) => only.includes(a))) {
    const started = Date.now();
    const envelope = {analysis: name, version: analysisVersion(name), store: store.manifest.hash, model: store.manifest.model.ref, dataset: store.manifest.dataset.name, settings: used.get(name)!};
    const outcome = await SPECS[name].run(context, used.get(name)!);
    files.push(typeof outcome === "string" ? {...envelope, result: null, skipped: outcome} : {...envelope, result: outcome});
    log(`${name}: ${typeof outcome === "string" ? `skipped: ${outcome}` : "done"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return files;
}

/**
 * Exactly the settings an analysis reads, for this store (its file's `settings`): with the
 * store's hash and the analysis's code version, what its result is a function of.
 * Throws on a layer range outside the store.
 */
export function analysisSettings(name: AnalysisName, settings: AnalyzeSettings, store: Store): Record<string, unknown> {
  const layerCount = store.manifest.counts.hidden_states;
  const range = settings.layers ?? {from: 0, to: layerCount - 1};
  if (!(Number.isInteger(range.from) && Number.isInteger(range.to) && 0 <= range.from && range.from <= range.to && range.to < layerCount)) {
    throw new Error(`layer range ${range.from}-${range.to} does not fit the store's layers 0-${layerCount - 1}`);
  }
  const layers = Array.from({length: range.to - range.from + 1}, (_, k) => range.from + k);
  return SPECS[name].settings(settings, layers);
}

/** The version of an analysis's code, bumped when a change alters its results. */
export function analysisVersion(name: AnalysisName): number {
  return SPECS[name].version;
}

/** Writes each file as `<dir>/<analysis>.json` (temp file + rename); returns the paths. */
export async function writeAnalyses(files: AnalysisFile[], dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, `${file.analysis}.json`);
    await writeAtomic(path, JSON.stringify(file) + "\n");
    paths.push(path);
  }
  return paths;
}

export function defaultOutputDir(store: Store): string {
  return join(store.dir, "analyses");
}

interface Context {
  store: Store;
  /** The store's items, with each row's unit and language. */
  data: VectorRows & {items: StoredItem[]};
  /** The store's layers, read when an analysis asks for one. */
  layers: LayerSource;
  countTokens: TokenCounter;
  answer: Answerer;
  lens: LensReader;
  findNeurons?: NeuronFinder;
}

/**
 * One analysis: the settings it reads (picked from the resolved settings, with the layer range as
 * a list) and its computation, which sees only those, so a cached result keyed by them cannot go
 * stale through a setting it did not declare. Bump `version` when a change alters results.
 */
interface Spec<A extends AnalysisName, S> {
  version: number;
  settings: (settings: AnalyzeSettings, layers: number[]) => S;
  run: (context: Context, settings: S) => Promise<AnalysisResults[A] | string>;
}

/** A Spec with its settings type erased, so that all analyses fit one table. */
interface Analysis<A extends AnalysisName> {
  version: number;
  settings: (settings: AnalyzeSettings, layers: number[]) => Record<string, unknown>;
  run: (context: Context, settings: Record<string, unknown>) => Promise<AnalysisResults[A] | string>;
}

function spec<A extends AnalysisName, S extends Record<string, unknown>>({version, settings, run}: Spec<A, S>): Analysis<A> {
  // Safe: run only ever receives what this spec's own settings() returned (see analysisSettings).
  return {version, settings, run: (context, used) => run(context, used as S)};
}

const SPECS: {[A in AnalysisName]: Analysis<A>} = {
  rank: spec({
    version: 2,
    settings: ({baseline, seed, resamples, confidence}, layers) => ({
      baseline, aggregate: {from: layers[0], to: layers[layers.length - 1]}, seed, resamples, confidence, centerings: CENTERINGS, proxies: PROXIES
    }),
    run: async ({store, data, layers}, {baseline, aggregate, seed, resamples, confidence}) => {
      const options = {baseline, aggregate, seed, resamples, confidence, proxies: resourceProxies()};
      const missing = parallelUnitsMissing(data, baseline);
      if (missing) return missing;
      const paper = store.manifest.settings.pooling !== "last"
        ? {skipped: `the paper's protocol reads last-token vectors; this store pools by ${store.manifest.settings.pooling} (set pooling: "last" in the project config)`}
        : orSkippedSteps(rankSteps(data, {...options, protocol: "paper", aggregate: {from: 1, to: data.layerCount - 1}, centering: "none"}));
      return streamAll({rankings: byCentering((centering) => rankSteps(data, {...options, centering})), paper}, layers);
    }
  }),
  align: spec({
    version: 1,
    settings: ({baseline}) => ({baseline, centerings: CENTERINGS}),
    run: async ({data, layers}, {baseline}) => {
      const missing = parallelUnitsMissing(data, baseline);
      if (missing) return missing;
      return streamAll({
        parallelCosine: byCentering((centering) => parallelCosineSteps(data, {baseline, centering})),
        retrieval: byCentering((centering) => retrievalSteps(data, {baseline, centering})),
        mexa: byCentering((centering) => mexaSteps(data, {baseline, centering})),
        cka: ckaSteps(data, {baseline})
      }, layers);
    }
  }),
  probe: spec({
    version: 2,
    settings: ({c, folds, seed, baseline}, layers) => ({
      c, folds, seed, paperSeed: PAPER_SEED, layers, target: baseline, alignments: ALIGNMENTS, protocols: PROBE_PROTOCOLS, newTokens: DEFAULT_NEW_TOKENS
    }),
    run: async ({store, data, layers: source, answer}, {c, folds, seed, paperSeed, layers, target}) => {
      const labelled = labelledRows(data.items, folds);
      if (typeof labelled === "string") return labelled;
      const rows = labelled.rows;
      const input: LabelledRows = {
        layerCount: data.layerCount,
        unit: rows.map((i) => data.unit[i]),
        lang: rows.map((i) => data.lang[i]),
        label: labelled.label
      };
      const entities = rows.map((i) => data.items[i].entity);
      const grouping = entities.every((e) => e !== undefined) ? "entity" : "unit";
      const groups = grouping === "entity" ? (entities as string[]) : undefined;
      const texts = rows.map((i) => data.items[i].text);
      const options = (protocol: ProbeProtocol) => ({protocol, c, folds, seed: protocol === "paper" ? paperSeed : seed, layers, groups});
      const modelLabels = await modelLabelsProbe(store, data, answer, {c, folds, seed, layers});
      // Every protocol's probes and the model's own labels' probe read each layer in one pass.
      const probes = await streamAll({
        protocols: Object.fromEntries(PROBE_PROTOCOLS.map((protocol) => [protocol, {
          probe: onRows(probeSteps(input, options(protocol)), rows),
          transfer: onRows(transferSteps(input, options(protocol)), rows),
          alignment: onRows(orSkippedSteps(alignedTransferSteps(input, {...options(protocol), target})), rows)
        }])),
        modelLabels
      }, source);
      const protocols = Object.fromEntries(PROBE_PROTOCOLS.map((protocol): [ProbeProtocol, ProtocolProbes] => [protocol, {
        ...probes.protocols[protocol],
        surface: surfaceByLanguage(texts, input, foldPlan(input, resolveProbeSettings(input, options(protocol)), groups), c)
      }])) as Record<ProbeProtocol, ProtocolProbes>;
      return {labels: labelled.labels, grouping, protocols, modelLabels: probes.modelLabels};
    }
  }),
  project: spec({
    version: 1,
    // UMAP's own defaults are part of the settings: a change of default epochs must not serve old pictures.
    settings: ({projection, umap, seed}, layers) => ({projection, layers, umap: projection === "umap" ? resolveUmapOptions({...umap, seed}) : null}),
    run: async ({data, layers: source}, {projection, layers, umap}) => {
      const rows = data.unit.length;
      if (umap && rows <= umap.neighbors) return `UMAP needs more items than neighbours (${umap.neighbors}); the store has ${rows}`;
      if (rows < 3) return `a projection needs at least 3 items; the store has ${rows}`;
      const result = await streamAll(projectSteps(data, {...(umap ?? {}), projection, layers}), source);
      return {
        method: result.method,
        settings: result.settings,
        layers: result.layers.map(({layer, coordinates, explainedVarianceRatio}) => ({
          layer,
          x: compact(coordinates.data, 0),
          y: compact(coordinates.data, 1),
          explainedVarianceRatio
        }))
      };
    }
  }),
  fertility: spec({
    version: 1,
    settings: ({baseline, tokenizers}) => ({baseline, tokenizers, specialTokens: false}),
    run: async ({store, data, countTokens: count}, {baseline, tokenizers}) => {
      const missing = parallelUnitsMissing(data, baseline);
      if (missing) return missing;
      const texts = data.items.map((item) => item.text);
      const out: FertilityFileResult = {tokenizers: [], skipped: []};
      for (const tokenizer of tokenizers) {
        let tokens: Int32Array;
        try {
          tokens = await count(tokenizer, store, texts);
        } catch (error) {
          out.skipped.push({tokenizer, reason: (error as Error).message.split("\n")[0]});
          continue;
        }
        out.tokenizers.push(fertility({unit: data.unit, lang: data.lang, tokens}, {baseline, tokenizer}));
      }
      return out;
    }
  }),
  latent: spec({
    version: 1,
    // A few hundred prompts: the page's cost stays a few seconds per small model.
    settings: ({seed}) => ({seed, budget: 240, shots: 4}),
    run: async ({store, data, lens}, options) => {
      if (store.manifest.model.kind !== "decoder") return "an encoder has no output head, so there is no logit lens";
      try {
        return await lens(store, [...new Set(data.lang)].sort(), options);
      } catch (error) {
        // A graph the lens cannot read (no `logits` output, an unknown norm) costs this page only.
        return `the logit lens could not be read: ${(error as Error).message.split("\n")[0]}`;
      }
    }
  }),
  words: spec({
    version: 1,
    settings: ({confidence}) => ({confidence}),
    run: async ({data, layers}, {confidence}) => {
      const pairs = wordPairs({unit: data.unit, lang: data.lang, label: data.items.map((item) => item.label), text: data.items.map((item) => item.text)});
      if (pairs.length === 0) return "no word pairs (units of an English word and another language's word labelled cognate, false-friend, translation or control)";
      return streamAll(wordsSteps(data, pairs, confidence), layers);
    }
  }),
  neurons: spec({
    version: 1,
    // The units' split and the random control are fixed by the code (extract/language-neurons.ts): named here for the record.
    settings: ({seed}) => ({seed, rates: PAPER_LAPE, split: "alternate sorted units", control: "random neurons matched per layer"}),
    run: async ({store, data, findNeurons}, {seed, rates}) => (findNeurons ? findNeurons(store, data.items, {seed, rates}) : "no model at hand: the neuron analysis runs the store's model")
  })
};

/**
 * The surface baseline of every language on the hidden-state probe's folds (each language's rows
 * of fold f are its test rows in fold f). Within each language, as the probe's `within` scores and
 * as data/questions/surface-probe.json measures the dataset.
 */
function surfaceByLanguage(texts: readonly string[], input: LabelledRows, plan: FoldPlan, c: number): SurfaceLanguage[] {
  return [...languageRows(input)].map(([lang, rows]) => {
    const folds = Array.from({length: plan.folds}, (_, f) => {
      const {train, test} = splitRows(rows.map((_, k) => k), Int32Array.from(rows, (i) => plan.foldOfRow[i]), f);
      return {train: Uint32Array.from(train), test: Uint32Array.from(test)};
    });
    const {n, accuracy, auroc} = surfaceBaseline({text: rows.map((i) => texts[i]), label: pick(input.label, rows), lang: rows.map(() => lang)}, folds, {c});
    return {lang, n, accuracy, auroc};
  });
}

/**
 * The probe of the model's own knowledge boundary: decoders only, on questions about real
 * entities (dataset label "known") that carry a gold answer, labelled by whether the model's
 * greedy answer gives it. A store read inside a chat template is skipped: instruct models
 * answer in sentences, which the start-of-answer match cannot score. Each row is its own unit
 * here (the model may know a fact in one language and not in another), and folds keep each
 * entity on one side, as in the babelscope protocol.
 */
async function modelLabelsProbe(
  store: Store, data: Context["data"], answer: Answerer, settings: {c: number; folds: number; seed: number; layers: number[]}
): Promise<{knowledge: Omit<ModelKnowledge, "labels">; probe: Generator<number, ModelLabelsResult["probe"], Matrix>} | {skipped: string}> {
  if (store.manifest.model.kind !== "decoder") return {skipped: "an encoder does not answer questions"};
  if (isChatTemplateDataset(store.manifest.dataset.name)) return {skipped: "questions are read inside the chat template, and an instruct model's sentence answers cannot be matched"};
  const rows = data.items.flatMap((item, i) => (item.label === "known" && item.answer ? [i] : []));
  if (rows.length === 0) return {skipped: "no question about a real entity (label \"known\") carries a gold answer"};
  let answered: ModelKnowledge;
  try {
    answered = await answer(store, rows.map((i) => data.items[i]));
  } catch (error) {
    // A graph greedy decoding cannot run (no logits, no key/value cache) costs this probe only.
    return {skipped: `the model's answers could not be generated: ${(error as Error).message.split("\n")[0]}`};
  }
  const {labels, ...knowledge} = answered;
  const input: LabelledRows = {
    layerCount: data.layerCount,
    unit: rows.map((i) => data.items[i].id),
    lang: rows.map((i) => data.lang[i]),
    label: Uint8Array.from(labels, (l) => Number(l.known))
  };
  const groups = rows.map((i) => data.items[i].entity ?? data.unit[i]);
  return {knowledge, probe: onRows(orSkippedSteps(probeSteps(input, {...settings, protocol: "babelscope", groups})), rows)};
}

function byCentering<T>(compute: (centering: Centering) => T): Record<Centering, T> {
  return Object.fromEntries(CENTERINGS.map((centering) => [centering, compute(centering)])) as Record<Centering, T>;
}

/** Why a store has no parallel units to compare with the baseline, or undefined if it has some. */
function parallelUnitsMissing({unit, lang}: Pick<VectorRows, "unit" | "lang">, baseline: string): string | undefined {
  const baselineUnits = new Set(unit.filter((_, i) => lang[i] === baseline));
  if (baselineUnits.size === 0) return `no items in the baseline language "${baseline}"`;
  if (!unit.some((u, i) => lang[i] !== baseline && baselineUnits.has(u))) return `no parallel units: no item shares a unit with a "${baseline}" item`;
  return undefined;
}

/**
 * The rows with a label as 0/1, if the labels are binary: positive is the first of
 * POSITIVE_LABELS present, else the label that sorts first. Or why the store cannot be probed.
 */
export function labelledRows(
  items: readonly Pick<StoredItem, "label">[], folds: number
): {rows: number[]; label: Uint8Array; labels: ProbeFileResult["labels"]} | string {
  const rows = items.flatMap((item, i) => (item.label ? [i] : []));
  const values = [...new Set(rows.map((i) => items[i].label!))].sort();
  if (values.length === 0) return "no item has a label";
  if (values.length !== 2) return `a probe needs exactly two label values, found ${values.length} (${values.slice(0, 5).join(", ")}${values.length > 5 ? ", ..." : ""})`;
  const positive = POSITIVE_LABELS.find((value) => values.includes(value)) ?? values[0];
  const negative = values.find((value) => value !== positive)!;
  const label = binaryLabels(rows.map((i) => items[i].label), positive, negative);
  const positives = label.reduce((a, b) => a + b, 0);
  const fewest = Math.min(positives, label.length - positives);
  if (fewest < folds) return `a ${folds}-fold probe needs at least ${folds} items of each label, found ${positives} "${positive}" and ${label.length - positives} "${negative}"`;
  return {rows, label, labels: {positive, negative, unlabelled: items.length - rows.length}};
}

/** The ranking's resource proxies, by name. */
const PROXIES = ["speakers", "webShare"] as const;

/** Speakers and web share per language code (from the shipped language metadata), the ranking's resource proxies. */
export function resourceProxies(): Record<(typeof PROXIES)[number], Record<string, number>> {
  const speakers: Record<string, number> = {};
  const webShare: Record<string, number> = {};
  for (const info of languages()) {
    if (info.speakers !== undefined) speakers[info.code] = info.speakers;
    if (info.webShare !== undefined) webShare[info.code] = info.webShare;
  }
  return {speakers, webShare};
}

/** Column `column` of a rows x 2 array, each value to 5 significant digits: plenty for a picture, a third of the bytes. */
function compact(data: Float32Array, column: number): number[] {
  const out = new Array<number>(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number(data[2 * i + column].toPrecision(5));
  return out;
}

/** The npm tokenizer of this name; throws (one line) listing the names. */
export function checkTokenizerName(name: string): NpmTokenizer {
  if (!isNpmTokenizer(name)) throw new Error(`unknown tokenizer "${name}" (choose from ${TOKENIZER_NAMES.join(", ")})`);
  return name;
}
