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
  /** Hidden-state stores, one folder per content hash. */
  storesDir: string;
  /** Model hub base URL (files are at `<hubHost>/<owner>/<name>/resolve/<revision>/<file>`). */
  hubHost: string;
  /** Bearer token for gated or private hub models. */
  hubToken?: string;
  /** Bound on connecting to the hub and on any silence during a download, in ms. */
  hubTimeoutMs: number;
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
 * - `BABELSCOPE_STORES` (default `<root>/.babelscope/stores`): hidden-state stores;
 * - `BABELSCOPE_HUB` (default `https://huggingface.co`), `HF_TOKEN`, `BABELSCOPE_HUB_TIMEOUT_MS` (5000).
 */
export function envFrom(vars: NodeJS.ProcessEnv = process.env, root: string = ROOT): Env {
  const xdg = vars.XDG_CACHE_HOME || join(homedir(), ".cache");
  return {
    root,
    modelsDir: join(root, "models"),
    cacheDir: resolve(vars.BABELSCOPE_CACHE || join(xdg, "babelscope")),
    storesDir: resolve(vars.BABELSCOPE_STORES || join(root, ".babelscope", "stores")),
    hubHost: (vars.BABELSCOPE_HUB || "https://huggingface.co").replace(/\/+$/, ""),
    hubToken: vars.HF_TOKEN || undefined,
    hubTimeoutMs: Number(vars.BABELSCOPE_HUB_TIMEOUT_MS) || 5000,
    version: packageVersion()
  };
}

/** The variables that make `envFrom` give back this environment: for child processes (the site build's data loaders). */
export function envVars(env: Env): Record<string, string> {
  return {
    BABELSCOPE_CACHE: env.cacheDir,
    BABELSCOPE_STORES: env.storesDir,
    BABELSCOPE_HUB: env.hubHost,
    BABELSCOPE_HUB_TIMEOUT_MS: String(env.hubTimeoutMs),
    ...(env.hubToken ? {HF_TOKEN: env.hubToken} : {})
  };
}

export const env: Env = envFrom();
