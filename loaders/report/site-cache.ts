/**
 * Keeps Observable Framework's loader cache in step with the project config. `observable build`
 * serves a cached loader output whenever one exists (even a stale one), so after a model is added
 * to babelscope.config.ts the overview and comparison would still list the old models. When the
 * config (or Babelscope's version) differs from the one the cache was built with, the cached
 * outputs of the data loaders are removed; rerunning them is cheap, because the hidden-state stores
 * and their analysis results are cached by content hash and reused.
 */
import {mkdir, readFile, rm, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {canonicalJSON} from "../store/store.js";

const STAMP = "babelscope-config.json";
/** The cache folders holding loader outputs (src/data/*, src/models/[model]/*). */
const LOADER_OUTPUTS = ["data", "models"];

/** Returns true if the cached loader outputs were removed. */
export async function syncLoaderCache(cacheDir: string, fingerprint: unknown): Promise<boolean> {
  const stamp = canonicalJSON(fingerprint);
  const previous = await readFile(join(cacheDir, STAMP), "utf8").catch(() => null);
  if (previous === stamp) return false;
  for (const folder of LOADER_OUTPUTS) await rm(join(cacheDir, folder), {recursive: true, force: true});
  await mkdir(cacheDir, {recursive: true});
  await writeFile(join(cacheDir, STAMP), stamp);
  return previous !== null;
}
