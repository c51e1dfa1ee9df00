/**
 * Where a configured model stands without loading or downloading it: available on disk, cached from
 * the hub, downloadable, or unusable (with the one-line reason).
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import type {Env} from "../config.js";
import {ModelError} from "./errors.js";
import {hubStatus} from "./hub.js";
import {type Dtype, findOnnxFile, onnxFiles, parseModelRef, REQUIRED_FILES} from "./resolve.js";

export interface ModelStatus {
  ref: string;
  source: string;
  state: "available" | "cached" | "downloadable" | "unusable";
  detail: string;
}

export async function modelStatus(ref: string, dtype: Dtype, env: Env): Promise<ModelStatus> {
  let parsed;
  try {
    parsed = parseModelRef(ref, env);
  } catch (error) {
    if (error instanceof ModelError) return {ref, source: "?", state: "unusable", detail: error.message};
    throw error;
  }
  if (parsed.source === "hub") {
    const status = await hubStatus(env, parsed.id, parsed.revision!, {required: REQUIRED_FILES, oneOf: onnxFiles(dtype)});
    return status === "cached" || status === "downloadable" ? {ref, source: "hub", state: status, detail: parsed.revision!} : {ref, source: "hub", state: "unusable", detail: status};
  }
  const dir = parsed.source === "embedded" ? join(env.modelsDir, parsed.id) : parsed.id;
  const missing = REQUIRED_FILES.filter((file) => !existsSync(join(dir, file)));
  if (!findOnnxFile(dir, dtype)) missing.push(onnxFiles(dtype).join(" or "));
  return missing.length ? {ref, source: parsed.source, state: "unusable", detail: `missing ${missing.join(", ")} in ${dir}`} : {ref, source: parsed.source, state: "available", detail: dir};
}
