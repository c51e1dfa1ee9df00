/**
 * The embedded model's card is re-derived from what the repository ships: evaluate.py on the
 * committed folder (weights from onnx/model.onnx, no training checkpoint) and card.py on its output
 * give the committed evaluation.json and README.md byte for byte. Needs Debian's /usr/bin/python3
 * with torch, numpy, onnx and scikit-learn: missing in CI, the file fails; elsewhere it skips.
 */
import {spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {PYTHON, requirePython} from "../helpers/python.js";
import {tempDir} from "../helpers/tmp.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MODEL_DIR = join(ROOT, "models/babelscope-tiny");
const ready = requirePython(["torch", "numpy", "onnx", "sklearn"]);

function run(script: string, args: string[]): void {
  const result = spawnSync(PYTHON, [join(ROOT, "models/train", script), ...args], {cwd: ROOT, encoding: "utf8"});
  expect(result.status, `${script} ${args.join(" ")}\n${result.stdout}${result.stderr}`).toBe(0);
}

/** Where `actual` first departs from `expected`, as a one-line-each diff, or null if equal. */
function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const a = expected.split("\n"), b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (line: string | undefined) => (line === undefined ? "(end of file)" : line.slice(0, 300));
  return `first difference at line ${i + 1}:\n- ${show(a[i])}\n+ ${show(b[i])}`;
}

function expectSameBytes(committed: string, rerun: string): void {
  const difference = firstDifference(readFileSync(committed, "utf8"), readFileSync(rerun, "utf8"));
  if (difference) expect.fail(`${committed} is not what the scripts give now (- committed, + rerun), ${difference}`);
}

describe.skipIf(!ready)("models/babelscope-tiny: evaluation.json and README.md", () => {
  it("are what evaluate.py and card.py give on the committed folder", () => {
    const out = tempDir("card");
    // The committed evaluation covers a seeded sample of this many languages (--max-langs).
    const {languages} = JSON.parse(readFileSync(join(MODEL_DIR, "evaluation.json"), "utf8"));
    run("evaluate.py", ["--max-langs", String(languages), "--out", join(out, "evaluation.json")]);
    run("card.py", ["--evaluation", join(out, "evaluation.json"), "--out", join(out, "README.md")]);
    expectSameBytes(join(MODEL_DIR, "evaluation.json"), join(out, "evaluation.json"));
    expectSameBytes(join(MODEL_DIR, "README.md"), join(out, "README.md"));
  }, 900_000);
});
