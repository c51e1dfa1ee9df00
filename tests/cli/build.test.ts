/**
 * `babelscope build` as a user runs it (a child process): a summary on stdout, exit code 1 when a
 * model failed while the rest still built, and Ctrl-C mid-extraction followed by a rerun that
 * resumes from the finished chunks.
 */
import {execFile} from "node:child_process";
import {readdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import {beforeAll, describe, expect, test} from "vitest";
import {runCli, signalAfterParts, startCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {labelledItems, writeItems} from "../helpers/items.js";
import {brokenModel} from "../helpers/models.js";
import {tempDir} from "../helpers/tmp.js";

const LLAMA = resolve("tests/fixtures/models/tiny-llama");

let dir: string;
let vars: Record<string, string>;

const configFile = async (name: string, config: Record<string, unknown>) => writeConfig(join(dir, `${name}.config.mts`), config);
const jsonl = async (name: string, count: number) => writeItems(join(dir, name), labelledItems(count));

beforeAll(async () => {
  dir = tempDir("cli-build");
  vars = {BABELSCOPE_STORES: join(dir, "stores"), BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9"};
});

describe("babelscope build", () => {
  test("a broken model is reported in the summary and exit code 1 while the other model builds", async () => {
    const broken = await brokenModel(LLAMA, dir);
    const small = await jsonl("small.jsonl", 60);
    const config = await configFile("broken", {models: [broken, LLAMA], parallel: small, questions: small, words: false, maxLength: 32, analysis: {resamples: 20, tokenizers: ["model"]}});
    const {code, stdout, stderr} = await runCli(["build", "--config", config, "--no-site"], vars);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^babelscope build: 2 models \(1 analysed, 0 skipped, 1 failed\)/);
    expect(stdout).toMatch(new RegExp(`${broken}\\s+failed\\s+${broken}: not a readable ONNX model`));
    expect(stdout).toMatch(/tiny-llama\s+analysed\s+stores: 2 extracted \(120 items\), 1 reused · analyses: 11 computed/);
    expect(stderr.trim().split("\n").pop()).toBe("babelscope: 1 of 2 models failed; the rest was built (see the summary)");
  }, 120_000);

  test("--max-items-per-language caps every store by unit, and each extraction's estimate comes before it", async () => {
    const small = await jsonl("capped.jsonl", 60);
    const config = await configFile("capped", {models: [LLAMA], parallel: small, questions: small, words: false, maxLength: 32, analysis: {resamples: 20, tokenizers: ["model"]}});
    const {code, stdout, stderr} = await runCli(["build", "--config", config, "--no-site", "--max-items-per-language", "2"], vars);
    expect(code).toBe(0);
    // 6 languages x 10 units, 2 whole units: 12 items in each of the two stores extracted (the third is the second's).
    expect(stdout).toMatch(/tiny-llama\s+analysed\s+stores: 2 extracted \(24 items\), 1 reused/);
    expect(stderr).toMatch(/extract .*: estimate: 12 items, \d+ tokens/);
  }, 120_000);

  test("after a build, every data loader of the site finds its stores and results: the site computes nothing", async () => {
    const small = await jsonl("pages.jsonl", 60);
    const config = await configFile("pages", {models: [LLAMA], parallel: small, questions: small, maxLength: 32, analysis: {resamples: 20, tokenizers: ["model"]}});
    expect((await runCli(["build", "--config", config, "--no-site"], vars)).code).toBe(0);
    // Every loader under src/, found by listing, so a new page's loader is covered too.
    const loaders = [
      ...readdirSync("src/data").filter((f) => /\.(json|arrow)\.ts$/.test(f) && f !== "synthetic-points.arrow.ts").map((f) => [join("src/data", f)]),
      ...readdirSync("src/models/[model]").filter((f) => f.endsWith(".ts")).map((f) => [join("src/models/[model]", f), "--model=tiny-llama"])
    ];
    expect(loaders.length).toBeGreaterThanOrEqual(8);
    for (const [file, ...args] of loaders) {
      const {stderr} = await promisify(execFile)(resolve("node_modules/.bin/tsx"), [file, ...args], {env: {...process.env, ...vars, BABELSCOPE_CONFIG: config}, maxBuffer: 64 << 20});
      expect(stderr, file).not.toMatch(/: done \(|extracted store/);
      if (file.includes("[model]") || /comparison|overview/.test(file)) expect(stderr, file).toMatch(/reused/);
    }
  }, 180_000);

  test("Ctrl-C during extraction keeps finished chunks; the rerun resumes from them and completes", async () => {
    const large = await jsonl("large.jsonl", 800);
    const config = await configFile("large", {models: [LLAMA], parallel: large, questions: await jsonl("q.jsonl", 60), words: false, maxLength: 32, batchSize: 1, threads: 1, analysis: {resamples: 20, tokenizers: ["model"]}});
    const stores = join(dir, "stores-interrupted");
    // Resume points every 16 items, so 800 items give fifty of them.
    const chunked = {...vars, BABELSCOPE_STORES: stores, BABELSCOPE_CHUNK_ITEMS: "16"};
    const {child, done} = startCli(["build", "--config", config, "--no-site"], chunked);
    await signalAfterParts(child, stores, 2, "SIGINT");
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain("babelscope: interrupted; finished chunks, stores and analyses are kept: rerun to resume");
    expect(readdirSync(stores).every((name) => name.endsWith(".partial"))).toBe(true);

    const rerun = await runCli(["build", "--config", config, "--no-site"], chunked);
    expect(rerun.code).toBe(0);
    const resumed = Number(/stores: 3 extracted \(1,660 items, (\d+) resumed\)/.exec(rerun.stdout)?.[1]);
    expect(resumed).toBeGreaterThanOrEqual(32);
    expect(resumed % 16).toBe(0);
    expect(rerun.stdout).toMatch(/analysed\s+stores: 3 extracted .* · analyses: 11 computed/);
  }, 180_000);
});
