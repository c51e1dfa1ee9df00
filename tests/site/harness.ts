/**
 * What the browser tests and the site benchmark share: build the site (or reuse `dist/`), serve it
 * on 127.0.0.1 like any plain static server (`/a/b.html` is a file, `/a/` is `a/index.html`), and drive Debian's
 * chromium with playwright-core (never a downloaded browser).
 */
import {execFile} from "node:child_process";
import {existsSync} from "node:fs";
import {readdir, stat} from "node:fs/promises";
import {join, sep} from "node:path";
import {promisify} from "node:util";
import {chromium, type Browser, type Page} from "playwright-core";
import {staticServer, type StaticServer} from "../../loaders/cli/serve.js";

export const ROOT = join(import.meta.dirname, "..", "..");
export const DIST = join(ROOT, "dist");

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

/**
 * Serves a folder on 127.0.0.1 at a free port as a plain static server does (`babelscope serve`):
 * no clean URLs, so a link without its `.html` is a 404 here as on python's http.server.
 */
export function serve(dir: string): Promise<StaticServer> {
  return staticServer(dir, 0);
}

/** Every page of a built site as the URL path a link names (`/`, `/compare.html`, `/models/<slug>/explorer.html`, ...). */
export async function sitePages(dir: string): Promise<string[]> {
  const files = (await readdir(dir, {recursive: true})) as string[];
  return files
    .filter((f) => f.endsWith(".html") && !f.split(sep).some((part) => part.startsWith("_")))
    .map((f) => `/${f.split(sep).join("/").replace(/(^|\/)index\.html$/, "$1")}`)
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

/** The console errors, uncaught exceptions, failed requests and HTTP errors of a page, recorded as they happen. */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}
