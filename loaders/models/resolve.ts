/**
 * Model references and their resolution to a folder in transformers.js layout
 * (`config.json`, `tokenizer.json`, `tokenizer_config.json`, and one ONNX graph: see `onnxFiles`).
 *
 * A reference is one of:
 * - `embedded:<name>`: a model that ships in the repo, `<root>/models/<name>`;
 * - a folder: absolute, `./` or `../` relative, or any existing directory (a folder wins over a
 *   hub id of the same spelling, as in transformers.js);
 * - a hub id `owner/name`, optionally `owner/name@revision` (branch, tag or commit).
 */
import {existsSync, statSync} from "node:fs";
import {readdir, readFile} from "node:fs/promises";
import {isAbsolute, join, resolve} from "node:path";
import type {Env} from "../config.js";
import {ModelError} from "./errors.js";
import {sha256File} from "../store/checksum.js";
import {fetchHubModel, hubFolderFiles, HubFileNotFound} from "./hub.js";

export type ModelSource = "embedded" | "local" | "hub";

/** Weight formats, by the file-name suffix that transformers.js and hub exports use. */
export const DTYPE_SUFFIX = {fp32: "", fp16: "_fp16", q8: "_quantized", int8: "_int8", uint8: "_uint8", q4: "_q4", q4f16: "_q4f16", bnb4: "_bnb4"} as const;
export type Dtype = keyof typeof DTYPE_SUFFIX;

export interface ModelRef {
  /** The reference as the user wrote it. */
  raw: string;
  source: ModelSource;
  /** Hub id, embedded name, or absolute folder. */
  id: string;
  /** Hub revision (`main` unless given). */
  revision?: string;
}

/** The fields of `config.json` that extraction relies on. */
export interface ModelConfig {
  model_type?: string;
  architectures?: string[];
  num_hidden_layers?: number;
  n_layers?: number;
  /** T5: the encoder's layer count. */
  num_layers?: number;
  hidden_size?: number;
  dim?: number;
  [key: string]: unknown;
}

export interface ResolvedModel extends ModelRef {
  dtype: Dtype;
  dir: string;
  /** The ONNX graph used, relative to `dir` (one of `onnxFiles(dtype)`). */
  onnx: string;
  onnxPath: string;
  config: ModelConfig;
  /** Relative path -> sha256 of every file that defines the model: part of every store's identity. */
  files: Record<string, string>;
}

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;
const REVISION = /^[\w.\/-]+$/;
/** Files every model folder needs besides its ONNX weights (transformers.js layout). */
export const REQUIRED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];
const OPTIONAL = ["special_tokens_map.json", "generation_config.json"];

export function parseModelRef(raw: string, env: Env): ModelRef {
  const ref = raw.trim();
  if (ref.startsWith("embedded:")) {
    const name = ref.slice("embedded:".length);
    if (!/^[\w.-]+$/.test(name)) throw new ModelError("invalid-ref", raw, `"${name}" is not an embedded model name`);
    return {raw, source: "embedded", id: name};
  }
  const local = resolve(ref);
  if (isAbsolute(ref) || ref.startsWith("./") || ref.startsWith("../") || isDirectory(local)) return {raw, source: "local", id: local};
  const [id, revision = "main", ...rest] = ref.split("@");
  if (HUB_ID.test(id) && REVISION.test(revision) && rest.length === 0) return {raw, source: "hub", id, revision};
  throw new ModelError("invalid-ref", raw, "not a model reference: expected owner/name[@revision], a folder, or embedded:<name>");
}

/**
 * The graphs a model folder may hold, by preference: a single graph (`model`); an encoder-decoder's
 * encoder (`encoder_model`: its hidden states represent the source text, and such repos also hold a
 * merged decoder); Optimum's merged decoder (`decoder_model_merged`, which older decoder-only
 * transformers.js repos ship instead of `model`).
 */
const ONNX_STEMS = ["model", "encoder_model", "decoder_model_merged"];

/** The ONNX files a folder may hold for a dtype, relative to it, in the order they are preferred. */
export function onnxFiles(dtype: Dtype): string[] {
  if (!(dtype in DTYPE_SUFFIX)) throw new Error(`unknown dtype "${dtype}": expected one of ${Object.keys(DTYPE_SUFFIX).join(", ")}`);
  return ONNX_STEMS.map((stem) => `onnx/${stem}${DTYPE_SUFFIX[dtype]}.onnx`);
}

/** The preferred ONNX file for a dtype, relative to the model folder. */
export function onnxFile(dtype: Dtype): string {
  return onnxFiles(dtype)[0];
}

/** The first of `onnxFiles(dtype)` that folder `dir` has, if any. */
export function findOnnxFile(dir: string, dtype: Dtype): string | undefined {
  return onnxFiles(dtype).find((file) => existsSync(join(dir, file)));
}

/** One line: which ONNX files were looked for in `dir`, and which it has. */
async function noOnnxFile(dir: string, dtype: Dtype): Promise<string> {
  const [first, ...others] = onnxFiles(dtype);
  const present = (await readdir(join(dir, "onnx")).catch(() => undefined))?.filter((name) => name.endsWith(".onnx")).sort();
  const has = present === undefined ? "there is no onnx/ folder" : present.length ? `onnx/ has ${present.join(", ")}` : "onnx/ has no .onnx file";
  return `missing ${first} in ${dir} (and its alternatives ${others.join(", ")}); ${has}`;
}

/** Finds (or downloads) a model's folder and fingerprints its files. Throws ModelError. */
export async function resolveModel(raw: string, env: Env, dtype: Dtype = "fp32"): Promise<ResolvedModel> {
  const ref = parseModelRef(raw, env);
  const candidates = onnxFiles(dtype);
  let dir: string;
  let files: Record<string, string>;
  let onnx: string | undefined;
  if (ref.source === "hub") {
    // A 404 for every graph of the dtype lists the dtypes the repository has.
    const wanted = {required: REQUIRED_FILES, optional: OPTIONAL, oneOf: candidates};
    ({dir, files} = await fetchHubModel(env, ref.id, ref.revision!, wanted).catch(async (error: unknown) => {
      throw error instanceof HubFileNotFound && candidates.includes(error.file) ? await missingDtype(env, ref, dtype) : error;
    }));
    onnx = candidates.find((file) => file in files)!;
  } else {
    dir = ref.source === "embedded" ? join(env.modelsDir, ref.id) : ref.id;
    if (!isDirectory(dir)) {
      const hint = ref.source === "embedded" ? `no folder ${dir}` : "no such folder";
      throw new ModelError("not-found", raw, hint);
    }
    onnx = findOnnxFile(dir, dtype);
    if (!onnx) throw new ModelError("not-found", raw, await noOnnxFile(dir, dtype));
    // Weights over 2 GB are external data beside the graph (transformers.js: `use_external_data_format`).
    files = await hashFolderFiles(raw, dir, [...REQUIRED_FILES, onnx], [...OPTIONAL, `${onnx}_data`]);
  }
  const config = JSON.parse(await readFile(join(dir, "config.json"), "utf8")) as ModelConfig;
  return {...ref, dtype, dir, onnx, onnxPath: join(dir, onnx), config, files};
}

/** A hub model without a dtype's weights: the dtypes it has, from the hub's listing of its `onnx/` folder. */
async function missingDtype(env: Env, ref: ModelRef, dtype: Dtype): Promise<ModelError> {
  const listed = await hubFolderFiles(env, ref.id, ref.revision!, "onnx");
  const dtypes = listed && (Object.keys(DTYPE_SUFFIX) as Dtype[]).filter((other) => onnxFiles(other).some((file) => listed.includes(file)));
  const found = dtypes ? `these dtypes exist: ${dtypes.join(", ") || "none"}` : `the hub does not list its onnx/ folder`;
  const where = ref.revision === "main" ? ref.id : `${ref.id}@${ref.revision}`;
  return new ModelError("not-found", ref.raw, `no ONNX weights for dtype ${dtype} in ${where} (none of ${onnxFiles(dtype).join(", ")}); ${found}`);
}

async function hashFolderFiles(raw: string, dir: string, required: string[], optional: string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of [...required, ...optional]) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      if (required.includes(file)) throw new ModelError("not-found", raw, `missing ${file} in ${dir} (expected transformers.js layout)`);
      continue;
    }
    files[file] = await sha256File(path);
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
