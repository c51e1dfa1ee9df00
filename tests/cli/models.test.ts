import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {startHub, type TestHub} from "../helpers/hub-server.js";
import {testItems} from "../helpers/items.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-models-"));
const TINY_LLAMA = resolve("tests/fixtures/models/tiny-llama");
const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");
let hub: TestHub;
let env: Record<string, string>;

beforeAll(async () => {
  hub = await startHub({"test-org/tiny-bert": TINY_BERT});
  const config = writeConfig(join(TMP, "babelscope.config.mts"), {models: [TINY_LLAMA, "test-org/tiny-bert", "test-org/absent", "embedded:nope", "not a ref"]});
  env = {BABELSCOPE_CONFIG: config, BABELSCOPE_STORES: join(TMP, "stores"), BABELSCOPE_CACHE: join(TMP, "cache"), BABELSCOPE_HUB: hub.url};
});
afterAll(async () => {
  await hub.close();
  rmSync(TMP, {recursive: true, force: true});
});

describe("babelscope models / clean", () => {
  it("babelscope models tells for each configured model whether it is usable here, and its stores", async () => {
    const input = join(TMP, "items.jsonl");
    writeFileSync(input, testItems(12).map((item) => JSON.stringify(item)).join("\n"));
    for (const pooling of ["mean", "last"]) expect((await runCli(["extract", "--model", TINY_LLAMA, "--input", input, "--pooling", pooling], env)).code).toBe(0);

    const {code, stdout} = await runCli(["models"], env);
    expect(code).toBe(0);
    const line = (ref: string) => stdout.split("\n").find((l) => l.startsWith(ref + " "));
    expect(line(TINY_LLAMA)).toMatch(/local\s+fp32\s+2\s+available:/);
    expect(line("test-org/tiny-bert")).toMatch(/hub\s+fp32\s+0\s+downloadable: main/);
    expect(line("test-org/absent")).toMatch(/unusable: the hub answered HTTP 404/);
    expect(line("embedded:nope")).toMatch(/unusable: missing config.json/);
    expect(line("not a ref")).toMatch(/unusable: not a ref: not a model reference/);
  });

  it("babelscope clean --model removes only that model's stores; clean removes the rest", async () => {
    const input = join(TMP, "items.jsonl");
    expect((await runCli(["extract", "--model", TINY_BERT, "--input", input], env)).code).toBe(0);
    const stores = () => readdirSync(join(TMP, "stores"));
    expect(stores()).toHaveLength(3);
    const one = await runCli(["clean", "--model", TINY_LLAMA], env);
    expect(one.stderr).toContain("removed 2 stores");
    expect(stores()).toHaveLength(1);
    await runCli(["clean"], env);
    expect(stores()).toHaveLength(0);
  });

  it("babelscope clean --model <hub id> --hub removes its downloads", async () => {
    const input = join(TMP, "items.jsonl");
    expect((await runCli(["extract", "--model", "test-org/tiny-bert", "--input", input], env)).code).toBe(0);
    expect(existsSync(join(TMP, "cache", "hub", "test-org", "tiny-bert", "main"))).toBe(true);
    const {code} = await runCli(["clean", "--model", "test-org/tiny-bert", "--hub"], env);
    expect(code).toBe(0);
    expect(existsSync(join(TMP, "cache", "hub", "test-org", "tiny-bert", "main"))).toBe(false);
    expect((await runCli(["clean", "--hub"], env)).stderr).toBe("babelscope: --hub needs --model <ref> (which model's downloads to remove)\n");
  });
});
