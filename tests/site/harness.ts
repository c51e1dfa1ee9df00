/**
 * What the browser tests and the site benchmark share: build the site (or reuse `dist/`), serve it
 * on 127.0.0.1 like any static server (clean URLs: `/a/b` serves `a/b.html`), and drive Debian's
 * chromium with playwright-core (never a downloaded browser).
 */
import {execFile} from "node:child_process";
import {existsSync} from "node:fs";
import {readdir, readFile, stat} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import {extname, join, normalize, relative, sep} from "node:path";
import {promisify} from "node:util";
import {chromium, type Browser} from "playwright-core";

const ROOT = join(import.meta.dirname, "..", "..");
export const DIST = join(ROOT, "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".arrow": "application/vnd.apache.arrow.file", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"
};

/**
 * Runs `babelscope build` (what `npm run build` runs) and returns its summary (stdout); it builds
 * dist/ unless dist/ is up to date, or `BABELSCOPE_SITE_REUSE=1` and dist/ exists. The build uses
 * the project config, or `BABELSCOPE_CONFIG` when set (a test config pointing at a fixture model).
 */
export async function buildSite(log: (line: string) => void = () => {}, vars: Record<string, string> = {}): Promise<string> {
  if (process.env.BABELSCOPE_SITE_REUSE === "1" && existsSync(join(DIST, "index.html"))) {
    log("reusing dist/");
    return "";
  }
  const started = Date.now();
  const {stdout} = await promisify(execFile)(process.execPath, [join(ROOT, "bin", "babelscope.js"), "build"], {cwd: ROOT, maxBuffer: 64 << 20, env: {...process.env, CI: "1", ...vars}});
  log(`babelscope build in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return stdout;
}

/** Serves a folder on 127.0.0.1 at a free port. */
export async function serve(dir: string): Promise<{url: string; close: () => Promise<void>}> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = await resolveFile(dir, path);
    if (!file) return void response.writeHead(404).end("not found");
    response.writeHead(200, {"content-type": TYPES[extname(file)] ?? "application/octet-stream"}).end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("static server: no port");
  return {url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

async function resolveFile(dir: string, path: string): Promise<string | null> {
  const base = normalize(join(dir, path));
  if (relative(dir, base).startsWith("..")) return null;
  for (const candidate of [base, `${base}.html`, join(base, "index.html")]) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  return null;
}

/** Every page of a built site as a clean URL path (`/`, `/compare`, `/models/<slug>/explorer`, ...). */
export async function sitePages(dir: string): Promise<string[]> {
  const files = (await readdir(dir, {recursive: true})) as string[];
  return files
    .filter((f) => f.endsWith(".html") && !f.split(sep).some((part) => part.startsWith("_")))
    .map((f) => `/${f.split(sep).join("/").replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, "")}`)
    .sort();
}

const CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the site tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium); no browser is downloaded`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--enable-unsafe-swiftshader"]
  });
}

/** Total bytes of the files under a folder. */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const f of (await readdir(dir, {recursive: true})) as string[]) {
    const info = await stat(join(dir, f));
    if (info.isFile()) total += info.size;
  }
  return total;
}
