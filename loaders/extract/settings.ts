/**
 * Extraction settings and their defaults, apart from the extraction code so that the CLI's help
 * and the project config can quote them without loading the ONNX stack.
 */
import {DEVICES, type Device} from "../models/device.js";
import type {ResolvedModel} from "../models/resolve.js";
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
  /** onnxruntime's execution provider (default cpu); part of the store's identity when not the CPU (see StoreInputs). */
  device?: Device;
}

export const DEFAULT_SETTINGS: ExtractSettings = {pooling: "mean", maxLength: 512, batchSize: 32};

function checkSettings(settings: ExtractSettings): void {
  assertPooling(settings.pooling);
  if (!(Number.isInteger(settings.maxLength) && settings.maxLength >= 2)) throw new Error(`max length must be an integer >= 2, got ${settings.maxLength}`);
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) throw new Error(`batch size must be a positive integer, got ${settings.batchSize}`);
  if (settings.device !== undefined && !DEVICES.includes(settings.device)) throw new Error(`device must be one of ${DEVICES.join(", ")}, got ${settings.device}`);
}

/** The device a store records and is named by: none for the CPU (see StoreInputs.device). */
export function storedDevice(settings: ExtractSettings): Exclude<Device, "cpu"> | undefined {
  return settings.device === "cpu" ? undefined : settings.device;
}

/** RoBERTa-style position ids start after the padding id, so the first pad_token_id + 1 positions are never used for tokens. */
const PADDING_OFFSET_TYPES = new Set(["roberta", "xlm-roberta", "camembert", "xlm-roberta-xl"]);

/**
 * The longest input the model has positions for (learned position embeddings cannot go beyond
 * them, and a longer input fails inside onnxruntime), or undefined when its config does not say.
 */
export function positionLimit(config: ResolvedModel["config"]): number | undefined {
  const positions = config.max_position_embeddings;
  if (typeof positions !== "number") return undefined;
  const offset = PADDING_OFFSET_TYPES.has(config.model_type ?? "") && typeof config.pad_token_id === "number" ? config.pad_token_id + 1 : 0;
  return positions - offset;
}

/**
 * The settings checked, with maxLength capped at the model's position limit: what every
 * extraction of this model runs with, and what a store records and is named by.
 */
export function settingsFor(model: ResolvedModel, settings: ExtractSettings): ExtractSettings {
  checkSettings(settings);
  const limit = positionLimit(model.config);
  return limit !== undefined && limit < settings.maxLength ? {...settings, maxLength: limit} : settings;
}

/** New tokens of a greedy answer to a knowledge question (as the embedded model's card measures). */
export const DEFAULT_NEW_TOKENS = 10;

/** A dataset's questions rendered in a model's chat template are another dataset, named with this suffix. */
const CHAT_TEMPLATE_SUFFIX = "+chat-template";

export function chatTemplateDatasetName(name: string): string {
  return `${name}${CHAT_TEMPLATE_SUFFIX}`;
}

export function isChatTemplateDataset(name: string): boolean {
  return name.endsWith(CHAT_TEMPLATE_SUFFIX);
}
