/**
 * Downloads a model's files from the hub into the cache, bounded in time: connecting, and any
 * silence during a transfer, may last `env.hubTimeoutMs` at most, so an offline machine gets a
 * one-line answer within seconds instead of a hang. A transfer that trickles (bytes now and then,
 * never silent for long) is given up when its average rate over `env.hubRateWindowMs` falls below
 * `env.hubMinRate`, and any file when it takes longer than `env.hubDeadlineMs` (if set). A cached
 * model needs no network at all.
 *
 * What real networks do is met here: weights redirected to a CDN (followed without the token),
 * bytes corrupted or cut short in transit (checked against the hub's checksum and length, resumed
 * or fetched again, `env.hubRetries` tries), two processes after one model (a lock: one downloads,
 * the other waits for it), and files transformers.js already downloaded (taken from its cache).
 *
 * Cache layout: `<cacheDir>/hub/<owner>/<name>/<revision>/<file>` plus `.complete.json` (file ->
 * sha256 of every file fetched whole), written after the files it records; `<file>.incomplete` is
 * a transfer cut short, which the next try resumes; `<revision>.lock` beside the folder while a
 * process downloads into it.
 */
import {createHash} from "node:crypto";
import {createReadStream, existsSync} from "node:fs";
import {copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat} from "node:fs/promises";
import {dirname, join} from "node:path";
import {pipeline} from "node:stream/promises";
import type {Env} from "../config.js";
import {withLock} from "../lock.js";
import {fileProblem, markVerified, sha256File, warnOnStderr as warn} from "../store/checksum.js";
import {isOrphanedTemp, writeAtomic} from "../write-atomic.js";
import {ModelError} from "./errors.js";

export interface HubFiles {
  /** Files the model cannot do without. */
  required: string[];
  /** Files fetched when the hub has them (a 404 is fine). */
  optional: string[];
  /**
   * Alternatives, by preference: the first the hub has is fetched, with its external data file
   * (`<file>_data`) when the hub has that; none of them is a not-found error (for the first). The
   * others are not fetched (an encoder-decoder repo's encoder is fetched without its decoder).
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

/**
 * The cached copy of a hub model, or a download of what it lacks: files recorded by an earlier
 * download (another dtype's, say) are kept, and the record grows by the files fetched now.
 */
export async function fetchHubModel(env: Env, id: string, revision: string, wanted: HubFiles): Promise<HubDownload> {
  const dir = hubCacheDir(env, id, revision);
  const ref = revision === "main" ? id : `${id}@${revision}`;
  const oneOf = wanted.oneOf ?? [];
  const complete = (files: Record<string, string>) => covers(wanted, (file) => file in files);
  const cached = (await readComplete(dir)) ?? {};
  if (complete(cached) && (await damagedFiles(dir, cached)).length === 0) return {dir, files: cached};
  // One process repairs or downloads a model at a time; the others wait, then find its download.
  return withLock(`${dir}.lock`, `the download of ${ref}`, async () => {
    const files = await soundRecord(dir, ref);
    if (complete(files)) return {dir, files};
    await removeOrphanedTemps(dir);
    const source: Source = {env, ref, url: (file) => `${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/${file}`, hubAnswers: true};
    const fetchFile = async (file: string, required: boolean): Promise<string | undefined> => {
      const dest = join(dir, file);
      const sha = (await fromTransformersCache(source, file, transformersCachePath(env, id, revision, file), dest)) ?? (await download(source, file, dest, required));
      if (!sha) return undefined;
      files[file] = sha;
      // Hashed as it was written: a later check in this process need not read it again.
      await markVerified(dest, {size: (await stat(dest)).size, sha256: sha});
      return sha;
    };
    for (const file of [...wanted.required, ...wanted.optional].filter((name) => !(name in files))) await fetchFile(file, wanted.required.includes(file));
    if (oneOf.length && !oneOf.some((file) => file in files)) {
      for (const file of oneOf) {
        if (!(await fetchFile(file, false))) continue;
        await fetchFile(`${file}_data`, false);
        break;
      }
      if (!oneOf.some((file) => file in files)) throw new HubFileNotFound(ref, oneOf[0]);
    }
    await writeAtomic(join(dir, HUB_COMPLETE), JSON.stringify(files, null, 2));
    return {dir, files};
  }, {wait: true});
}

/** Whether `has` holds every `required` file and, when there are any, one of the `oneOf` files. */
function covers(wanted: Omit<HubFiles, "optional">, has: (file: string) => boolean): boolean {
  return wanted.required.every(has) && (!wanted.oneOf?.length || wanted.oneOf.some(has));
}

/** Where transformers.js's file cache keeps a hub file: `<cacheDir>/<owner>/<name>/<file>` for main, `<cacheDir>/<owner>/<name>/<revision>/<file>` otherwise. */
function transformersCachePath(env: Env, id: string, revision: string, file: string): string {
  return join(env.transformersCacheDir, ...id.split("/"), ...(revision === "main" ? [] : [revision]), file);
}

/**
 * The files `.complete.json` records, but those whose content no longer matches: a damaged copy is
 * never used but removed, with one warning, and downloaded again (or, offline, the model is skipped
 * with this line before it).
 */
async function soundRecord(dir: string, ref: string): Promise<Record<string, string>> {
  const recorded = (await readComplete(dir)) ?? {};
  const damaged = await damagedFiles(dir, recorded);
  if (damaged.length === 0) return recorded;
  warn(`warning: cached ${damaged.join(", ")} of ${ref} ${damaged.length === 1 ? "does" : "do"} not match the checksum recorded at download; downloading again`);
  await Promise.all(damaged.map((file) => rm(join(dir, file), {force: true})));
  const sound = Object.fromEntries(Object.entries(recorded).filter(([file]) => !damaged.includes(file)));
  await writeAtomic(join(dir, HUB_COMPLETE), JSON.stringify(sound, null, 2));
  return sound;
}

/**
 * Whether a hub model's `required` files and one of its `oneOf` files are cached (by Babelscope, or by transformers.js), and if
 * not, whether the hub answers for it (one bounded request).
 */
export async function hubStatus(env: Env, id: string, revision: string, wanted: Omit<HubFiles, "optional">): Promise<"cached" | "downloadable" | string> {
  const recorded = (await readComplete(hubCacheDir(env, id, revision))) ?? {};
  const has = (file: string) => file in recorded || existsSync(transformersCachePath(env, id, revision, file));
  if (covers(wanted, has)) return "cached";
  try {
    const url = `${env.hubHost}/${id}/resolve/${encodeURIComponent(revision)}/config.json`;
    const {response} = await request(env, url, {method: "HEAD", headers: {}, signal: AbortSignal.timeout(env.hubTimeoutMs)});
    // A redirect (a renamed repository) is an answer too; it is not followed here.
    return response.status < 400 ? "downloadable" : `the hub answered HTTP ${response.status}`;
  } catch (error) {
    return `cannot reach the model hub at ${env.hubHost} (${networkCause(error, env)})`;
  }
}

/** The files in one folder of a hub repository (`onnx`), as the hub API lists them; undefined when it does not answer. */
export async function hubFolderFiles(env: Env, id: string, revision: string, folder: string): Promise<string[] | undefined> {
  try {
    const url = `${env.hubHost}/api/models/${id}/tree/${encodeURIComponent(revision)}/${folder}`;
    const response = await fetch(url, {headers: authHeaders(env), signal: AbortSignal.timeout(env.hubTimeoutMs)});
    if (!response.ok) return undefined;
    const entries = (await response.json()) as {type?: string; path?: string}[];
    return entries.filter((entry) => entry.type === "file" && typeof entry.path === "string").map((entry) => entry.path!);
  } catch {
    return undefined;
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

/** Where and how one model is downloaded; `hubAnswers` turns false once the hub could not be reached. */
interface Source {
  env: Env;
  ref: string;
  url: (file: string) => string;
  hubAnswers: boolean;
}

/** A required file the hub does not have (HTTP 404): `file` says which, so a caller can say more. */
export class HubFileNotFound extends ModelError {
  constructor(
    ref: string,
    readonly file: string
  ) {
    super("not-found", ref, `the hub has no ${file} for this model (HTTP 404): check the id, revision and dtype`);
  }
}

/** The partial file of a download in progress, resumed by the next try (the model's lock makes it one writer's). */
const PARTIAL_SUFFIX = ".incomplete";

type Transfer = {done: string} | {absent: true} | {retry: string};

/**
 * Downloads one file to `dest`; returns its sha256, or undefined for an optional 404. A transfer
 * cut short is resumed from its partial file, one whose bytes do not match the hub's checksum is
 * fetched again from the start: `hubRetries` tries in all, then one line.
 */
async function download(source: Source, file: string, dest: string, required: boolean): Promise<string | undefined> {
  // Found unreachable while checking transformers.js's copies: an optional file is not worth the wait.
  if (!source.hubAnswers && !required) return undefined;
  let problem = "";
  for (let attempt = 0; attempt < source.env.hubRetries; attempt++) {
    const outcome = await transfer(source, file, dest);
    if ("done" in outcome) return outcome.done;
    if ("absent" in outcome) {
      if (required) throw new HubFileNotFound(source.ref, file);
      return undefined;
    }
    problem = outcome.retry;
  }
  const tries = source.env.hubRetries;
  throw new ModelError("offline", source.ref, `download of ${file} failed ${tries === 1 ? "once" : `${tries} times`} (${problem}; BABELSCOPE_HUB_RETRIES); rerun to retry`);
}

/**
 * One try at a file, appended to its partial file from where that ends (`Range`) when the server
 * resumes, rewritten from the start when it does not. Three bounds, each aborting the request and
 * failing at once in one line: silence (`hubTimeoutMs`), a rate below `hubMinRate` averaged over
 * the last `hubRateWindowMs`, and the whole file (`hubDeadlineMs`). A connection lost, a length
 * short of Content-Length or bytes that do not hash to the hub's ETag are `retry`.
 */
async function transfer({env, ref, url}: Source, file: string, dest: string): Promise<Transfer> {
  const partial = `${dest}${PARTIAL_SUFFIX}`;
  const offset = (await stat(partial).catch(() => undefined))?.size ?? 0;
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
  try {
    let reply: HubReply;
    try {
      // Uncompressed, as the hub's own clients ask: lengths, ranges and checksums are then of the file's bytes.
      const headers = {"accept-encoding": "identity", ...(offset ? {range: `bytes=${offset}-`} : {})};
      reply = await request(env, url(file), {method: "GET", headers, signal: controller.signal});
    } catch (error) {
      if (stopped) throw new ModelError("offline", ref, `download of ${file} ${stopped}; rerun to retry`);
      throw new ModelError("offline", ref, `cannot reach the model hub at ${env.hubHost} (${networkCause(error, env)}); skipped`);
    }
    const {response, etag} = reply;
    // An answer without the file: its body is released, so the connection serves the next request.
    if (!response.ok) await response.body?.cancel();
    if (response.status === 404) return {absent: true};
    if (response.status === 401 || response.status === 403) throw refused(env, ref, file, response.status);
    if (response.status === 416 || response.status >= 500) {
      await rm(partial, {force: true});
      return {retry: `the hub answered HTTP ${response.status}`};
    }
    if (!response.ok || !response.body) throw new ModelError("offline", ref, `the hub answered HTTP ${response.status} for ${file}; skipped`);
    // A 206 continues the partial file; a 200 (a server that ignores Range) starts it again.
    const start = response.status === 206 ? rangeStart(response) : 0;
    if (start !== 0 && start !== offset) {
      await rm(partial, {force: true});
      return {retry: `the hub resumed at byte ${start}, not ${offset}`};
    }
    const length = Number(response.headers.get("content-length") ?? NaN);
    const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
    const total = Number.isInteger(length) && !encoded ? start + length : undefined;

    await mkdir(dirname(dest), {recursive: true});
    const hash = createHash("sha256");
    if (start > 0) await pipeline(createReadStream(partial, {end: start - 1}), hash, {end: false});
    let received = start;
    if (env.hubMinRate > 0) rateCheck = checkRate(env, () => received - start, (rate) => stop(`too slow (${rate} B/s over ${env.hubRateWindowMs / 1000} s, minimum ${env.hubMinRate} B/s: BABELSCOPE_HUB_MIN_RATE)`));
    // Each chunk is on disk before the next is read, so a transfer cut short keeps every byte it brought.
    const out = await open(partial, start > 0 ? "a" : "w");
    const cutShort = (): Transfer => ({retry: `transfer cut short at ${received}${total === undefined ? "" : ` of ${total}`} bytes`});
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        stall();
        hash.update(chunk);
        await out.write(chunk);
        received += chunk.length;
      }
    } catch (error) {
      if (stopped || controller.signal.aborted) throw new ModelError("offline", ref, `download of ${file} ${stopped ?? `stopped (${networkCause(error, env)})`}; rerun to retry`);
      return cutShort();
    } finally {
      await out.close();
    }
    if (total !== undefined && received !== total) return cutShort();
    const sha256 = hash.digest("hex");
    if (etag && !(await matchesEtag(partial, etag, sha256))) {
      await rm(partial, {force: true});
      return {retry: `its content does not match the hub's checksum ${etag}`};
    }
    await rename(partial, dest);
    return {done: sha256};
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    clearInterval(rateCheck);
  }
}

/** Where a 206 response's bytes start (`Content-Range: bytes <start>-<end>/<size>`); -1 when it does not say. */
function rangeStart(response: Response): number {
  const match = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
  return match ? Number(match[1]) : -1;
}

function refused(env: Env, ref: string, file: string, status: number): ModelError {
  const hint = env.hubToken
    ? "HF_TOKEN was sent and refused: check that it is valid and that your account has accepted the model's terms on its hub page"
    : "the model is gated or private; set HF_TOKEN to a hub token with access to it";
  return new ModelError("unauthorized", ref, `the hub refused ${file} (HTTP ${status}): ${hint}`);
}

interface HubReply {
  response: Response;
  /** The file's checksum as the hub states it (see `hubChecksum`), when it does. */
  etag?: string;
}

/** Redirects followed at most (the hub sends one, to its CDN, for LFS files). */
const MAX_REDIRECTS = 5;

/**
 * A request to the hub that follows its redirects by hand: the token goes to the hub's own host
 * only, never to the CDN that LFS files are redirected to (which may be anyone's), and the file's
 * checksum is read from the redirect itself (`X-Linked-Etag`), since the CDN's own ETag is not it.
 * A HEAD request stops at the first answer, which carries the checksum.
 */
async function request(env: Env, url: string, init: {method: "GET" | "HEAD"; headers: Record<string, string>; signal: AbortSignal}): Promise<HubReply> {
  const hub = new URL(url).origin;
  let etag: string | undefined;
  for (let hops = 0; ; hops++) {
    const headers = {...init.headers, ...(new URL(url).origin === hub ? authHeaders(env) : {})};
    const response = await fetch(url, {method: init.method, headers, signal: init.signal, redirect: "manual"});
    etag ??= hubChecksum(response.headers.get("x-linked-etag")) ?? (hops === 0 && response.ok ? hubChecksum(response.headers.get("etag")) : undefined);
    const location = response.headers.get("location");
    if (init.method === "HEAD" || !(response.status >= 300 && response.status < 400 && location) || hops === MAX_REDIRECTS) return {response, etag};
    await response.body?.cancel();
    url = new URL(location, url).href;
  }
}

/**
 * The checksum in a hub ETag: the hub states an LFS file's sha256 (64 hex digits) and a regular
 * file's git blob sha1 (40); any other ETag (a mirror's, a CDN's) is no checksum we can check.
 */
function hubChecksum(etag: string | null): string | undefined {
  const value = etag?.replace(/^W\//, "").replace(/"/g, "").toLowerCase();
  return value && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(value) ? value : undefined;
}

/** Whether the file at `path` (whose sha256 is `sha256`) has the content the hub's checksum names. */
async function matchesEtag(path: string, etag: string, sha256: string): Promise<boolean> {
  if (etag.length === 64) return etag === sha256;
  // git's blob id: sha1 of "blob <size>\0" and the content.
  const hash = createHash("sha1").update(`blob ${(await stat(path)).size}\0`);
  await pipeline(createReadStream(path), hash, {end: false});
  return hash.digest("hex") === etag;
}

/**
 * A file transformers.js already downloaded into its own cache, linked (or copied) into ours
 * instead of downloaded again: its sha256, or undefined when it has no such file or the copy is not
 * the hub's (then the caller downloads it). Checked against the hub's checksum (one HEAD request)
 * when the hub answers; used as it is when the hub cannot be reached, as transformers.js would.
 */
async function fromTransformersCache(source: Source, file: string, cached: string, dest: string): Promise<string | undefined> {
  if (!(await stat(cached).catch(() => undefined))?.isFile()) return undefined;
  const etag = source.hubAnswers ? await headChecksum(source, file) : undefined;
  const sha256 = await sha256File(cached);
  if (etag && !(await matchesEtag(cached, etag, sha256))) return undefined;
  await mkdir(dirname(dest), {recursive: true});
  await rm(dest, {force: true});
  await link(cached, dest).catch(() => copyFile(cached, dest));
  return sha256;
}

/** The hub's checksum of a file (HEAD, bounded by `hubTimeoutMs`); an unreachable hub is not asked again for this model. */
async function headChecksum(source: Source, file: string): Promise<string | undefined> {
  try {
    return (await request(source.env, source.url(file), {method: "HEAD", headers: {}, signal: AbortSignal.timeout(source.env.hubTimeoutMs)})).etag;
  } catch {
    source.hubAnswers = false;
    return undefined;
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

function networkCause(error: unknown, env: Env): string {
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) return `no answer within ${env.hubTimeoutMs / 1000} s`;
  const cause = (error as {cause?: {code?: string; message?: string}}).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
