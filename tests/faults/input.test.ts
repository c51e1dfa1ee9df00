/**
 * What a user hands the CLI, wrong: a dataset file that is not UTF-8, repeats a (lang, unit) or
 * starts with a byte order mark; a config with wrong types or broken syntax; and Ctrl-C during an
 * extraction. Each must answer in one line before any work (or, for Ctrl-C, saying what is kept),
 * and leave nothing a rerun would trip over.
 */
import {existsSync, readdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {runCli, savedParts, signalAfterParts, startCli} from "../helpers/cli.js";
import {writeConfig} from "../helpers/config-file.js";
import {testItems, writeItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const LLAMA = resolve("tests/fixtures/models/tiny-llama");
const ROW = (id: string, unit: string, lang: string, text: string) => JSON.stringify({id, unit, lang, text});

let dir: string;
let vars: Record<string, string>;

beforeAll(() => {
  dir = tempDir("faults-input");
  vars = {BABELSCOPE_STORES: join(dir, "stores"), BABELSCOPE_CACHE: join(dir, "cache"), BABELSCOPE_HUB: "http://127.0.0.1:9"};
});

/** The one line of a failed run, with its exit code; stdout must be empty. */
async function failure(args: string[]): Promise<{code: number | null; line: string}> {
  const {code, stdout, stderr} = await runCli(args, vars);
  expect(stdout).toBe("");
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  return {code, line: lines[0]};
}

describe("dataset files", () => {
  it("a file with bytes that are not UTF-8 is rejected with its line and byte offset, not read as U+FFFD", async () => {
    const path = join(dir, "latin1.jsonl");
    const first = `${ROW("1", "u1", "eng", "summer")}\n${ROW("2", "u2", "eng", "autumn")}\n`;
    // "été" written in Latin-1 on line 3, as a file saved in the wrong encoding has it.
    writeFileSync(path, Buffer.concat([Buffer.from(`${first}{"id":"3","unit":"u1","lang":"fra","text":"`), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('"}\n')]));
    const offset = Buffer.byteLength(`${first}{"id":"3","unit":"u1","lang":"fra","text":"`);
    expect(await failure(["datasets", path])).toEqual({code: 1, line: `babelscope: ${path}:3: invalid UTF-8 (byte offset ${offset})`});
  });

  it("a repeated (lang, unit) is rejected by datasets and by extract, which then creates no store", async () => {
    const path = join(dir, "dup.jsonl");
    writeFileSync(path, [ROW("a", "u1", "eng", "Hello"), ROW("b", "u1", "fra", "Bonjour"), ROW("c", "u2", "eng", "Bye"), ROW("d", "u1", "eng", "Hi")].join("\n") + "\n");
    const line = `babelscope: ${path}:4: duplicate (lang, unit) ("eng", "u1"), first at line 1`;
    expect(await failure(["datasets", path])).toEqual({code: 1, line});
    expect(await failure(["extract", "--model", LLAMA, "--input", path])).toEqual({code: 1, line});
    expect(existsSync(vars.BABELSCOPE_STORES)).toBe(false);
  });

  it("a byte order mark is dropped in JSONL and in CSV alike: both files give the items (and hash) of the plain file", async () => {
    const items = testItems(12);
    const plain = writeItems(join(dir, "plain.jsonl"), items);
    const bom = [0xef, 0xbb, 0xbf];
    const jsonl = join(dir, "bom.jsonl");
    writeFileSync(jsonl, Buffer.concat([Buffer.from(bom), Buffer.from(items.map((item) => JSON.stringify(item)).join("\n"))]));
    const csv = join(dir, "bom.csv");
    writeFileSync(csv, Buffer.concat([Buffer.from(bom), Buffer.from(["id,unit,lang,text", ...items.map((i) => [i.id, i.unit, i.lang, `"${i.text}"`].join(","))].join("\r\n"))]));
    const counts = async (path: string) => {
      const {code, stdout} = await runCli(["datasets", path], vars);
      expect(code).toBe(0);
      return stdout.replace(path, "<file>");
    };
    const expected = await counts(plain);
    expect(expected).toMatch(/^<file> \(sha256 [0-9a-f]{12}\): 6 languages, 2 units, 12 items/);
    expect(await counts(jsonl)).toBe(expected);
    expect(await counts(csv)).toBe(expected);
  });
});

describe("the project config", () => {
  it("a config with several wrong types lists them all with key paths in one line, before any work", async () => {
    const config = writeConfig(join(dir, "typed.config.mts"), {
      models: [LLAMA, {ref: LLAMA, dtype: "f32"}, 7], languages: "eng", maxLength: "abc", analysis: {seed: "x", layers: {from: 2, to: "last"}}
    });
    const {code, line} = await failure(["build", "--config", config, "--no-site"]);
    expect(code).toBe(1);
    expect(line).toBe(
      `babelscope: ${config}: models[1].dtype must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got "f32"; ` +
        'models[2] must be a model reference or {ref, dtype, device, sample, languages}, got 7; languages must be a list of language codes, got "eng"; ' +
        'maxLength must be an integer >= 2, got "abc"; analysis.layers.to must be an integer >= 0, got "last"; analysis.seed must be an integer, got "x"'
    );
    expect(existsSync(vars.BABELSCOPE_STORES)).toBe(false);
  });

  it("a config with a syntax error is reported as file:line:column", async () => {
    const config = join(dir, "syntax.config.mts");
    writeFileSync(config, `import {defineConfig} from ${JSON.stringify(resolve("loaders/project/config.ts"))};\nexport default defineConfig({\n  models: ["embedded:babelscope-tiny"],\n  maxLength: 64,,\n});\n`);
    expect(await failure(["build", "--config", config, "--no-site"])).toEqual({code: 1, line: `babelscope: ${config}:4:17: Expected identifier but found ","`});
  });
});

describe("Ctrl-C", () => {
  it("SIGINT during extract says in one line which chunks are saved, exits 130, and a rerun resumes from them", async () => {
    const input = writeItems(join(dir, "large.jsonl"), testItems(800));
    const out = join(dir, "stores-interrupted");
    // Resume points every 16 items: 50 chunks.
    const chunked = {...vars, BABELSCOPE_CHUNK_ITEMS: "16"};
    const args = ["extract", "--model", LLAMA, "--input", input, "--batch-size", "1", "--threads", "1", "--out", out];
    const {child, done} = startCli(args, chunked);
    await signalAfterParts(child, out, 2, "SIGINT");
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toBe("");
    const lines = interrupted.stderr.trimEnd().split("\n");
    // Progress lines, then exactly one line about the interruption, last.
    expect(lines.slice(0, -1).every((line) => line.startsWith(`extract ${LLAMA}: `))).toBe(true);
    const said = /^babelscope: interrupted; (\d+) of 50 chunks of store ([0-9a-f]+) are saved: rerun the same command to resume$/.exec(lines.at(-1)!);
    expect(said, lines.at(-1)).not.toBeNull();
    const [saved, hash] = [Number(said![1]), said![2]];
    // A chunk whose rename was already under way may land after the count.
    expect(saved).toBeGreaterThanOrEqual(2);
    expect(savedParts(out).length - saved).toBeGreaterThanOrEqual(0);
    expect(savedParts(out).length - saved).toBeLessThanOrEqual(1);
    expect(readdirSync(out)).toEqual([`${hash}.partial`]);

    const rerun = await runCli(args, chunked);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout.trim()).toBe(join(out, hash));
    expect(Number(/, (\d+) items resumed from an earlier run/.exec(rerun.stderr)?.[1])).toBeGreaterThanOrEqual(16 * saved);
  }, 120_000);
});
