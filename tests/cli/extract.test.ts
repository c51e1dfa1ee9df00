import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runCli, signalAfterParts, startCli} from "../helpers/cli.js";
import {testItems} from "../helpers/items.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-cli-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

const TINY_LLAMA = resolve("tests/fixtures/models/tiny-llama");

function writeJsonl(name: string, rows: object[]): string {
  const path = join(TMP, name);
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return path;
}

function storeFiles(dir: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

function withoutCreated(manifest: Buffer): unknown {
  const {created: _created, ...rest} = JSON.parse(manifest.toString());
  return rest;
}

describe("babelscope extract", () => {
  it("babelscope --help explains every option", async () => {
    const {code, stdout} = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const option of ["--model", "--input", "--langs", "--pooling", "--max-length", "--batch-size", "--dtype", "--threads", "--max-items-per-language", "--out"]) expect(stdout).toContain(option);
  });

  it("babelscope extract prints the store folder, and a rerun reuses it", async () => {
    const input = writeJsonl("small.jsonl", testItems(30));
    const out = join(TMP, "stores-small");
    const first = await runCli(["extract", "--model", TINY_LLAMA, "--input", input, "--out", out, "--pooling", "last"]);
    expect(first.stderr).not.toContain("babelscope:");
    expect(first.code).toBe(0);
    const dir = first.stdout.trim();
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({model: {kind: "decoder", num_layers: 3, hidden_size: 32}, settings: {pooling: "last"}, counts: {items: 30, languages: 6, hidden_states: 4}});
    const again = await runCli(["extract", "--model", TINY_LLAMA, "--input", input, "--out", out, "--pooling", "last", "--batch-size", "7"]);
    expect(again.stdout.trim()).toBe(dir);
    expect(again.stderr).toContain("reused complete store");
  });

  it("babelscope extract --max-items-per-language caps every language by unit, and prints the estimate first", async () => {
    // 6 languages x 5 units; at most 2 per language: 2 whole units.
    const input = writeJsonl("capped.jsonl", testItems(30));
    const out = join(TMP, "stores-capped");
    const capped = await runCli(["extract", "--model", TINY_LLAMA, "--input", input, "--out", out, "--max-items-per-language", "2"]);
    expect(capped.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(capped.stdout.trim(), "manifest.json"), "utf8"));
    expect(manifest.counts).toMatchObject({items: 12, languages: 6});
    expect(capped.stderr).toMatch(/estimate: 12 items, \d+ tokens \(\d+ as batched\); timing the first batch\n/);
    expect(capped.stderr).toMatch(/estimate: 12 items, .*; first batch 12 items \(\d+ tokens\) in [\d.]+ s: about \d+:\d\d to extract/);
    const bad = await runCli(["extract", "--model", TINY_LLAMA, "--input", input, "--out", out, "--max-items-per-language", "0"]);
    expect(bad.stderr).toContain('--max-items-per-language must be an integer >= 1, got "0"');
  });

  it("babelscope extract killed half-way resumes on rerun to a store identical to an uninterrupted run", async () => {
    const input = writeJsonl("large.jsonl", testItems(800));
    const args = ["extract", "--model", TINY_LLAMA, "--input", input, "--batch-size", "1", "--threads", "1"];
    // Resume points every 16 items, so 800 items give fifty of them.
    const chunked = {BABELSCOPE_CHUNK_ITEMS: "16"};

    const reference = await runCli([...args, "--out", join(TMP, "stores-reference")], chunked);
    expect(reference.code).toBe(0);

    const out = join(TMP, "stores-killed");
    const {child, done} = startCli([...args, "--out", out], chunked);
    await signalAfterParts(child, out, 2, "SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    // Nothing looks complete (the killed run's lock file, a dot file, is taken over by the rerun).
    expect(readdirSync(out).some((name) => !name.endsWith(".partial") && !name.startsWith("."))).toBe(false);

    const resumed = await runCli([...args, "--out", out], chunked);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/\d+ items resumed from an earlier run/);
    const a = storeFiles(reference.stdout.trim());
    const b = storeFiles(resumed.stdout.trim());
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) {
      if (name === "manifest.json") expect(withoutCreated(b[name])).toEqual(withoutCreated(a[name]));
      else expect(b[name].equals(a[name]), name).toBe(true);
    }
  }, 180_000);

  it("babelscope extract names the line of a malformed input and keeps stores already written", async () => {
    const out = join(TMP, "stores-small");
    const before = readdirSync(out);
    const rows = testItems(5).map((row) => JSON.stringify(row));
    rows.splice(2, 0, '{"id": "x", "unit": "u", "lang": "eng"');
    const path = join(TMP, "bad.jsonl");
    writeFileSync(path, rows.join("\n") + "\n");
    const {code, stderr} = await runCli(["extract", "--model", TINY_LLAMA, "--input", path, "--out", out]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`${path}:3`);
    expect(readdirSync(out)).toEqual(before);
  });

  it("babelscope extract with an unreachable hub answers in one line, without hanging", async () => {
    const input = writeJsonl("tiny.jsonl", testItems(3));
    const started = Date.now();
    const {code, stderr} = await runCli(["extract", "--model", "Xenova/multilingual-e5-small", "--input", input, "--out", join(TMP, "stores-hub")], {
      BABELSCOPE_HUB: "https://hub.invalid",
      BABELSCOPE_HUB_TIMEOUT_MS: "1000",
      BABELSCOPE_CACHE: join(TMP, "cache")
    });
    // Ten times the hub bound plus a process start on a loaded machine: catches a hang, not slowness.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^babelscope: Xenova\/multilingual-e5-small: cannot reach the model hub at https:\/\/hub\.invalid/);
  });

  it("babelscope extract rejects a bad option value with usage exit code 2", async () => {
    const {code, stderr} = await runCli(["extract", "--model", TINY_LLAMA, "--input", "x.jsonl", "--pooling", "max"]);
    expect(code).toBe(2);
    expect(stderr).toBe('babelscope: --pooling must be one of mean, last, first, got "max"\n');
    const batch = await runCli(["extract", "--model", TINY_LLAMA, "--input", "x.jsonl", "--batch-size", "0"]);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toBe('babelscope: --batch-size must be an integer >= 1, got "0"\n');
    const negative = await runCli(["extract", "--model", TINY_LLAMA, "--input", "x.jsonl", "--max-length", "-5"]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe('babelscope: --max-length must be an integer >= 2, got "-5"\n');
  });
});
