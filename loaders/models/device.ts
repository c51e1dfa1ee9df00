/**
 * Where onnxruntime runs a model: its execution provider. Kept apart from the session (and free of
 * onnxruntime imports) so that the project config and the CLI can check a device name without
 * loading the ONNX stack.
 *
 * onnxruntime-node ships the CPU provider (and, per platform, CoreML, DirectML or WebGPU) in its npm
 * package; the CUDA and TensorRT providers are shared libraries that its install script downloads,
 * which this project's `.npmrc` skips. A device the installed package cannot offer is refused before
 * any session opens, in one line that names what is missing.
 */
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {ModelError} from "./errors.js";

export const DEVICES = ["cpu", "cuda", "coreml", "dml", "webgpu"] as const;
export type Device = (typeof DEVICES)[number];

/** A provider onnxruntime-node knows of; `bundled: false` when its library is installed apart (CUDA, TensorRT). */
export interface Backend {
  name: string;
  bundled: boolean;
}

/**
 * The folder of onnxruntime-node's binding, where its install script puts the CUDA provider libraries.
 * Found on a check, not at import: the config and the CLI import this module for `DEVICES` alone.
 */
export const bindingDir = (): string => join(dirname(createRequire(import.meta.url).resolve("onnxruntime-node")), "..", "bin", "napi-v6", process.platform, process.arch);

/** What to install for a provider that is not bundled. */
const INSTALL_HINT = "install them with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (see README, \"Running on a GPU\")";

/** The provider's shared library as onnxruntime-node's install script places it, beside its binding. */
export function providerLibrary(device: Device, platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? `onnxruntime_providers_${device}.dll` : `libonnxruntime_providers_${device}.so`;
}

/**
 * Why onnxruntime-node cannot run on `device` here, in one line (after "device <name>: "), or undefined: the device is not
 * among `backends` (what `listSupportedBackends()` reports for this build and platform), or its
 * provider library is not in `bindingDir` (the folder of onnxruntime-node's binding).
 */
export function deviceProblem(device: Device, backends: readonly Backend[], bindingDir: string, version: string): string | undefined {
  const backend = backends.find((b) => b.name === device);
  if (!backend) {
    return `onnxruntime-node ${version} on ${process.platform}/${process.arch} has no ${device} execution provider (it offers ${backends.map((b) => b.name).join(", ")})`;
  }
  const library = providerLibrary(device);
  if (!backend.bundled && !existsSync(join(bindingDir, library))) {
    return `the ${device.toUpperCase()} libraries of onnxruntime-node ${version} are not installed (no ${library} in ${bindingDir}); ${INSTALL_HINT}`;
  }
  return undefined;
}

/**
 * Throws, in one line, when the installed onnxruntime-node cannot run on `device`: called before a
 * model is downloaded or opened, so nothing is spent on a run that cannot start. onnxruntime is
 * loaded only for another device than the CPU.
 */
export async function checkDevice(device: Device): Promise<void> {
  if (device === "cpu") return;
  const [ort, {ORT_VERSION}] = await Promise.all([import("onnxruntime-node"), import("./optimize.js")]);
  const problem = deviceProblem(device, ort.listSupportedBackends(), bindingDir(), ORT_VERSION);
  if (problem) throw new ModelError("unsupported", `device ${device}`, problem);
}
