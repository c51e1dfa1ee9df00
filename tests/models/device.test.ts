/**
 * Execution providers: the device reaches onnxruntime's session options, a device the installed
 * onnxruntime-node cannot offer is refused in one line naming what is missing, and a store made on
 * another device than the CPU is another store. There is no GPU here: the pass-through is checked
 * on the options onnxruntime receives, and the refusals on this machine's onnxruntime-node (whose
 * CUDA libraries the project's .npmrc leaves out).
 */
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import * as ort from "onnxruntime-node";
import {afterEach, describe, expect, it, vi} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {storeInputs} from "../../loaders/extract/to-store.js";
import {bindingDir, deviceProblem, providerLibrary} from "../../loaders/models/device.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {LayerModel, sessionOptions} from "../../loaders/models/session.js";
import {ORT_VERSION} from "../../loaders/models/optimize.js";
import {storeHash} from "../../loaders/store/store.js";
import {runCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {testItems, writeItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");
const TMP = tempDir("device");
const CUDA_INSTALLED = existsSync(join(bindingDir(), providerLibrary("cuda")));
const PLATFORM = `${process.platform}/${process.arch}`;

afterEach(() => vi.restoreAllMocks());

describe("deviceProblem", () => {
  const backends = [{name: "cpu", bundled: true}, {name: "webgpu", bundled: true}, {name: "cuda", bundled: false}];

  it("a device the build does not offer names the ones it does", () => {
    expect(deviceProblem("coreml", backends, TMP, "1.2.3")).toBe(`onnxruntime-node 1.2.3 on ${PLATFORM} has no coreml execution provider (it offers cpu, webgpu, cuda)`);
  });

  it("a provider installed apart (CUDA) whose library is missing names the file, the folder and how to install it", () => {
    const empty = join(TMP, "no-cuda");
    mkdirSync(empty, {recursive: true});
    expect(deviceProblem("cuda", backends, empty, "1.2.3")).toBe(
      `the CUDA libraries of onnxruntime-node 1.2.3 are not installed (no ${providerLibrary("cuda")} in ${empty}); install them with \`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node\` (see README, "Running on a GPU")`
    );
    const installed = join(TMP, "cuda");
    mkdirSync(installed, {recursive: true});
    writeFileSync(join(installed, providerLibrary("cuda")), "");
    expect(deviceProblem("cuda", backends, installed, "1.2.3")).toBeUndefined();
  });

  it("a bundled provider is not looked for on disk", () => {
    expect(deviceProblem("webgpu", backends, join(TMP, "nowhere"), "1.2.3")).toBeUndefined();
  });
});

describe("the device in onnxruntime's session", () => {
  it("sessionOptions lists the device as the execution provider, and none for the CPU (onnxruntime's default)", () => {
    expect(sessionOptions(2, "cuda").executionProviders).toEqual(["cuda"]);
    expect(sessionOptions(2, "webgpu")).toMatchObject({intraOpNumThreads: 2, executionProviders: ["webgpu"]});
    expect(sessionOptions(2).executionProviders).toBeUndefined();
    expect(sessionOptions(2, "cpu").executionProviders).toBeUndefined();
  });

  it("LayerModel.load hands the device to onnxruntime, and says in one line when onnxruntime cannot open the model there", async () => {
    const create = vi.spyOn(ort.InferenceSession, "create").mockRejectedValue(new Error("Failed to get a WebGPU adapter\nmore detail"));
    const error = await LayerModel.load(join(TINY_BERT, "onnx/model.onnx"), {device: "webgpu"}).catch((e: unknown) => e);
    expect(create.mock.calls.at(-1)![1]).toMatchObject({executionProviders: ["webgpu"]});
    expect((error as Error).message).toMatch(/: onnxruntime cannot load the model on device webgpu: Failed to get a WebGPU adapter$/);
  });

  it.skipIf(CUDA_INSTALLED)("LayerModel.load on cuda without its libraries is refused before any session, in one line naming the missing library", async () => {
    const create = vi.spyOn(ort.InferenceSession, "create");
    const error = await LayerModel.load(join(TINY_BERT, "onnx/model.onnx"), {device: "cuda"}).catch((e: unknown) => e);
    expect(create).not.toHaveBeenCalled();
    expect((error as Error).message).toBe(
      `device cuda: the CUDA libraries of onnxruntime-node ${ORT_VERSION} are not installed (no ${providerLibrary("cuda")} in ${bindingDir()}); install them with \`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node\` (see README, "Running on a GPU")`
    );
  });

  it.skipIf(process.platform === "darwin" || process.platform === "win32")("LayerModel.load on a provider this platform's build lacks (coreml, dml) names what it offers", async () => {
    for (const device of ["coreml", "dml"] as const) {
      const error = await LayerModel.load(join(TINY_BERT, "onnx/model.onnx"), {device}).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(new RegExp(`^device ${device}: onnxruntime-node ${ORT_VERSION} on ${PLATFORM} has no ${device} execution provider \\(it offers cpu(, \\w+)*\\)$`));
    }
  });

  it("LayerModel.load on cpu (said or not) opens the model", async () => {
    const model = await LayerModel.load(join(TINY_BERT, "onnx/model.onnx"), {device: "cpu"});
    expect(model.numLayers).toBeGreaterThan(0);
    await model.dispose();
  });
});

describe("the device in a store's identity", () => {
  it("a store made on another device than the CPU has another hash; cpu, said or not, keeps the hash stores had before", async () => {
    const env = envFrom({BABELSCOPE_CACHE: join(TMP, "cache")});
    const model = await resolveModel(TINY_BERT, env);
    const dataset = await loadDataset(writeItems(join(TMP, "items.jsonl"), testItems(3)));
    const settings = {pooling: "mean", maxLength: 32, batchSize: 4} as const;
    const unsaid = storeHash(storeInputs(model, dataset, settings));
    expect(storeHash(storeInputs(model, dataset, {...settings, device: "cpu"}))).toBe(unsaid);
    // What the hash was made of before devices existed: the same inputs without the key.
    const {device: _, ...before} = storeInputs(model, dataset, settings);
    expect(storeHash(before)).toBe(unsaid);
    const cuda = storeHash(storeInputs(model, dataset, {...settings, device: "cuda"}));
    const webgpu = storeHash(storeInputs(model, dataset, {...settings, device: "webgpu"}));
    expect(new Set([unsaid, cuda, webgpu]).size).toBe(3);
  });
});

describe("--device on the command line", () => {
  it("extract --device with a name that is no device is a usage error (exit 2) listing the devices", async () => {
    const result = await runCli(["extract", "--model", TINY_BERT, "--input", "udhr-heldout", "--device", "gpu"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('babelscope: --device must be one of cpu, cuda, coreml, dml, webgpu, got "gpu"\n');
  });

  it.skipIf(CUDA_INSTALLED)("extract --device cuda without the CUDA libraries stops in one line that names them (exit 1), before the model is resolved", async () => {
    const input = writeItems(join(TMP, "cli-items.jsonl"), testItems(3));
    // A hub model on an unreachable hub: reaching it would be another error.
    const result = await runCli(["extract", "--model", "test-org/tiny-bert", "--input", input, "--device", "cuda", "--out", join(TMP, "stores")], {BABELSCOPE_CACHE: join(TMP, "cli-cache"), BABELSCOPE_HUB: "http://127.0.0.1:9"});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^babelscope: device cuda: the CUDA libraries of onnxruntime-node .* are not installed \(no libonnxruntime_providers_cuda\.so in .*\); install them with [^\n]*\n$/);
  });

  it.skipIf(CUDA_INSTALLED)("build --device cuda overrides the config's cpu, and each model fails in one line naming the missing libraries (exit 1)", async () => {
    const config = writeConfig(join(TMP, "cpu.config.mts"), {models: [TINY_BERT], device: "cpu", languages: ["eng", "fra"]});
    const result = await runCli(["build", "--config", config, "--no-site", "--device", "cuda"], {BABELSCOPE_STORES: join(TMP, "build-stores"), BABELSCOPE_WORK: join(TMP, "work")});
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${TINY_BERT}\\s+failed\\s+${TINY_BERT}: device cuda: the CUDA libraries of onnxruntime-node`));
  });
});
