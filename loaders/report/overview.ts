/**
 * The overview: every configured model's parallel-text store (or why it was skipped), the datasets,
 * and a first layer-wise look at how close each model keeps languages to English. The curves come
 * from the cached `align` analysis the alignment pages use, so nothing is computed twice.
 */
import {CENTERINGS, type Centering} from "../analyses/index.js";
import type {ModelPageData} from "../pipeline/model-pages.js";
import type {ResolvedConfig} from "../project/config.js";
import type {Manifest} from "../store/store.js";
import {truncationNote} from "../store/truncation.js";
import type {DatasetInfo} from "../datasets/info.js";
import type {Dataset} from "../types.js";
import type {AlignFileResult} from "./analyze.js";
import {layerMeans} from "./comparison.js";
import {unavailableNotice} from "./unavailable.js";

export interface LayerCurve {
  centering: Centering;
  /** Mean over languages of the mean pair cosine with the baseline, per hidden state. */
  meanCosine: number[];
  languages: number;
}

export type ModelOverview =
  | {ref: string; slug: string; status: "analysed"; store: Manifest; curves: LayerCurve[]; /** Items cut to the maximum length, in words; null when none was. */ truncated: string | null}
  | {ref: string; slug: string; status: "skipped" | "failed"; cause: string};

/** A page dataset as the overview describes it: its own metadata (never its file path) and counts. */
export interface DatasetSummary extends DatasetInfo {
  hash: string;
  items: number;
  languages: number;
}

export interface Overview {
  dataset: DatasetSummary;
  questions: DatasetSummary;
  settings: {pooling: string; maxLength: number; baseline: string};
  models: ModelOverview[];
}

/** One model's overview: its parallel text's store and align curves, or why it has none. */
export function modelOverview(slug: string, page: ModelPageData): ModelOverview {
  if (page.status !== "analysed") return {ref: page.model, slug, status: page.status, cause: unavailableNotice(page).cause};
  const align = page.analyses[0].result as AlignFileResult | null;
  const curves = (align ? CENTERINGS : []).map((centering): LayerCurve => {
    const rows = align!.parallelCosine[centering].languages;
    return {centering, meanCosine: layerMeans(rows.map((row) => row.meanCosine)), languages: rows.length};
  });
  return {ref: page.model, slug, status: "analysed", store: page.store, curves, truncated: page.store.counts.truncated ? truncationNote(page.store) : null};
}

/** The overview page's data from the page datasets and each model's overview. */
export function overviewOf(config: ResolvedConfig, datasets: Record<"parallel" | "questions", DescribedDataset>, models: ModelOverview[]): Overview {
  return {
    dataset: summary(datasets.parallel),
    questions: summary(datasets.questions),
    settings: {pooling: config.pooling, maxLength: config.maxLength, baseline: config.analysis.baseline},
    models
  };
}

/** A dataset's items with its metadata. */
export interface DescribedDataset {
  dataset: Dataset;
  info: DatasetInfo;
}

function summary({dataset, info}: DescribedDataset): DatasetSummary {
  return {...info, hash: dataset.hash, items: dataset.items.length, languages: new Set(dataset.items.map((item) => item.lang)).size};
}
