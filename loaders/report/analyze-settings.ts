/**
 * What `babelscope analyze` runs and with which settings, defaults in one place. A module of its
 * own, free of heavy imports, so the CLI checks names and prints defaults without loading the analyses.
 */
import type {ProjectionMethod} from "../analyses/types.js";
import type {UmapOptions} from "../analyses/umap.js";

export const ANALYSES = ["rank", "align", "probe", "project", "fertility", "latent", "neurons", "words"] as const;
export type AnalysisName = (typeof ANALYSES)[number];

/** Every setting of `analyzeStore`; the defaults are `DEFAULT_ANALYZE_SETTINGS`. */
export interface AnalyzeSettings {
  /** Language every other language is compared with, and the probe-alignment target. */
  baseline: string;
  /**
   * Inclusive layer range: what the ranking score averages over, and the layers probed and
   * projected; null = every layer. Per-layer cosine, retrieval, MEXA and CKA always cover every layer.
   */
  layers: {from: number; to: number} | null;
  /** Seed of the bootstrap, the cross-validation folds and UMAP. */
  seed: number;
  /** Bootstrap resamples and confidence level of the ranking's intervals. */
  resamples: number;
  confidence: number;
  /** Inverse L2 strength (scikit-learn's C) and folds of the probes. */
  c: number;
  folds: number;
  projection: ProjectionMethod;
  umap: Omit<UmapOptions, "seed">;
  /** `model` (the store's own model) and/or npm tokenizers (see NPM_TOKENIZERS). */
  tokenizers: string[];
}

export const DEFAULT_ANALYZE_SETTINGS: AnalyzeSettings = {
  baseline: "eng",
  layers: null,
  seed: 0,
  resamples: 1000,
  confidence: 0.95,
  c: 1,
  folds: 5,
  projection: "umap",
  umap: {},
  tokenizers: ["model", "qwen3", "gemma3", "llama3"]
};
