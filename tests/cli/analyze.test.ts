import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../helpers/cli.js";
import {labelledItems, writeItems} from "../helpers/items.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-cli-analyze-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

let store: string;
beforeAll(async () => {
  const input = writeItems(join(TMP, "items.jsonl"), labelledItems(90));
  const extracted = await runCli(["extract", "--model", resolve("tests/fixtures/models/tiny-bert"), "--input", input, "--out", join(TMP, "stores")]);
  expect(extracted.code).toBe(0);
  store = extracted.stdout.trim();
}, 60_000);

describe("babelscope analyze", () => {
  it("babelscope analyze --store DIR writes every analysis into <store>/analyses and prints that folder", async () => {
    const {code, stdout, stderr} = await runCli(["analyze", "--store", store, "--projection", "pca", "--tokenizers", "model,qwen3"]);
    expect(stderr).not.toContain("babelscope:");
    expect(code).toBe(0);
    const out = join(store, "analyses");
    expect(stdout).toBe(out + "\n");
    expect(readdirSync(out).sort()).toEqual(["align.json", "fertility.json", "latent.json", "neurons.json", "probe.json", "project.json", "rank.json", "words.json"]);
    const hash = JSON.parse(readFileSync(join(store, "manifest.json"), "utf8")).hash;
    for (const name of readdirSync(out)) {
      const file = JSON.parse(readFileSync(join(out, name), "utf8"));
      expect(file).toMatchObject({store: hash, dataset: join(TMP, "items.jsonl")});
      // The store's model is an encoder: the logit lens has no head to read.
      if (name === "latent.json") expect(file).toMatchObject({result: null, skipped: "an encoder has no output head, so there is no logit lens"});
      // A store of sentences has no word pairs: the words analysis reads a words store.
      else if (name === "words.json") expect(file).toMatchObject({result: null, skipped: expect.stringMatching(/^no word pairs/)});
      else expect(file.result).not.toBeNull();
    }
    const fertility = JSON.parse(readFileSync(join(out, "fertility.json"), "utf8")).result;
    expect(fertility.tokenizers.map((t: {tokenizer: string}) => t.tokenizer)).toEqual(["model", "qwen3"]);
    expect(fertility.skipped).toEqual([]);
    // An encoder: LAPE statistics of its GELU neurons, and no loss to silence them by.
    const neurons = JSON.parse(readFileSync(join(out, "neurons.json"), "utf8")).result;
    expect(neurons).toMatchObject({family: "bert", layers: 2, intermediate: 64, intervention: {skipped: expect.stringContaining("no language-model head")}});
  }, 120_000);

  it("babelscope analyze --only rank,probe --out DIR writes only those, with the settings given", async () => {
    const out = join(TMP, "results");
    const {code, stdout} = await runCli(["analyze", "--store", store, "--only", "rank,probe", "--out", out, "--layers", "1-2", "--seed", "3"]);
    expect(code).toBe(0);
    expect(stdout).toBe(out + "\n");
    expect(readdirSync(out).sort()).toEqual(["probe.json", "rank.json"]);
    const rank = JSON.parse(readFileSync(join(out, "rank.json"), "utf8"));
    expect(rank.settings).toMatchObject({aggregate: {from: 1, to: 2}, seed: 3});
    expect(JSON.parse(readFileSync(join(out, "probe.json"), "utf8")).settings).toMatchObject({layers: [1, 2], seed: 3});
  }, 60_000);

  it("babelscope analyze --only with an unknown name is a one-line usage error listing the choices", async () => {
    const {code, stderr} = await runCli(["analyze", "--store", store, "--only", "rank,umap"]);
    expect(code).toBe(2);
    expect(stderr).toBe('babelscope: --only: unknown analysis "umap" (choose from rank, align, probe, project, fertility, latent, neurons, words)\n');
  });

  it("babelscope analyze rejects bad settings with usage exit code 2", async () => {
    for (const [args, message] of [
      [["--layers", "3-1"], "--layers range 3-1 is empty (the first layer is after the last)"],
      [["--seed", "1.5"], '--seed must be an integer >= 0, got "1.5"'],
      [["--tokenizers", "gpt2"], 'unknown tokenizer "gpt2" (choose from model, qwen3, gemma3, llama3)'],
      [["--projection", "tsne"], 'unknown projection "tsne" (choose one of pca, umap)']
    ] as const) {
      const {code, stderr} = await runCli(["analyze", "--store", store, ...args]);
      expect(code).toBe(2);
      expect(stderr).toBe(`babelscope: ${message}\n`);
    }
  }, 60_000);

  it("babelscope analyze with a missing or incomplete store answers in one line, exit code 1", async () => {
    const missing = await runCli(["analyze", "--store", join(TMP, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`babelscope: --store ${join(TMP, "nope")}: no such folder\n`);
    const partial = join(TMP, "stores", "abc.partial");
    mkdirSync(partial, {recursive: true});
    const incomplete = await runCli(["analyze", "--store", partial]);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toBe(`babelscope: ${partial} is not a complete Babelscope store (no readable manifest.json)\n`);
    expect(existsSync(join(partial, "analyses"))).toBe(false);
    const none = await runCli(["analyze"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("babelscope: analyze needs --store <dir> (a folder printed by babelscope extract)\n");
  });
});
