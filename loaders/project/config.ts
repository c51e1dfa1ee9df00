/**
 * The project configuration: which models and datasets the site is built from. One typed file,
 * `babelscope.config.ts` at the project root, default-exports `defineConfig({...})`.
 */
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
