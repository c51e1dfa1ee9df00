/**
 * The report several slow tests read: `babelscope build` of tests/fixtures/report.config.ts, run
 * as a user runs it, into a folder outside the repository. Its stores, analyses and site are
 * content-addressed (stores and results by the hashes of their inputs, the site by the fingerprint
 * of everything it is made from), so the first test file to ask builds it, and every later ask (in
 * this run or a later one) is a rebuild that reuses exactly what is still valid and takes seconds.
 * Test files running at once are serialised by `babelscope build` itself, which waits for another
 * build of the same work folder and then reuses its results. `BABELSCOPE_TEST_CACHE` moves
 * the folder; deleting it starts over.
 */
import {execFile} from "node:child_process";
import {readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import {envFrom, type Env} from "../../loaders/config.js";
import {loadConfig, type ResolvedConfig} from "../../loaders/project/config.js";
import {PAGE_DATASETS, type PageDataset} from "../../loaders/pipeline/model-pages.js";
import {findStore, type Store} from "../../loaders/store/store.js";

export interface SharedReport {
  /** The environment `babelscope build` ran with: BABELSCOPE_WORK, _STORES, _DIST, _CACHE, _HUB, _CONFIG. */
  vars: Record<string, string>;
  env: Env;
  config: ResolvedConfig;
  /** What this file's build printed on stdout (its summary). */
  summary: string;
  /** Per configured model, as the build recorded it: status, reason, store hashes (in PAGE_DATASETS order). */
  models: {ref: string; status: "analysed" | "skipped" | "failed"; reason?: string; stores: string[]}[];
}

const DIR = resolve(process.env.BABELSCOPE_TEST_CACHE || join(tmpdir(), "babelscope-test-report"));
const CONFIG = resolve("tests/fixtures/report.config.ts");
const VARS = {
  BABELSCOPE_WORK: join(DIR, "work"),
  BABELSCOPE_STORES: join(DIR, "stores"),
  BABELSCOPE_DIST: join(DIR, "dist"),
  BABELSCOPE_CACHE: join(DIR, "cache"),
  // No hub on any test machine: the configured hub model is skipped alike everywhere.
  BABELSCOPE_HUB: "http://127.0.0.1:9",
  BABELSCOPE_CONFIG: CONFIG
};

let built: Promise<SharedReport> | undefined;

/** The shared report, built (or checked up to date) once per test file. */
export function sharedReport(): Promise<SharedReport> {
  built ??= (async () => {
    const started = Date.now();
    const {stdout} = await promisify(execFile)(process.execPath, [resolve("bin/babelscope.js"), "build"], {env: {...process.env, CI: "1", ...VARS}, maxBuffer: 64 << 20})
      .catch((error: {stdout?: string; stderr?: string; message: string}) => {
        throw new Error(`the shared test report failed to build: ${error.stderr?.trim().split("\n").pop() ?? error.message}\n${error.stdout ?? ""}`);
      });
    process.stderr.write(`[report] babelscope build in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const inputs = JSON.parse(readFileSync(join(VARS.BABELSCOPE_WORK, "site-inputs.json"), "utf8"));
    return {vars: VARS, env: envFrom(VARS), config: await loadConfig(CONFIG), summary: stdout, models: inputs.models};
  })();
  return built;
}

/** A complete store of the shared report. */
export async function reportStore(ref: string, dataset: PageDataset): Promise<Store> {
  const report = await sharedReport();
  const model = report.models.find((m) => m.ref === ref);
  if (model?.status !== "analysed") throw new Error(`${ref} was not analysed in the shared report: ${model?.reason ?? "not configured"}`);
  const hash = model.stores[PAGE_DATASETS.indexOf(dataset)];
  const store = await findStore(report.env.storesDir, hash);
  if (!store) throw new Error(`store ${hash} of ${ref} (${dataset}) is missing from ${report.env.storesDir}`);
  return store;
}
