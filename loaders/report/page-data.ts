/**
 * What the site's pages read: the value each data loader (`src/data/*`, `src/models/[model]/*`)
 * writes, and the rows pages hand to the chart components. Loaders check their output against
 * these types (`satisfies`), components declare their inputs with them in JSDoc `@param` types
 * imported from this module, so a renamed field fails `tsc` on both sides. Results the analyses already type are reused, not redefined.
 */
import type {LanguageInfo} from "../datasets/languages.js";
import type {ModelPageData} from "../pipeline/model-pages.js";
import type {LayerScores, ProbeResult} from "../analyses/index.js";
import type {ProjectFileResult, RankFileResult, SurfaceLanguage} from "./analyze.js";
import type {Comparison} from "./comparison.js";
import type {Overview} from "./overview.js";

/** `data/languages.json`: what every page shows of a language. */
export type LanguagePage = Pick<LanguageInfo, "code" | "name" | "family" | "script" | "speakers" | "webShare" | "webShareCrawl" | "tier">[];

/** Which build made the report. */
export interface Provenance {
  babelscope: string;
  node: string;
  /** ISO 8601 time of the build. */
  built: string;
}

/** `data/overview.json`. */
export type OverviewPage = Overview & {provenance: Provenance};

/** `data/comparison.json`. */
export type ComparisonPage = Comparison;

/** `models/<slug>/{alignment,fertility,knowledge}.json`: one page's analyses of one model, or why there are none. */
export type ModelPage = ModelPageData;

/** `models/<slug>/ranking.json`: the ranking page, with the Language Ranker paper's protocol (or why not). */
export type RankingPage = ModelPageData & {paper: RankFileResult["paper"]};

/** What the knowledge page's summary (knowledge-findings.js) reads of one probe protocol's results (ProtocolProbes). */
export interface KnowledgeProtocol {
  probe: {
    settings: Pick<ProbeResult["settings"], "layers">;
    pooled: Pick<ProbeResult["pooled"], "n" | "positives">;
    languages: {lang: string; within: Pick<LayerScores, "accuracy" | "low" | "high"> | null}[];
  };
  surface: Pick<SurfaceLanguage, "lang" | "accuracy">[];
}

/**
 * The explorer's Arrow table (`models/<slug>/projection*.arrow`): its schema metadata key
 * `babelscope` holds this as JSON; what was projected and how, or why the model was skipped or failed.
 */
export interface ProjectionMeta {
  model: string;
  slug: string;
  status: "analysed" | "skipped" | "failed";
  reason?: string;
  dataset?: string;
  store?: string;
  layers: number[];
  /** Settings of each projection (seed, UMAP parameters) and PCA's explained variance per layer. */
  projections: {method: string; settings: ProjectFileResult["settings"]; explained: ([number, number] | null)[]}[];
  /** Principal components per item in the `nn_<layer>` columns (0: no neighbour space). */
  neighbourDimensions?: number;
}

/** The explorer table's string columns: what each point shows besides its position. */
export interface PointInfo {
  id: string;
  lang: string;
  language: string;
  family: string;
  script: string;
  direction: string;
  text: string;
  label: string;
}

/** A point of a layer-wise curve (layer-curves.js); `low`/`high` an interval drawn as a band. */
export interface CurvePoint {
  layer: number;
  value: number;
  series: string;
  low?: number;
  high?: number;
}

/** A horizontal reference line on a chart (a baseline, chance). */
export interface ReferenceLine {
  value: number;
  label: string;
}

/** A cell of a heatmap (layer-heatmap.js): a language by a layer or another language. */
export interface HeatmapCell {
  row: string;
  column: string | number;
  value: number;
}

/** One dot of a language on a value axis (dot-strip.js). */
export interface StripDot {
  lang: string;
  name: string;
  value: number;
  series?: string;
}

/** One ranked language with its confidence interval (ranked-bars.js). */
export interface RankedBar {
  lang: string;
  name: string;
  rank: number;
  score: number;
  low: number;
  high: number;
}

/** A language's ranking score against a resource proxy (proxy-scatter.js). */
export interface ProxyPoint {
  lang: string;
  name: string;
  proxy: number;
  score: number;
  family?: string;
}
