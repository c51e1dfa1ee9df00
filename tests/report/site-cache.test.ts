import {mkdir, mkdtemp, readdir, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {syncLoaderCache} from "../../loaders/report/site-cache.js";

let cache: string;
beforeAll(async () => {
  cache = join(await mkdtemp(join(tmpdir(), "babelscope-cache-")), "cache");
});
afterAll(() => rm(join(cache, ".."), {recursive: true, force: true}));

async function fillCache(): Promise<void> {
  await mkdir(join(cache, "data"), {recursive: true});
  await mkdir(join(cache, "models", "m"), {recursive: true});
  await mkdir(join(cache, "_node"), {recursive: true});
  await writeFile(join(cache, "data", "overview.json"), "{}");
  await writeFile(join(cache, "models", "m", "ranking.json"), "{}");
}

describe("syncLoaderCache", () => {
  test("syncLoaderCache keeps loader outputs while the config is unchanged and removes them when it changes", async () => {
    await fillCache();
    expect(await syncLoaderCache(cache, {models: ["a"]})).toBe(false); // first stamp: nothing to compare with
    await fillCache();
    expect(await syncLoaderCache(cache, {models: ["a"]})).toBe(false);
    expect((await readdir(cache)).sort()).toEqual(["_node", "babelscope-config.json", "data", "models"]);
    expect(await syncLoaderCache(cache, {models: ["a", "b"]})).toBe(true);
    // Loader outputs are gone; Framework's own bundles (_node) stay.
    expect((await readdir(cache)).sort()).toEqual(["_node", "babelscope-config.json"]);
  });
});
