/**
 * The explorer's sentence probe in Debian's chromium: a typed sentence is read by the embedded
 * model in the page (onnxruntime-web, the wasm served from dist/) and its pooled vector at every
 * pictured layer equals what extraction (onnxruntime-node, the same tokenizer) computes for it.
 */
import {existsSync} from "node:fs";
import {readdir} from "node:fs/promises";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {extractVectors} from "../../loaders/extract/extract.js";
import {loadTokenizer, tokenize} from "../../loaders/extract/tokenize.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {pcaPosition} from "../../components/sentence-probe-math.js";
import type {SentenceProbeMeta} from "../../loaders/report/sentence-probe.js";
import {maxAbsDiff} from "../helpers/diff.js";
import {reportStore} from "../helpers/report.js";
import {reportSession} from "./session.js";

const MODEL = "embedded:babelscope-tiny";
const EXPLORER = "/models/babelscope-tiny/explorer.html";
/** Two scripts, and more tokens than any special-token prefix: what a reader would type. */
const SENTENCES = ["Everyone has the right to education.", "Все люди рождаются свободными и равными в своем достоинстве и правах."];

const session = reportSession();

interface PageProbe {
  ids: number[];
  layers: number[];
  vectors: number[][];
}

/** Types a sentence into the probe and returns what the page computed. */
async function place(page: Page, text: string): Promise<PageProbe> {
  await page.fill(".sentence-probe input[name=sentence]", text);
  await page.click(".sentence-probe button[type=submit]");
  await page.waitForFunction((t) => {
    const root = document.querySelector(".sentence-probe") as any;
    return root?.dataset.state === "error" || (root?.dataset.state === "done" && root.probe?.text === t);
  }, text, {timeout: 120_000});
  return page.evaluate(() => {
    const root = document.querySelector(".sentence-probe") as any;
    if (root.dataset.state === "error") throw new Error(root.querySelector(".sentence-probe-status").textContent);
    return {ids: Array.from(root.probe.ids as number[]), layers: root.probe.layers, vectors: root.probe.vectors.map((v: Float32Array) => Array.from(v))};
  });
}

describe("sentence probe", () => {
  test("the page's vector of a typed sentence at every layer equals extraction's, offline, with the wasm from dist/", async () => {
    const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(`${session.server.url}${EXPLORER}`, {waitUntil: "load"});
    await page.waitForSelector(".sentence-probe input[name=sentence]:not([disabled])", {timeout: 60_000});

    const model = await resolveModel(MODEL, session.report.env);
    const tokenizer = await loadTokenizer(model.dir);
    const pooling = session.report.config.pooling;
    const expected = await extractVectors(MODEL, SENTENCES.map((text, i) => ({id: `s${i}`, unit: `s${i}`, lang: "und", text})), {pooling, maxLength: session.report.config.maxLength}, session.report.env);
    const ids = tokenize(tokenizer, SENTENCES, session.report.config.maxLength).ids;
    let largest = 0;
    for (const [s, text] of SENTENCES.entries()) {
      const probe = await place(page, text);
      expect(probe.ids).toEqual(ids[s]);
      // Every hidden state the store pictures (here all of them: 0 = embeddings ... L).
      expect(probe.layers).toEqual(Array.from({length: expected.numLayers + 1}, (_, l) => l));
      for (const [k, layer] of probe.layers.entries()) {
        const row = expected.layers[layer].subarray(s * expected.hiddenSize, (s + 1) * expected.hiddenSize);
        expect(probe.vectors[k]).toHaveLength(expected.hiddenSize);
        const difference = maxAbsDiff(probe.vectors[k], row);
        largest = Math.max(largest, difference);
        expect(difference, `"${text}" at layer ${layer}`).toBeLessThan(1e-4);
      }
    }
    process.stderr.write(`[sentence] largest |page - extraction| over ${SENTENCES.length} sentences x every layer: ${largest.toExponential(2)}\n`);

    expect(errors).toEqual([]);
    const origin = new URL(session.server.url).origin;
    expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"))).toEqual([]);
    const wasm = requests.filter((url) => url.endsWith(".wasm"));
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatch(/\/_file\/data\/ort-wasm-simd-threaded\.[0-9a-f]+\.wasm$/);
    expect(existsSync(join(session.report.env.distDir, new URL(wasm[0]).pathname))).toBe(true);
    await context.close();
  }, 300_000);

  test("the sentence is drawn in the picture, follows the layer slider and method, and lists its nearest item in every language", async () => {
    const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    await page.goto(`${session.server.url}${EXPLORER}`, {waitUntil: "load"});
    await page.waitForSelector(".sentence-probe input[name=sentence]:not([disabled])", {timeout: 60_000});
    await place(page, SENTENCES[0]);
    const marker = page.locator(".embedding-scatter .scatter-probe");
    await expect.poll(() => marker.isVisible()).toBe(true);
    const view = () => page.evaluate(() => {
      const root = document.querySelector(".sentence-probe") as HTMLElement;
      const explorer = (document.querySelector(".embedding-explorer") as any).explorer;
      return {x: Number(root.dataset.x), y: Number(root.dataset.y), probe: explorer.scatter.props.probe, layer: explorer.state.layer, method: explorer.state.method};
    });
    const before = await view();
    expect(before.probe).toEqual({x: before.x, y: before.y});
    // Another layer: the marker moves with the picture.
    await page.locator("input[name=layer]").fill("0");
    await expect.poll(async () => (await view()).layer).toBe(0);
    const after = await view();
    expect([after.x, after.y]).not.toEqual([before.x, before.y]);
    // One row per language of the store, each that language's most similar item.
    const languages = await page.evaluate(() => new Set((document.querySelector(".embedding-explorer") as any).explorer.data.columns.lang).size);
    await expect.poll(() => page.locator(".sentence-probe-neighbours tbody tr").count()).toBe(languages);
    await expect.poll(async () => page.locator(".sentence-probe-neighbours p").textContent()).toContain(`Layer 0, ${after.method.toUpperCase()}`);
    await context.close();
  }, 300_000);

  test("in a PCA picture, the shipped axes and rotations put every stored item where the explorer draws it, and the sentence where they put its extracted vector", async () => {
    const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${session.server.url}${EXPLORER}?method=pca`, {waitUntil: "load"});
    await page.waitForSelector(".sentence-probe input[name=sentence]:not([disabled])", {timeout: 60_000});
    const metaUrl = requests.find((url) => /\/sentence-probe\.[0-9a-f]+\.json$/.test(url))!;
    const meta: SentenceProbeMeta = await (await fetch(metaUrl)).json();
    const store = await reportStore(MODEL, "parallel");
    const expected = await extractVectors(MODEL, [{id: "s", unit: "s", lang: "und", text: SENTENCES[1]}], {pooling: session.report.config.pooling, maxLength: session.report.config.maxLength}, session.report.env);
    await place(page, SENTENCES[1]);
    for (const [k, layer] of meta.layers!.entries()) {
      await page.locator("input[name=layer]").fill(String(k));
      await expect.poll(() => page.evaluate(() => (document.querySelector(".embedding-explorer") as any).explorer.state.layer)).toBe(layer);
      const drawn = await page.evaluate((l) => {
        const {x, y} = (document.querySelector(".embedding-explorer") as any).explorer.data.position("pca", l);
        const root = document.querySelector(".sentence-probe") as HTMLElement;
        return {x: Array.from(x as Float32Array), y: Array.from(y as Float32Array), probe: [Number(root.dataset.x), Number(root.dataset.y)]};
      }, layer);
      const vectors = await store.layer(layer);
      const extent = Math.max(...drawn.x.map(Math.abs), ...drawn.y.map(Math.abs));
      let largest = 0;
      for (let i = 0; i < vectors.rows; i++) {
        const [px, py] = pcaPosition(vectors.data.subarray(i * vectors.cols, (i + 1) * vectors.cols), meta.pca![k]);
        largest = Math.max(largest, Math.abs(px - drawn.x[i]), Math.abs(py - drawn.y[i]));
      }
      // The stored picture keeps 5 significant digits.
      expect(largest / extent, `layer ${layer}`).toBeLessThan(1e-4);
      const sentence = pcaPosition(expected.layers[layer], meta.pca![k]);
      expect(maxAbsDiff(drawn.probe, sentence) / extent, `the sentence at layer ${layer}`).toBeLessThan(1e-4);
    }
    await context.close();
  }, 300_000);

  test("a model that is not analysed has one page (why, and how to fix it), so no graph or vectors of it ship", async () => {
    const dir = join(session.report.env.distDir, "_file", "models", "xenova-multilingual-e5-small");
    const files: string[] = await readdir(dir).catch(() => []);
    expect(files.filter((name) => name.startsWith("sentence-"))).toEqual([]);
  });

  test("a probe file that says the model does not run in the browser leaves the text box disabled, with the reason", async () => {
    const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const reason = "M does not run in the browser: its graph is 120 MB, above the 50 MB a page loads";
    await page.route(/\/sentence-probe\.[0-9a-f]+\.json$/, (route) => route.fulfill({json: {available: false, model: "M", reason} satisfies SentenceProbeMeta}));
    await page.goto(`${session.server.url}${EXPLORER}`, {waitUntil: "load"});
    await expect.poll(() => page.locator(".sentence-probe-status").textContent(), {timeout: 60_000}).toContain(reason);
    expect(await page.locator(".sentence-probe input[name=sentence]").isDisabled()).toBe(true);
    expect(await page.locator(".sentence-probe button[type=submit]").isDisabled()).toBe(true);
    await context.close();
  }, 120_000);
});
