/**
 * The built report away from the machine that built it: on a plain static server (ours, which maps
 * nothing, and Debian's `python3 -m http.server`) every link of every page resolves; opened from
 * file:// every page says how to open it; no file carries a path of the build machine; a skipped
 * model has one page that says why and how to fix it; what the pages tell about their inputs (items
 * cut to the maximum length, language codes the ranking lacks).
 */
import {spawn, type ChildProcess} from "node:child_process";
import {readdir, readFile, stat} from "node:fs/promises";
import {homedir, tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import type {Page} from "playwright-core";
import {afterAll, describe, expect, test} from "vitest";
import {reportStore} from "../helpers/report.js";
import {PYTHON} from "../helpers/python.js";
import {recordErrors, ROOT, sitePages} from "./harness.js";
import {reportSession} from "./session.js";

const SKIPPED = "/models/xenova-multilingual-e5-small";

const session = reportSession();

/** Opens a URL in a fresh page; records console errors, failed requests and HTTP errors. */
async function open(url: string): Promise<{page: Page; errors: string[]}> {
  const page = await (await session.browser.newContext({viewport: {width: 1280, height: 900}})).newPage();
  const errors = recordErrors(page);
  const response = await page.goto(url, {waitUntil: "load"});
  if (response && response.status() >= 400) errors.push(`HTTP ${response.status()}: ${url}`);
  await page.waitForLoadState("networkidle");
  return {page, errors};
}

/** Every link on a page once its cells have run: sidebar, previous/next, and the page's own (written or drawn). */
async function links(page: Page): Promise<string[]> {
  await page.waitForTimeout(1000);
  return page.locator("a[href]").evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
}

describe("on a plain static server", () => {
  test("every link of every page (sidebar, previous/next, in the page) opens a page with no error", async () => {
    const pages = await sitePages(session.report.env.distDir);
    const origin = new URL(session.server.url).origin;
    const targets = new Map<string, string>(); // link without its #fragment -> the page it is on
    const failures: string[] = [];
    for (const path of pages) {
      const {page, errors} = await open(`${session.server.url}${path}`);
      failures.push(...errors.map((e) => `${path}: ${e}`));
      for (const href of await links(page)) {
        const url = new URL(href);
        url.hash = "";
        if (url.origin === origin && !targets.has(url.href)) targets.set(url.href, path);
      }
      await page.context().close();
    }
    // The sidebar alone links every page: the crawl saw them all (and opened each above).
    expect([...targets.keys()].map((url) => new URL(url).pathname).sort()).toEqual(expect.arrayContaining(pages));
    for (const [url, from] of targets) {
      if (pages.some((path) => url === `${session.server.url}${path}`)) continue;
      const {page, errors} = await open(url);
      failures.push(...errors.map((e) => `${url} (linked from ${from}): ${e}`));
      await page.context().close();
    }
    expect(failures).toEqual([]);
  }, 15 * 60_000);

  test("clicking 'next' from the overview walks the sidebar's pages in order to the last", async () => {
    const sidebar = await (async () => {
      const {page} = await open(`${session.server.url}/`);
      const hrefs = await page.locator("#observablehq-sidebar a").evaluateAll((anchors) => anchors.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      await page.context().close();
      return hrefs;
    })();
    const {page, errors} = await open(`${session.server.url}/`);
    const visited = [new URL(page.url()).pathname];
    while ((await page.locator("a[rel=next]").count()) > 0) {
      // Loaded in full first: leaving earlier would cancel its module requests (failures of the test's own making).
      await page.waitForLoadState("networkidle");
      await Promise.all([page.waitForURL((url) => url.pathname !== visited.at(-1)), page.locator("a[rel=next]").click()]);
      visited.push(new URL(page.url()).pathname);
      expect(await page.locator("h1").first().isVisible()).toBe(true);
    }
    expect(visited).toEqual(sidebar.filter((path, i) => sidebar.indexOf(path) === i));
    expect(visited.every((path) => path === "/" || path.endsWith(".html"))).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 5 * 60_000);
});

describe("on python3 -m http.server", () => {
  let python: ChildProcess | undefined;
  afterAll(() => void python?.kill());

  test("the overview, the comparison and a model page load, and their sidebar links open", async () => {
    python = spawn(PYTHON, ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", session.report.env.distDir, "0"], {stdio: ["ignore", "pipe", "pipe"]});
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      python!.stdout!.on("data", (chunk) => {
        out += chunk;
        const found = /port (\d+)/.exec(out);
        if (found) resolve(found[1]);
      });
      python!.on("exit", (code) => reject(new Error(`python3 -m http.server exited (${code}): ${out}`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    const failures: string[] = [];
    for (const path of ["/", "/compare.html", "/models/babelscope-tiny/alignment.html"]) {
      const {page, errors} = await open(`${origin}${path}`);
      failures.push(...errors.map((e) => `${path}: ${e}`));
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      // A sidebar link, clicked: python serves its file.
      const link = page.locator("#observablehq-sidebar a", {hasText: "Methods and citations"});
      await Promise.all([page.waitForURL(/methods\.html$/), link.click()]);
      expect(await page.locator("h1").first().textContent()).toBe("Methods and citations");
      await page.context().close();
    }
    expect(failures).toEqual([]);
  }, 5 * 60_000);
});

describe("opened from file://", () => {
  test("every page says how to open the session.report; over http no page does", async () => {
    for (const file of ["index.html", "compare.html", "models/babelscope-tiny/ranking.html"]) {
      const page = await (await session.browser.newContext()).newPage();
      await page.goto(pathToFileURL(join(session.report.env.distDir, file)).href, {waitUntil: "load"});
      const banner = page.locator(".babelscope-file-banner");
      expect(await banner.isVisible(), file).toBe(true);
      const text = await banner.textContent();
      expect(text).toContain("npx babelscope serve dist");
      expect(text).toContain("python3 -m http.server -d dist");
      await page.context().close();
    }
    const {page} = await open(`${session.server.url}/`);
    expect(await page.locator(".babelscope-file-banner").count()).toBe(0);
    await page.context().close();
    // The build's last words say the same.
    expect(session.report.summary).toMatch(/To view the site, .*: npx babelscope serve \S+ \(or python3 -m http\.server -d \S+\)\n$/);
  });
});

describe("dist/", () => {
  test("no file carries a path of the machine that built it", async () => {
    const dist = session.report.env.distDir;
    // The repository, the home folder, the temporary folder and the report's own work folders.
    const paths = [ROOT, homedir(), tmpdir(), session.report.env.workDir, session.report.env.storesDir, dist, process.cwd()].filter((p) => p.length > 1);
    const found: string[] = [];
    const files = (await readdir(dist, {recursive: true})) as string[];
    for (const file of files) {
      if (!(await stat(join(dist, file))).isFile()) continue;
      const text = (await readFile(join(dist, file))).toString("latin1");
      for (const path of paths) if (text.includes(path)) found.push(`${file}: ${path}`);
    }
    expect(files.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});

describe("the overview", () => {
  test("says how many items of the analysed model's parallel text were cut to the maximum length", async () => {
    const {manifest} = await reportStore("embedded:babelscope-tiny", "parallel");
    expect(manifest.counts.truncated).toBeGreaterThan(0);
    const {page} = await open(`${session.server.url}/`);
    await page.locator(".note", {hasText: "cut there"}).first().waitFor();
    expect(await page.locator("main").textContent()).toContain(
      `embedded:babelscope-tiny: ${manifest.counts.truncated} items of ${manifest.counts.items} were longer than ${manifest.settings.max_length} tokens and cut there`
    );
    await page.context().close();
  });
});

describe("the ranking page's language box", () => {
  test("names the codes the ranking does not have, and draws the ones it has", async () => {
    const {page, errors} = await open(`${session.server.url}/models/babelscope-tiny/ranking.html?langs=fra,xxx,en`);
    const note = page.locator(".note", {hasText: "Not in this ranking"});
    await note.waitFor();
    expect(await note.textContent()).toContain("Not in this ranking, so not drawn: xxx, en.");
    const box = page.getByRole("textbox", {name: "Languages"});
    await box.fill("fra,rus");
    await box.press("Enter");
    await expect.poll(() => note.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("a skipped model", () => {
  test("has one page: why, said once, and how to fix it", async () => {
    expect((await sitePages(session.report.env.distDir)).filter((p) => p.startsWith(SKIPPED))).toEqual([`${SKIPPED}/unavailable.html`]);
    const {page, errors} = await open(`${session.server.url}${SKIPPED}/unavailable.html`);
    const notice = page.locator(".unavailable-notice");
    await notice.waitFor();
    const text = (await notice.textContent()) ?? "";
    expect(text).toContain("Xenova/multilingual-e5-small was skipped: cannot reach the model hub at http://127.0.0.1:9");
    expect(text.split("cannot reach the model hub").length).toBe(2);
    expect(text.split("Xenova/multilingual-e5-small").length).toBe(2);
    expect(text).toContain("Run npx babelscope build once with network access");
    expect(text).toContain("BABELSCOPE_HUB");
    // No controls of the analysed pages: nothing to choose for a model without results.
    expect(await page.locator("main input, main select").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
