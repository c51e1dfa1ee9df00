/**
 * The pages that gather several models or analyses (overview, comparison, explorer): each fetches
 * its results through the pipeline, one model at a time, and hands them to `report/` to shape.
 */
import {existsSync} from "node:fs";
import {readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Env} from "../config.js";
import type {ResolvedConfig} from "../project/config.js";
import {comparisonOf, type Comparison, type ModelPages} from "../report/comparison.js";
import {neighbourSpace} from "../report/neighbour-space.js";
import {modelLabel} from "../report/slug.js";
import {modelOverview, overviewOf, type ModelOverview, type Overview} from "../report/overview.js";
import {storeProjectionTable, unavailableProjectionTable, type NeighbourSpaces} from "../report/projection-table.js";
import type {ProjectFileResult} from "../report/analyze.js";
import {layerVectors, pcaPlacements, BROWSER_MODEL_LIMIT, type SentenceProbeMeta} from "../report/sentence-probe.js";
import {cachedAnalysis, configuredModels, isolated, labelled, modelBySlug, modelPageData, modelStore, pageDataset, pageDatasetInfo, pageManifest, pagePooling, PROJECTIONS, resolveConfiguredModel, type PageDataset, type Unavailable} from "./model-pages.js";

export async function overview(config: ResolvedConfig, env: Env, log: (line: string) => void = () => {}): Promise<Overview> {
  const models: ModelOverview[] = [];
  for (const {slug} of configuredModels(config)) models.push(modelOverview(slug, await modelPageData(config, env, slug, "parallel", ["align"], log)));
  const described = async (dataset: "parallel" | "questions") => ({dataset: await pageDataset(config, dataset), info: pageDatasetInfo(config, dataset)});
  return overviewOf(config, {parallel: await described("parallel"), questions: await described("questions")}, models);
}

/** Every model's summary, over the languages all analysed models read (a model may have its own `languages`). */
export async function comparison(config: ResolvedConfig, env: Env, log: (line: string) => void = () => {}): Promise<Comparison> {
  const pages: ModelPages[] = [];
  for (const {slug} of configuredModels(config)) {
    const parallel = await modelPageData(config, env, slug, "parallel", ["rank", "align"], log);
    const questions = parallel.status === "analysed" ? await modelPageData(config, env, slug, "questions", ["probe"], log) : undefined;
    pages.push({slug, parallel, ...(questions ? {questions} : {})});
  }
  return comparisonOf(pages);
}

/** The explorer's Arrow table of one model on a page dataset (see report/projection-table.ts). */
export async function projectionTable(
  config: ResolvedConfig, env: Env, slug: string, dataset: PageDataset, log: (line: string) => void = () => {}
): Promise<Uint8Array> {
  const found = await modelStore(config, env, slug, dataset, log);
  const table = "reason" in found ? found : await isolated(found.model, async () => {
    const {store} = found;
    const results: ProjectFileResult[] = [];
    for (const projection of PROJECTIONS) {
      const {file} = await cachedAnalysis(store, "project", {...config.analysis, projection}, env, log);
      if (!file.result) throw new Error(`no ${projection} projection (${file.skipped})`);
      results.push(file.result as ProjectFileResult);
    }
    // One layer in memory at a time: a hub model's store is gigabytes.
    const spaces: NeighbourSpaces = [];
    for (const {layer} of results[0].layers) spaces.push({layer, ...neighbourSpace(await store.layer(layer))});
    const model = modelLabel(found.model, env.root);
    // The table names its dataset by page dataset ("parallel", "questions"): the page has their names and citations.
    return storeProjectionTable(model, slug, pageManifest(store.manifest, dataset, model), await store.items(), results, spaces);
  }, log);
  return table instanceof Uint8Array ? table : unavailableProjectionTable(slug, labelled(table, env));
}

/** One of the files of the explorer's sentence probe (see report/sentence-probe.ts). */
export type SentenceProbePart = "meta" | "vectors" | "model";

/**
 * A file of the explorer's sentence probe of one model, for the parallel text: its description
 * (JSON), the stored vectors of the pictured layers, or the surgered pooled graph the extraction
 * ran. A model that cannot run in a page (not analysed, graph above BROWSER_MODEL_LIMIT, weights in
 * an external data file) gets a description saying why, and empty vectors and model files.
 */
export async function sentenceProbePart(
  config: ResolvedConfig, env: Env, slug: string, part: SentenceProbePart, log: (line: string) => void = () => {}
): Promise<Uint8Array> {
  const encode = (meta: SentenceProbeMeta) => new TextEncoder().encode(JSON.stringify(meta));
  const off = (unavailable: Unavailable) => {
    const {model, reason} = labelled(unavailable, env);
    return part === "meta" ? encode({available: false, model, reason}) : new Uint8Array(0);
  };
  const found = await modelStore(config, env, slug, "parallel", log);
  if ("reason" in found) return off(found);
  // Named as every page names it: a model read from a folder by its folder's name, never the builder's path.
  const label = modelLabel(found.model, env.root);
  const outcome = await isolated(found.model, async () => {
    const {store} = found;
    const model = await resolveConfiguredModel(modelBySlug(config, slug), env);
    // Imported once the model is found, as extraction does: the ONNX stack takes a second to load.
    const [{surgeredModelPath}, {externalDataPath}, {numLayersOf}] = await Promise.all([
      import("../models/surgery.js"), import("../models/optimize.js"), import("../extract/extract.js")
    ]);
    // The options extraction opens the model with: the same cache entry.
    const graph = await surgeredModelPath(model.onnxPath, {outputs: "pooled", numLayers: numLayersOf(model), source: model.raw, sha256: model.files[model.onnx], warn: log});
    const size = (await stat(graph.path)).size;
    const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    const why = size > BROWSER_MODEL_LIMIT ? `its graph is ${megabytes(size)} MB, above the ${megabytes(BROWSER_MODEL_LIMIT)} MB a page loads`
      : existsSync(externalDataPath(graph.path)) ? "its weights are in an external data file, which the page does not load" : undefined;
    if (why) return part === "meta" ? encode({available: false, model: label, reason: `${label} does not run in the browser: ${why}`}) : new Uint8Array(0);
    if (part === "model") return new Uint8Array(await readFile(graph.path));
    const {file} = await cachedAnalysis(store, "project", {...config.analysis, projection: "pca"}, env, log);
    if (!file.result) throw new Error(`no pca projection (${file.skipped})`);
    const layers = (file.result as ProjectFileResult).settings.layers;
    if (part === "vectors") {
      const matrices = [];
      for (const layer of layers) matrices.push(await store.layer(layer));
      return layerVectors(matrices);
    }
    const tokenizerFile = async (name: string) => JSON.parse(await readFile(join(model.dir, name), "utf8"));
    const meta: SentenceProbeMeta = {
      available: true,
      model: label,
      pooling: pagePooling(config, "parallel"),
      maxLength: store.manifest.settings.max_length,
      hiddenStates: store.manifest.counts.hidden_states,
      hidden: store.manifest.model.hidden_size,
      items: store.manifest.counts.items,
      layers,
      feeds: graph.feeds,
      pca: await pcaPlacements(layers, (layer) => store.layer(layer)),
      tokenizer: {json: await tokenizerFile("tokenizer.json"), config: await tokenizerFile("tokenizer_config.json")}
    };
    return encode(meta);
  }, log);
  if (outcome instanceof Uint8Array) return outcome;
  return off(outcome);
}
