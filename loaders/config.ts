/**
 * Where Babelscope reads and writes, and how it talks to the model hub: one object resolved once
 * from the environment (like transformers.js `env`). Other modules receive an `Env` rather than
 * reading `process.env` themselves, so tests can point everything at temporary folders.
 */
import {homedir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";

export interface Env {
  /** The project root (where `models/` and `data/` ship). */
  root: string;
  /** Embedded models: `embedded:<name>` is `<modelsDir>/<name>`. */
  modelsDir: string;
  /** Hub downloads: `<cacheDir>/hub/<owner>/<name>/<revision>/<file>`. */
  cacheDir: string;
  /** Babelscope's working folder: the site build's log and the inputs it was built from. */
  workDir: string;
  /** Hidden-state stores, one folder per content hash. */
  storesDir: string;
  /** Where `babelscope build` writes the site. */
  distDir: string;
  /** Model hub base URL (files are at `<hubHost>/<owner>/<name>/resolve/<revision>/<file>`). */
  hubHost: string;
  /** Bearer token for gated or private hub models. */
  hubToken?: string;
  /** Bound on connecting to the hub and on any silence during a download, in ms. */
  hubTimeoutMs: number;
  /** A download averaging fewer bytes per second than this over `hubRateWindowMs` is given up (0: never). */
  hubMinRate: number;
  /** The sliding window over which `hubMinRate` is averaged, in ms. */
  hubRateWindowMs: number;
  /** Bound on the whole download of one file, in ms (0: none; the minimum rate bounds it then). */
  hubDeadlineMs: number;
  /** Tries at one file whose transfer is cut short or corrupted, before giving up. */
  hubRetries: number;
  /** transformers.js's own file cache (`<dir>/<owner>/<name>/<file>`), whose copies are used instead of downloading. */
  transformersCacheDir: string;
  /** Items per resume point of an extraction (a part file each); tests make it small. */
  chunkItems: number;
  /** Babelscope's version, recorded in every store's manifest. */
  version: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * transformers.js's default file cache (its `env.cacheDir`): `.cache/` in its package folder, which
 * it finds two levels above its entry file.
 */
function transformersCache(): string {
  return join(dirname(dirname(createRequire(import.meta.url).resolve("@huggingface/transformers"))), ".cache");
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {version: string}).version;
}

/**
 * The environment from variables, with defaults:
 * - `BABELSCOPE_CACHE` (default `$XDG_CACHE_HOME/babelscope`, else `~/.cache/babelscope`): hub downloads;
 * - `BABELSCOPE_WORK` (default `<root>/.babelscope`): the site build's log and inputs;
 * - `BABELSCOPE_STORES` (default `<work>/stores`): hidden-state stores;
 * - `BABELSCOPE_DIST` (default `<root>/dist`): the built site;
 * - `BABELSCOPE_HUB` (default `https://huggingface.co`), `HF_TOKEN`, `BABELSCOPE_HUB_TIMEOUT_MS` (5000);
 * - `BABELSCOPE_HUB_MIN_RATE` (10000 B/s) averaged over `BABELSCOPE_HUB_RATE_WINDOW_MS` (30000), and
 *   `BABELSCOPE_HUB_DEADLINE_MS` (none): when a download is given up. No fixed deadline by default,
 *   since any figure is too short for some model on some line (5 GB at 1 MB/s take 1.4 hours), and
 *   one derived from the size is already implied by the minimum rate: a file of S bytes that never
 *   averages below it ends within S / rate + one window. A trickle is thus given up after one window.
 * - `BABELSCOPE_HUB_RETRIES` (3): tries at a file whose transfer is cut short or corrupted;
 * - `BABELSCOPE_TRANSFORMERS_CACHE` (transformers.js's default `env.cacheDir`): its file cache, read before downloading;
 * - `BABELSCOPE_CHUNK_ITEMS` (256): items per resume point of an extraction.
 */
export function envFrom(vars: NodeJS.ProcessEnv = process.env, root: string = ROOT): Env {
  const xdg = vars.XDG_CACHE_HOME || join(homedir(), ".cache");
  const workDir = resolve(vars.BABELSCOPE_WORK || join(root, ".babelscope"));
  return {
    root,
    modelsDir: join(root, "models"),
    cacheDir: resolve(vars.BABELSCOPE_CACHE || join(xdg, "babelscope")),
    workDir,
    storesDir: resolve(vars.BABELSCOPE_STORES || join(workDir, "stores")),
    distDir: resolve(vars.BABELSCOPE_DIST || join(root, "dist")),
    hubHost: (vars.BABELSCOPE_HUB || "https://huggingface.co").replace(/\/+$/, ""),
    hubToken: vars.HF_TOKEN || undefined,
    hubTimeoutMs: Number(vars.BABELSCOPE_HUB_TIMEOUT_MS) || 5000,
    hubMinRate: integer(vars.BABELSCOPE_HUB_MIN_RATE, "BABELSCOPE_HUB_MIN_RATE", 0) ?? 10_000,
    hubRateWindowMs: integer(vars.BABELSCOPE_HUB_RATE_WINDOW_MS, "BABELSCOPE_HUB_RATE_WINDOW_MS", 1) ?? 30_000,
    hubDeadlineMs: integer(vars.BABELSCOPE_HUB_DEADLINE_MS, "BABELSCOPE_HUB_DEADLINE_MS", 0) ?? 0,
    hubRetries: integer(vars.BABELSCOPE_HUB_RETRIES, "BABELSCOPE_HUB_RETRIES", 1) ?? 3,
    transformersCacheDir: resolve(vars.BABELSCOPE_TRANSFORMERS_CACHE || transformersCache()),
    chunkItems: integer(vars.BABELSCOPE_CHUNK_ITEMS, "BABELSCOPE_CHUNK_ITEMS", 1) ?? 256,
    version: packageVersion()
  };
}

function integer(value: string | undefined, name: string, min: 0 | 1): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!(min === 0 ? /^(0|[1-9]\d*)$/ : /^[1-9]\d*$/).test(value)) throw new Error(`${name} must be an integer >= ${min}, got "${value}"`);
  return Number(value);
}

/** The variables that make `envFrom` give back this environment: for child processes (the site build's data loaders). */
export function envVars(env: Env): Record<string, string> {
  return {
    BABELSCOPE_CACHE: env.cacheDir,
    BABELSCOPE_WORK: env.workDir,
    BABELSCOPE_STORES: env.storesDir,
    BABELSCOPE_DIST: env.distDir,
    BABELSCOPE_HUB: env.hubHost,
    BABELSCOPE_HUB_TIMEOUT_MS: String(env.hubTimeoutMs),
    BABELSCOPE_HUB_MIN_RATE: String(env.hubMinRate),
    BABELSCOPE_HUB_RATE_WINDOW_MS: String(env.hubRateWindowMs),
    BABELSCOPE_HUB_DEADLINE_MS: String(env.hubDeadlineMs),
    BABELSCOPE_HUB_RETRIES: String(env.hubRetries),
    BABELSCOPE_TRANSFORMERS_CACHE: env.transformersCacheDir,
    BABELSCOPE_CHUNK_ITEMS: String(env.chunkItems),
    ...(env.hubToken ? {HF_TOKEN: env.hubToken} : {})
  };
}

export const env: Env = envFrom();
