/**
 * Where Babelscope reads and writes, and how it talks to the model hub: one object resolved once
 * from the environment (like transformers.js `env`). Other modules receive an `Env` rather than
 * reading `process.env` themselves, so tests can point everything at temporary folders.
 */
import {homedir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {readFileSync} from "node:fs";

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
  /** Items per resume point of an extraction (a part file each); tests make it small. */
  chunkItems: number;
  /** Babelscope's version, recorded in every store's manifest. */
  version: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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
    chunkItems: positiveInteger(vars.BABELSCOPE_CHUNK_ITEMS, "BABELSCOPE_CHUNK_ITEMS") ?? 256,
    version: packageVersion()
  };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`${name} must be an integer >= 1, got "${value}"`);
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
    BABELSCOPE_CHUNK_ITEMS: String(env.chunkItems),
    ...(env.hubToken ? {HF_TOKEN: env.hubToken} : {})
  };
}

export const env: Env = envFrom();
