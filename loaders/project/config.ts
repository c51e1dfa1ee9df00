/**
 * The project configuration: which models, datasets, languages and settings the site is built
 * from. One typed file, `babelscope.config.ts` at the project root, default-exports
 * `defineConfig({...})`; everything but `models` has a default.
 */
import {resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {PROJECTION_METHODS} from "../analyses/types.js";
import {resolveUmapOptions} from "../analyses/umap.js";
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import {TOKENIZER_NAMES} from "../extract/token-counts.js";
import {DEVICES, type Device} from "../models/device.js";
import {DTYPE_SUFFIX, type Dtype} from "../models/resolve.js";
import {DEFAULT_ANALYZE_SETTINGS, type AnalyzeSettings} from "../report/analyze-settings.js";
import {POOLINGS, type Pooling} from "../types.js";

export interface ModelEntry {
  /** A model reference: `owner/name[@revision]`, a folder, or `embedded:<name>`. */
  ref: string;
  /** ONNX weights to use (default fp32). */
  dtype?: Dtype;
  /** Where onnxruntime runs this model (default: the config's `device`). */
  device?: Device;
  /** This model's cap, in place of the config's `sample` (a large model can read fewer items than a small one). */
  sample?: Sample;
  /** Only these languages of this model's datasets, in place of the config's `languages`; must include the baseline. */
  languages?: string[];
}

export interface ResolvedModelEntry {
  ref: string;
  dtype: Dtype;
  device: Device;
  sample?: Sample;
  languages?: string[];
}

export interface ProjectConfig {
  /** Models, in the order pages list them. A bare string is `{ref}`. */
  models: (string | ModelEntry)[];
  /** Parallel dataset the cross-lingual pages are computed on: a built-in name or a file (default `udhr-heldout`). */
  parallel?: string;
  /** Labelled questions the knowledge-boundary pages probe (default `questions`). */
  questions?: string;
  /** Word pairs of the words page: a built-in name or a file (default `words`); `false` leaves the page's store out. */
  words?: string | false;
  /** Only these languages of both datasets (ISO 639-3 codes); must include the baseline. Default: all. */
  languages?: string[];
  /** Pooling of the parallel dataset (the questions always use the last token, as the paper does). */
  pooling?: Pooling;
  maxLength?: number;
  /** Items per forward pass and onnxruntime threads: speed only, never results. */
  batchSize?: number;
  threads?: number;
  /** onnxruntime's execution provider for every model without its own (default cpu); see README, "Running on a GPU". */
  device?: Device;
  /** Analysis settings (baseline, layers, seed, bootstrap, probes, projection, tokenizers); see AnalyzeSettings. */
  analysis?: Partial<AnalyzeSettings>;
  /**
   * A cap on what is extracted: at most this many items per language of each dataset, chosen by
   * unit, the same on every run and machine (see `loaders/datasets/sample.ts`). Default: no cap.
   */
  sample?: Sample;
}

export interface Sample {
  maxItemsPerLanguage: number;
}

/** Overrides the config's `sample` (what `babelscope build --max-items-per-language` sets, so the site's loaders see it too). */
export const SAMPLE_VAR = "BABELSCOPE_MAX_ITEMS_PER_LANGUAGE";

export interface ResolvedConfig {
  models: ResolvedModelEntry[];
  parallel: string;
  questions: string;
  /** null: no words store (`words: false`). */
  words: string | null;
  languages: string[] | null;
  pooling: Pooling;
  maxLength: number;
  batchSize: number;
  threads?: number;
  device: Device;
  analysis: AnalyzeSettings;
  sample: Sample | null;
}

const KEYS: readonly string[] = ["models", "parallel", "questions", "words", "languages", "pooling", "maxLength", "batchSize", "threads", "device", "analysis", "sample"];
const UMAP_KEYS = Object.keys(resolveUmapOptions()).filter((key) => key !== "seed");

/** A config that cannot be meant; the message lists every problem with its key path, in one line. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Fills in the defaults after checking the whole config (the file is not type-checked when it is
 * imported): every problem is listed with its key path in one ConfigError, before any work starts.
 */
export function defineConfig(config: ProjectConfig): ResolvedConfig {
  const problems = configProblems(config);
  if (problems.length) throw new ConfigError(problems.join("; "));
  const analysis = {...DEFAULT_ANALYZE_SETTINGS, ...config.analysis};
  const device = config.device ?? "cpu";
  return {
    models: config.models.map((entry) =>
      typeof entry === "string"
        ? {ref: entry, dtype: "fp32", device}
        : {
          ref: entry.ref, dtype: entry.dtype ?? "fp32", device: entry.device ?? device,
          ...(entry.sample ? {sample: {maxItemsPerLanguage: entry.sample.maxItemsPerLanguage}} : {}),
          ...(entry.languages ? {languages: [...entry.languages]} : {})
        }
    ),
    parallel: config.parallel ?? "udhr-heldout",
    questions: config.questions ?? "questions",
    words: config.words === false ? null : config.words ?? "words",
    languages: config.languages ?? null,
    pooling: config.pooling ?? "mean",
    maxLength: config.maxLength ?? 256,
    batchSize: config.batchSize ?? DEFAULT_SETTINGS.batchSize,
    ...(config.threads === undefined ? {} : {threads: config.threads}),
    device,
    analysis,
    sample: config.sample ? {maxItemsPerLanguage: config.sample.maxItemsPerLanguage} : null
  };
}

/** What is wrong with a value, after its key path ("must be ..., got ..."), or undefined. */
type Check = (value: unknown) => string | undefined;

function shown(value: unknown): string {
  return typeof value === "string" || (typeof value === "object" && value !== null) ? JSON.stringify(value) : String(value);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text: Check = (v) => (typeof v === "string" && v.trim() !== "" ? undefined : `must be a non-empty string, got ${shown(v)}`);
const integer = (min?: number): Check => (v) =>
  Number.isInteger(v) && (min === undefined || (v as number) >= min) ? undefined : `must be an integer${min === undefined ? "" : ` >= ${min}`}, got ${shown(v)}`;
const oneOf = (values: readonly string[]): Check => (v) => (values.includes(v as string) ? undefined : `must be one of ${values.join(", ")}, got ${shown(v)}`);
const positive: Check = (v) => (typeof v === "number" && v > 0 && Number.isFinite(v) ? undefined : `must be a positive number, got ${shown(v)}`);
const fraction: Check = (v) => (typeof v === "number" && v > 0 && v < 1 ? undefined : `must be a number between 0 and 1 (exclusive), got ${shown(v)}`);

/** Every problem of a config, each prefixed by its key path (`models[1].dtype`, `analysis.seed`). */
function configProblems(config: unknown): string[] {
  if (!isRecord(config)) return [`the config must be an object ({models: [...], ...}), got ${shown(config)}`];
  const problems: string[] = [];
  const need = (path: string, value: unknown, check: Check) => {
    const problem = check(value);
    if (problem) problems.push(`${path} ${problem}`);
  };
  const may = (path: string, value: unknown, check: Check) => value === undefined || need(path, value, check);
  const known = (object: Record<string, unknown>, keys: readonly string[], path: string) => {
    for (const key of Object.keys(object)) if (!keys.includes(key)) problems.push(`unknown key "${path}${key}" (known: ${keys.join(", ")})`);
  };
  /** A list whose entries each pass `entry`; false when it is not a list. */
  const list = (path: string, value: unknown, what: string, entry: (item: unknown, path: string) => void): boolean => {
    if (!Array.isArray(value)) problems.push(`${path} must be a list of ${what}, got ${shown(value)}`);
    else value.forEach((item, i) => entry(item, `${path}[${i}]`));
    return Array.isArray(value);
  };

  function checkSample(sample: unknown, path: string): void {
    if (sample === undefined || sample === null) return;
    if (!isRecord(sample)) return void problems.push(`${path} must be null (no cap) or {maxItemsPerLanguage}, got ${shown(sample)}`);
    known(sample, ["maxItemsPerLanguage"], `${path}.`);
    need(`${path}.maxItemsPerLanguage`, sample.maxItemsPerLanguage, integer(1));
  }

  /** The global `languages` and each model's own, checked alike; those that are lists are checked for the baseline at the end. */
  const languageLists: {path: string; codes: unknown[]}[] = [];
  function languageList(path: string, value: unknown): void {
    if (value !== undefined && list(path, value, "language codes", (code, at) => need(at, code, text))) languageLists.push({path, codes: value as unknown[]});
  }
  known(config, KEYS, "");
  list("models", config.models, "model references", (entry, path) => {
    if (typeof entry === "string") return need(path, entry, text);
    if (!isRecord(entry)) return problems.push(`${path} must be a model reference or {ref, dtype, device, sample, languages}, got ${shown(entry)}`);
    known(entry, ["ref", "dtype", "device", "sample", "languages"], `${path}.`);
    need(`${path}.ref`, entry.ref, text);
    may(`${path}.dtype`, entry.dtype, oneOf(Object.keys(DTYPE_SUFFIX)));
    may(`${path}.device`, entry.device, oneOf(DEVICES));
    checkSample(entry.sample, `${path}.sample`);
    languageList(`${path}.languages`, entry.languages);
  });
  may("parallel", config.parallel, text);
  may("questions", config.questions, text);
  if (config.words !== false) may("words", config.words, text);
  languageList("languages", config.languages);
  may("pooling", config.pooling, oneOf(POOLINGS));
  may("maxLength", config.maxLength, integer(2));
  may("batchSize", config.batchSize, integer(1));
  may("threads", config.threads, integer(1));
  may("device", config.device, oneOf(DEVICES));
  checkSample(config.sample, "sample");

  const analysis = config.analysis ?? {};
  if (!isRecord(analysis)) return [...problems, `analysis must be an object of settings, got ${shown(analysis)}`];
  known(analysis, Object.keys(DEFAULT_ANALYZE_SETTINGS), "analysis.");
  may("analysis.baseline", analysis.baseline, text);
  const {layers} = analysis;
  if (layers !== undefined && layers !== null) {
    if (!isRecord(layers)) problems.push(`analysis.layers must be null (every layer) or {from, to}, got ${shown(layers)}`);
    else {
      known(layers, ["from", "to"], "analysis.layers.");
      need("analysis.layers.from", layers.from, integer(0));
      need("analysis.layers.to", layers.to, integer(0));
      if ((layers.from as number) > (layers.to as number)) problems.push(`analysis.layers is empty: from ${shown(layers.from)} is after to ${shown(layers.to)}`);
    }
  }
  may("analysis.seed", analysis.seed, integer());
  may("analysis.resamples", analysis.resamples, integer(1));
  may("analysis.confidence", analysis.confidence, fraction);
  may("analysis.c", analysis.c, positive);
  may("analysis.folds", analysis.folds, integer(2));
  may("analysis.projection", analysis.projection, oneOf(PROJECTION_METHODS));
  const {umap} = analysis;
  if (umap !== undefined) {
    if (!isRecord(umap)) problems.push(`analysis.umap must be an object of UMAP options, got ${shown(umap)}`);
    else {
      known(umap, UMAP_KEYS, "analysis.umap.");
      // UMAP's own checks, one option at a time so that each bad one is listed.
      for (const key of UMAP_KEYS.filter((k) => umap[k] !== undefined)) {
        try {
          resolveUmapOptions({[key]: umap[key]});
        } catch (error) {
          problems.push(`analysis.umap: ${(error as Error).message.replace(/^umap: /, "")}`);
        }
      }
    }
  }
  if (analysis.tokenizers !== undefined) list("analysis.tokenizers", analysis.tokenizers, "tokenizer names", (name, path) => need(path, name, oneOf(TOKENIZER_NAMES)));

  const baseline = analysis.baseline ?? DEFAULT_ANALYZE_SETTINGS.baseline;
  for (const {path, codes} of languageLists) {
    if (typeof baseline === "string" && !codes.includes(baseline)) problems.push(`${path} must include the baseline "${baseline}" (every comparison is made with it)`);
  }
  return problems;
}

/** The config file the site and loaders read: `$BABELSCOPE_CONFIG` if set (e.g. a test's), else `<root>/babelscope.config.ts`. */
export function configPath(root: string, vars: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, vars.BABELSCOPE_CONFIG || "babelscope.config.ts");
}

/**
 * Imports a config file and checks that it default-exports `defineConfig({...})`'s result. Every
 * failure is one line naming the file: its problems (see defineConfig), or where its syntax breaks.
 * `$BABELSCOPE_DEVICE` (which `babelscope build --device` sets) runs every model on that device,
 * whatever the file says.
 */
export async function loadConfig(path: string, vars: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  let module: {default?: unknown};
  try {
    module = (await import(pathToFileURL(path).href)) as {default?: unknown};
  } catch (error) {
    throw new Error(loadProblem(error as Error, path));
  }
  const config = module.default as Partial<ResolvedConfig> | undefined;
  if (!config || !Array.isArray(config.models) || typeof config.parallel !== "string" || typeof config.analysis !== "object") {
    throw new Error(`${path}: the default export must be defineConfig({models: [...], ...})`);
  }
  return onDevice(withSampleOverride(config as ResolvedConfig, vars), vars.BABELSCOPE_DEVICE);
}

/** The config with every model on `device`, when one is given. */
function onDevice(config: ResolvedConfig, device: string | undefined): ResolvedConfig {
  if (!device) return config;
  const problem = oneOf(DEVICES)(device);
  if (problem) throw new ConfigError(`BABELSCOPE_DEVICE ${problem}`);
  return {...config, device: device as Device, models: config.models.map((model) => ({...model, device: device as Device}))};
}

/** The config with `$BABELSCOPE_MAX_ITEMS_PER_LANGUAGE`, when set, as the cap of every model. */
export function withSampleOverride(config: ResolvedConfig, vars: NodeJS.ProcessEnv): ResolvedConfig {
  const value = vars[SAMPLE_VAR];
  if (value === undefined || value === "") return config;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${SAMPLE_VAR} must be an integer >= 1, got "${value}"`);
  return {...config, models: config.models.map(({sample: _, ...model}) => model), sample: {maxItemsPerLanguage: n}};
}

/** A configured model's entry: by reference, and by dtype when given (one model may be configured at two dtypes). */
export function modelEntry(config: ResolvedConfig, ref: string, dtype?: Dtype): ResolvedModelEntry | undefined {
  return config.models.find((m) => m.ref === ref && (dtype === undefined || m.dtype === dtype));
}

/** The languages a configured model's datasets are restricted to: its own `languages`, else the config's; null for all. */
export function modelLanguages(config: ResolvedConfig, ref: string, dtype?: Dtype): string[] | null {
  return modelEntry(config, ref, dtype)?.languages ?? config.languages;
}

/** The cap on items per language of a configured model's datasets: its own `sample`, else the config's; undefined for none. */
export function itemCap(config: ResolvedConfig, ref: string, dtype?: Dtype): number | undefined {
  return (modelEntry(config, ref, dtype)?.sample ?? config.sample)?.maxItemsPerLanguage;
}

/**
 * Why importing the config at `path` failed, in one line that names the file (and line:column of a
 * syntax error, for the CLI and the site, which import through tsx).
 */
export function loadProblem(error: Error, path: string): string {
  if (error.name === "ConfigError") return `${path}: ${error.message}`;
  // tsx compiles the file with esbuild, whose error says "<file>:<line>:<column>: ERROR: <text>" on
  // its second line, with a 0-based column and the file's extension turned into .ts.
  const syntax = /^(.+):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (syntax) {
    const [, file, line, column, text] = syntax;
    const stem = (name: string) => name.replace(/\.[cm]?tsx?$/, "");
    return `${stem(file) === stem(path) ? path : file}:${line}:${Number(column) + 1}: ${text}`;
  }
  return `${path}: cannot load the project config (${error.message.split("\n")[0]})`;
}
