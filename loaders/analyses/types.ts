/**
 * Inputs and result records of the alignment and ranking analyses. Results are plain data
 * (JSON-safe except that an undefined measure is NaN, which JSON writes as null) and carry
 * the settings that produced them, so pages quote settings from the data.
 */
import type {LabelledVectors, LayeredVectors, Matrix} from "../vectors.js";

export type {LabelledVectors, LayeredVectors};

/** Whether cosines use the raw vectors or vectors minus their language's mean (see center.ts). */
export type Centering = "none" | "language";
export const CENTERINGS: readonly Centering[] = ["none", "language"];

/** A language that got no row, and why (e.g. no unit shared with the baseline). */
export interface SkippedLanguage {
  lang: string;
  reason: string;
}

/** Settings shared by every comparison of languages with a baseline language. */
export interface BaselineSettings {
  /** Language every other language is compared with (ISO 639-3, e.g. `eng`). */
  baseline: string;
  centering: Centering;
  /** Layer numbers the per-layer arrays cover, in order (index k of an array is layer `layers[k]`). */
  layers: number[];
}

/** Mean cosine between each language's items and the baseline's items of the same units. */
export interface ParallelCosineRow {
  lang: string;
  /** Units shared with the baseline, i.e. the number of pairs averaged. */
  units: number;
  /** Mean pair cosine per layer. */
  meanCosine: number[];
}

export interface ParallelCosineResult {
  method: "parallel-cosine";
  settings: BaselineSettings;
  languages: ParallelCosineRow[];
  skipped: SkippedLanguage[];
}

/** One language's place in a Language Ranker-style ranking. */
export interface RankedLanguage {
  lang: string;
  /** 1 = most similar to the baseline; ties are ordered by language code. */
  rank: number;
  units: number;
  /** Mean pair cosine over units and over the aggregated layers. */
  score: number;
  /** Confidence interval of `score`: percentile bootstrap over units, or the t interval when `fewUnits`. */
  low: number;
  high: number;
  /** Fewer units than settings.fewUnits: the interval is the t interval, and the page should say so. */
  fewUnits: boolean;
  interval: "percentile-bootstrap" | "t";
  /** Mean pair cosine per layer (all layers, not only the aggregated range). */
  meanCosine: number[];
}

/** Correlation of the ranking scores with one resource proxy (e.g. speakers, web share). */
export interface ProxyCorrelation {
  proxy: string;
  /** Languages that have both a score and a finite proxy value. */
  n: number;
  /** Ranked languages without a finite proxy value (skipped). */
  missing: string[];
  /** Spearman's rho with averaged ranks for ties; NaN when n < 2 or a side is constant. */
  spearman: number;
  pearson: number;
}

/**
 * How languages are ranked (see rank.ts): "paper" is Language Ranker's released procedure
 * (layers 1..L, no centring, last-token vectors), "babelscope" takes the layers and centring given.
 */
export type RankProtocol = "paper" | "babelscope";
export const RANK_PROTOCOLS: readonly RankProtocol[] = ["paper", "babelscope"];

export interface LanguageRanking {
  method: "language-ranker";
  settings: BaselineSettings & {
    protocol: RankProtocol;
    /** Languages with fewer units than this get the t interval instead of the bootstrap (FEW_UNITS). */
    fewUnits: number;
    /** Inclusive layer range the score averages over. */
    aggregate: {from: number; to: number};
    seed: number;
    resamples: number;
    /** Confidence level of [low, high], e.g. 0.95. */
    confidence: number;
  };
  /** Sorted by rank. */
  languages: RankedLanguage[];
  skipped: SkippedLanguage[];
  correlations: ProxyCorrelation[];
}

/** Per-layer accuracy of finding the translation by nearest cosine neighbour. */
export interface RetrievalRow {
  lang: string;
  units: number;
  /** Accuracy of a random guess: 1 / units. */
  chance: number;
  /** Language -> baseline: for each item of the language, is its nearest baseline item the translation. */
  toBaseline: number[];
  /** Baseline -> language. */
  fromBaseline: number[];
}

export interface RetrievalResult {
  method: "retrieval";
  settings: BaselineSettings;
  languages: RetrievalRow[];
  skipped: SkippedLanguage[];
}

export interface MexaRow {
  lang: string;
  units: number;
  /** Per layer: fraction of units whose pair cosine beats every other cosine in its row and column. */
  score: number[];
}

export interface MexaResult {
  method: "mexa";
  settings: BaselineSettings;
  languages: MexaRow[];
  skipped: SkippedLanguage[];
}

export interface CkaRow {
  lang: string;
  units: number;
  /** Linear CKA with the baseline per layer. */
  cka: number[];
}

export interface CkaResult {
  method: "linear-cka";
  /** No centering setting: CKA centres each representation itself, so language means cancel. */
  settings: Omit<BaselineSettings, "centering">;
  languages: CkaRow[];
  skipped: SkippedLanguage[];
}

// ---------------------------------------------------------------------------------------------
// Knowledge-boundary probes, their transfer across languages, alignment, and projections
// (probe.ts, transfer.ts, align.ts, project.ts).

/**
 * How the knowledge probes are trained and cross-validated (see protocol.ts):
 * - "paper": as the knowledge-boundary paper's released code: raw features, scikit-learn's
 *   StratifiedKFold(5, shuffle=True, random_state=42) over units;
 * - "babelscope": standardised features, stratified folds grouped by the caller's `groups`
 *   (e.g. the entity a question is about), so no group is on both sides of a split.
 * In both, folds are over units and shared by every language: no probe is ever scored on a
 * translation of one of its training items.
 */
export type ProbeProtocol = "paper" | "babelscope";
export const PROBE_PROTOCOLS: readonly ProbeProtocol[] = ["paper", "babelscope"];

/** Settings of every probe analysis. */
export interface ProbeSettings {
  protocol: ProbeProtocol;
  /** Inverse L2 regularisation strength, as scikit-learn's `LogisticRegression(C)`. */
  c: number;
  /** Number of cross-validation folds. */
  folds: number;
  /** Seed of the folds: scikit-learn's random_state under "paper", the group shuffle's seed under "babelscope". */
  seed: number;
  /** Layer numbers the per-layer arrays cover, in order. */
  layers: number[];
  /** What never straddles a split: "units" (translations of one item), or "groups" (the caller's groups, e.g. entities). */
  grouping: "units" | "groups";
  /** Confidence level of the accuracy intervals over folds. */
  confidence: number;
}

/**
 * Scores per layer (index k is layer `settings.layers[k]`); NaN where undefined. `accuracy` is
 * the mean of the fold accuracies (as scikit-learn's cross_val_score is reported), [low, high]
 * its Student-t interval over those folds (settings.confidence, clamped to [0, 1]; NaN with
 * fewer than 2 scored folds), and `auroc` that of the out-of-fold probabilities of all folds.
 */
export interface LayerScores {
  accuracy: number[];
  low: number[];
  high: number[];
  /** foldAccuracy[k][f]: accuracy on fold f's test rows (NaN where the fold has none). */
  foldAccuracy: number[][];
  auroc: number[];
}

export interface ProbeLanguageRow {
  lang: string;
  n: number;
  positives: number;
  /** A probe trained and cross-validated within this language; null when the language is skipped. */
  within: LayerScores | null;
  /** The pooled probe's out-of-fold predictions for this language's rows. */
  pooled: LayerScores;
}

/** Logistic-regression probe per layer, within each language and pooled over languages. */
export interface ProbeResult {
  method: "knowledge-probe";
  settings: ProbeSettings;
  /** One probe on all languages (folds stratified by language and label), scored on all rows. */
  pooled: LayerScores & {n: number; positives: number};
  languages: ProbeLanguageRow[];
  /** Languages without a within-language probe; their rows still count in the pooled probe. */
  skipped: SkippedLanguage[];
}

/**
 * Per layer, `accuracy[a][b]`: probes trained on language a's training-fold rows, scored on
 * language b's test-fold rows, fold by fold (mean over folds; [low, high] its t interval over
 * folds). The diagonal is the within-language cross-validated score.
 */
export interface TransferLayer {
  layer: number;
  accuracy: number[][];
  low: number[][];
  high: number[][];
  auroc: number[][];
}

export interface TransferResult {
  method: "probe-transfer";
  settings: ProbeSettings & {alignments: Alignment[]};
  /** Row (train) and column (test) order of the matrices. */
  languages: string[];
  /** Test rows as they are (the paper's "identical" setting). */
  layers: TransferLayer[];
  /** One heatmap per layer for each alignment in `settings.alignments`: test rows moved onto the training language first. */
  aligned: Partial<Record<Alignment, TransferLayer[]>>;
  skipped: SkippedLanguage[];
}

/** Training-free ways to move one language's vectors onto another's (see align.ts). */
export type Alignment = "mean-shift" | "least-squares" | "least-squares-centered";
export const ALIGNMENTS: readonly Alignment[] = ["mean-shift", "least-squares", "least-squares-centered"];

/** A source language scored by a probe trained on the target language, before and after alignment. */
export interface AlignmentRow {
  lang: string;
  /** Units shared with the target language (the rows cross-validated). */
  units: number;
  before: LayerScores;
  /** One entry per alignment in `settings.alignments`. */
  after: Partial<Record<Alignment, LayerScores>>;
}

export interface AlignmentResult {
  method: "probe-alignment";
  settings: ProbeSettings & {target: string; alignments: Alignment[]};
  languages: AlignmentRow[];
  skipped: SkippedLanguage[];
}

/** How rows are projected to 2-D (see project.ts). */
export type ProjectionMethod = "pca" | "umap";
export const PROJECTION_METHODS: readonly ProjectionMethod[] = ["pca", "umap"];

/**
 * How the projections of several layers relate: each layer on its own axes, or each layer
 * rotated/reflected onto the previous one by orthogonal Procrustes, so a point moves little
 * from one layer's picture to the next unless its neighbourhood changes.
 */
export type LayerCoordinates = "independent" | "procrustes";
export const LAYER_COORDINATES: readonly LayerCoordinates[] = ["independent", "procrustes"];

export type UmapMetric = "euclidean" | "cosine";
export const UMAP_METRICS: readonly UmapMetric[] = ["euclidean", "cosine"];

/** Every UMAP setting, resolved (see umap.ts for defaults and the reasons behind them). */
export interface UmapSettings {
  seed: number;
  neighbors: number;
  minDist: number;
  epochs: number;
  negativeSampleRate: number;
  /** Principal components kept before the kNN search (0 = none). */
  pcaDimensions: number;
  metric: UmapMetric;
}

export interface ProjectionSettings {
  projection: ProjectionMethod;
  coordinates: LayerCoordinates;
  layers: number[];
  /** UMAP settings; null for PCA. */
  umap: UmapSettings | null;
}

export interface ProjectionLayer {
  layer: number;
  /** One 2-D point per input row (rows x 2). A Matrix, not JSON: write it as Arrow or number arrays. */
  coordinates: Matrix;
  /** PCA only: share of the layer's variance along each of the two axes; null for UMAP. */
  explainedVarianceRatio: [number, number] | null;
}

export interface ProjectionResult {
  method: "projection";
  settings: ProjectionSettings;
  layers: ProjectionLayer[];
}

// ---------------------------------------------------------------------------------------------
// Tokenizer fertility (fertility.ts).

/** Token counts of parallel items: `tokens[i]` is the number of tokens of row i (unit[i], lang[i]). */
export interface TokenCounts {
  unit: readonly string[];
  lang: readonly string[];
  tokens: ArrayLike<number>;
}

export interface FertilityRow {
  lang: string;
  /** Units shared with the baseline: the only units counted, on both sides. */
  units: number;
  /** Mean tokens per unit in this language, over the shared units. */
  tokensPerUnit: number;
  /** Mean tokens per unit in the baseline language, over the same units. */
  baselineTokensPerUnit: number;
  /** tokensPerUnit / baselineTokensPerUnit (1 = as many tokens as the baseline); NaN if the baseline has no tokens there. */
  relative: number;
}

/** Tokens per parallel unit by language, relative to the baseline language, for one tokenizer. */
export interface FertilityResult {
  method: "tokenizer-fertility";
  /** Which tokenizer counted (e.g. `model`, `qwen3`). */
  tokenizer: string;
  settings: {baseline: string};
  /** Sorted by language code; the baseline's own row (relative 1, all its units) comes first. */
  languages: FertilityRow[];
  skipped: SkippedLanguage[];
}
