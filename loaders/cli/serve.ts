/**
 * `babelscope serve [dir] [--port N]`: the built site over http://127.0.0.1, as any plain static
 * server serves it (python's http.server, S3, GitHub Pages): a path is a file, `/dir/` is
 * `dir/index.html`, `/dir` redirects to `/dir/`, nothing else is rewritten. A browser blocks the
 * site's module scripts and data files from file://, so the site needs some server.
 */
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import {extname, isAbsolute, join, relative, resolve} from "node:path";
import {env as defaultEnv, type Env} from "../config.js";
import {integerOption, parseOptions} from "./options.js";
import {UsageError} from "./usage.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".arrow": "application/vnd.apache.arrow.file", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
  ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8"
};

export const DEFAULT_PORT = 8000;

export interface StaticServer {
  /** The origin, no trailing slash: `http://127.0.0.1:8000`. */
  url: string;
  close: () => Promise<void>;
}

/** Serves `dir` on 127.0.0.1 at `port` (0: a free one) with no rewrites. */
export async function staticServer(dir: string, port = 0): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return void response.writeHead(400).end("bad request");
    }
    const file = join(root, path);
    if (relative(root, file).startsWith("..")) return void response.writeHead(404).end("not found");
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory() && !path.endsWith("/")) return void response.writeHead(301, {location: `${url.pathname}/${url.search}`}).end();
    const target = info?.isDirectory() ? join(file, "index.html") : file;
    const targetInfo = info?.isDirectory() ? await stat(target).catch(() => null) : info;
    if (!targetInfo?.isFile()) return void response.writeHead(404).end("not found");
    response.writeHead(200, {"content-type": TYPES[extname(target)] ?? "application/octet-stream", "content-length": targetInfo.size});
    createReadStream(target).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EADDRINUSE" ? new UsageError(`port ${port} is in use: pass another with --port <n> (0: any free port)`) : error;
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("static server: no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    })
  };
}

/** A folder as a user types it next: relative to the working folder when inside it, else absolute. */
export function shownPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith("..") || isAbsolute(inside) ? path : inside || ".";
}

/** How to open a built site: the two commands the build prints and every page's file:// banner names. */
export function openInstructions(dist: string): string {
  return `open it through a local server (browsers block a site's scripts from file://): npx babelscope serve ${dist} (or python3 -m http.server -d ${dist})`;
}

export async function serveCommand(args: string[], env: Env = defaultEnv): Promise<void> {
  const {values, positionals} = parseOptions({args, options: {port: {type: "string"}}, allowPositionals: true, strict: true});
  if (positionals.length > 1) throw new UsageError(`serve takes one folder, got ${positionals.length}`);
  const dir = resolve(positionals[0] ?? env.distDir);
  const index = await stat(join(dir, "index.html")).catch(() => null);
  if (!index?.isFile()) throw new Error(`${positionals[0] ?? shownPath(dir)}: no index.html there; build the site first (npx babelscope build)`);
  const server = await staticServer(dir, integerOption("port", values.port, 0) ?? DEFAULT_PORT);
  process.stdout.write(`babelscope: serving ${shownPath(dir)} at ${server.url}/ (Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
}
