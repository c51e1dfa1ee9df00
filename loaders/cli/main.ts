/**
 * `babelscope`: the command line. Each command parses its options, calls the library, prints its
 * result on stdout and everything else on stderr. A user's mistake is one line and exit code 1
 * (2 for bad usage); nothing already written is lost.
 */
import {parseArgs} from "node:util";
import {envFrom} from "../config.js";
import {loadDataset} from "../datasets/index.js";
import {DEFAULT_SETTINGS, type ExtractSettings} from "../extract/extract.js";
import {extractToStore} from "../extract/to-store.js";
import {DTYPE_SUFFIX, type Dtype, resolveModel} from "../models/resolve.js";
import {POOLINGS, type Pooling} from "../types.js";
import {formatDuration, progress} from "./progress.js";

class UsageError extends Error {}

const HELP = `babelscope: look inside multilingual language models

Usage:
  babelscope extract --model <ref> --input <file.jsonl|file.csv|dataset> [options]
  babelscope help

Commands:
  extract   Run a model over a dataset and store the hidden state of every layer
            (embeddings = layer 0 ... last layer = L), one pooled vector per item.
            Prints the store folder on stdout. A finished store with the same inputs is
            reused; an interrupted one resumes where it stopped.

Options for extract:
  --model <ref>        owner/name[@revision] (model hub), a folder in transformers.js layout,
                       or embedded:<name> (a model shipped in ./models)
  --input <src>        a built-in dataset (udhr, udhr-train, udhr-heldout, questions,
                       statements) or a .jsonl/.csv file with id, unit, lang, text
                       [, label, split]
  --langs <a,b,..>     only these languages (ISO 639-3 codes as in the dataset, e.g. eng,cmn_hans)
  --pooling <p>        ${POOLINGS.join(" | ")}  (default ${DEFAULT_SETTINGS.pooling}): mean over real tokens,
                       the last real token, or the first token
  --max-length <n>     truncate items to n tokens; truncated items are counted and flagged
                       (default ${DEFAULT_SETTINGS.maxLength})
  --batch-size <n>     items per forward pass; changes speed, never results (default ${DEFAULT_SETTINGS.batchSize})
  --dtype <d>          which ONNX weights: ${Object.keys(DTYPE_SUFFIX).join(", ")} (default fp32)
  --threads <n>        onnxruntime threads (default: onnxruntime's choice)
  --out <dir>          stores folder (default: $BABELSCOPE_STORES or ./.babelscope/stores)

Environment:
  BABELSCOPE_CACHE     hub download cache (default ~/.cache/babelscope)
  BABELSCOPE_HUB       hub address (default https://huggingface.co); HF_TOKEN for gated models
  BABELSCOPE_HUB_TIMEOUT_MS   how long to wait for the hub before calling it offline (default 5000)
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

async function extract(args: string[]): Promise<void> {
  const {values} = parseArgs({
    args,
    options: {
      model: {type: "string"},
      input: {type: "string"},
      langs: {type: "string"},
      pooling: {type: "string", default: DEFAULT_SETTINGS.pooling},
      "max-length": {type: "string"},
      "batch-size": {type: "string"},
      dtype: {type: "string", default: "fp32"},
      threads: {type: "string"},
      out: {type: "string"}
    },
    strict: true
  });
  if (!values.model) throw new UsageError("extract needs --model <ref>");
  if (!values.input) throw new UsageError("extract needs --input <file|dataset>");
  if (!(POOLINGS as readonly string[]).includes(values.pooling)) throw new UsageError(`--pooling must be one of ${POOLINGS.join(", ")}, got "${values.pooling}"`);
  if (!(values.dtype in DTYPE_SUFFIX)) throw new UsageError(`--dtype must be one of ${Object.keys(DTYPE_SUFFIX).join(", ")}, got "${values.dtype}"`);
  const settings: ExtractSettings = {
    pooling: values.pooling as Pooling,
    maxLength: integer("max-length", values["max-length"], DEFAULT_SETTINGS.maxLength),
    batchSize: integer("batch-size", values["batch-size"], DEFAULT_SETTINGS.batchSize),
    ...(values.threads ? {threads: integer("threads", values.threads, 1)} : {})
  };
  const env = envFrom({...process.env, ...(values.out ? {BABELSCOPE_STORES: values.out} : {})});
  const langs = values.langs?.split(",").map((code) => code.trim()).filter(Boolean);

  const dataset = await loadDataset(values.input, {langs});
  const model = await resolveModel(values.model, env, values.dtype as Dtype);
  const bar = progress(`extract ${values.model}`);
  const started = Date.now();
  const result = await extractToStore(model, dataset, settings, env, (p) => bar.update(p.done, p.total));
  const {manifest} = result.store;
  const what = `${manifest.counts.items} items, ${manifest.counts.languages} languages, ${manifest.counts.hidden_states} hidden states x ${manifest.model.hidden_size}`;
  if (result.reused) bar.finish(`reused complete store (${what})`);
  else
    bar.finish(
      `${what} in ${formatDuration((Date.now() - started) / 1000)}` +
        (result.resumedItems ? `, ${result.resumedItems} items resumed from an earlier run` : "") +
        (manifest.counts.truncated ? `; ${manifest.counts.truncated} items truncated to ${settings.maxLength} tokens` : "")
    );
  process.stdout.write(result.store.dir + "\n");
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h" || rest.includes("--help")) {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === "extract") await extract(rest);
    else throw new UsageError(`unknown command "${command}" (try: babelscope help)`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`babelscope: ${message.split("\n")[0]}\n`);
    // parseArgs reports unknown or malformed options with this code.
    const usage = error instanceof UsageError || (error as {code?: string}).code?.startsWith("ERR_PARSE_ARGS");
    return usage ? 2 : 1;
  }
}
