/**
 * The analysis pages and their charts in Debian's chromium, on the shared test report's dist/:
 * findings sentences first, exports that stand alone (title, legend, source line; PNG at 2x and
 * opaque, in dark mode too), no clipped chart text, charts named for assistive technology, and a
 * phone-width viewport that does not scroll sideways.
 */
import {readFile, readdir} from "node:fs/promises";
import {join} from "node:path";
import type {BrowserContextOptions, Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {recordErrors} from "./harness.js";
import {reportSession} from "./session.js";

const MODEL = "/models/babelscope-tiny";
const CHART_PAGES = ["ranking", "alignment", "knowledge", "fertility"].map((p) => `${MODEL}/${p}.html`);
const ANALYSIS_PAGES = [...CHART_PAGES, "/compare.html"];

const session = reportSession();

/** A settled page (Framework renders cells asynchronously) and the errors it logged. */
async function open(path: string, options: BrowserContextOptions = {}): Promise<{page: Page; errors: string[]}> {
  const context = await session.browser.newContext({viewport: {width: 1280, height: 900}, acceptDownloads: true, ...options});
  const page = await context.newPage();
  const errors = recordErrors(page);
  await page.goto(`${session.server.url}${path}`, {waitUntil: "load"});
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1500);
  errors.push(...(await page.locator(".observablehq--error").allTextContents()).map((e) => `cell: ${e}`));
  return {page, errors};
}

/** A page's JSON as the site serves it (content-hashed names under _file/). */
async function pageJson(name: string): Promise<any> {
  const dir = join(session.report.env.distDir, "_file", "models", "babelscope-tiny");
  const file = (await readdir(dir)).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name}.*.json in ${dir}`);
  return JSON.parse(await readFile(join(dir, file), "utf8"));
}

async function download(page: Page, chart: number, kind: "svg" | "png"): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(".downloadable").nth(chart).locator(`button[data-download="${kind}"]`).click()]);
  return readFile(await file.path());
}

/** Width, height and whether every pixel is opaque, decoded by the session.browser; and the top-left pixel. */
function decodePng(page: Page, png: Buffer) {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d")!;
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let transparent = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] < 255) transparent++;
    return {width: bitmap.width, height: bitmap.height, transparent, corner: [pixels[0], pixels[1], pixels[2]]};
  }, png.toString("base64"));
}

/** What a chart shows on screen: its title, legend entries, main SVG size. */
function onScreen(page: Page, chart: number) {
  return page.locator(".downloadable").nth(chart).evaluate((wrapper) => {
    const svgs = [...wrapper.querySelectorAll("svg")];
    const main = svgs.reduce((a, b) => (b.width.baseVal.value * b.height.baseVal.value > a.width.baseVal.value * a.height.baseVal.value ? b : a));
    return {
      title: wrapper.querySelector("h2")?.textContent ?? "",
      // Plot's legends: swatches (plot-…-swatch, one per category) and ramps (svg.plot-…-ramp).
      legend: [...wrapper.querySelectorAll('[class$="-swatch"]')].map((s) => s.textContent?.trim() ?? ""),
      ramp: wrapper.querySelector('svg[class$="-ramp"]') !== null,
      axes: [...main.querySelectorAll('[aria-label$="axis label"] text')].map((t) => t.textContent ?? ""),
      width: main.width.baseVal.value
    };
  });
}

describe("analysis pages", () => {
  test("each opens with 2-4 findings sentences before its first chart, computed from this model's numbers", async () => {
    const findings: Record<string, string[]> = {};
    for (const path of ANALYSIS_PAGES) {
      const {page, errors} = await open(path);
      expect(errors, path).toEqual([]);
      const sentences = await page.locator(".findings p").allTextContents();
      findings[path] = sentences;
      expect(sentences.length, path).toBeGreaterThanOrEqual(2);
      expect(sentences.length, path).toBeLessThanOrEqual(4);
      // The findings come before every chart of the page.
      const first = await page.evaluate(() => {
        const findings = document.querySelector(".findings");
        const chart = document.querySelector(".downloadable");
        return Boolean(findings && chart && findings.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      expect(first, path).toBe(true);
      await page.context().close();
    }
    process.stderr.write(`[charts] findings sentences:\n${Object.entries(findings).map(([p, s]) => `${p}\n  ${s.join("\n  ")}`).join("\n")}\n`);
    // The first-ranked language under the page's default view (Babelscope's protocol, centred vectors), from the page's own data.
    const ranking = (await pageJson("ranking")).analyses[0].result.rankings.language.languages;
    expect(findings[`${MODEL}/ranking.html`][0]).toContain(`(${ranking[0].lang}) ${ranking[0].score.toFixed(3)}`);
    expect(findings[`${MODEL}/ranking.html`][0]).toMatch(new RegExp(`^Of ${ranking.length} languages,`));
    expect(findings["/compare.html"][0]).toMatch(/^1 model analysed and 1 model skipped/);
    expect(findings[`${MODEL}/alignment.html`][0]).toMatch(/against \d+\.\d% by chance\.$/);
    expect(findings[`${MODEL}/fertility.html`][0]).toMatch(/^The model's tokenizer spends the most tokens, relative to English \(eng\), on .+: \d\.\d\d×/);
  }, 5 * 60_000);

  test("every chart is one image named by its title and a summary, and no chart text is clipped", async () => {
    const problems: string[] = [];
    for (const path of ANALYSIS_PAGES) {
      const {page} = await open(path);
      const charts = await page.locator(".downloadable").evaluateAll((wrappers) => wrappers.map((wrapper) => {
        // Plot returns a <figure> for a chart with a title or legend (every chart here has a title).
        const chart = wrapper.querySelector("figure") ?? wrapper.querySelector("svg")!;
        const main = [...wrapper.querySelectorAll("svg")].reduce((a, b) => (b.width.baseVal.value * b.height.baseVal.value > a.width.baseVal.value * a.height.baseVal.value ? b : a));
        const box = main.getBoundingClientRect();
        // Text outside the SVG's box is cut off by the browser (SVG overflow is hidden).
        const clipped = [...main.querySelectorAll("text")].filter((t) => {
          const r = t.getBoundingClientRect();
          return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1);
        }).map((t) => t.textContent);
        return {role: chart.getAttribute("role"), label: chart.getAttribute("aria-label") ?? "", title: chart.querySelector("h2")?.textContent ?? "", clipped};
      }));
      expect(charts.length, path).toBeGreaterThan(0);
      charts.forEach((c, i) => {
        if (c.role !== "img") problems.push(`${path} chart ${i}: role ${c.role}`);
        if (!c.title || !c.label.startsWith(`${c.title}. `) || c.label.length < c.title.length + 20) problems.push(`${path} chart ${i}: aria-label "${c.label}" for title "${c.title}"`);
        if (c.clipped.length) problems.push(`${path} chart ${i} "${c.title}": clipped text ${JSON.stringify(c.clipped.slice(0, 5))}`);
      });
      await page.context().close();
    }
    expect(problems).toEqual([]);
  }, 5 * 60_000);

  test("a 390 px wide viewport does not scroll sideways", async () => {
    const wide: string[] = [];
    for (const path of ANALYSIS_PAGES) {
      const {page} = await open(path, {viewport: {width: 390, height: 844}});
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${path}: scrollWidth ${width}`);
      await page.context().close();
    }
    expect(wide).toEqual([]);
  }, 5 * 60_000);
});

describe("chart exports", () => {
  test("every chart's SVG carries its title, legend, axis labels and source line, and its PNG is 2x and opaque", async () => {
    const problems: string[] = [];
    let checked = 0;
    let legends = 0;
    for (const path of CHART_PAGES) {
      const {page} = await open(path);
      // The store (and its dataset) the page's numbers come from: the questions' store on the knowledge page.
      const {store} = await pageJson(path.split("/").pop()!.replace(/\.html$/, ""));
      const count = await page.locator(".downloadable").count();
      for (let chart = 0; chart < count; chart++) {
        const shown = await onScreen(page, chart);
        const svg = (await download(page, chart, "svg")).toString("utf8");
        const where = `${path} chart ${chart} "${shown.title}"`;
        const text = svg.replace(/<[^>]+>/g, " ").replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
        for (const part of [shown.title, ...shown.legend, ...shown.axes, "Babelscope", "embedded:babelscope-tiny", `store ${store.hash}`, `dataset ${store.dataset.name}`]) {
          if (!text.includes(part.replace(/\s+/g, " ").trim())) problems.push(`${where}: SVG lacks "${part}"`);
        }
        if (shown.ramp && !/<svg[^>]*class="[^"]*-ramp"/.test(svg)) problems.push(`${where}: SVG lacks the colour ramp`);
        legends += shown.legend.length + Number(shown.ramp);
        const height = Number(/^<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1]);
        const png = await decodePng(page, await download(page, chart, "png"));
        if (png.width !== 2 * shown.width) problems.push(`${where}: PNG ${png.width} px wide for a chart ${shown.width} px wide`);
        if (png.height !== Math.ceil(2 * height)) problems.push(`${where}: PNG ${png.height} px high for an SVG ${height} px high`);
        if (png.transparent) problems.push(`${where}: ${png.transparent} transparent pixels`);
        checked++;
      }
      await page.context().close();
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    // Legends were there to check: category swatches and colour ramps.
    expect(legends).toBeGreaterThanOrEqual(10);
    expect(problems).toEqual([]);
  }, 10 * 60_000);

  test("in dark mode the PNG is opaque and dark, with light text, like the page", async () => {
    const {page} = await open(`${MODEL}/ranking.html`, {colorScheme: "dark"});
    const svg = (await download(page, 0, "svg")).toString("utf8");
    const png = await decodePng(page, await download(page, 0, "png"));
    expect(png.transparent).toBe(0);
    // A dark background (Framework's dark theme), and the text colour the page computed, light.
    expect(Math.max(...png.corner)).toBeLessThan(80);
    const color = /^<svg[^>]*\scolor="rgb\((\d+), (\d+), (\d+)\)"/.exec(svg);
    expect(color).not.toBeNull();
    expect(Math.min(...color!.slice(1).map(Number))).toBeGreaterThan(150);
    await page.context().close();
  }, 2 * 60_000);
});
