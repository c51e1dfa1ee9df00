/**
 * A local stand-in for the model hub: serves folders at `/<owner>/<name>/resolve/<revision>/<file>`,
 * exactly the URL layout Babelscope downloads from, at full speed or paced (a trickle). Also a server
 * that accepts connections and never answers, to test the offline bound.
 */
import {createReadStream, existsSync, readFileSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";

export interface TestHub {
  url: string;
  requests: string[];
  close(): Promise<void>;
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

/**
 * Serves `repos` (hub id -> folder) for any revision; `gated` ids answer 401 without `Bearer
 * TEST_TOKEN`; with `pace`, every file is sent a few bytes at a time.
 */
export async function startHub(repos: Record<string, string>, gated: string[] = [], pace?: Pace): Promise<TestHub> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(req.url ?? "");
    if (match && gated.includes(match[1]) && req.headers.authorization !== `Bearer ${TEST_TOKEN}`) return void res.writeHead(401).end();
    const folder = match && repos[match[1]];
    const path = folder && join(folder, decodeURIComponent(match[2]));
    if (!path || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end("Entry not found");
    res.writeHead(200, {"content-length": statSync(path).size});
    if (!pace) return void createReadStream(path).pipe(res);
    const bytes = readFileSync(path);
    let sent = 0;
    const tick = setInterval(() => {
      res.write(bytes.subarray(sent, (sent += pace.bytes)));
      if (sent >= bytes.length) res.end();
    }, pace.everyMs);
    res.on("close", () => clearInterval(tick));
  });
  return {url: await listen(server), requests, close: closer(server)};
}

/** A server that takes the connection and then says nothing. */
export async function startSilentHub(): Promise<TestHub> {
  const server = createServer(() => {});
  return {url: await listen(server), requests: [], close: closer(server)};
}
