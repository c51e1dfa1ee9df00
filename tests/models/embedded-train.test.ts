/**
 * The embedded model's training code, checked against the committed model without retraining:
 * train.py --check reruns the first steps of phase 1 twice with the recorded arguments, which must
 * still be train.py's defaults: identical in one process, and within a measured tolerance of the
 * committed loss curve on any CPU. The Python tokenizer used for training encodes exactly as
 * transformers.js does with the shipped tokenizer.json.
 * Needs Debian's /usr/bin/python3 (with torch 1.13, which made the record): missing in CI, the file
 * fails; elsewhere it skips with the reason.
 */
import {spawnSync} from "node:child_process";
import {readFileSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {AutoTokenizer, env} from "@huggingface/transformers";
import {describe, expect, it} from "vitest";
import {PYTHON, requirePython} from "../helpers/python.js";
import {tempDir} from "../helpers/tmp.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MODEL_DIR = join(ROOT, "models/babelscope-tiny");
const TRAIN = join(ROOT, "models/train/train.py");
const hasTorch = requirePython(["torch==1.13"]);
const hasPython = requirePython([]);

/** A constant of train.py, where the check's step count and tolerance are set and explained. */
function trainConstant(name: string): number {
  const match = readFileSync(TRAIN, "utf8").match(new RegExp(`^${name} = (\\S+)$`, "m"));
  if (!match) throw new Error(`train.py sets no ${name}`);
  return Number(match[1]);
}

function check(curveFile: string) {
  const run = spawnSync(PYTHON, [TRAIN, "--check", curveFile, "--tokenizer", join(MODEL_DIR, "tokenizer.json")], {cwd: ROOT, encoding: "utf8"});
  return {status: run.status, output: `${run.stdout}${run.stderr}`};
}

describe.skipIf(!hasTorch)("models/train/train.py --check", () => {
  const steps = trainConstant("CHECK_STEPS");
  const rtol = trainConstant("CHECK_RTOL");

  it("repeats itself exactly and reproduces the committed loss curve within the tolerance", () => {
    const {status, output} = check(join(MODEL_DIR, "loss-first-100.json"));
    const passed = output.match(new RegExp(`determinism check passed: ${steps} steps identical twice in one process and within relative (\\S+) of`));
    expect(passed, output).not.toBeNull();
    expect(Number(passed![1])).toBe(rtol);
    expect(status).toBe(0);
  }, 600_000);

  it("fails on a recorded loss moved by more than the tolerance, naming it, and not on one moved by less", () => {
    const reference = JSON.parse(readFileSync(join(MODEL_DIR, "loss-first-100.json"), "utf8"));
    reference.steps = reference.steps.slice(0, 3);
    reference.steps[1].lm_udhr *= 1 + rtol / 2;
    reference.steps[2].lm_udhr *= 1 + 3 * rtol;
    const tampered = join(tempDir("train"), "tampered.json");
    writeFileSync(tampered, JSON.stringify(reference));
    const {status, output} = check(tampered);
    expect(status).toBe(1);
    const failed = output.match(/step 2 lm_udhr: reference [\d.]+, this run [\d.]+, relative difference [\d.e+-]+ > tolerance (\S+)/);
    expect(failed, output).not.toBeNull();
    expect(Number(failed![1])).toBe(rtol);
    expect(output).not.toMatch(/step [01] /);
  }, 300_000);

  it("fails, naming the argument, when train.py's defaults are no longer the recorded arguments", () => {
    const reference = JSON.parse(readFileSync(join(MODEL_DIR, "loss-first-100.json"), "utf8"));
    reference.args.temperature = 0.101;
    const tampered = join(tempDir("train"), "other-args.json");
    writeFileSync(tampered, JSON.stringify(reference));
    const {status, output} = check(tampered);
    expect(status).toBe(1);
    expect(output).toContain("argument temperature: the record was made with 0.101, train.py's default is now 0.1");
  }, 120_000);
});

describe.skipIf(!hasPython)("models/train/tokenizer.py", () => {
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
