/**
 * The project configuration: which models, datasets, languages and settings the site is built
 * from. One typed file, `babelscope.config.ts` at the project root, default-exports
 * `defineConfig({...})`; everything but `models` has a default.
 */
import {resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import type {Dtype} from "../models/resolve.js";
import {DEFAULT_ANALYZE_SETTINGS, type AnalyzeSettings} from "../report/analyze-settings.js";
import type {Pooling} from "../types.js";

export interface ModelEntry {
  /** A model reference: `owner/name[@revision]`, a folder, or `embedded:<name>`. */
  ref: string;
  /** ONNX weights to use (default fp32). */
  dtype?: Dtype;
}

export interface ProjectConfig {
  /** Models, in the order pages list them. A bare string is `{ref}`. */
  models: (string | ModelEntry)[];
  /** Parallel dataset the cross-lingual pages are computed on: a built-in name or a file (default `udhr-heldout`). */
  parallel?: string;
  /** Labelled questions the knowledge-boundary pages probe (default `questions`). */
  questions?: string;
  /** Only these languages of both datasets (ISO 639-3 codes); must include the baseline. Default: all. */
  languages?: string[];
  /** Pooling of the parallel dataset (the questions always use the last token, as the paper does). */
  pooling?: Pooling;
  maxLength?: number;
  /** Items per forward pass and onnxruntime threads: speed only, never results. */
  batchSize?: number;
  threads?: number;
  /** Analysis settings (baseline, layers, seed, bootstrap, probes, projection, tokenizers); see AnalyzeSettings. */
  analysis?: Partial<AnalyzeSettings>;
}

export interface ResolvedConfig {
  models: Required<ModelEntry>[];
  parallel: string;
  questions: string;
  languages: string[] | null;
  pooling: Pooling;
  maxLength: number;
  batchSize: number;
  threads?: number;
  analysis: AnalyzeSettings;
}

const KEYS: readonly string[] = ["models", "parallel", "questions", "languages", "pooling", "maxLength", "batchSize", "threads", "analysis"];

/** Fills in the defaults and rejects what cannot be meant (unknown keys, a language list without the baseline). */
export function defineConfig(config: ProjectConfig): ResolvedConfig {
  unknownKeys(config, KEYS, "config");
  unknownKeys(config.analysis ?? {}, Object.keys(DEFAULT_ANALYZE_SETTINGS), "analysis setting");
  const analysis = {...DEFAULT_ANALYZE_SETTINGS, ...config.analysis};
  if (config.languages && !config.languages.includes(analysis.baseline)) {
    throw new Error(`languages must include the baseline "${analysis.baseline}" (every comparison is made with it)`);
  }
  return {
    models: config.models.map((entry) => (typeof entry === "string" ? {ref: entry, dtype: "fp32"} : {dtype: "fp32", ...entry})),
    parallel: config.parallel ?? "udhr-heldout",
    questions: config.questions ?? "questions",
    languages: config.languages ?? null,
    pooling: config.pooling ?? "mean",
    maxLength: config.maxLength ?? 256,
    batchSize: config.batchSize ?? DEFAULT_SETTINGS.batchSize,
    ...(config.threads === undefined ? {} : {threads: config.threads}),
    analysis
  };
}

function unknownKeys(object: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new Error(`unknown ${what} "${unknown}" (known: ${known.join(", ")})`);
}

/** The config file the site and loaders read: `$BABELSCOPE_CONFIG` if set (e.g. a test's), else `<root>/babelscope.config.ts`. */
export function configPath(root: string, vars: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, vars.BABELSCOPE_CONFIG || "babelscope.config.ts");
}

/** Imports a config file and checks that it default-exports `defineConfig({...})`'s result. */
export async function loadConfig(path: string): Promise<ResolvedConfig> {
  let module: {default?: unknown};
  try {
    module = (await import(pathToFileURL(path).href)) as {default?: unknown};
  } catch (error) {
    throw new Error(`${path}: cannot load the project config (${(error as Error).message.split("\n")[0]})`);
  }
  const config = module.default as Partial<ResolvedConfig> | undefined;
  if (!config || !Array.isArray(config.models) || typeof config.parallel !== "string" || typeof config.analysis !== "object") {
    throw new Error(`${path}: the default export must be defineConfig({models: [...], ...})`);
  }
  return config as ResolvedConfig;
}
