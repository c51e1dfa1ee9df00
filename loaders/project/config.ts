/**
 * The project configuration: which models and datasets the site is built from. One typed file,
 * `babelscope.config.ts` at the project root, default-exports `defineConfig({...})`.
 */
import {resolve} from "node:path";
import {pathToFileURL} from "node:url";
import type {Dtype} from "../models/resolve.js";
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
  /** Parallel dataset the cross-lingual pages are computed on (default `udhr-heldout`). */
  parallel?: string;
  pooling?: Pooling;
  maxLength?: number;
}

export interface ResolvedConfig {
  models: Required<ModelEntry>[];
  parallel: string;
  pooling: Pooling;
  maxLength: number;
}

export function defineConfig(config: ProjectConfig): ResolvedConfig {
  return {
    models: config.models.map((entry) => (typeof entry === "string" ? {ref: entry, dtype: "fp32"} : {dtype: "fp32", ...entry})),
    parallel: config.parallel ?? "udhr-heldout",
    pooling: config.pooling ?? "mean",
    maxLength: config.maxLength ?? 256
  };
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
    throw new Error(`${path}: cannot load the project config (${(error as Error).message})`);
  }
  const config = module.default as Partial<ResolvedConfig> | undefined;
  if (!config || !Array.isArray(config.models) || typeof config.parallel !== "string") {
    throw new Error(`${path}: the default export must be defineConfig({models: [...], ...})`);
  }
  return config as ResolvedConfig;
}
