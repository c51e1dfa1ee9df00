/**
 * The data behind each per-model page: find the configured model by its slug, extract (or reuse)
 * its store for the page's dataset, and run the page's analyses with `analyzeStore`. A model that
 * cannot be loaded (offline hub, missing folder) gives a `skipped` record with the one-line reason,
 * so its pages still build and say why they are empty.
 */
import {createHash} from "node:crypto";
import {mkdir, readFile} from "node:fs/promises";
import {dirname, join} from "node:path";
import type {Env} from "../config.js";
import {loadDataset} from "../datasets/index.js";
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import {resolveUmapOptions} from "../analyses/umap.js";
import {ModelError} from "../models/errors.js";
import {resolveModel} from "../models/resolve.js";
import type {ResolvedConfig} from "../project/config.js";
import {canonicalJSON, writeAtomic, type Manifest, type Store} from "../store/store.js";
import {analyzeStore, defaultOutputDir, resolveAnalyzeSettings, type AnalysisFile, type AnalysisName, type AnalyzeSettings} from "./analyze.js";
import {modelSlugs} from "./slug.js";

/** Datasets of the pages: the configured parallel text, or the knowledge-boundary questions. */
export type PageDataset = "parallel" | "questions";

export type ModelPageData =
  | {model: string; slug: string; status: "analysed"; store: Manifest; analyses: AnalysisFile[]}
  | {model: string; slug: string; status: "skipped"; reason: string};

type ModelEntry = ResolvedConfig["models"][number] & {slug: string};

/** Every configured model with its slug, in config order. */
export function configuredModels(config: ResolvedConfig): ModelEntry[] {
  const slugs = modelSlugs(config.models.map((m) => m.ref));
  return config.models.map((m, i) => ({...m, slug: slugs[i]}));
}

/** The configured model with this slug; throws naming the known slugs. */
export function modelBySlug(config: ResolvedConfig, slug: string): ModelEntry {
  const models = configuredModels(config);
  const found = models.find((m) => m.slug === slug);
  if (!found) throw new Error(`no configured model has the slug "${slug}" (configured: ${models.map((m) => m.slug).join(", ")})`);
  return found;
}

/**
 * The model's store for a page dataset, or the reason it cannot be had. Only model errors
 * (offline, not found, unsupported) become a skip; anything else is a bug and throws.
 */
export async function modelStore(
  config: ResolvedConfig, env: Env, slug: string, dataset: PageDataset, log: (line: string) => void = () => {}
): Promise<{model: string; store: Store} | {model: string; reason: string}> {
  const entry = modelBySlug(config, slug);
  try {
    const model = await resolveModel(entry.ref, env, entry.dtype);
    // Imported once the model is found: the ONNX stack takes a second to load, wasted on a skipped model.
    const {extractToStore} = await import("../extract/to-store.js");
    const data = await loadDataset(dataset === "parallel" ? config.parallel : "questions");
    const settings = {...DEFAULT_SETTINGS, pooling: pagePooling(config, dataset), maxLength: config.maxLength};
    const {store, reused} = await extractToStore(model, data, settings, env);
    log(`${entry.ref} on ${data.name}: ${reused ? "reused" : "extracted"} store ${store.manifest.hash}`);
    return {model: entry.ref, store};
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    log(`${entry.ref}: skipped: ${error.message}`);
    return {model: entry.ref, reason: error.message};
  }
}

/**
 * The knowledge-boundary probe reads the last question token's state (as in the paper); the
 * parallel-text pages use the configured pooling.
 */
export function pagePooling(config: ResolvedConfig, dataset: PageDataset): ResolvedConfig["pooling"] {
  return dataset === "questions" ? "last" : config.pooling;
}

/** One page's analyses of one model, or why the model was skipped. */
export async function modelPageData(
  config: ResolvedConfig, env: Env, slug: string, dataset: PageDataset, only: readonly AnalysisName[],
  settings: Partial<AnalyzeSettings> = {}, log: (line: string) => void = () => {}
): Promise<ModelPageData> {
  const found = await modelStore(config, env, slug, dataset, log);
  if ("reason" in found) return {model: found.model, slug, status: "skipped", reason: found.reason};
  const analyses: AnalysisFile[] = [];
  for (const name of only) analyses.push(await cachedAnalysis(found.store, name, settings, env, log));
  return {model: found.model, slug, status: "analysed", store: found.store.manifest, analyses};
}

/**
 * One analysis of a store, computed once per (store, analysis, resolved settings): several pages
 * need the same result (the comparison page and each model's pages), and each page loader is its
 * own process. The store's hash covers its inputs and Babelscope's version, so the key is complete.
 */
export async function cachedAnalysis(
  store: Store, name: AnalysisName, settings: Partial<AnalyzeSettings>, env: Env, log: (line: string) => void
): Promise<AnalysisFile> {
  const resolved = resolveAnalyzeSettings(settings);
  // UMAP's own defaults are part of the key too: a change of default epochs must not serve old pictures.
  const umap = resolveUmapOptions({...resolved.umap, seed: resolved.seed});
  const key = createHash("sha256").update(canonicalJSON({name, settings: resolved, umap})).digest("hex").slice(0, 16);
  const path = join(defaultOutputDir(store), "site", `${name}-${key}.json`);
  const cached = await readFile(path, "utf8").then((text) => JSON.parse(text) as AnalysisFile, () => null);
  if (cached?.store === store.manifest.hash) {
    log(`${name}: reused ${path}`);
    return cached;
  }
  const [file] = await analyzeStore(store, {only: [name], settings, env, log});
  await mkdir(dirname(path), {recursive: true});
  await writeAtomic(path, JSON.stringify(file));
  return file;
}
