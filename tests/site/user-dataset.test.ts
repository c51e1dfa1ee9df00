/**
 * A report built on a user's own datasets (files in a temporary folder, one with a `.meta.json`
 * sidecar, one without) names and cites them as their metadata says, on every page that names
 * its data, never as the built-in Declaration, and no file of its dist/ carries the folder
 * they were read from.
 */
import {writeFileSync} from "node:fs";
import {readdir, readFile, stat} from "node:fs/promises";
import {homedir} from "node:os";
import {join, resolve} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {metadataPath} from "../../loaders/datasets/info.js";
import {runCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {labelledItems, writeItems} from "../helpers/items.js";
import {sharedReport} from "../helpers/report.js";
import {tempDir} from "../helpers/tmp.js";
import {launchBrowser, ROOT, serve} from "./harness.js";

const NAME = "Parallel test sentences of the Example Corpus";
const CITATION = "Example, A. (2026). The Example Corpus of parallel sentences";

let dir: string;
let dist: string;
let summary: string;
let browser: Browser;
let server: {url: string; close: () => Promise<void>};

beforeAll(async () => {
  // Built after the shared report: two site builds at once would share Framework's loader cache in src/.
  await sharedReport();
  dir = tempDir("user-dataset");
  const parallel = writeItems(join(dir, "example-corpus.jsonl"), labelledItems(60));
  writeFileSync(metadataPath(parallel), JSON.stringify({name: NAME, citation: CITATION, licence: "CC0-1.0"}));
  const questions = writeItems(join(dir, "my-questions.jsonl"), labelledItems(60));
  const config = writeConfig(join(dir, "user.config.mts"), {
    models: [resolve("tests/fixtures/models/tiny-llama")], parallel, questions, maxLength: 32, analysis: {resamples: 20, tokenizers: ["model"]}
  });
  const vars = {
    BABELSCOPE_WORK: join(dir, "work"), BABELSCOPE_STORES: join(dir, "stores"), BABELSCOPE_DIST: join(dir, "dist"),
    BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9", BABELSCOPE_CONFIG: config
  };
  const result = await runCli(["build"], vars);
  if (result.code !== 0) throw new Error(`babelscope build failed: ${result.stderr.trim().split("\n").pop()}\n${result.stdout}`);
  summary = result.stdout;
  dist = envFrom(vars).distDir;
  server = await serve(dist);
  browser = await launchBrowser();
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function text(path: string): Promise<{main: string; page: Page; errors: string[]}> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${server.url}${path}`, {waitUntil: "networkidle"});
  await page.waitForTimeout(1000);
  return {main: (await page.locator("main").textContent()) ?? "", page, errors};
}

describe("a report on the user's own datasets", () => {
  test("the overview, methods, ranking, alignment and fertility pages name and cite them from their metadata", async () => {
    expect(summary).toMatch(/^babelscope build: 1 model \(1 analysed, 0 skipped, 0 failed\)/);
    for (const path of ["/", "/methods.html", "/models/tiny-llama/ranking.html", "/models/tiny-llama/alignment.html", "/models/tiny-llama/fertility.html"]) {
      const {main, page, errors} = await text(path);
      expect(main, path).toContain(NAME);
      expect(main, path).toContain(CITATION);
      // Methods lists what ships with Babelscope, the Declaration among it; the other pages name only this report's data.
      if (path !== "/methods.html") expect(main, path).not.toMatch(/UDHR|Universal Declaration/);
      expect(errors, path).toEqual([]);
      // The model, configured by its absolute path, is named from the project folder.
      expect(await page.locator("#observablehq-sidebar").textContent(), path).toContain("tests/fixtures/models/tiny-llama");
      await page.context().close();
    }
    // The questions file has no sidecar: named by its file name, with where a citation would come from.
    const {main, page} = await text("/methods.html");
    expect(main).toContain("my-questions.jsonl (no citation given: a <name>.meta.json beside the dataset file supplies one)");
    await page.context().close();
  }, 5 * 60_000);

  test("the explorer offers the datasets by their names", async () => {
    const {page} = await text("/models/tiny-llama/explorer.html");
    expect(await page.getByLabel(NAME).count()).toBe(1);
    expect(await page.getByLabel("my-questions.jsonl").count()).toBe(1);
    await page.context().close();
  }, 2 * 60_000);

  test("no file of dist/ carries the folders the datasets, the config and the model were read from", async () => {
    const found: string[] = [];
    const files = (await readdir(dist, {recursive: true})) as string[];
    for (const file of files) {
      if (!(await stat(join(dist, file))).isFile()) continue;
      const text = (await readFile(join(dist, file))).toString("latin1");
      // The temporary folder of the datasets and config; the repository, where the model folder is.
      for (const path of [dir, ROOT, homedir()]) if (text.includes(path)) found.push(`${file}: ${path}`);
    }
    expect(files.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
