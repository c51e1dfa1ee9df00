/**
 * A local stand-in for the model hub: serves folders at `/<owner>/<name>/resolve/<revision>/<file>`,
 * exactly the URL layout Babelscope downloads from, with the hub's headers: a regular file's ETag is
 * its git blob sha1, an LFS file's (`*.onnx`, `*.onnx_data`) its sha256. With `cdn`, LFS files are
 * answered as the hub does, with a 302 to a second server on another port (the CDN) that carries
 * the sha256 in `X-Linked-Etag`. It lists a folder at `/api/models/<id>/tree/<revision>/<folder>`,
 * honours `Range` (206) unless told not to, and injects faults on request: a transfer cut short, or
 * corrupted in transit. Every request is logged with its headers. Also a server that accepts
 * connections and never answers, to test the offline bound.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";

export interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestHub {
  url: string;
  /** The URL of every request, in order. */
  requests: string[];
  /** Every request with its headers, in order. */
  log: LoggedRequest[];
  /** The CDN server LFS files are redirected to, when the hub was started with `cdn`. */
  cdn?: TestHub;
  close(): Promise<void>;
}

/** What goes wrong with one response: `truncate` sends half the body, then drops the connection; `corrupt` flips bytes of the body. */
export type Fault = "truncate" | "corrupt";

export interface HubOptions {
  /** `bytes` of every file every `everyMs` ms, after the headers (with the full Content-Length). */
  pace?: Pace;
  /** LFS files are served by a second server, the hub answering 302 with `X-Linked-Etag`. */
  cdn?: boolean;
  /** Whether `Range` requests get a 206 with the rest (default true); false answers 200 with the whole file, as some servers do. */
  ranges?: boolean;
  /** Faults per file path (`onnx/model.onnx`), one per response of that file, in order; later responses are sound. */
  faults?: Record<string, Fault[]>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** The token that opens `gated` repositories of the test hub. */
export const TEST_TOKEN = "test-token";

/** `bytes` of a file every `everyMs` ms, after the headers (with the full Content-Length). */
export interface Pace {
  bytes: number;
  everyMs: number;
}

/** Files the hub stores in LFS, as model repositories do for weights. */
const isLfs = (file: string): boolean => /\.onnx(_data)?$/.test(file);

/** git's id of a file's content (the hub's ETag of a regular file, and the tree API's `oid`). */
const gitBlobSha1 = (bytes: Buffer): string => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

/** The hub's ETag of a file: sha256 for LFS files, git's blob sha1 for the rest. */
export function hubEtag(file: string, bytes: Buffer): string {
  return isLfs(file) ? createHash("sha256").update(bytes).digest("hex") : gitBlobSha1(bytes);
}

/**
 * Serves `repos` (hub id -> folder) for any revision; `gated` ids answer 401 without `Bearer
 * TEST_TOKEN`; see HubOptions for the rest.
 */
export async function startHub(repos: Record<string, string>, gated: string[] = [], options: HubOptions = {}): Promise<TestHub> {
  const faults = new Map(Object.entries(options.faults ?? {}).map(([file, list]) => [file, [...list]]));
  const send = (req: IncomingMessage, res: ServerResponse, file: string, path: string, etag?: string) => {
    const bytes = readFileSync(path);
    sendFile(req, res, bytes, {etag, ranges: options.ranges ?? true, pace: options.pace, fault: faults.get(file)?.shift()});
  };
  const cdn = options.cdn ? await startServer((req, res) => {
    // `/<sha256>/<owner>/<name>/<file>`: the CDN knows nothing of tokens or revisions.
    const match = /^\/[0-9a-f]{64}\/([^/]+\/[^/]+)\/(.+)$/.exec(req.url ?? "");
    const path = match && join(repos[match[1]], match[2]);
    if (!path || !existsSync(path)) return void res.writeHead(404).end();
    send(req, res, match[2], path);
  }) : undefined;
  const hub = await startServer((req, res) => {
    const url = req.url ?? "";
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/[^/]+\/(.+)$/.exec(url);
    const resolved = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(url);
    const id = (tree ?? resolved)?.[1];
    if (id && gated.includes(id) && req.headers.authorization !== `Bearer ${TEST_TOKEN}`) return void res.writeHead(401).end();
    const folder = id && repos[id];
    if (tree) return void listTree(res, folder, decodeURIComponent(tree[2]));
    const file = resolved && decodeURIComponent(resolved[2]);
    const path = folder && file && join(folder, file);
    if (!path || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end("Entry not found");
    const etag = hubEtag(file!, readFileSync(path));
    if (cdn && isLfs(file!)) {
      const location = `${cdn.url}/${etag}/${id}/${file}`;
      return void res.writeHead(302, {location, "x-linked-etag": `"${etag}"`, "x-linked-size": statSync(path).size}).end();
    }
    send(req, res, file!, path, etag);
  });
  return {...hub, cdn, close: async () => (await hub.close(), await cdn?.close())};
}

/** The hub API's listing of one folder of a repository: `[{type, path, size, oid, lfs?}]`. */
function listTree(res: ServerResponse, folder: string | undefined, path: string): void {
  const dir = folder && join(folder, path);
  if (!dir || !existsSync(dir)) return void res.writeHead(404).end(JSON.stringify({error: "Entry not found"}));
  const entries = readdirSync(dir, {withFileTypes: true}).map((entry) => {
    const file = `${path}/${entry.name}`;
    if (entry.isDirectory()) return {type: "directory", path: file, oid: "0".repeat(40), size: 0};
    const bytes = readFileSync(join(dir, entry.name));
    return {type: "file", path: file, oid: gitBlobSha1(bytes), size: bytes.length, ...(isLfs(file) ? {lfs: {oid: hubEtag(file, bytes), size: bytes.length, pointerSize: 134}} : {})};
  });
  res.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify(entries));
}

/** Sends `bytes` (or the range asked for), paced and faulted as told. */
function sendFile(req: IncomingMessage, res: ServerResponse, bytes: Buffer, how: {etag?: string; ranges: boolean; pace?: Pace; fault?: Fault}): void {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const start = range && how.ranges ? Number(range[1]) : 0;
  if (start > bytes.length) return void res.writeHead(416, {"content-range": `bytes */${bytes.length}`}).end();
  let body = bytes.subarray(start);
  const headers = {"content-length": body.length, ...(how.etag ? {etag: `"${how.etag}"`} : {}), "accept-ranges": how.ranges ? "bytes" : "none"};
  res.writeHead(range && how.ranges ? 206 : 200, range && how.ranges ? {...headers, "content-range": `bytes ${start}-${bytes.length - 1}/${bytes.length}`} : headers);
  if (req.method === "HEAD") return void res.end();
  if (how.fault === "corrupt") {
    body = Buffer.from(body);
    const middle = Math.floor(body.length / 2);
    for (let i = middle; i < Math.min(middle + 64, body.length); i++) body[i] ^= 0xff;
  }
  if (how.fault === "truncate") {
    // Half the promised bytes, then the connection drops: the client sees a body shorter than Content-Length.
    return void res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
  }
  const {pace} = how;
  if (!pace) return void res.end(body);
  let sent = 0;
  const tick = setInterval(() => {
    res.write(body.subarray(sent, (sent += pace.bytes)));
    if (sent >= body.length) res.end();
  }, pace.everyMs);
  res.on("close", () => clearInterval(tick));
}

async function startServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHub> {
  const requests: string[] = [];
  const log: LoggedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    log.push({method: req.method ?? "", url: req.url ?? "", headers: req.headers});
    handle(req, res);
  });
  return {url: await listen(server), requests, log, close: closer(server)};
}

/** A server that takes the connection and then says nothing. */
export async function startSilentHub(): Promise<TestHub> {
  const server = createServer(() => {});
  return {url: await listen(server), requests: [], log: [], close: closer(server)};
}
