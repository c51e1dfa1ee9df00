/**
 * `babelscope`: the command line. Each command parses its options, calls the library, prints its
 * result on stdout and everything else on stderr. A user's mistake is one line and exit code 1
 * (2 for bad usage); nothing already written is lost.
 */
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import {DTYPE_SUFFIX} from "../models/resolve.js";
import {POOLINGS} from "../types.js";
import {UsageError} from "./usage.js";

const HELP = `babelscope: look inside multilingual language models

Usage:
  babelscope extract --model <ref> --input <file.jsonl|file.csv|dataset> [options]
  babelscope datasets [dataset|file ...] [--per-language]
  babelscope help

Commands:
  extract   Run a model over a dataset and store the hidden state of every layer
            (embeddings = layer 0 ... last layer = L), one pooled vector per item.
            Prints the store folder on stdout. A finished store with the same inputs is
            reused; an interrupted one resumes where it stopped.

  datasets  Count languages, units and items (per split, relation and label) of the
            built-in datasets or of your files; a malformed file is reported by line.

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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h" || rest.includes("--help")) {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === "extract") await (await import("./extract.js")).extract(rest);
    else if (command === "datasets") await (await import("./datasets.js")).datasets(rest);
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
