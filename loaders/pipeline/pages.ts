/**
 * The pages that gather several models or analyses (overview, comparison, explorer): each fetches
 * its results through the pipeline, one model at a time, and hands them to `report/` to shape.
 */
import type {Env} from "../config.js";
import type {ResolvedConfig} from "../project/config.js";
import {comparisonOf, type Comparison, type ModelPages} from "../report/comparison.js";
import {neighbourSpace} from "../report/neighbour-space.js";
import {modelLabel} from "../report/slug.js";
import {modelOverview, overviewOf, type ModelOverview, type Overview} from "../report/overview.js";
import {storeProjectionTable, unavailableProjectionTable, type NeighbourSpaces} from "../report/projection-table.js";
import type {ProjectFileResult} from "../report/analyze.js";
import {cachedAnalysis, configuredModels, isolated, labelled, modelPageData, modelStore, pageDataset, pageDatasetInfo, pageManifest, PROJECTIONS, type PageDataset} from "./model-pages.js";

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
