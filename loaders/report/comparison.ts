/**
 * The model comparison page's data: for every configured model, per-layer summaries that can share
 * one chart (means over languages), and its ranking's correlation with resource proxies. Layers are
 * also given as relative depth (layer / last layer), since models differ in depth.
 */
import type {Centering, ProxyCorrelation} from "../analyses/index.js";
import type {ModelPageData} from "../pipeline/model-pages.js";
import type {AlignFileResult, ProbeFileResult, RankFileResult} from "./analyze.js";

export interface ModelSummary {
  model: string;
  slug: string;
  status: "analysed" | "skipped" | "failed";
  reason?: string;
  store?: string;
  layers?: number;
  /** Per layer, means over languages, by centering. */
  meanCosine?: Record<Centering, number[]>;
  retrieval?: Record<Centering, number[]>;
  cka?: number[];
  /** Pooled probe accuracy per probed layer, or why there is none. */
  probe?: {layers: number[]; accuracy: number[]} | {skipped: string};
  correlations?: Record<Centering, ProxyCorrelation[]>;
}

/**
 * One model's row of the comparison: from its parallel text's rank and align results and its
 * questions' probe results (not asked for when the parallel text has none).
 */
export function modelSummary(slug: string, parallel: ModelPageData, questions?: ModelPageData): ModelSummary {
  if (parallel.status !== "analysed") return {model: parallel.model, slug, status: parallel.status, reason: parallel.reason};
  const rank = parallel.analyses.find((f) => f.analysis === "rank")?.result as RankFileResult | null;
  const align = parallel.analyses.find((f) => f.analysis === "align")?.result as AlignFileResult | null;
  return {
    model: parallel.model,
    slug,
    status: "analysed",
    store: parallel.store.hash,
    layers: parallel.store.model.num_layers,
    meanCosine: align ? byCentering((c) => layerMeans(align.parallelCosine[c].languages.map((r) => r.meanCosine))) : undefined,
    retrieval: align ? byCentering((c) => layerMeans(align.retrieval[c].languages.map((r) => r.toBaseline))) : undefined,
    cka: align ? layerMeans(align.cka.languages.map((r) => r.cka)) : undefined,
    probe: questions ? probeSummary(questions) : undefined,
    correlations: rank ? byCentering((c) => rank.rankings[c].correlations) : undefined
  };
}

function probeSummary(data: ModelPageData): ModelSummary["probe"] {
  if (data.status !== "analysed") return {skipped: data.reason};
  const [file] = data.analyses;
  if (!file.result) return {skipped: file.skipped ?? "no result"};
  // The comparison shows each model under the project's own protocol (entity-grouped folds).
  const {probe} = (file.result as ProbeFileResult).protocols.babelscope;
  return {layers: probe.settings.layers, accuracy: probe.pooled.accuracy};
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
