/**
 * The overview: every configured model, extracted on the parallel dataset (or skipped, with the
 * reason), and a first layer-wise look at how close each model keeps languages to English.
 */
import type {Env} from "../config.js";
import {parallelCosine} from "../analyses/cosine.js";
import type {Centering} from "../analyses/types.js";
import {loadDataset} from "../datasets/index.js";
import {extractToStore} from "../extract/to-store.js";
import {DEFAULT_SETTINGS} from "../extract/extract.js";
import {ModelError} from "../models/errors.js";
import {resolveModel} from "../models/resolve.js";
import type {ResolvedConfig} from "../project/config.js";
import {readLayered, type Manifest} from "../store/store.js";

export interface LayerCurve {
  centering: Centering;
  /** Mean over languages of the mean pair cosine with the baseline, per hidden state. */
  meanCosine: number[];
  languages: number;
}

export type ModelOverview =
  | {ref: string; status: "analysed"; store: Manifest; curves: LayerCurve[]}
  | {ref: string; status: "skipped"; reason: string};

export interface Overview {
  dataset: {name: string; hash: string; items: number; languages: number};
  settings: {pooling: string; maxLength: number; baseline: string};
  models: ModelOverview[];
}

const BASELINE = "eng";

export async function overview(config: ResolvedConfig, env: Env, log: (line: string) => void = () => {}): Promise<Overview> {
  const dataset = await loadDataset(config.parallel);
  const settings = {...DEFAULT_SETTINGS, pooling: config.pooling, maxLength: config.maxLength};
  const models: ModelOverview[] = [];
  for (const {ref, dtype} of config.models) {
    try {
      const model = await resolveModel(ref, env, dtype);
      const {store, reused} = await extractToStore(model, dataset, settings, env);
      log(`${ref}: ${reused ? "reused" : "extracted"} store ${store.manifest.hash}`);
      const vectors = await readLayered(store);
      const curves = (["none", "language"] as const).map((centering): LayerCurve => {
        const result = parallelCosine(vectors, {baseline: BASELINE, centering});
        const perLayer = result.settings.layers.map((_, k) => mean(result.languages.map((row) => row.meanCosine[k])));
        return {centering, meanCosine: perLayer, languages: result.languages.length};
      });
      models.push({ref, status: "analysed", store: store.manifest, curves});
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      log(`${ref}: skipped: ${error.message}`);
      models.push({ref, status: "skipped", reason: error.message});
    }
  }
  const languages = new Set(dataset.items.map((item) => item.lang)).size;
  return {
    dataset: {name: dataset.name, hash: dataset.hash, items: dataset.items.length, languages},
    settings: {pooling: settings.pooling, maxLength: settings.maxLength, baseline: BASELINE},
    models
  };
}

function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}
