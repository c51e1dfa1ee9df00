/**
 * The model comparison page's data: for every configured model, per-layer summaries that can share
 * one chart (means over languages), and its ranking's correlation with resource proxies. Layers are
 * also given as relative depth (layer / last layer), since models differ in depth. Models may read
 * different languages (a model entry's own `languages`): every summary is then taken over the
 * languages all analysed models read, so that the curves differ by model and not by language set.
 */
import {correlate, type Centering, type ProxyCorrelation} from "../analyses/index.js";
import type {ModelPageData} from "../pipeline/model-pages.js";
import {resourceProxies, type AlignFileResult, type ProbeFileResult, type RankFileResult} from "./analyze.js";

/** The languages every analysed model read, per dataset: what the comparison's means and correlations are over. */
export interface SharedLanguages {
  parallel: string[];
  questions: string[];
}

export interface Comparison {
  shared: SharedLanguages;
  models: ModelSummary[];
}

export interface ModelSummary {
  model: string;
  slug: string;
  status: "analysed" | "skipped" | "failed";
  reason?: string;
  store?: string;
  layers?: number;
  /** How many languages this model read, per dataset (the summaries use the shared ones only). */
  languages?: {parallel: number; questions?: number};
  /** Per layer, means over languages, by centering. */
  meanCosine?: Record<Centering, number[]>;
  retrieval?: Record<Centering, number[]>;
  cka?: number[];
  /** Pooled probe accuracy per probed layer, or why there is none. */
  probe?: {layers: number[]; accuracy: number[]} | {skipped: string};
  correlations?: Record<Centering, ProxyCorrelation[]>;
}

/** Each analysed model's parallel page and, where it has one, its questions page. */
export interface ModelPages {
  slug: string;
  parallel: ModelPageData;
  questions?: ModelPageData;
}

/** The comparison of every model: the languages they share, then each model's row over those. */
export function comparisonOf(pages: readonly ModelPages[]): Comparison {
  const shared = sharedLanguages(pages);
  return {shared, models: pages.map((page) => modelSummary(page, shared))};
}

/** The languages in every analysed model's store of each dataset (sorted); a model without a questions store does not narrow them. */
function sharedLanguages(pages: readonly ModelPages[]): SharedLanguages {
  const storeLanguages = (data: ModelPageData | undefined) => (data?.status === "analysed" ? data.store.dataset.languages : undefined);
  const intersect = (lists: (string[] | undefined)[]) => {
    const present = lists.filter((list): list is string[] => list !== undefined);
    return present.length ? [...new Set(present[0])].filter((lang) => present.every((list) => list.includes(lang))).sort() : [];
  };
  return {parallel: intersect(pages.map((p) => storeLanguages(p.parallel))), questions: intersect(pages.map((p) => storeLanguages(p.questions)))};
}

/**
 * One model's row of the comparison, over the shared languages: from its parallel text's rank and
 * align results and its questions' probe results (not asked for when the parallel text has none).
 */
function modelSummary({slug, parallel, questions}: ModelPages, shared: SharedLanguages): ModelSummary {
  if (parallel.status !== "analysed") return {model: parallel.model, slug, status: parallel.status, reason: parallel.reason};
  const rank = parallel.analyses.find((f) => f.analysis === "rank")?.result as RankFileResult | null;
  const align = parallel.analyses.find((f) => f.analysis === "align")?.result as AlignFileResult | null;
  const inParallel = <T extends {lang: string}>(rows: readonly T[]) => rows.filter((r) => shared.parallel.includes(r.lang));
  const proxies = resourceProxies();
  return {
    model: parallel.model,
    slug,
    status: "analysed",
    store: parallel.store.hash,
    layers: parallel.store.model.num_layers,
    languages: {parallel: parallel.store.dataset.languages.length, ...(questions?.status === "analysed" ? {questions: questions.store.dataset.languages.length} : {})},
    meanCosine: align ? byCentering((c) => layerMeans(inParallel(align.parallelCosine[c].languages).map((r) => r.meanCosine))) : undefined,
    retrieval: align ? byCentering((c) => layerMeans(inParallel(align.retrieval[c].languages).map((r) => r.toBaseline))) : undefined,
    cka: align ? layerMeans(inParallel(align.cka.languages).map((r) => r.cka)) : undefined,
    probe: questions ? probeSummary(questions, shared.questions) : undefined,
    // Recomputed over the shared languages: a correlation over other languages is another statistic.
    correlations: rank ? byCentering((c) => Object.keys(proxies).sort().map((name) => correlate(inParallel(rank.rankings[c].languages), name, proxies[name as keyof typeof proxies]))) : undefined
  };
}

/**
 * The pooled probe's accuracy per probed layer, averaged over the shared languages (its accuracy on
 * each language's rows): the same statistic for every model whatever else it read.
 */
function probeSummary(data: ModelPageData, shared: readonly string[]): ModelSummary["probe"] {
  if (data.status !== "analysed") return {skipped: data.reason};
  const [file] = data.analyses;
  if (!file.result) return {skipped: file.skipped ?? "no result"};
  // The comparison shows each model under the project's own protocol (entity-grouped folds).
  const {probe} = (file.result as ProbeFileResult).protocols.babelscope;
  return {layers: probe.settings.layers, accuracy: layerMeans(probe.languages.filter((r) => shared.includes(r.lang)).map((r) => r.pooled.accuracy))};
}

function byCentering<T>(compute: (c: Centering) => T): Record<Centering, T> {
  return {none: compute("none"), language: compute("language")};
}

/** Mean over rows of each column, skipping non-finite values (NaN when a column has none). */
export function layerMeans(rows: readonly (readonly number[])[]): number[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({length: width}, (_, k) => {
    const values = rows.map((r) => r[k]).filter(Number.isFinite);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
  });
}
