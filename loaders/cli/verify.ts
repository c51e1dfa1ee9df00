/**
 * `babelscope verify [--repair]`: checks every file Babelscope would serve from a cache, reading
 * all of it: each store (manifest, every file's size and sha256), each cached analysis result and
 * Parquet export in a store, the resume points of unfinished stores, the surgered models cached next to the
 * embedded models and the hub downloads, and the hub downloads against their recorded sha256. One line per problem, then a summary; exit code 1 when
 * something is damaged. `--repair` moves damaged stores and results aside (removes damaged
 * resume points and surgered models), so that the next build or extract computes them again.
 */
import {existsSync} from "node:fs";
import {readdir, readFile, rename, rm} from "node:fs/promises";
import {basename, join} from "node:path";
import {envFrom, type Env} from "../config.js";
import {damagedHubFiles, HUB_COMPLETE} from "../models/hub.js";
import {checkSurgeredEntry, isCurrentEntry, sidecarPath} from "../models/surgery.js";
import {isCurrentLensEntry} from "../models/logit-lens.js";
import {isCurrentNeuronEntry} from "../models/neuron-taps.js";
import {externalDataPath} from "../models/optimize.js";
import type {AnalysisFile} from "../report/analyze.js";
import {verifiedFile} from "../pipeline/model-pages.js";
import {checkExport} from "../store/parquet-export.js";
import {checkStore, damagedParts, describeProblems, listStores, quarantine, StoreDamagedError, type Manifest} from "../store/store.js";
import {parseOptions} from "./options.js";

/** What a check found that is not as it should be, and how `--repair` sets it right. */
interface Problem {
  line: string;
  repair: () => Promise<string>;
}

export async function verify(args: string[], env: Env = envFrom(process.env)): Promise<void> {
  const {values} = parseOptions({args, options: {repair: {type: "boolean", default: false}}, strict: true});
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  const problems: Problem[] = [];
  const counts = {stores: 0, results: 0, unfinished: 0, models: 0, downloads: 0};

  for (const {name, state} of await listStores(env.storesDir)) {
    const dir = join(env.storesDir, name);
    if (state === "quarantined") {
      out(`note: ${dir} is a damaged store moved aside (babelscope clean removes it)`);
    } else if (state === "unfinished") {
      counts.unfinished++;
      out(`note: ${dir} is an unfinished extraction (the next run resumes it)`);
      for (const part of await damagedParts(dir)) {
        const path = join(dir, part.file);
        problems.push({line: `damaged: ${path}: ${part.reason}`, repair: async () => (await rm(path, {force: true}), `removed ${path}`)});
      }
    } else {
      counts.stores++;
      let check;
      try {
        check = await checkStore(dir, "always");
      } catch (error) {
        out(`note: ${dir} not checked: ${(error as Error).message}`);
        continue;
      }
      if (!check.manifest || check.old || check.problems.length > 0) {
        const {label} = new StoreDamagedError(dir, check);
        problems.push(
          check.old
            ? {line: `unverifiable: store ${dir} (${label}): written by an earlier Babelscope, without checksums`, repair: async () => (await rm(dir, {recursive: true, force: true}), `removed ${dir}`)}
            : {line: `damaged: store ${dir} (${label}): ${describeProblems(check.problems)}`, repair: async () => `moved ${dir} to ${await quarantine(dir)}`}
        );
        continue;
      }
      counts.results += await checkResults(dir, check.manifest, problems);
      await checkParquetExport(dir, check.manifest, problems);
    }
  }

  // Every file under the model folders, listed once: surgered models sit beside embedded and downloaded ones.
  const hub = join(env.cacheDir, "hub");
  const listed = new Map<string, string[]>();
  for (const root of [env.modelsDir, hub]) listed.set(root, await readdir(root, {recursive: true}).catch(() => [] as string[]));

  for (const [root, names] of listed) {
    for (const path of names.filter((name) => [isCurrentEntry, isCurrentLensEntry, isCurrentNeuronEntry].some((current) => current(basename(name)))).map((name) => join(root, name))) {
      counts.models++;
      const entry = await checkSurgeredEntry(path, "always");
      if (entry === undefined) out(`note: ${path} has no sidecar (an interrupted build; rebuilt when next used)`);
      else if (typeof entry === "string") {
        const remove = async () => (await Promise.all([path, sidecarPath(path), externalDataPath(path)].map((file) => rm(file, {force: true}))), `removed ${path} and its sidecar`);
        problems.push({line: `damaged: cached surgered model ${path}: ${entry}`, repair: remove});
      }
    }
  }

  const downloads = listed.get(hub)!.filter((name) => basename(name) === HUB_COMPLETE);
  for (const name of downloads) {
    const dir = join(hub, name, "..");
    counts.downloads++;
    const damaged = await damagedHubFiles(dir);
    if (damaged.length === 0) continue;
    const remove = async () => (await Promise.all([...damaged, HUB_COMPLETE].map((file) => rm(join(dir, file), {force: true}))), `removed ${damaged.join(", ")} from ${dir} (downloaded again when next used)`);
    problems.push({line: `damaged: hub download ${dir}: ${damaged.join(", ")} ${damaged.length === 1 ? "does" : "do"} not match the recorded checksum`, repair: remove});
  }

  for (const problem of problems) out(problem.line);
  const checked = `checked ${counts.stores} store${counts.stores === 1 ? "" : "s"} (${counts.results} analysis results), ${counts.unfinished} unfinished, ${counts.models} surgered model${counts.models === 1 ? "" : "s"}, ${counts.downloads} hub download${counts.downloads === 1 ? "" : "s"}`;
  if (problems.length === 0) return out(`${checked}: nothing damaged`);
  if (!values.repair) throw new Error(`${checked}: ${problems.length} damaged (babelscope verify --repair moves them aside, and the next build or extract recomputes them)`);
  for (const problem of problems) out(await problem.repair());
  out(`${checked}: ${problems.length} damaged, repaired (the next build or extract recomputes them)`);
}

/** Checks a sound store's Parquet export (`<store>/parquet`), when it has one; repair removes it (`babelscope export` makes it again). */
async function checkParquetExport(dir: string, manifest: Manifest, problems: Problem[]): Promise<void> {
  const target = join(dir, "parquet");
  if (!existsSync(target)) return;
  const found = await checkExport(target, manifest, "always");
  if (found.length > 0) problems.push({line: `damaged: Parquet export ${target}: ${describeProblems(found)}`, repair: async () => (await rm(target, {recursive: true, force: true}), `removed ${target}`)});
}

/** Checks a sound store's cached analysis results (as `cachedAnalysis` would before serving one); returns how many there are. */
async function checkResults(dir: string, manifest: Manifest, problems: Problem[]): Promise<number> {
  const results = join(dir, "analyses", "site");
  const names = (await readdir(results).catch(() => [] as string[])).filter((name) => name.endsWith(".json"));
  for (const name of names) {
    const path = join(results, name);
    const text = await readFile(path, "utf8");
    // The analysis, version and settings a result was computed for are the ones it names (a build
    // compares them with its own); its store must be this one. What does not parse, verifiedFile reports.
    let claims: Partial<AnalysisFile> = {};
    try {
      claims = JSON.parse(text) ?? {};
    } catch {}
    const verdict = verifiedFile(text, {analysis: claims.analysis!, version: claims.version!, store: manifest.hash, settings: claims.settings!});
    if (typeof verdict === "string") {
      problems.push({line: `damaged: analysis result ${path} ${verdict}`, repair: async () => (await rename(path, `${path}.damaged`), `moved ${path} to ${basename(path)}.damaged`)});
    }
  }
  return names.length;
}
