import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {configPath, defineConfig, loadConfig} from "../../loaders/project/config.js";

let dir: string;
const configModule = join(import.meta.dirname, "..", "..", "loaders", "project", "config.ts");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "babelscope-config-"));
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe("defineConfig", () => {
  test("defineConfig fills defaults and turns bare model strings into entries", () => {
    expect(defineConfig({models: ["embedded:x", {ref: "a/b", dtype: "q8"}]})).toEqual({
      models: [{ref: "embedded:x", dtype: "fp32"}, {ref: "a/b", dtype: "q8"}], parallel: "udhr-heldout", pooling: "mean", maxLength: 256
    });
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
    await writeFile(path, `import {defineConfig} from ${JSON.stringify(configModule)};\nexport default defineConfig({models: ["embedded:m"], maxLength: 64});\n`);
    expect(await loadConfig(path)).toMatchObject({models: [{ref: "embedded:m"}], maxLength: 64});
  });

  test("loadConfig names the file when it is missing or exports something else", async () => {
    await expect(loadConfig(join(dir, "missing.ts"))).rejects.toThrow(`${join(dir, "missing.ts")}: cannot load the project config`);
    const path = join(dir, "bad.config.ts");
    await writeFile(path, "export default {models: 'embedded:m'};\n");
    await expect(loadConfig(path)).rejects.toThrow(`${path}: the default export must be defineConfig({models: [...], ...})`);
  });
});
