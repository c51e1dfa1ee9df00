/**
 * The overview: every configured model's parallel-text store (or why it was skipped), the datasets,
 * and a first layer-wise look at how close each model keeps languages to English. The curves come
 * from the cached `align` analysis the alignment pages use, so nothing is computed twice.
 */
import {CENTERINGS, type Centering} from "../analyses/index.js";
import type {Env} from "../config.js";
import type {ResolvedConfig} from "../project/config.js";
import type {Manifest} from "../store/store.js";
import type {Dataset} from "../types.js";
import type {AlignFileResult} from "./analyze.js";
import {layerMeans} from "./comparison.js";
import {configuredModels, modelPageData, pageDataset} from "../pipeline/model-pages.js";

export interface LayerCurve {
  centering: Centering;
  /** Mean over languages of the mean pair cosine with the baseline, per hidden state. */
  meanCosine: number[];
  languages: number;
}

export type ModelOverview =
  | {ref: string; slug: string; status: "analysed"; store: Manifest; curves: LayerCurve[]}
  | {ref: string; slug: string; status: "skipped" | "failed"; reason: string};

export interface DatasetSummary {
  name: string;
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

export async function overview(config: ResolvedConfig, env: Env, log: (line: string) => void = () => {}): Promise<Overview> {
  const models: ModelOverview[] = [];
  for (const {slug} of configuredModels(config)) {
    const page = await modelPageData(config, env, slug, "parallel", ["align"], log);
    if (page.status !== "analysed") {
      models.push({ref: page.model, slug, status: page.status, reason: page.reason});
      continue;
    }
    const align = page.analyses[0].result as AlignFileResult | null;
    const curves = (align ? CENTERINGS : []).map((centering): LayerCurve => {
      const rows = align!.parallelCosine[centering].languages;
      return {centering, meanCosine: layerMeans(rows.map((row) => row.meanCosine)), languages: rows.length};
    });
    models.push({ref: page.model, slug, status: "analysed", store: page.store, curves});
  }
  return {
    dataset: summary(await pageDataset(config, "parallel")),
    questions: summary(await pageDataset(config, "questions")),
    settings: {pooling: config.pooling, maxLength: config.maxLength, baseline: config.analysis.baseline},
    models
  };
}

function summary(dataset: Dataset): DatasetSummary {
  return {name: dataset.name, hash: dataset.hash, items: dataset.items.length, languages: new Set(dataset.items.map((item) => item.lang)).size};
}
