/**
 * Concurrent runs, as users start them (child processes): two `babelscope build`s of one project,
 * or two `babelscope extract`s of one store, must both end well, the second after the first, with
 * the same files a single run writes; a lock left by a killed build is taken over; Ctrl-C releases
 * the lock.
 */
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {join, resolve} from "node:path";
import {beforeAll, describe, expect, test} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {buildLockPath} from "../../loaders/project/build.js";
import {runCli, startCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {labelledItems, writeItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const LLAMA = resolve("tests/fixtures/models/tiny-llama");

let dir: string;
let config: string;

beforeAll(() => {
  dir = tempDir("faults-locks");
  const items = writeItems(join(dir, "items.jsonl"), labelledItems(240));
  config = writeConfig(join(dir, "project.config.mts"), {models: [LLAMA], parallel: items, questions: items, words: false, maxLength: 32, analysis: {resamples: 20, tokenizers: ["model"]}});
});

/** A project's own folders under `dir/name`: work (the build lock), stores, cache. */
function project(name: string): Record<string, string> {
  const root = join(dir, name);
  return {BABELSCOPE_WORK: join(root, "work"), BABELSCOPE_STORES: join(root, "stores"), BABELSCOPE_CACHE: join(root, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9"};
}

/** Every file under `root` (relative path -> sha256 of its bytes), a manifest's creation time left out. */
function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, {recursive: true}).map(String)) {
    const path = join(root, name);
    if (!statSync(path).isFile()) continue;
    const bytes = name.endsWith("manifest.json") ? JSON.stringify({...JSON.parse(readFileSync(path, "utf8")), created: null}) : readFileSync(path);
    out[name] = createHash("sha256").update(bytes).digest("hex");
  }
  return out;
}

/** A pid that ran and exited: what a killed build leaves in its lock. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

const build = (vars: Record<string, string>) => startCli(["build", "--config", config, "--no-site"], vars);

describe("concurrent builds of one project", () => {
  test("two builds at once both succeed, one after the other, and write what a single build writes", async () => {
    const single = project("single");
    expect((await runCli(["build", "--config", config, "--no-site"], single)).code).toBe(0);

    const shared = project("shared");
    const [a, b] = [build(shared), build(shared)];
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    // The second waited for the first, said so once, and reused everything the first computed.
    const [first, second] = /stores: 2 extracted/.test(results[0].stdout) ? [0, 1] : [1, 0];
    const pids = [a.child.pid, b.child.pid];
    expect(results[first].stdout).toMatch(/stores: 2 extracted \(480 items\), 1 reused · analyses: 11 computed/);
    expect(results[second].stdout).toMatch(/stores: 3 reused · analyses: 11 reused/);
    const work = envFrom(shared).workDir;
    const waiting = results[second].stderr.split("\n").filter((line) => line.startsWith("waiting for"));
    expect(waiting).toEqual([expect.stringMatching(new RegExp(`^waiting for the build of ${work} held by pid ${pids[first]} on host ${hostname()} since \\S+$`))]);
    expect(results[first].stderr).not.toContain("waiting for");

    expect(files(shared.BABELSCOPE_STORES)).toEqual(files(single.BABELSCOPE_STORES));
    expect(existsSync(buildLockPath(envFrom(shared)))).toBe(false);
  }, 180_000);

  test("a lock left by a build that was killed (its pid gone) is taken over without waiting", async () => {
    // The single build's stores: this build reuses them and only the lock is new.
    const vars = {...project("stale"), BABELSCOPE_STORES: project("single").BABELSCOPE_STORES};
    const lock = buildLockPath(envFrom(vars));
    mkdirSync(join(lock, ".."), {recursive: true});
    writeFileSync(lock, JSON.stringify({pid: deadPid(), host: hostname(), since: "2026-01-01T00:00:00.000Z"}));
    const {code, stderr} = await build(vars).done;
    expect(code).toBe(0);
    expect(stderr).not.toContain("waiting for");
    expect(existsSync(lock)).toBe(false);
  }, 120_000);

  test("Ctrl-C during a build removes its lock", async () => {
    const vars = project("interrupted");
    const lock = buildLockPath(envFrom(vars));
    const {child, done} = build(vars);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(lock)) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill("SIGINT");
    const {code} = await done;
    expect(code).toBe(130);
    expect(existsSync(lock)).toBe(false);
  }, 120_000);
});

describe("concurrent extractions of one store", () => {
  test("two extracts into one store root both succeed: the second waits for the first and reuses its store", async () => {
    const input = join(dir, "items.jsonl");
    // Resume points every 16 items: many part files for two writers to collide on.
    const extract = (out: string) => startCli(["extract", "--model", LLAMA, "--input", input, "--max-length", "32", "--out", out], {BABELSCOPE_CHUNK_ITEMS: "16"});
    const single = join(dir, "extract-single");
    expect((await extract(single).done).code).toBe(0);

    const shared = join(dir, "extract-shared");
    const [a, b] = [extract(shared), extract(shared)];
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const [hash] = readdirSync(single);
    expect(results.map((r) => r.stdout.trim())).toEqual([join(shared, hash), join(shared, hash)]);
    const waited = results.findIndex((r) => r.stderr.includes("waiting for"));
    expect(waited, "neither extraction waited for the other").not.toBe(-1);
    const other = [a, b][1 - waited].child.pid;
    expect(results[waited].stderr).toMatch(new RegExp(`^waiting for store ${hash} held by pid ${other} on host ${hostname()} since \\S+$`, "m"));
    expect(results[1 - waited].stderr).not.toContain("waiting for");
    // No .partial folder and no lock file left beside the store.
    expect(readdirSync(shared)).toEqual([hash]);
    expect(files(shared)).toEqual(files(single));
  }, 180_000);
});
