/**
 * onnxruntime's own graph optimisations (node fusions, constant folding), applied once when a
 * surgered model is cached rather than every time a session opens it. A session opens the saved
 * graph faster (MiniLM-sized encoder: 146-290 ms against 238-513 ms, 8 alternating opens) and
 * computes bit for bit what it computes from the unsaved graph.
 *
 * A graph whose weights are external data (`model.onnx` + `model.onnx_data`, as every export over
 * protobuf's 2 GB limit must be) is saved the same way: onnxruntime writes its initializers to a data
 * file beside the saved graph (`<file>.onnx_data`), so the saved protobuf holds none of them.
 */
import {fromBinary, toBinary} from "@bufbuild/protobuf";
import {existsSync} from "node:fs";
import {readFile, rename, rm, writeFile} from "node:fs/promises";
import {basename} from "node:path";
import {ModelProtoSchema} from "onnx-buf";
import * as ort from "onnxruntime-node";
import {TEMP_SUFFIX} from "../write-atomic.js";

/** Saved graphs hold onnxruntime's contrib ops, so they are cached per onnxruntime version. */
export const ORT_VERSION = ort.env.versions.node ?? ort.env.versions.common;

/** The external data file that `writeOptimized` writes beside a graph saved with external data. */
export const externalDataPath = (path: string): string => `${path}_data`;

export interface OptimizeOptions {
  /** Save the initializers to `externalDataPath(path)` instead of into the protobuf (for a graph whose weights are external data). */
  externalData?: boolean;
}

/**
 * Writes `graph` to `path` atomically, as onnxruntime optimised it; as it is when onnxruntime cannot
 * load or save it, so that opening it reports the problem. Returns whether the graph was optimised.
 * Saved at the "extended" level: "all" adds layout changes specific to this CPU (onnxruntime warns),
 * which every session still makes when it opens the graph. With `externalData`, the data file is
 * renamed into place before the graph that names it.
 */
export async function writeOptimized(path: string, graph: Uint8Array, options: OptimizeOptions = {}): Promise<boolean> {
  const plain = `${path}.${process.pid}.plain${TEMP_SUFFIX}`;
  const optimized = `${path}.${process.pid}${TEMP_SUFFIX}`;
  // onnxruntime writes the data file beside the saved graph, under the name it is given.
  const data = `${path}.${process.pid}.data${TEMP_SUFFIX}`;
  // Next to the original: relative paths to external data files resolve from there.
  await writeFile(plain, graph);
  try {
    const extra = options.externalData ? {extra: {session: {optimized_model_external_initializers_file_name: basename(data)}}} : {};
    const session = await ort.InferenceSession.create(plain, {graphOptimizationLevel: "extended", optimizedModelFilePath: optimized, ...extra});
    await session.release();
    // No data file when every initializer is small (onnxruntime keeps those in the protobuf).
    if (options.externalData && existsSync(data)) {
      await writeFile(optimized, relocateExternalData(await readFile(optimized), basename(data), basename(externalDataPath(path))));
      await rename(data, externalDataPath(path));
    }
    await rename(optimized, path);
    return true;
  } catch {
    await rename(plain, path);
    return false;
  } finally {
    await Promise.all([plain, optimized, data].map((file) => rm(file, {force: true})));
  }
}

/** The graph with every initializer stored in external file `from` pointed at file `to` instead. */
function relocateExternalData(graph: Uint8Array, from: string, to: string): Uint8Array {
  const model = fromBinary(ModelProtoSchema, graph);
  for (const tensor of model.graph?.initializer ?? []) {
    for (const entry of tensor.externalData) if (entry.key === "location" && entry.value === from) entry.value = to;
  }
  return toBinary(ModelProtoSchema, model);
}
