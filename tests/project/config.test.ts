import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {configPath, defineConfig, loadConfig} from "../../loaders/project/config.js";
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
      models: [{ref: "embedded:x", dtype: "fp32"}, {ref: "a/b", dtype: "q8"}], parallel: "udhr-heldout", questions: "questions", languages: null,
      pooling: "mean", maxLength: 256, batchSize: 32, analysis: DEFAULT_ANALYZE_SETTINGS
    });
  });

  test("defineConfig merges analysis settings over the defaults", () => {
    const config = defineConfig({models: [], analysis: {c: 0.5, layers: {from: 1, to: 2}}, threads: 1});
    expect(config.analysis).toEqual({...DEFAULT_ANALYZE_SETTINGS, c: 0.5, layers: {from: 1, to: 2}});
    expect(config.threads).toBe(1);
  });

  test("defineConfig rejects unknown keys and a language list without the baseline, in one line", () => {
    expect(() => defineConfig({models: [], modles: []} as never)).toThrow(/^unknown config "modles" \(known: models, parallel/);
    expect(() => defineConfig({models: [], analysis: {cc: 1} as never})).toThrow(/^unknown analysis setting "cc" \(known: baseline, /);
    expect(() => defineConfig({models: [], languages: ["fra", "deu"]})).toThrow('languages must include the baseline "eng"');
    expect(defineConfig({models: [], languages: ["fra"], analysis: {baseline: "fra"}}).languages).toEqual(["fra"]);
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

  test("loadConfig names the file when it is missing or exports something else", async () => {
    await expect(loadConfig(join(dir, "missing.ts"))).rejects.toThrow(`${join(dir, "missing.ts")}: cannot load the project config`);
    const path = join(dir, "bad.config.ts");
    await writeFile(path, "export default {models: 'embedded:m'};\n");
    await expect(loadConfig(path)).rejects.toThrow(`${path}: the default export must be defineConfig({models: [...], ...})`);
  });
});
