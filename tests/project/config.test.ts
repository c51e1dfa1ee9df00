import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {ConfigError, configPath, defineConfig, loadConfig, itemCap, loadProblem, modelLanguages, SAMPLE_VAR, withSampleOverride} from "../../loaders/project/config.js";
import {DEFAULT_ANALYZE_SETTINGS} from "../../loaders/report/analyze-settings.js";
import {writeConfig} from "../helpers/config-file.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "babelscope-config-"));
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe("defineConfig", () => {
  test("defineConfig fills defaults and turns bare model strings into entries", () => {
    expect(defineConfig({models: ["embedded:x", {ref: "a/b", dtype: "q8"}]})).toEqual({
      models: [{ref: "embedded:x", dtype: "fp32", device: "cpu"}, {ref: "a/b", dtype: "q8", device: "cpu"}], parallel: "udhr-heldout", questions: "questions", words: "words", languages: null,
      pooling: "mean", maxLength: 256, batchSize: 32, device: "cpu", analysis: DEFAULT_ANALYZE_SETTINGS, sample: null
    });
  });

  test("words: false turns the word pairs off (no store), a file or name replaces them, and anything else is refused", () => {
    expect(defineConfig({models: [], words: false}).words).toBeNull();
    expect(defineConfig({models: [], words: "my-pairs.jsonl"}).words).toBe("my-pairs.jsonl");
    expect(() => defineConfig({models: [], words: 3 as never})).toThrow(/^words /);
  });

  test("defineConfig gives every model the config's device unless the entry names its own", () => {
    const config = defineConfig({models: ["a/b", {ref: "c/d", device: "cpu"}], device: "cuda"});
    expect(config.models.map((model) => model.device)).toEqual(["cuda", "cpu"]);
    expect(config.device).toBe("cuda");
  });

  test("sample caps items per language; a bad cap is named by its key path, and $BABELSCOPE_MAX_ITEMS_PER_LANGUAGE overrides it", () => {
    expect(defineConfig({models: [], sample: {maxItemsPerLanguage: 50}}).sample).toEqual({maxItemsPerLanguage: 50});
    expect(() => defineConfig({models: [], sample: {maxItemsPerLanguage: 0}})).toThrow("sample.maxItemsPerLanguage must be an integer >= 1, got 0");
    expect(() => defineConfig({models: [], sample: {max: 5} as never})).toThrow('unknown key "sample.max" (known: maxItemsPerLanguage)');
    expect(() => defineConfig({models: [], sample: 5 as never})).toThrow("sample must be null (no cap) or {maxItemsPerLanguage}, got 5");
    const config = defineConfig({models: [], sample: {maxItemsPerLanguage: 50}});
    expect(withSampleOverride(config, {[SAMPLE_VAR]: "20"}).sample).toEqual({maxItemsPerLanguage: 20});
    expect(withSampleOverride(config, {}).sample).toEqual({maxItemsPerLanguage: 50});
    expect(() => withSampleOverride(config, {[SAMPLE_VAR]: "lots"})).toThrow(`${SAMPLE_VAR} must be an integer >= 1, got "lots"`);
  });

  test("one model configured at two dtypes: each entry has its own cap and languages", () => {
    const config = defineConfig({models: [{ref: "a/b", sample: {maxItemsPerLanguage: 3}}, {ref: "a/b", dtype: "q8", languages: ["eng", "fra"], sample: {maxItemsPerLanguage: 9}}]});
    expect([itemCap(config, "a/b", "fp32"), itemCap(config, "a/b", "q8")]).toEqual([3, 9]);
    expect([modelLanguages(config, "a/b", "fp32"), modelLanguages(config, "a/b", "q8")]).toEqual([null, ["eng", "fra"]]);
  });

  test("a model's own sample is its cap, in place of the config's; the environment's cap is every model's", () => {
    const config = defineConfig({models: ["embedded:x", {ref: "a/b", sample: {maxItemsPerLanguage: 3}}], sample: {maxItemsPerLanguage: 40}});
    expect([itemCap(config, "embedded:x"), itemCap(config, "a/b")]).toEqual([40, 3]);
    expect(itemCap(defineConfig({models: ["embedded:x", {ref: "a/b", sample: {maxItemsPerLanguage: 3}}]}), "embedded:x")).toBeUndefined();
    const overridden = withSampleOverride(config, {[SAMPLE_VAR]: "7"});
    expect([itemCap(overridden, "embedded:x"), itemCap(overridden, "a/b")]).toEqual([7, 7]);
    expect(() => defineConfig({models: [{ref: "a/b", sample: {maxItemsPerLanguage: -1}}]})).toThrow("models[0].sample.maxItemsPerLanguage must be an integer >= 1, got -1");
  });

  test("a model's own languages replace the config's for that model; each list is checked with its key path and must hold the baseline", () => {
    const config = defineConfig({models: ["embedded:x", {ref: "a/b", languages: ["eng", "fra"]}], languages: ["eng", "deu", "fra"]});
    expect([modelLanguages(config, "embedded:x"), modelLanguages(config, "a/b")]).toEqual([["eng", "deu", "fra"], ["eng", "fra"]]);
    expect(modelLanguages(defineConfig({models: ["embedded:x", {ref: "a/b", languages: ["eng"]}]}), "embedded:x")).toBeNull();
    expect(() => defineConfig({models: [{ref: "a/b", languages: ["fra", "deu"]}]})).toThrow('models[0].languages must include the baseline "eng"');
    expect(() => defineConfig({models: [{ref: "a/b", languages: ["fra"]}], analysis: {baseline: "deu"}})).toThrow('models[0].languages must include the baseline "deu"');
    expect(() => defineConfig({models: ["embedded:x", {ref: "a/b", languages: ["eng", ""]}]})).toThrow('models[1].languages[1] must be a non-empty string, got ""');
    expect(() => defineConfig({models: [{ref: "a/b", languages: "eng" as never}]})).toThrow('models[0].languages must be a list of language codes, got "eng"');
  });

  test("defineConfig merges analysis settings over the defaults", () => {
    const config = defineConfig({models: [], analysis: {c: 0.5, layers: {from: 1, to: 2}}, threads: 1});
    expect(config.analysis).toEqual({...DEFAULT_ANALYZE_SETTINGS, c: 0.5, layers: {from: 1, to: 2}});
    expect(config.threads).toBe(1);
  });

  test("defineConfig rejects unknown keys and a language list without the baseline, in one line", () => {
    expect(() => defineConfig({models: [], modles: []} as never)).toThrow(/^unknown key "modles" \(known: models, parallel, .*\)$/);
    expect(() => defineConfig({models: [], analysis: {cc: 1} as never})).toThrow(/^unknown key "analysis\.cc" \(known: baseline, .*\)$/);
    expect(() => defineConfig({models: [], languages: ["fra", "deu"]})).toThrow('languages must include the baseline "eng"');
    expect(defineConfig({models: [], languages: ["fra"], analysis: {baseline: "fra"}}).languages).toEqual(["fra"]);
  });

  test("defineConfig lists every wrong value with its key path and the values it accepts, in one line", () => {
    const config = {
      models: ["embedded:x", {ref: "a/b", dtype: "f32"}, 7, {dtype: "q8"}, {ref: "a/c", device: "gpu"}],
      maxLength: "abc", batchSize: 0, threads: 1.5, device: "tpu", pooling: "max", languages: "eng", parallel: "",
      analysis: {seed: "x", layers: {from: 4, to: 2}, resamples: -1, confidence: 1, c: 0, folds: 1, projection: "tsne", umap: {neighbors: 1, metric: "l1"}, tokenizers: ["model", "gpt2"]}
    };
    const problems = [
      'models[1].dtype must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got "f32"',
      "models[2] must be a model reference or {ref, dtype, device, sample, languages}, got 7",
      "models[3].ref must be a non-empty string, got undefined",
      'models[4].device must be one of cpu, cuda, coreml, dml, webgpu, got "gpu"',
      'parallel must be a non-empty string, got ""',
      'languages must be a list of language codes, got "eng"',
      'pooling must be one of mean, last, first, got "max"',
      'maxLength must be an integer >= 2, got "abc"',
      "batchSize must be an integer >= 1, got 0",
      "threads must be an integer >= 1, got 1.5",
      'device must be one of cpu, cuda, coreml, dml, webgpu, got "tpu"',
      "analysis.layers is empty: from 4 is after to 2",
      'analysis.seed must be an integer, got "x"',
      "analysis.resamples must be an integer >= 1, got -1",
      "analysis.confidence must be a number between 0 and 1 (exclusive), got 1",
      "analysis.c must be a positive number, got 0",
      "analysis.folds must be an integer >= 2, got 1",
      'analysis.projection must be one of pca, umap, got "tsne"',
      "analysis.umap: neighbors must be an integer >= 2, got 1",
      'analysis.umap: unknown metric "l1" (choose one of euclidean, cosine)',
      'analysis.tokenizers[1] must be one of model, qwen3, gemma3, llama3, got "gpt2"'
    ];
    expect(() => defineConfig(config as never)).toThrow(new ConfigError(problems.join("; ")));
  });

  test("defineConfig checks nested shapes: layers, UMAP options and model entries name their keys", () => {
    const message = (config: unknown) => {
      try {
        defineConfig(config as never);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a ConfigError");
    };
    expect(message({models: "embedded:x"})).toBe('models must be a list of model references, got "embedded:x"');
    expect(message({models: [{ref: "a/b", dtyp: "q8"}]})).toBe('unknown key "models[0].dtyp" (known: ref, dtype, device, sample, languages)');
    expect(message({models: [], analysis: {layers: 3}})).toBe("analysis.layers must be null (every layer) or {from, to}, got 3");
    expect(message({models: [], analysis: {layers: {from: 1}}})).toBe("analysis.layers.to must be an integer >= 0, got undefined");
    expect(message({models: [], analysis: {umap: {epoch: 5}}})).toMatch(/^unknown key "analysis\.umap\.epoch" \(known: neighbors, minDist, epochs, /);
    expect(message({models: [], languages: ["eng", 3]})).toBe("languages[1] must be a non-empty string, got 3");
    expect(message({models: [], analysis: "fast"})).toBe('analysis must be an object of settings, got "fast"');
    expect(message(null)).toBe("the config must be an object ({models: [...], ...}), got null");
    expect(defineConfig({models: [], analysis: {layers: null, umap: {neighbors: 5, metric: "cosine"}}}).analysis.umap).toEqual({neighbors: 5, metric: "cosine"});
  });
});

describe("configPath / loadConfig", () => {
  test("configPath is the root's babelscope.config.ts unless BABELSCOPE_CONFIG names another file", () => {
    expect(configPath("/p", {})).toBe("/p/babelscope.config.ts");
    expect(configPath("/p", {BABELSCOPE_CONFIG: "tests/site.config.ts"})).toBe("/p/tests/site.config.ts");
    expect(configPath("/p", {BABELSCOPE_CONFIG: "/abs/c.ts"})).toBe("/abs/c.ts");
  });

  test("loadConfig imports a config file's defineConfig result", async () => {
    const path = join(dir, "good.config.ts");
    writeConfig(path, {models: ["embedded:m"], maxLength: 64});
    expect(await loadConfig(path)).toMatchObject({models: [{ref: "embedded:m"}], maxLength: 64});
  });

  test("loadConfig with BABELSCOPE_DEVICE (what build --device sets) runs every model on it; a device that is none is one line", async () => {
    const path = writeConfig(join(dir, "devices.config.ts"), {models: ["embedded:m", {ref: "a/b", device: "cpu"}], device: "dml"});
    const config = await loadConfig(path, {BABELSCOPE_DEVICE: "cuda"});
    expect([config.device, ...config.models.map((model) => model.device)]).toEqual(["cuda", "cuda", "cuda"]);
    expect((await loadConfig(path, {})).models.map((model) => model.device)).toEqual(["dml", "cpu"]);
    await expect(loadConfig(path, {BABELSCOPE_DEVICE: "gpu"})).rejects.toThrow('BABELSCOPE_DEVICE must be one of cpu, cuda, coreml, dml, webgpu, got "gpu"');
  });

  test("loadConfig names the file when it is missing or exports something else", async () => {
    await expect(loadConfig(join(dir, "missing.ts"))).rejects.toThrow(`${join(dir, "missing.ts")}: cannot load the project config`);
    const path = join(dir, "bad.config.ts");
    await writeFile(path, "export default {models: 'embedded:m'};\n");
    await expect(loadConfig(path)).rejects.toThrow(`${path}: the default export must be defineConfig({models: [...], ...})`);
  });

  test("loadConfig names the file before the problems defineConfig found while the file was imported", async () => {
    const path = writeConfig(join(dir, "typed.config.mts"), {models: [{ref: "a/b", dtype: "f32"}], analysis: {seed: "x"}});
    await expect(loadConfig(path)).rejects.toThrow(new Error(`${path}: models[0].dtype must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got "f32"; analysis.seed must be an integer, got "x"`));
  });

  // The CLI imports the config through tsx, vitest through its own transformer, so tsx's error is
  // taken as tsx gives it (tests/faults/input.test.ts runs the CLI on a broken file).
  test("loadProblem turns tsx's syntax error into file:line:column (1-based, as editors count) and one line", () => {
    const tsx = (file: string) => Object.assign(new Error(`Transform failed with 1 error:\n${file}:3:16: ERROR: Expected identifier but found ","`), {name: "TransformError"});
    // tsx names a .mts file as .ts.
    expect(loadProblem(tsx("/p/babelscope.config.ts"), "/p/babelscope.config.mts")).toBe('/p/babelscope.config.mts:3:17: Expected identifier but found ","');
    expect(loadProblem(tsx("/p/helper.ts"), "/p/babelscope.config.ts")).toBe('/p/helper.ts:3:17: Expected identifier but found ","');
    expect(loadProblem(new Error("Cannot find module 'x'\nRequire stack: ..."), "/p/c.ts")).toBe("/p/c.ts: cannot load the project config (Cannot find module 'x')");
  });
});
