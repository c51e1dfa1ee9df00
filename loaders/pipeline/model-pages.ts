/**
 * The pipeline: resolve a configured model, extract (or reuse) its store for a page dataset, run
 * the page's analyses and cache each result per store. The CLI, `babelscope build` and the site's
 * data loaders all come here; `report/` only shapes the results for pages. A model
 * that cannot be had is reported, never thrown: `skipped` when the hub is out of reach (expected
 * offline), `failed` for anything else (bad id, unsupported graph, out of memory, a bug), each with
 * a one-line reason, so the rest of the report still builds and its pages say why they are empty.
 */
import {createHash} from "node:crypto";
import {readFile, rename} from "node:fs/promises";
import {basename, join} from "node:path";
import type {Env} from "../config.js";
import {datasetHash, loadDataset} from "../datasets/index.js";
import {datasetInfo, type DatasetInfo} from "../datasets/info.js";
import {sampleDataset} from "../datasets/sample.js";
import {pairsInLanguages} from "../datasets/words.js";
import {chatTemplateDatasetName} from "../extract/settings.js";
import {ModelError, type ModelFailure} from "../models/errors.js";
import {resolveModel, type Dtype, type ResolvedModel} from "../models/resolve.js";
import {itemCap, modelEntry, modelLanguages, type ResolvedConfig} from "../project/config.js";
import {jsonDigest} from "../store/checksum.js";
import {canonicalJSON, type Manifest, type Store} from "../store/store.js";
import {writeAtomic} from "../write-atomic.js";
import type {Dataset} from "../types.js";
import type {StoreProgress} from "../extract/to-store.js";
import {analysisSettings, analysisVersion, defaultOutputDir, resolveAnalyzeSettings, type AnalysisFile, type AnalysisName, type AnalyzeSettings} from "../report/analyze.js";
import {modelLabel, modelSlugs} from "../report/slug.js";
import {analyze} from "./analyze.js";

/**
 * Datasets of the pages: the configured parallel text; the same text read at the last token, for
 * the Language Ranker paper's protocol on the ranking page; the knowledge-boundary questions; and
 * the word pairs (cognates, false friends, translations, controls) of the words page.
 */
export const PAGE_DATASETS = ["parallel", "parallel-last", "questions", "words"] as const;
export type PageDataset = (typeof PAGE_DATASETS)[number];

/** The projections the explorer offers for each page dataset, in the order it lists them. */
export const PROJECTIONS = ["umap", "pca"] as const;

const projections = (dataset: PageDataset) => PROJECTIONS.map((projection) => ({dataset, analysis: "project" as const, settings: {projection}}));

/** Every (dataset, analysis, setting override) some page shows: what `babelscope build` precomputes. */
export const PAGE_ANALYSES: readonly {dataset: PageDataset; analysis: AnalysisName; settings?: Partial<AnalyzeSettings>}[] = [
  {dataset: "parallel", analysis: "rank"},
  {dataset: "parallel-last", analysis: "rank"},
  {dataset: "parallel", analysis: "align"},
  {dataset: "parallel", analysis: "fertility"},
  {dataset: "parallel", analysis: "latent"},
  {dataset: "parallel", analysis: "neurons"},
  ...projections("parallel"),
  {dataset: "questions", analysis: "probe"},
  ...projections("questions"),
  {dataset: "words", analysis: "words"}
];

/** Why a configured model has no results. */
export interface Unavailable {
  model: string;
  status: "skipped" | "failed";
  reason: string;
  /** The kind of a ModelError; absent for any other error (a bug, memory). */
  failure?: ModelFailure;
}

export type ModelPageData =
  | {model: string; slug: string; status: "analysed"; store: Manifest; analyses: AnalysisFile[]}
  | (Unavailable & {slug: string});

export interface StoreOutcome {
  model: string;
  store: Store;
  reused: boolean;
  resumedItems: number;
}

export type ConfiguredModel = ResolvedConfig["models"][number] & {slug: string};

/** Every configured model with its slug, in config order. */
export function configuredModels(config: ResolvedConfig): ConfiguredModel[] {
  const slugs = modelSlugs(config.models.map((m) => m.ref));
  return config.models.map((m, i) => ({...m, slug: slugs[i]}));
}

/** The configured model with this slug; throws naming the known slugs. */
export function modelBySlug(config: ResolvedConfig, slug: string): ConfiguredModel {
  const models = configuredModels(config);
  const found = models.find((m) => m.slug === slug);
  if (!found) throw new Error(`no configured model has the slug "${slug}" (configured: ${models.map((m) => m.slug).join(", ")})`);
  return found;
}

/** Where a page dataset comes from: a built-in dataset's name or a file. */
function pageDatasetSource(config: ResolvedConfig, dataset: PageDataset): string {
  if (dataset === "words") {
    if (config.words === null) throw new Error("the words page is turned off in the project config (words: false)");
    return config.words;
  }
  return dataset === "questions" ? config.questions : config.parallel;
}

/** The page datasets a config extracts: all but the word pairs when they are turned off. */
export function configuredPageDatasets(config: ResolvedConfig): PageDataset[] {
  return PAGE_DATASETS.filter((dataset) => dataset !== "words" || config.words !== null);
}

/** How the build log names a page dataset: its source, and the reading when it is not the configured pooling. */
export function pageDatasetLabel(config: ResolvedConfig, dataset: PageDataset): string {
  return dataset === "parallel-last" ? `${config.parallel} (last token)` : pageDatasetSource(config, dataset);
}

/** Loaded page datasets, by source and languages: one process reads and hashes each once. */
const loaded = new Map<string, Promise<Dataset>>();

/**
 * A page dataset as configured: its source, restricted to the languages it has of `languages`
 * (default the config's; a model's own are `modelLanguages`).
 */
export function pageDataset(config: ResolvedConfig, dataset: PageDataset, languages: string[] | null = config.languages): Promise<Dataset> {
  const source = pageDatasetSource(config, dataset);
  const key = canonicalJSON({source, languages});
  if (!loaded.has(key)) loaded.set(key, dataset === "words" ? wordsDataset(source, languages) : loadDataset(source, languages ? {langs: languages, someLangs: true} : {}));
  return loaded.get(key)!;
}

/** The word pairs of the configured languages (see pairsInLanguages), hashed after the choice. */
async function wordsDataset(source: string, languages: string[] | null): Promise<Dataset> {
  const items = pairsInLanguages((await loadDataset(source)).items, languages);
  return {name: source, hash: datasetHash(items), items};
}

/**
 * The items a configured model reads of a page dataset: its own languages (else the config's),
 * under its cap (else the config's); `dtype` picks the entry when the model is configured at several.
 */
export async function modelPageDataset(config: ResolvedConfig, ref: string, dataset: PageDataset, dtype?: Dtype): Promise<Dataset> {
  return sampleDataset(await pageDataset(config, dataset, modelLanguages(config, ref, dtype)), itemCap(config, ref, dtype));
}

/**
 * Throws (one line) on a configured language, the config's or a model's, that neither dataset has:
 * a typo would otherwise just vanish.
 */
export async function checkLanguages(config: ResolvedConfig): Promise<void> {
  const lists = [{where: "", codes: config.languages}, ...config.models.map((m, i) => ({where: `models[${i}].languages: `, codes: m.languages ?? null}))];
  for (const {where, codes} of lists) {
    if (!codes) continue;
    const present = new Set<string>();
    for (const dataset of configuredPageDatasets(config)) {
      for (const item of (await pageDataset(config, dataset, codes)).items) present.add(item.lang).add(item.lang.split("_")[0]);
    }
    const unknown = codes.filter((code) => !present.has(code));
    if (unknown.length) throw new Error(`${where}configured language${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} in neither ${config.parallel} nor ${config.questions}`);
  }
}

/**
 * The knowledge-boundary probe and the Language Ranker protocol read the last token's state (as
 * their papers do); the other parallel-text pages and the words page use the configured pooling. With `pooling:
 * "last"` configured, both parallel datasets are the same store.
 */
export function pagePooling(config: ResolvedConfig, dataset: PageDataset): ResolvedConfig["pooling"] {
  return dataset === "parallel" || dataset === "words" ? config.pooling : "last";
}

/**
 * Runs one model's work; whatever it throws becomes the model's `skipped` (hub out of reach) or
 * `failed` status with a one-line reason, and the full error goes to the log.
 */
export async function isolated<T>(ref: string, work: () => Promise<T>, log: (line: string) => void): Promise<T | Unavailable> {
  try {
    return await work();
  } catch (error) {
    const offline = error instanceof ModelError && error.failure === "offline";
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.split("\n")[0];
    const status = offline ? "skipped" : "failed";
    log(`${ref}: ${status}: ${reason}`);
    if (!(error instanceof ModelError) && error instanceof Error && error.stack) log(error.stack);
    return {model: ref, status, reason: reason.startsWith(`${ref}: `) ? reason : `${ref}: ${reason}`, ...(error instanceof ModelError ? {failure: error.failure} : {})};
  }
}

/** A configured model's files, found where its reference points (a hub model is downloaded once and cached). */
export function resolveConfiguredModel({ref, dtype}: Pick<ConfiguredModel, "ref" | "dtype">, env: Env): Promise<ResolvedModel> {
  return resolveModel(ref, env, dtype);
}

/** The model's store for a page dataset (extracted, resumed or reused), or why it cannot be had. */
export async function modelStore(
  config: ResolvedConfig, env: Env, slug: string, dataset: PageDataset, log: (line: string) => void = () => {}
): Promise<StoreOutcome | Unavailable> {
  const entry = modelBySlug(config, slug);
  return isolated(entry.ref, async () => {
    const outcome = await datasetStore(config, env, await resolveConfiguredModel(entry, env), dataset);
    log(`${entry.ref} on ${outcome.store.manifest.dataset.name}: ${outcome.reused ? "reused" : "extracted"} store ${outcome.store.manifest.hash}`);
    return outcome;
  }, log);
}

/**
 * A resolved model's store for a page dataset, with the configured settings, languages and cap (`sample`); throws what
 * extraction throws. A decoder with a chat template reads each question inside it (the
 * paper's reading position), which makes the rendered questions a dataset of their own.
 */
export async function datasetStore(
  config: ResolvedConfig, env: Env, model: ResolvedModel, dataset: PageDataset, onProgress?: (progress: StoreProgress) => void, warn?: (line: string) => void
): Promise<StoreOutcome> {
  // Imported once the model is found: the ONNX stack takes a second to load, wasted on a skipped model.
  const [{extractToStore}, {renderQuestions}] = await Promise.all([import("../extract/to-store.js"), import("../extract/chat-template.js")]);
  const device = modelEntry(config, model.raw, model.dtype)?.device ?? config.device;
  const settings = {pooling: pagePooling(config, dataset), maxLength: config.maxLength, batchSize: config.batchSize, threads: config.threads, device};
  let items = await modelPageDataset(config, model.raw, dataset, model.dtype);
  if (dataset === "questions") {
    const rendered = await renderQuestions(model.dir, items.items);
    if (rendered.templated) items = {name: chatTemplateDatasetName(items.name), hash: datasetHash(rendered.items), items: rendered.items};
  }
  const {store, reused, resumedItems} = await extractToStore(model, items, settings, env, onProgress, warn);
  return {model: model.raw, store, reused, resumedItems};
}

/** One page's analyses of one model (with the configured settings), or why there are none. */
export async function modelPageData(
  config: ResolvedConfig, env: Env, slug: string, dataset: PageDataset, only: readonly AnalysisName[], log: (line: string) => void = () => {}
): Promise<ModelPageData> {
  const found = await modelStore(config, env, slug, dataset, log);
  const page = "reason" in found ? found : await isolated(found.model, async () => {
    const analyses: AnalysisFile[] = [];
    for (const name of only) analyses.push((await cachedAnalysis(found.store, name, config.analysis, env, log)).file);
    const name = pageDatasetInfo(config, dataset).name;
    const model = modelLabel(found.model, env.root);
    return {model, status: "analysed" as const, store: pageManifest(found.store.manifest, name, model), analyses: analyses.map((file) => ({...file, model, dataset: name}))};
  }, log);
  return "reason" in page ? {...labelled(page, env), slug} : {...page, slug};
}

/** Why a model has no results, naming it as the pages do (see modelLabel). */
export function labelled(unavailable: Unavailable, env: Env): Unavailable {
  const model = modelLabel(unavailable.model, env.root);
  return {...unavailable, model, reason: unavailable.reason.replaceAll(unavailable.model, model)};
}

/** A page dataset's own metadata (name, citation, licence): what the pages show in place of its source. */
export function pageDatasetInfo(config: ResolvedConfig, dataset: PageDataset): DatasetInfo {
  return datasetInfo(pageDatasetSource(config, dataset));
}

/**
 * A store's manifest as pages show it: the dataset by its metadata name and the model by its label
 * (a local model's files by their folder's name), so no path of the machine that built the site reaches it.
 */
export function pageManifest(manifest: Manifest, datasetName: string, modelName: string): Manifest {
  const model = {...manifest.model, ref: modelName, ...(manifest.model.source === "local" ? {id: basename(manifest.model.id)} : {})};
  return {...manifest, model, dataset: {...manifest.dataset, name: datasetName}};
}

/**
 * One analysis of a store, computed once per (store, analysis, code version, the settings this
 * analysis reads): several pages need the same result (the comparison page and each model's
 * pages), and each page loader is its own process. Changing a setting that only the probe reads
 * recomputes the probe and nothing else. A cached file is served only after it is verified
 * (verifiedFile); one that fails is moved aside to `<file>.damaged` and recomputed, and
 * `damaged` says why.
 */
export async function cachedAnalysis(
  store: Store, name: AnalysisName, settings: Partial<AnalyzeSettings>, env: Env, log: (line: string) => void
): Promise<{file: AnalysisFile; reused: boolean; damaged?: string}> {
  const resolved = resolveAnalyzeSettings(settings);
  const expected = {analysis: name, version: analysisVersion(name), store: store.manifest.hash, settings: analysisSettings(name, resolved, store)};
  const key = createHash("sha256").update(canonicalJSON({name, version: expected.version, settings: expected.settings})).digest("hex").slice(0, 16);
  const path = join(defaultOutputDir(store), "site", `${name}-${key}.json`);
  const text = await readFile(path, "utf8").catch(() => null);
  let damaged: string | undefined;
  if (text !== null) {
    const checked = verifiedFile(text, expected);
    if (typeof checked !== "string") {
      log(`${name}: reused ${path}`);
      return {file: checked, reused: true};
    }
    damaged = `${path} ${checked}; moved to ${basename(path)}.damaged and recomputed`;
    log(`${name}: ${damaged}`);
    await rename(path, `${path}.damaged`);
  }
  const [file] = await analyze(store, {only: [name], settings: resolved, env, log});
  await writeAtomic(path, JSON.stringify({...file, sha256: jsonDigest(file)}));
  return {file, reused: false, ...(damaged ? {damaged} : {})};
}

/**
 * A cached analysis file's text, checked: the file, or why it cannot be served (not JSON, no or a
 * wrong checksum of its content, another analysis, code version, store or settings, no result).
 * The checksum is of the file's JSON as written, which parsing and writing again reproduce.
 */
export function verifiedFile(text: string, expected: Pick<AnalysisFile, "analysis" | "version" | "store" | "settings">): AnalysisFile | string {
  let parsed: (AnalysisFile & {sha256?: unknown}) | null;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "is not valid JSON";
  }
  if (!parsed || typeof parsed !== "object") return "is not an analysis file";
  const {sha256, ...file} = parsed;
  if (typeof sha256 !== "string") return "has no checksum (a stub, or written before results carried one)";
  if (sha256 !== jsonDigest(file)) return "does not match its checksum";
  if (file.analysis !== expected.analysis || file.version !== expected.version) return `holds ${file.analysis} version ${file.version}, not ${expected.analysis} version ${expected.version}`;
  if (file.store !== expected.store) return `is of store ${file.store}, not ${expected.store}`;
  if (canonicalJSON(file.settings) !== canonicalJSON(expected.settings)) return "was computed with other settings";
  if (file.result == null && typeof file.skipped !== "string") return "holds no result";
  return file;
}
