/**
 * Extraction settings and their defaults, apart from the extraction code so that the CLI's help
 * and the project config can quote them without loading the ONNX stack.
 */
import type {Pooling} from "../types.js";
import {assertPooling} from "./pool.js";

/**
 * The code version of extraction, part of every store's identity: bump it with any change that
 * alters stored vectors (surgery, tokenisation, pooling), and only then.
 */
export const EXTRACTION_VERSION = 2;

export interface ExtractSettings {
  pooling: Pooling;
  /** Items longer than this many tokens are truncated (and reported as such). */
  maxLength: number;
  /** Items per forward pass; affects speed and memory, never the vectors. */
  batchSize: number;
  /** onnxruntime intra-op threads (default: its own choice). */
  threads?: number;
}

export const DEFAULT_SETTINGS: ExtractSettings = {pooling: "mean", maxLength: 512, batchSize: 32};

export function checkSettings(settings: ExtractSettings): void {
  assertPooling(settings.pooling);
  if (!(Number.isInteger(settings.maxLength) && settings.maxLength >= 2)) throw new Error(`max length must be an integer >= 2, got ${settings.maxLength}`);
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) throw new Error(`batch size must be a positive integer, got ${settings.batchSize}`);
}
