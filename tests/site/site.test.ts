/**
 * Browser tests of the built site: Debian's chromium (playwright-core) against the shared test
 * report's dist/ (tests/helpers/report.ts: the embedded model, analysed, and a hub model, skipped
 * offline) served on 127.0.0.1. Screenshots of every page go to tests/site/screenshots/ (gitignored).
 */
import {mkdir, readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {promisify} from "node:util";
import {execFile} from "node:child_process";
import {beforeAll, describe, expect, test} from "vitest";
import {recordErrors, sitePages} from "./harness.js";
import {reportSession} from "./session.js";
import {DISTINCT_COLORS} from "../../components/category-colors.js";
import {closestPair, contrast, luminance, parseRgb} from "../helpers/color-vision.js";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const EXPLORER_50K = "/explorer-50k.html";

/** The report's two models: one analysed, one skipped (no hub on a test machine). */
const ANALYSED = "/models/babelscope-tiny";
const SKIPPED = "/models/xenova-multilingual-e5-small";

const session = reportSession();
const pages = () => sitePages(session.report.env.distDir);

beforeAll(async () => {
  await mkdir(SCREENSHOTS, {recursive: true});
});

/** A page that records console errors and uncaught exceptions. */
async function open(
  path: string,
  options: {acceptDownloads?: boolean; viewport?: {width: number; height: number}; colorScheme?: "light" | "dark"} = {}
): Promise<{page: Page; errors: string[]}> {
  const context = await session.browser.newContext({viewport: options.viewport ?? {width: 1280, height: 900}, acceptDownloads: options.acceptDownloads, colorScheme: options.colorScheme});
  const page = await context.newPage();
  const errors = recordErrors(page);
  await page.goto(`${session.server.url}${path}`, {waitUntil: "load"});
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
    expect(session.report.summary).toMatch(/^babelscope build: 2 models \(1 analysed, 1 skipped, 0 failed\)/);
    expect(session.report.summary).toMatch(/Xenova\/multilingual-e5-small\s+skipped\s+.*cannot reach the model hub/);
    const {stdout: again} = await promisify(execFile)(process.execPath, ["bin/babelscope.js", "build"], {env: {...process.env, CI: "1", ...session.report.vars}});
    expect(again).toMatch(/embedded:babelscope-tiny\s+analysed\s+stores: 4 reused · analyses: 12 reused/);
    expect(again).toMatch(/site\s+up to date/);
  }, 120_000);
});

describe("every page", () => {
  test("loads with no console errors, says why a skipped model has no results, and has a screenshot", async () => {
    const paths = await pages();
    expect(paths).toContain("/");
    expect(paths).toContain("/compare.html");
    expect(paths).toContain("/methods.html");
    expect(paths.filter((p) => p.startsWith(ANALYSED)).length).toBe(8);
    expect(paths.filter((p) => p.startsWith(SKIPPED)).length).toBe(1); // one page: why, and how to fix it
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
      const name = path === "/" ? "index" : path.slice(1).replace(/\.html$/, "").replaceAll("/", "_");
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

    const restored = await open(copied.replace(session.server.url, ""));
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

describe("embedding explorer: shared links, export, colour and access (50,000 points)", () => {
  /** The explorer's handle on the page (see embeddingExplorer's root.explorer). */
  const EXPLORER = `document.querySelector(".embedding-explorer").explorer`;

  test("every point of every layer is inside the canvas at the default camera", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const layers: number[] = await page.evaluate(`${EXPLORER}.data.meta.layers`);
    expect(layers).toHaveLength(5);
    for (let k = 0; k < layers.length; k++) {
      await page.locator('input[name="layer"]').fill(String(k));
      const {outside, n} = await page.evaluate(`(() => {
        const e = ${EXPLORER};
        const {width, height, x} = e.scatter.props;
        let outside = 0;
        for (let i = 0; i < x.length; i++) {
          const [px, py] = e.scatter.position(i);
          if (!(px >= 0 && py >= 0 && px <= width && py <= height)) outside++;
        }
        return {outside, n: x.length};
      })()`) as {outside: number; n: number};
      expect(n).toBe(50_000);
      expect(outside, `layer ${layers[k]}`).toBe(0);
    }
    await page.context().close();
  });

  test("a link with a moved camera and a 40,000-point lasso is under 2,000 characters and reopens the same view", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const box = (await page.locator(".embedding-scatter canvas").boundingBox())!;
    // The lasso: a rectangle from the canvas's left edge to just right of the 40,000th point from the left.
    const right: number = await page.evaluate(`(() => {
      const e = ${EXPLORER};
      const xs = Array.from({length: e.data.n}, (_, i) => e.scatter.position(i)[0]).sort((a, b) => a - b);
      return (xs[39999] + xs[40000]) / 2;
    })()`);
    await page.keyboard.down("Shift");
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    for (const [x, y] of [[right, 2], [right, box.height - 2], [2, box.height - 2], [2, 2]]) await page.mouse.move(box.x + x, box.y + y, {steps: 4});
    await page.mouse.up();
    await page.keyboard.up("Shift");
    // The camera: zoom in at one place, then drag.
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.6);
    await page.mouse.wheel(0, -400);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4 + 60, box.y + box.height * 0.6 - 40, {steps: 5});
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).searchParams.get("cam")).not.toBeNull();
    const before = await page.evaluate(`(() => {
      const e = ${EXPLORER};
      return {camera: e.scatter.camera(), selection: Array.from(e.selection ?? []), at: e.scatter.position(123)};
    })()`) as {camera: {x: number; y: number; k: number}; selection: number[]; at: [number, number]};
    expect(before.selection.length).toBeGreaterThan(39_900);
    expect(before.selection.length).toBeLessThan(40_100);
    expect(before.camera.k).toBeGreaterThan(1.5);
    const link = page.url();
    process.stderr.write(`[explorer] link for a ${before.selection.length}-point lasso and a camera: ${link.length} characters\n`);
    expect(link.length).toBeLessThan(2000);
    await page.context().close();

    const restored = await open(link.replace(session.server.url, ""));
    await explorerReady(restored.page);
    const after = await restored.page.evaluate(`(() => {
      const e = ${EXPLORER};
      return {camera: e.scatter.camera(), selection: Array.from(e.selection ?? []), at: e.scatter.position(123)};
    })()`) as typeof before;
    expect(after.selection).toEqual(before.selection);
    // The link rounds the centre to 1/10,000 of the picture and the zoom to 4 digits: under a pixel.
    expect(Math.abs(after.camera.k / before.camera.k - 1)).toBeLessThan(1e-3);
    expect(Math.abs(after.at[0] - before.at[0])).toBeLessThan(1);
    expect(Math.abs(after.at[1] - before.at[1])).toBeLessThan(1);
    expect(await restored.page.locator(".explorer-status").textContent()).toContain(`${before.selection.length.toLocaleString("en-US")} selected`);
    await restored.page.context().close();
  });

  test("the picture downloads with its title and legend: SVG text, and a PNG at twice the size on an opaque background", async () => {
    const {page} = await open(EXPLORER_50K, {acceptDownloads: true});
    await explorerReady(page);
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.locator('.embedding-explorer button[data-download="svg"]').click()]);
    const svg = await readFile(await svgDownload.path(), "utf8");
    expect(svg).toContain(">synthetic: PCA of layer 2, coloured by language");
    const legend = (await page.locator(".explorer-legend > span").allTextContents()).slice(0, 16);
    expect(legend[0]).toBe("Language x00 (1000)");
    for (const entry of legend) expect(svg).toContain(`>${entry}</text>`);
    const svgSize = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
    const [svgWidth, svgHeight] = [Number(svgSize[1]), Number(svgSize[2])];

    const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.locator('.embedding-explorer button[data-download="png"]').click()]);
    const png = await readFile(await pngDownload.path());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // IHDR: the first chunk, its width and height big-endian at bytes 16 and 20.
    expect(png.subarray(12, 16).toString()).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svgWidth, 2 * svgHeight]);
    // Every pixel opaque, decoded by the session.browser.
    const alpha = await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let min = 255;
      for (let i = 3; i < pixels.length; i += 4) min = Math.min(min, pixels[i]);
      return {min, pixels: pixels.length / 4};
    }, png.toString("base64"));
    expect(alpha).toEqual({min: 255, pixels: 4 * svgWidth * svgHeight});
    await page.context().close();
  }, 120_000);

  test("the legend's first 8 colours are the colour-blind-safe palette, told apart under simulated deuteranopia and protanopia", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    await page.locator('select[name="color"]').selectOption("label"); // 12 "meaning" labels
    const swatches = await page.locator(".explorer-legend > span > span").evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
    expect(swatches.length).toBe(12);
    const first = swatches.slice(0, 8);
    expect(first.map(parseRgb)).toEqual(DISTINCT_COLORS.map(parseRgb));
    for (const vision of ["normal", "deuteranopia", "protanopia"] as const) {
      const {distance, pair} = closestPair(first.map((c) => `rgb(${parseRgb(c).join(",")})`), vision);
      expect(distance, `${vision}: ${pair.join(" and ")}`).toBeGreaterThan(10);
    }
    // The points are drawn in their legend colour.
    const point = await page.evaluate(`(() => {
      const e = ${EXPLORER};
      const label = e.data.columns.label[0];
      const names = [...document.querySelectorAll(".explorer-legend > span")].map((s) => s.textContent.slice(0, s.textContent.lastIndexOf(" (")));
      return {rgb: Array.from(e.scatter.props.rgb.subarray(0, 3)), legend: names.indexOf(label)};
    })()`) as {rgb: number[]; legend: number};
    expect(point.rgb).toEqual(parseRgb(swatches[point.legend]));
    await page.context().close();
  });

  test("in dark mode the neighbour rings stand out from the page's background", async () => {
    const {page} = await open(EXPLORER_50K, {colorScheme: "dark"});
    await explorerReady(page);
    await page.evaluate(`${EXPLORER}.scatter.props.onClick(0)`);
    const {ring, background} = await page.evaluate(`(() => ({
      ring: ${EXPLORER}.scatter.props.ringColor,
      background: getComputedStyle(document.body).backgroundColor
    }))()`) as {ring: [number, number, number]; background: string};
    // The page is dark (so that this tests dark mode), and the rings contrast with it (WCAG 1.4.11: 3:1).
    expect(luminance(parseRgb(background))).toBeLessThan(0.05);
    expect(contrast(ring, parseRgb(background))).toBeGreaterThan(3);
    // And the canvas draws them in that colour: one ringed point, every other point dimmed (a search
    // matching nothing); some pixel around it is the ring's colour.
    await page.locator('input[name="search"]').fill("no such text");
    await page.evaluate(`${EXPLORER}.scatter.update({marked: Int32Array.from([0])})`);
    await page.waitForTimeout(300);
    const pixels: number[][] = await page.evaluate(`(() => {
      const e = ${EXPLORER};
      const canvas = e.scatter.canvas, gl = canvas.getContext("webgl2");
      const [px, py] = e.scatter.position(0).map((v) => Math.round(v * devicePixelRatio));
      const r = 6, out = new Uint8Array(4 * (2 * r + 1) ** 2);
      gl.readPixels(px - r, canvas.height - py - r, 2 * r + 1, 2 * r + 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
      return Array.from({length: out.length / 4}, (_, i) => Array.from(out.subarray(4 * i, 4 * i + 4)));
    })()`);
    const ringed = pixels.filter(([r, g, b, a]) => a > 240 && Math.max(Math.abs(r - ring[0]), Math.abs(g - ring[1]), Math.abs(b - ring[2])) < 30);
    expect(ringed.length).toBeGreaterThan(4);
    await page.context().close();
  });

  test("the keyboard steps through a search's matches and lists a point's neighbours, announced in a live region", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const canvas = page.locator(".embedding-scatter canvas");
    expect(await canvas.getAttribute("role")).toBe("application");
    expect(await canvas.getAttribute("aria-label")).toMatch(/Arrow keys.*Enter/);
    const status = page.locator(".explorer-status");
    expect(await status.getAttribute("aria-live")).toBe("polite");
    expect(await status.textContent()).toContain("PCA of layer 2");
    await page.locator('input[name="search"]').fill("x07");
    await canvas.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    // The matches of "x07" are the points of language 7: 7, 57, 107, ...; the second is 57.
    expect(await page.evaluate(`${EXPLORER}.focused`)).toBe(57);
    await expect.poll(() => status.textContent()).toContain("Item 2 of 1,000: Language x07: Точка 57 языка x07");
    await page.keyboard.press("ArrowLeft");
    expect(await page.evaluate(`${EXPLORER}.focused`)).toBe(7);
    await page.keyboard.press("Enter");
    const rows = page.locator(".explorer-neighbours tbody tr");
    await expect.poll(() => rows.count()).toBe(11);
    expect(await rows.first().locator("td").last().textContent()).toBe("Точка 7 языка x07"); // every third language is in Cyrillic
    // From the list, Tab reaches a neighbour and Enter lists that neighbour's neighbours.
    const second = Number(await page.evaluate(`${EXPLORER}.scatter.props.marked[1]`));
    await rows.nth(1).focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(`${EXPLORER}.state.pt`)).toBe(second);
    await page.context().close();
  });

  test("two fingers pinch-zoom the picture", async () => {
    const {page} = await open(EXPLORER_50K);
    await explorerReady(page);
    const k = await page.evaluate(`(() => {
      const canvas = document.querySelector(".embedding-scatter canvas");
      const box = canvas.getBoundingClientRect();
      const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
      const fire = (type, pointerId, x) => canvas.dispatchEvent(new PointerEvent(type, {pointerId, pointerType: "touch", isPrimary: pointerId === 1, clientX: x, clientY: cy, bubbles: true}));
      fire("pointerdown", 1, cx - 50);
      fire("pointerdown", 2, cx + 50);
      fire("pointermove", 2, cx + 150); // the fingers 100 px apart, then 200
      fire("pointerup", 2, cx + 150);
      fire("pointerup", 1, cx - 50);
      return ${EXPLORER}.scatter.camera().k;
    })()`);
    expect(k).toBeCloseTo(2, 6);
    expect(await page.evaluate(`${EXPLORER}.selection`)).toBeNull(); // a pinch is not a lasso
    await page.context().close();
  });

  test("on a 390-pixel phone screen the controls wrap and nothing widens the page", async () => {
    for (const path of [EXPLORER_50K, `${ANALYSED}/explorer.html`]) {
      const {page, errors} = await open(path, {viewport: {width: 390, height: 844}});
      await explorerReady(page);
      await settle(page);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        canvas: document.querySelector(".embedding-scatter canvas")!.getBoundingClientRect().right,
        controls: document.querySelector(".explorer-controls")!.getBoundingClientRect().height
      }));
      expect(widths.page, path).toBeLessThanOrEqual(390);
      expect(widths.canvas, path).toBeLessThanOrEqual(390);
      expect(widths.controls, `${path}: the controls wrap onto several lines`).toBeGreaterThan(60);
      expect(errors).toEqual([]);
      await page.screenshot({path: join(SCREENSHOTS, `${path.slice(1).replaceAll("/", "_")}_390px.png`), fullPage: true});
      await page.context().close();
    }
  });
});

describe("model pages", () => {
  test("the analysed model's explorer renders its points, neighbours and the questions coloured by label", async () => {
    const path = `${ANALYSED}/explorer.html`;
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
    await page.screenshot({path: join(SCREENSHOTS, `${path.slice(1).replace(/\.html$/, "").replaceAll("/", "_")}_questions.png`), fullPage: true});
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a ranking page restores its controls from the URL and writes changes back", async () => {
    const {page, errors} = await open(`${ANALYSED}/ranking.html?centering=none&top=10`);
    await settle(page);
    expect(await page.locator(".warning").count()).toBe(0);
    // The radio itself: charts are labelled too (aria-label), and "Common Crawl" contains "raw".
    expect(await page.getByRole("radio", {name: "raw", exact: true}).isChecked()).toBe(true);
    expect(await page.locator("figure").first().textContent()).toMatch(/Top and bottom 10 of \d+ languages/);
    await page.getByLabel("mean-centred per language").check();
    await expect.poll(() => new URL(page.url()).searchParams.get("centering")).toBe(null); // the default is left out
    expect(new URL(page.url()).searchParams.get("top")).toBe("10");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the ranking and knowledge pages say which protocol made their numbers, and switch to the papers' from the URL or a control", async () => {
    const ranking = await open(`${ANALYSED}/ranking.html?protocol=paper`);
    await settle(ranking.page);
    expect(await ranking.page.locator(".warning, .note").count()).toBe(0);
    expect(await ranking.page.locator("main").textContent()).toContain("Every number here: the Language Ranker paper's protocol (last-token vectors, no centring)");
    expect(ranking.errors).toEqual([]);
    await ranking.page.context().close();

    const {page, errors} = await open(`${ANALYSED}/knowledge.html`);
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

  test("the latent-language page states the lens's findings in words, draws it per layer, and its target language follows the URL", async () => {
    const {page, errors} = await open(`${ANALYSED}/latent.html?target=rus`);
    await settle(page);
    const text = async () => (await page.locator("main").textContent()) ?? "";
    expect(await text()).toMatch(/At the last layer the correct answer's first token gets a mean probability of \S+ \(median rank \d+ of 8192 tokens, averaged over 5 target languages and \d+ prompts\)/);
    expect(await text()).toMatch(/Mass on English-only tokens peaks at hidden state \d at \d+\.\d%, against \d+\.\d% under a uniform distribution/);
    expect(await text()).toContain("prompts into русский (rus)");
    // Three charts (answer vs English, languages, scripts), each with its CSV.
    expect(await page.locator('button[data-download="csv"]').count()).toBe(3);
    await page.getByLabel("Target language").selectOption({label: "中文 (cmn_hans)"});
    await expect.poll(() => new URL(page.url()).searchParams.get("target")).toBe("cmn_hans");
    await expect.poll(text).toContain("prompts into 中文 (cmn_hans)");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the language-neurons page states its findings and downloads the neuron counts per layer and language as CSV", async () => {
    const {page, errors} = await open(`${ANALYSED}/neurons.html`, {acceptDownloads: true});
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
    const {page} = await open(`${ANALYSED}/ranking.html`, {acceptDownloads: true});
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
