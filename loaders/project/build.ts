/**
 * `babelscope build`: everything the site shows, computed once and incrementally, then the site.
 * For each configured model: its stores (PAGE_DATASETS: the parallel text as configured and at the
 * last token, the questions), then every analysis a page shows (PAGE_ANALYSES). Stores are keyed by the content hashes of the model files, the dataset,
 * the extraction settings and the extraction code's version; analyses by their store, the
 * settings they read and their code's version. So a rebuild computes only what changed, and a
 * model that fails is reported while the others build. Every write is atomic and extraction keeps
 * finished chunks, so an interrupted build resumes where it stopped.
 *
 * Builds of one project (one work folder) run one at a time: a second waits for the first (with one
 * line saying so), then finds its stores and results and reuses them. Waiting rather than failing,
 * because the second build is what the user asked for, typically after changing the config, and it
 * costs only what changed; Ctrl-C ends the wait as it ends a build.
 */
import {join} from "node:path";
import type {Env} from "../config.js";
import {withLock} from "../lock.js";
import type {AnalysisFile, AnalysisName} from "../report/analyze.js";
import {checkDevice} from "../models/device.js";
import {
  cachedAnalysis, checkLanguages, configuredModels, configuredPageDatasets, datasetStore, isolated, PAGE_ANALYSES, pageDatasetLabel, resolveConfiguredModel, type ConfiguredModel, type PageDataset
} from "../pipeline/model-pages.js";
import type {StoreProgress} from "../extract/to-store.js";
import type {ResolvedConfig} from "./config.js";
import {buildSite, type SiteOutcome} from "./site.js";
import {plural} from "../../components/format.js";
import {truncationNote} from "../store/truncation.js";

export interface StoreStep {
  dataset: PageDataset;
  hash: string;
  items: number;
  /** `extracted` includes items resumed from an interrupted run (counted in `resumedItems`). */
  outcome: "extracted" | "reused";
  resumedItems: number;
  seconds: number;
}

export interface AnalysisStep {
  dataset: PageDataset;
  analysis: AnalysisName;
  /** The analysis's file minus its result: what identifies it. */
  key: Omit<AnalysisFile, "result" | "skipped" | "model" | "dataset">;
  outcome: "computed" | "reused";
  seconds: number;
}

export interface ModelBuild {
  ref: string;
  slug: string;
  status: "analysed" | "skipped" | "failed";
  reason?: string;
  stores: StoreStep[];
  analyses: AnalysisStep[];
  seconds: number;
}

export interface BuildSummary {
  models: ModelBuild[];
  site: SiteOutcome | {status: "not requested"};
  seconds: number;
}

/** What the build reports while it runs; the CLI draws bars and lines, tests collect. */
export interface BuildReporter {
  line(text: string): void;
  /** Progress of one extraction; `finish` is called once it is done (or reused). */
  extraction(label: string): {update(progress: StoreProgress): void; finish(message: string): void};
}

export interface BuildOptions {
  /** The config file the site step hands to Framework's loaders. */
  configFile: string;
  /** Build dist/ after the analyses (default true). */
  site?: boolean;
  reporter?: BuildReporter;
}

const QUIET: BuildReporter = {line: () => {}, extraction: () => ({update: () => {}, finish: () => {}})};

/** The lock file held while a project builds. */
export function buildLockPath(env: Env): string {
  return join(env.workDir, "build.lock");
}

export async function build(config: ResolvedConfig, env: Env, options: BuildOptions): Promise<BuildSummary> {
  const reporter = options.reporter ?? QUIET;
  return withLock(buildLockPath(env), `the build of ${env.workDir}`, () => buildUnlocked(config, env, options, reporter), {wait: true, onWait: reporter.line});
}

async function buildUnlocked(config: ResolvedConfig, env: Env, options: BuildOptions, reporter: BuildReporter): Promise<BuildSummary> {
  const started = Date.now();
  await checkLanguages(config);
  const models: ModelBuild[] = [];
  const entries = configuredModels(config);
  for (const [i, entry] of entries.entries()) {
    reporter.line(`model ${i + 1}/${entries.length}: ${entry.ref}`);
    models.push(await buildModel(config, env, entry, reporter));
  }
  let site: BuildSummary["site"] = {status: "not requested"};
  if (options.site ?? true) {
    site = await buildSite(env, options.configFile, siteInputs(config, models), reporter.line);
    reporter.line(`site: ${site.status === "failed" ? site.reason : `${site.status} (${site.seconds.toFixed(1)} s)`}`);
  }
  return {models, site, seconds: (Date.now() - started) / 1000};
}

/** One model: resolved (and its files hashed) once, then each page dataset's store and analyses. */
async function buildModel(config: ResolvedConfig, env: Env, entry: ConfiguredModel, reporter: BuildReporter): Promise<ModelBuild> {
  const {ref, slug, device} = entry;
  const started = Date.now();
  const stores: StoreStep[] = [];
  const analyses: AnalysisStep[] = [];
  const unavailable = await isolated(ref, async () => {
    await checkDevice(device);
    const model = await resolveConfiguredModel(entry, env);
    for (const dataset of configuredPageDatasets(config)) {
      const source = pageDatasetLabel(config, dataset);
      const bar = reporter.extraction(`  extract ${source}`);
      const stepStarted = Date.now();
      const found = await datasetStore(config, env, model, dataset, bar.update, (line) => reporter.line(`  ${line}`)).catch((error: unknown) => {
        bar.finish("stopped");
        throw error;
      });
      const {manifest} = found.store;
      const step: StoreStep = {
        dataset, hash: manifest.hash, items: manifest.counts.items, outcome: found.reused ? "reused" : "extracted", resumedItems: found.resumedItems, seconds: (Date.now() - stepStarted) / 1000
      };
      stores.push(step);
      bar.finish(`${step.outcome} store ${manifest.hash} (${plural(manifest.counts.items, "item")}${found.resumedItems ? `, ${found.resumedItems} resumed` : ""}, ${step.seconds.toFixed(1)} s)`);
      // Cut texts are read only up to the cap: said here and on the overview, so no one reads them as whole.
      if (manifest.counts.truncated) reporter.line(`  note: ${truncationNote(manifest)}`);
      for (const {analysis, settings} of PAGE_ANALYSES.filter((a) => a.dataset === dataset)) {
        const analysisStarted = Date.now();
        const {file, reused, damaged} = await cachedAnalysis(found.store, analysis, {...config.analysis, ...settings}, env, () => {});
        if (damaged) reporter.line(`  warning: ${damaged}`);
        const seconds = (Date.now() - analysisStarted) / 1000;
        analyses.push({dataset, analysis, key: {analysis, version: file.version, store: file.store, settings: file.settings}, outcome: reused ? "reused" : "computed", seconds});
        const label = settings?.projection ? `${analysis} (${settings.projection})` : analysis;
        reporter.line(`  ${label} on ${source}: ${reused ? "reused" : `computed in ${seconds.toFixed(1)} s`}${file.skipped ? ` (does not apply: ${file.skipped})` : ""}`);
      }
    }
  }, (line) => reporter.line(`  ${line}`));
  const seconds = (Date.now() - started) / 1000;
  return unavailable ? {ref, slug, status: unavailable.status, reason: unavailable.reason, stores, analyses, seconds} : {ref, slug, status: "analysed", stores, analyses, seconds};
}

/** What the pages are computed from: it changes exactly when some page's data would. */
function siteInputs(config: ResolvedConfig, models: readonly ModelBuild[]): unknown {
  return {
    config,
    models: models.map(({ref, status, reason, stores, analyses}) => ({ref, status, reason, stores: stores.map((s) => s.hash), analyses: analyses.map((a) => a.key)}))
  };
}
