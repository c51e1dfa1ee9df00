/**
 * The embedded model's training code, checked against the committed model without retraining:
 * the first 100 steps rerun with the same seed reproduce the committed loss curve, and the Python
 * tokenizer used for training encodes exactly as transformers.js does with the shipped tokenizer.json.
 * Needs Debian's /usr/bin/python3 with torch (as training does); skipped with a reason otherwise.
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {AutoTokenizer, env} from "@huggingface/transformers";
import {afterAll, describe, expect, it} from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const MODEL_DIR = join(ROOT, "models/babelscope-tiny");
const TRAIN = join(ROOT, "models/train/train.py");
const PYTHON = "/usr/bin/python3";
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;
if (!hasTorch) process.stderr.write(`[embedded-train] skipped: ${PYTHON} cannot import torch\n`);

const TMP = mkdtempSync(join(tmpdir(), "babelscope-train-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

function check(curveFile: string) {
  const run = spawnSync(PYTHON, [TRAIN, "--check", curveFile, "--tokenizer", join(MODEL_DIR, "tokenizer.json")], {cwd: ROOT, encoding: "utf8"});
  return {status: run.status, output: `${run.stdout}${run.stderr}`};
}

describe.skipIf(!hasTorch)("models/train/train.py --check", () => {
  it("reproduces the committed first-100-step loss curve to 3 significant figures", () => {
    const {status, output} = check(join(MODEL_DIR, "loss-first-100.json"));
    expect(output).toContain("determinism check passed: 100 steps");
    expect(status).toBe(0);
  }, 900_000);

  it("fails and names the step when a recorded loss differs", () => {
    const reference = JSON.parse(readFileSync(join(MODEL_DIR, "loss-first-100.json"), "utf8"));
    reference.steps = reference.steps.slice(0, 3);
    reference.steps[2].lm_udhr *= 1.01;
    const tampered = join(TMP, "tampered.json");
    writeFileSync(tampered, JSON.stringify(reference));
    const {status, output} = check(tampered);
    expect(status).toBe(1);
    expect(output).toMatch(/step 2 lm_udhr: reference [\d.]+, this run [\d.]+/);
  }, 300_000);
});

describe.skipIf(!hasTorch)("models/train/tokenizer.py", () => {
  it("encodes multilingual text exactly as transformers.js does with the shipped tokenizer.json", async () => {
    const rows = readFileSync(join(ROOT, "data/udhr/parallel.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // Every 25th held-out paragraph: all scripts, text the tokenizer was not trained on.
    const texts: string[] = rows.filter((r, i) => r.split === "heldout" && i % 25 === 0).map((r) => r.text);
    texts.push("  two  spaces\tand\ttabs\n\nnew lines ", "१२३ 4.5% «quoted» — ok?!");
    const python = spawnSync(PYTHON, [join(ROOT, "models/train/tokenizer.py"), join(MODEL_DIR, "tokenizer.json")], {
      input: texts.map((t) => JSON.stringify(t)).join("\n") + "\n",
      encoding: "utf8"
    });
    expect(python.status).toBe(0);
    const pythonIds = python.stdout.trim().split("\n").map((l) => JSON.parse(l));
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL_DIR);
    const jsIds = texts.map((t) => tokenizer.encode(t));
    expect(texts.length).toBeGreaterThan(300);
    expect(pythonIds).toEqual(jsIds);
  }, 120_000);
});
