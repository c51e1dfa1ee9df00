/**
 * Browser tests of the built site: Debian's chromium (playwright-core) against the shared test
 * report's dist/ (tests/helpers/report.ts: the embedded model, analysed, and a hub model, skipped
 * offline) served on 127.0.0.1. Screenshots of every page go to tests/site/screenshots/ (gitignored).
 */
import {mkdir, readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {promisify} from "node:util";
import {execFile} from "node:child_process";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {sharedReport, type SharedReport} from "../helpers/report.js";
import {launchBrowser, serve, sitePages} from "./harness.js";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const EXPLORER_50K = "/explorer-50k";

/** The report's two models: one analysed, one skipped (no hub on a test machine). */
const ANALYSED = "/models/babelscope-tiny";
const SKIPPED = "/models/xenova-multilingual-e5-small";

let report: SharedReport;
const pages = () => sitePages(report.env.distDir);
let browser: Browser;
let server: {url: string; close: () => Promise<void>};

beforeAll(async () => {
  report = await sharedReport();
  server = await serve(report.env.distDir);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, {recursive: true});
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records console errors and uncaught exceptions. */
async function open(path: string, options: {acceptDownloads?: boolean} = {}): Promise<{page: Page; errors: string[]}> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}, acceptDownloads: options.acceptDownloads});
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${server.url}${path}`, {waitUntil: "load"});
  return {page, errors};
}

/** Waits until the explorer has drawn its first frame; returns its root. */
async function explorerReady(page: Page) {
  await page.waitForSelector(".embedding-explorer[data-first-render]", {timeout: 60_000});
  return page.locator(".embedding-explorer");
}

function canvasShot(page: Page): Promise<Buffer> {
  return page.locator(".embedding-scatter canvas").screenshot();
}

/** Observable Framework renders cells asynchronously: wait for the runtime to settle. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1500);
}

describe("babelscope build", () => {
  test("builds the embedded model, skips the offline hub model, and a rebuild with nothing changed computes nothing", async () => {
    // This file's build may be the run's first or a rebuild: both report the same models.
    expect(report.summary).toMatch(/^babelscope build: 2 models \(1 analysed, 1 skipped, 0 failed\)/);
    expect(report.summary).toMatch(/Xenova\/multilingual-e5-small\s+skipped\s+.*cannot reach the model hub/);
    const {stdout: again} = await promisify(execFile)(process.execPath, ["bin/babelscope.js", "build"], {env: {...process.env, CI: "1", ...report.vars}});
    expect(again).toMatch(/embedded:babelscope-tiny\s+analysed\s+stores: 3 reused · analyses: 10 reused/);
    expect(again).toMatch(/site\s+up to date/);
  }, 120_000);
});

describe("every page", () => {
  test("loads with no console errors, says why a skipped model has no results, and has a screenshot", async () => {
    const paths = await pages();
    expect(paths).toContain("/");
    expect(paths).toContain("/compare");
    expect(paths).toContain("/methods");
    expect(paths.filter((p) => p.startsWith(ANALYSED)).length).toBe(6);
    expect(paths.filter((p) => p.startsWith(SKIPPED)).length).toBe(6);
    const failures: string[] = [];
    for (const path of paths) {
      const {page, errors} = await open(path);
      await settle(page);
      // Framework shows a cell's error in the page; count those as failures too.
      const cellErrors = await page.locator(".observablehq--error").allTextContents();
      failures.push(...[...errors, ...cellErrors.map((e) => `cell: ${e}`)].map((e) => `${path}: ${e}`));
      // Every page of the skipped model says why; the analysed model's pages have no such warning.
      const skippedWarning = await page.locator(".warning", {hasText: "cannot reach the model hub"}).count();
      if (path.startsWith(SKIPPED) && skippedWarning === 0) failures.push(`${path}: no warning saying why the model was skipped`);
      if (path.startsWith(ANALYSED) && skippedWarning > 0) failures.push(`${path}: a skipped-model warning on the analysed model's page`);
      const name = path === "/" ? "index" : path.slice(1).replaceAll("/", "_");
      await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true});
      await page.context().close();
    }
    expect(failures).toEqual([]);
  }, 10 * 60_000);
});

describe("embedding explorer (50,000 points)", () => {
  test("draws every point with WebGL", async () => {
    const {page, errors} = await open(EXPLORER_50K);
    const root = await explorerReady(page);
    expect(await root.locator(".explorer-status").textContent()).toContain("50,000 points");
    // SwiftShader renders: the canvas is not blank.
    const colored = await page.evaluate(() => {
      const canvas = document.querySelector(".embedding-scatter canvas") as HTMLCanvasElement;
      const gl = canvas.getContext("webgl2")!;
      const pixels = new Uint8Array(canvas.width * canvas.height * 4);
      gl.readPixels(0, 0, canvas.width, canvas.height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
      return count;
    });
    expect(colored).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the layer slider moves the points", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const before = await canvasShot(page);
    const firstX = await page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.scatter.props.x[0]);
    await page.locator('input[name="layer"]').fill("4");
    await page.waitForTimeout(800); // the 350 ms transition
    const after = await canvasShot(page);
    const state = await page.evaluate(() => {
      const e = (document.querySelector(".embedding-explorer") as any).explorer;
      return {layer: e.state.layer, x: e.scatter.props.x[0]};
    });
    expect(state.layer).toBe(4);
    expect(state.x).not.toBe(firstX);
    expect(after.equals(before)).toBe(false);
    expect(new URL(page.url()).searchParams.get("layer")).toBe("4");
    await page.context().close();
  });

  test("hovering a point shows its text, right-to-left text included", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    // Point 2 is in an Arabic-script language (every third language).
    const target = await page.evaluate(() => {
      const e = (document.querySelector(".embedding-explorer") as any).explorer;
      const canvas = document.querySelector(".embedding-scatter canvas")!.getBoundingClientRect();
      const i = 2;
      const [x, y] = e.scatter.position(i);
      return {x: canvas.left + x, y: canvas.top + y, text: e.data.columns.text[i]};
    });
    await page.mouse.move(target.x - 5, target.y - 5);
    await page.mouse.move(target.x, target.y);
    const tooltip = page.locator(".explorer-tooltip");
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const hovered = await page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.scatter.props.hovered);
    const shown = await tooltip.locator(".explorer-tooltip-text").textContent();
    const expected = await page.evaluate((i) => (document.querySelector(".embedding-explorer") as any).explorer.data.columns.text[i], hovered);
    expect(shown).toBe(expected);
    expect(await tooltip.locator(".explorer-tooltip-text").getAttribute("dir")).toBe("auto");
    await page.context().close();
  });

  test("colouring changes the legend and the picture; search narrows to matches", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const before = await canvasShot(page);
    await page.locator('select[name="color"]').selectOption("family");
    await page.waitForTimeout(300);
    const legend = await page.locator(".explorer-legend").textContent();
    expect(legend).toContain("Alpha (10000)");
    expect((await canvasShot(page)).equals(before)).toBe(false);
    await page.locator('input[name="search"]').fill("x07");
    await expect.poll(() => page.locator(".explorer-status").textContent()).toContain("1,000 match");
    await page.locator('input[name="search"]').fill("نقطة 49997"); // right-to-left text of point 49,997 only
    await expect.poll(() => page.locator(".explorer-status").textContent()).toContain("1 match");
    await page.context().close();
  });

  test("play steps through the layers", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    await page.locator('button[name="play"]').click();
    await expect.poll(() => page.locator('input[name="layer"]').inputValue(), {timeout: 5000}).toBe("3");
    await page.locator('button[name="play"]').click();
    expect(await page.locator('button[name="play"]').textContent()).toContain("Play");
    await page.context().close();
  });

  test("a lasso selection lists the selected items", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const box = (await page.locator(".embedding-scatter canvas").boundingBox())!;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2, r = 80;
    await page.keyboard.down("Shift");
    await page.mouse.move(cx - r, cy - r);
    await page.mouse.down();
    for (const [dx, dy] of [[r, -r], [r, r], [-r, r], [-r, -r]]) await page.mouse.move(cx + dx, cy + dy, {steps: 5});
    await page.mouse.up();
    await page.keyboard.up("Shift");
    const count = await page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.selection?.length ?? 0);
    expect(count).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".explorer-selection h3").textContent()).toContain(`Selected: ${count.toLocaleString("en-US")}`);
    expect(await page.locator(".explorer-selection tbody tr").count()).toBe(Math.min(200, count));
    await page.context().close();
  });

  test("downloads produce non-empty PNG, SVG and CSV files", async () => {
    const {page} = await open(EXPLORER_50K, {acceptDownloads: true});
    await explorerReady(page);
    for (const kind of ["png", "svg", "csv"]) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`.embedding-explorer button[data-download="${kind}"]`).click()]);
      const path = await download.path();
      expect(download.suggestedFilename().endsWith(`.${kind}`)).toBe(true);
      expect((await stat(path)).size).toBeGreaterThan(1000);
      if (kind === "png") expect((await readFile(path)).subarray(1, 4).toString()).toBe("PNG");
      if (kind === "csv") expect((await readFile(path, "utf8")).split("\n")).toHaveLength(50_001);
    }
    await page.context().close();
  });

  test("opening a copied URL restores layer, projection, colouring, search and selection", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    await page.locator('input[name="layer"]').fill("3");
    await page.locator('select[name="color"]').selectOption("script");
    await page.locator('input[name="search"]').fill("x1");
    await page.evaluate(() => {
      const e = (document.querySelector(".embedding-explorer") as any).explorer;
      e.scatter.props.onSelect(Int32Array.from([5, 6, 7, 100, 4000]));
      e.scatter.props.onClick(42);
    });
    const copied = page.url();
    await page.context().close();

    const restored = await open(copied.replace(server.url, ""));
    await explorerReady(restored.page);
    const state = await restored.page.evaluate(() => {
      const e = (document.querySelector(".embedding-explorer") as any).explorer;
      return {layer: e.state.layer, color: e.state.color, q: e.state.q, pt: e.state.pt, selection: Array.from(e.selection ?? [])};
    });
    expect(state).toEqual({layer: 3, color: "script", q: "x1", pt: 42, selection: [5, 6, 7, 100, 4000]});
    expect(await restored.page.locator('select[name="color"]').inputValue()).toBe("script");
    expect(await restored.page.locator('input[name="search"]').inputValue()).toBe("x1");
    expect(await restored.page.locator(".explorer-neighbours tbody tr").count()).toBe(11);
    // A row of the selection table shows that item's neighbours.
    await restored.page.locator(".explorer-selection tbody tr").nth(3).click();
    expect(await restored.page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.state.pt)).toBe(100);
    await restored.page.context().close();
  });
});

describe("model pages", () => {
  test("the analysed model's explorer renders its points, neighbours and the questions coloured by label", async () => {
    const path = `${ANALYSED}/explorer`;
    const {page, errors} = await open(path);
    await explorerReady(page);
    expect(await page.locator(".warning").count()).toBe(0);
    expect(Number(await page.locator(".embedding-explorer").getAttribute("data-frames"))).toBeGreaterThan(0);
    // Neighbours of a clicked item come from the model's own layer (its principal components), not the picture.
    await page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.scatter.props.onClick(0));
    expect(await page.locator(".explorer-neighbours h3").textContent()).toContain("principal components");
    expect(await page.locator(".explorer-neighbours tbody tr").count()).toBe(11);
    // The questions dataset, coloured by label: known vs unknown.
    await page.getByLabel("knowledge-boundary questions").check();
    await page.waitForFunction(() => (document.querySelector(".embedding-explorer") as any)?.explorer.data.meta.dataset === "questions", null, {timeout: 60_000});
    await page.waitForSelector(".embedding-explorer[data-first-render]");
    await page.locator('select[name="color"]').selectOption("label");
    expect(await page.locator(".explorer-legend").textContent()).toMatch(/known \(\d+\).*unknown \(\d+\)|unknown \(\d+\).*known \(\d+\)/);
    expect(new URL(page.url()).searchParams.get("dataset")).toBe("questions");
    await page.screenshot({path: join(SCREENSHOTS, `${path.slice(1).replaceAll("/", "_")}_questions.png`), fullPage: true});
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a ranking page restores its controls from the URL and writes changes back", async () => {
    const {page, errors} = await open(`${ANALYSED}/ranking?centering=none&top=10`);
    await settle(page);
    expect(await page.locator(".warning").count()).toBe(0);
    expect(await page.getByLabel("raw").isChecked()).toBe(true);
    expect(await page.locator("figure").first().textContent()).toMatch(/Top and bottom 10 of \d+ languages/);
    await page.getByLabel("mean-centred per language").check();
    await expect.poll(() => new URL(page.url()).searchParams.get("centering")).toBe(null); // the default is left out
    expect(new URL(page.url()).searchParams.get("top")).toBe("10");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the ranking and knowledge pages say which protocol made their numbers, and switch to the papers' from the URL or a control", async () => {
    const ranking = await open(`${ANALYSED}/ranking?protocol=paper`);
    await settle(ranking.page);
    expect(await ranking.page.locator(".warning, .note").count()).toBe(0);
    expect(await ranking.page.locator("main").textContent()).toContain("Every number here: the Language Ranker paper's protocol (last-token vectors, no centring)");
    expect(ranking.errors).toEqual([]);
    await ranking.page.context().close();

    const {page, errors} = await open(`${ANALYSED}/knowledge`);
    await settle(page);
    const text = async () => (await page.locator("main").textContent()) ?? "";
    expect(await text()).toMatch(/Under Babelscope \(standardised features, folds grouped by entity\) protocol, the probe reads known against unknown best at hidden state \d/);
    expect(await text()).toMatch(/The spelling of the same questions alone, on the same folds, reaches 0\.\d\d/);
    expect(await text()).toMatch(/The model answers \d+\.\d% of the real-entity questions right/);
    await page.getByLabel("The paper's protocol").check();
    await expect.poll(() => new URL(page.url()).searchParams.get("protocol")).toBe("paper");
    await expect.poll(text).toMatch(/Under the paper's \(raw features, scikit-learn's StratifiedKFold\(5, shuffle, 42\) over questions\) protocol/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the language-neurons page states its findings and downloads the neuron counts per layer and language as CSV", async () => {
    const {page, errors} = await open(`${ANALYSED}/neurons`, {acceptDownloads: true});
    await settle(page);
    expect(await page.locator(".warning").count()).toBe(0);
    const findings = await page.locator("main ul").first().textContent();
    // The embedded model: 4 layers of 384 neurons; the paper's 1% is round(15.36) = 15 neurons.
    expect(findings).toMatch(/Of 1536 MLP neurons \(4 layers × 384\), \d+ exceed the 95th percentile of activation probability .* the 1% of lowest LAPE are 15 neurons\./);
    expect(findings).toMatch(/Silencing a language's neurons changes its own held-out loss by [+-]\d\.\d{4} nats per token|No silencing experiment: /);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('button[data-download="csv"]').first().click()]);
    const [header, ...rows] = (await readFile(await download.path(), "utf8")).trim().split("\n");
    expect(header).toBe("lang,name,layer,count");
    // Every language the model read, once per layer.
    expect(rows.length % 4).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a chart's CSV, SVG and PNG downloads on a ranking page are well-formed", async () => {
    const {page} = await open(`${ANALYSED}/ranking`, {acceptDownloads: true});
    await settle(page);
    const buttons = page.locator('button[data-download="csv"]');
    expect(await buttons.count()).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent("download"), buttons.first().click()]);
    expect((await stat(await download.path())).size).toBeGreaterThan(100);
    const [svg] = await Promise.all([page.waitForEvent("download"), page.locator('button[data-download="svg"]').first().click()]);
    expect(await readFile(await svg.path(), "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [png] = await Promise.all([page.waitForEvent("download"), page.locator('button[data-download="png"]').first().click()]);
    const bytes = await readFile(await png.path());
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.length).toBeGreaterThan(5000);
    await page.context().close();
  });
});
