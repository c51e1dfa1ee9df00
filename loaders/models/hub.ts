/**
 * Downloads a model's files from the hub into the cache, bounded in time: connecting, and any
 * silence during a transfer, may last `env.hubTimeoutMs` at most, so an offline machine gets a
 * one-line answer within seconds instead of a hang. A transfer that trickles (bytes now and then,
 * never silent for long) is given up when its average rate over `env.hubRateWindowMs` falls below
 * `env.hubMinRate`, and any file when it takes longer than `env.hubDeadlineMs` (if set). A cached
 * model needs no network at all.
 *
 * Cache layout: `<cacheDir>/hub/<owner>/<name>/<revision>/<file>` plus `.complete.json`
 * (file -> sha256), written last: a folder without it is an unfinished download.
 */
import {createHash} from "node:crypto";
import {createWriteStream} from "node:fs";
import {mkdir, readdir, readFile, rename, rm} from "node:fs/promises";
import {dirname, join} from "node:path";
import {Readable} from "node:stream";
import {pipeline} from "node:stream/promises";
import type {Env} from "../config.js";
import {fileProblem, warnOnStderr as warn} from "../store/checksum.js";
import {isOrphanedTemp, TEMP_SUFFIX, writeAtomic} from "../write-atomic.js";
import {ModelError} from "./errors.js";

export interface HubFiles {
  /** Files the model cannot do without. */
  required: string[];
  /** Files fetched when the hub has them (a 404 is fine). */
  optional: string[];
  /**
   * Alternatives, by preference: the first the hub has is fetched, with its external data file
   * (`<file>_data`) when the hub has that; none of them is a not-found error. The others are not
   * fetched (an encoder-decoder repo's encoder is fetched without its decoder).
   */
  oneOf?: string[];
}

export interface HubDownload {
  dir: string;
  /** Relative path -> sha256 hex of every file present. */
  files: Record<string, string>;
}

/** The file that marks a finished download and records each file's sha256. */
export const HUB_COMPLETE = ".complete.json";

export function hubCacheDir(env: Env, id: string, revision: string): string {
  return join(env.cacheDir, "hub", ...id.split("/"), revision);
}

/** The cached copy of a hub model, or a download of it. */
export async function fetchHubModel(env: Env, id: string, revision: string, wanted: HubFiles): Promise<HubDownload> {
  const dir = hubCacheDir(env, id, revision);
  const ref = revision === "main" ? id : `${id}@${revision}`;
  const cached = await readComplete(dir);
  const oneOf = wanted.oneOf ?? [];
  if (cached && wanted.required.every((file) => file in cached) && (oneOf.length === 0 || oneOf.some((file) => file in cached))) {
    const damaged = await damagedFiles(dir, cached);
    if (damaged.length === 0) return {dir, files: cached};
    // A damaged copy is never used: the model is downloaded again (or, offline, skipped with this line before it).
    warn(`warning: cached ${damaged.join(", ")} of ${ref} ${damaged.length === 1 ? "does" : "do"} not match the checksum recorded at download; downloading again`);
    await Promise.all([...damaged, HUB_COMPLETE].map((file) => rm(join(dir, file), {force: true})));
  }

  await removeOrphanedTemps(dir);
  const files: Record<string, string> = {};
  for (const file of [...wanted.required, ...wanted.optional]) {
    const sha = await download(env, ref, `${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/${file}`, join(dir, file), wanted.required.includes(file));
    if (sha) files[file] = sha;
  }
  for (const file of oneOf) {
    const sha = await download(env, ref, `${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/${file}`, join(dir, file), false);
    if (!sha) continue;
    files[file] = sha;
    const data = await download(env, ref, `${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/${file}_data`, join(dir, `${file}_data`), false);
    if (data) files[`${file}_data`] = data;
    break;
  }
  if (oneOf.length && !oneOf.some((file) => file in files)) {
    throw new ModelError("not-found", ref, `the hub has none of ${oneOf.join(", ")} for this model (HTTP 404): check the id, revision and dtype`);
  }
  await writeAtomic(join(dir, HUB_COMPLETE), JSON.stringify(files, null, 2));
  return {dir, files};
}

/** Whether a hub model is cached, and if not, whether the hub answers for it (one bounded request). */
export async function hubStatus(env: Env, id: string, revision: string): Promise<"cached" | "downloadable" | string> {
  if (await readComplete(hubCacheDir(env, id, revision))) return "cached";
  try {
    const response = await fetch(`${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/config.json`, {method: "HEAD", headers: authHeaders(env), signal: AbortSignal.timeout(env.hubTimeoutMs)});
    return response.ok ? "downloadable" : `the hub answered HTTP ${response.status}`;
  } catch (error) {
    return `cannot reach the model hub at ${env.hubHost} (${networkCause(error, env)})`;
  }
}

/** The cached files whose content is not the sha256 recorded when they were downloaded (hashed once per process). */
async function damagedFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  const damaged: string[] = [];
  for (const [file, sha256] of Object.entries(files)) if (await fileProblem(join(dir, file), {sha256}, "once")) damaged.push(file);
  return damaged;
}

/** The files of a finished download in `dir` that no longer match their recorded sha256 (each read in full, once per process). */
export async function damagedHubFiles(dir: string): Promise<string[]> {
  const files = await readComplete(dir);
  return files ? damagedFiles(dir, files) : [];
}

async function readComplete(dir: string): Promise<Record<string, string> | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, HUB_COMPLETE), "utf8")) as Record<string, string>;
  } catch {
    return undefined;
  }
}

/**
 * A killed download leaves its temp file (`<file>.<pid>.tmp`) in the model's folder, where nothing
 * else would remove it: the next download of the model does, for writers no longer running.
 */
async function removeOrphanedTemps(dir: string): Promise<void> {
  const names = await readdir(dir, {recursive: true}).catch(() => []);
  for (const name of names) if (isOrphanedTemp(name)) await rm(join(dir, name), {force: true});
}

/**
 * Streams one file to `dest` (temp file + rename); returns its sha256, or undefined for an optional
 * 404. Three bounds, each aborting the request: silence (`hubTimeoutMs`), a rate below
 * `hubMinRate` averaged over the last `hubRateWindowMs`, and the whole file (`hubDeadlineMs`).
 */
async function download(env: Env, ref: string, url: string, dest: string, required: boolean): Promise<string | undefined> {
  const file = fileOf(url);
  const controller = new AbortController();
  /** Why we aborted, when it was not silence: the one-line reason the user sees. */
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped ??= why;
    controller.abort();
  };
  let timer = setTimeout(() => controller.abort(), env.hubTimeoutMs);
  const stall = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), env.hubTimeoutMs);
  };
  const deadline = env.hubDeadlineMs ? setTimeout(() => stop(`did not finish within ${env.hubDeadlineMs / 1000} s (BABELSCOPE_HUB_DEADLINE_MS)`), env.hubDeadlineMs) : undefined;
  let rateCheck: NodeJS.Timeout | undefined;
  const tmp = `${dest}.${process.pid}${TEMP_SUFFIX}`;
  try {
    let response: Response;
    try {
      response = await fetch(url, {headers: authHeaders(env), signal: controller.signal, redirect: "follow"});
    } catch (error) {
      if (stopped) throw new ModelError("offline", ref, `download of ${file} ${stopped}; rerun to retry`);
      throw new ModelError("offline", ref, `cannot reach the model hub at ${env.hubHost} (${networkCause(error, env)}); skipped`);
    }
    if (response.status === 404 && !required) return undefined;
    if (response.status === 404) throw new ModelError("not-found", ref, `the hub has no ${file} for this model (HTTP 404): check the id, revision and dtype`);
    if (response.status === 401 || response.status === 403)
      throw new ModelError("unauthorized", ref, `the hub refused ${file} (HTTP ${response.status}): the model is gated or private; set HF_TOKEN`);
    if (!response.ok || !response.body) throw new ModelError("offline", ref, `the hub answered HTTP ${response.status} for ${file}; skipped`);

    await mkdir(dirname(dest), {recursive: true});
    const hash = createHash("sha256");
    const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
    let received = 0;
    body.on("data", (chunk: Buffer) => {
      stall();
      received += chunk.length;
      hash.update(chunk);
    });
    if (env.hubMinRate > 0) rateCheck = checkRate(env, () => received, (rate) => stop(`too slow (${rate} B/s over ${env.hubRateWindowMs / 1000} s, minimum ${env.hubMinRate} B/s: BABELSCOPE_HUB_MIN_RATE)`));
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (error) {
      throw new ModelError("offline", ref, `download of ${file} ${stopped ?? `stopped (${networkCause(error, env)})`}; rerun to retry`);
    }
    await rename(tmp, dest);
    return hash.digest("hex");
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    clearInterval(rateCheck);
    await rm(tmp, {force: true});
  }
}

/**
 * Calls `tooSlow` with the rate in B/s when fewer than `hubMinRate` bytes per second arrived over
 * the last `hubRateWindowMs`. Samples of the byte count are taken five times per window, so the
 * rate is that of the window just past (within a fifth of it), not of the whole download.
 */
function checkRate(env: Env, received: () => number, tooSlow: (rate: number) => void): NodeJS.Timeout {
  const samples = [{at: Date.now(), bytes: 0}];
  return setInterval(() => {
    const now = Date.now();
    samples.push({at: now, bytes: received()});
    while (samples.length > 2 && samples[1].at <= now - env.hubRateWindowMs) samples.shift();
    const [oldest] = samples;
    if (now - oldest.at < env.hubRateWindowMs) return;
    const rate = Math.round(((received() - oldest.bytes) * 1000) / (now - oldest.at));
    if (rate < env.hubMinRate) tooSlow(rate);
  }, env.hubRateWindowMs / 5);
}

function authHeaders(env: Env): Record<string, string> {
  return env.hubToken ? {authorization: `Bearer ${env.hubToken}`} : {};
}

function fileOf(url: string): string {
  return url.slice(url.indexOf("/resolve/") + "/resolve/".length).replace(/^[^/]+\//, "");
}

function networkCause(error: unknown, env: Env): string {
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) return `no answer within ${env.hubTimeoutMs / 1000} s`;
  const cause = (error as {cause?: {code?: string; message?: string}}).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
