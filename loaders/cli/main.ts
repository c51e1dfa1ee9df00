/**
 * `babelscope`: the command line. Each command parses its options, calls the library, prints its
 * result on stdout and everything else on stderr. A user's mistake is one line and exit code 1
 * (2 for bad usage); nothing already written is lost.
 */
import {DEFAULT_SETTINGS} from "../extract/settings.js";
import {NPM_TOKENIZERS} from "../extract/token-counts.js";
import {DEVICES} from "../models/device.js";
import {DTYPE_SUFFIX} from "../models/resolve.js";
import {ANALYSES, DEFAULT_ANALYZE_SETTINGS as DEFAULTS} from "../report/analyze-settings.js";
import {POOLINGS} from "../types.js";
import {DEFAULT_PORT} from "./serve.js";
import {UsageError} from "./usage.js";

const HELP = `babelscope: look inside multilingual language models

Usage:
  babelscope extract --model <ref> --input <file.jsonl|file.csv|dataset> [options]
  babelscope extract ... --shard <i>/<n>
  babelscope merge [<shard folder>...] [--out <dir>]
  babelscope plan --scheduler slurm|k8s|matrix --shards <n> --model <ref> --input <src> [options]
  babelscope build [--config <file>] [--no-site] [--device <d>]
                   [--max-items-per-language <n>]
  babelscope serve [<dir>] [--port <n>]
  babelscope export --format parquet <store folder|hash> ... [--out <dir>]
  babelscope datasets [dataset|file ...] [--per-language]
  babelscope models
  babelscope verify [--repair]
  babelscope clean [--model <ref> [--hub]]
  babelscope help

Commands:
  build     Everything the site shows, for every model in babelscope.config.ts (or
            --config / $BABELSCOPE_CONFIG): extract its stores, run the analyses the
            pages show, then build the site into dist/. Only what changed is computed
            (model files, datasets, settings, code versions); an offline hub model is
            skipped and a failing one reported while the rest builds; an interrupted
            build resumes. Prints a summary; exit code 1 if a model or the site failed.
            --max-items-per-language <n> caps every dataset as the config's sample does.
  serve     Serve a built site (default dist/) at http://127.0.0.1:<port>/ (default
            ${DEFAULT_PORT}; 0: any free port) as a plain static server does, no rewrites.
            Opened from file://, a browser blocks the site's scripts and data.
  extract   Run a model over a dataset and store the hidden state of every layer
            (embeddings = layer 0 ... last layer = L), one pooled vector per item.
            Prints the store folder on stdout. A finished store with the same inputs is
            reused; an interrupted one resumes where it stopped.
  merge     Assemble the shards of an extraction (extract --shard) into its store,
            byte for byte the store one machine writes with the same batch size, after
            checking that they are every shard of one store (same model files, dataset,
            settings, Babelscope version, batching) and undamaged. Without folders, merges
            every complete shard set under the stores folder. The shard that completes its
            split merges it already, where the tasks share the stores folder.
  plan      Write what a scheduler runs to extract in shards: a Slurm array job
            (slurm), a Kubernetes Indexed Job (k8s) or a GitHub Actions matrix (matrix);
            each task runs extract --shard <its index>/<n> into a shared stores folder.
  analyze   Run the analyses on a store and write one JSON file per analysis
            (${ANALYSES.join(", ")}), each recording the store hash, model, dataset
            and settings. An analysis that does not apply to the store (no parallel
            units, no labels) is written as skipped, with the reason.
            Prints the output folder on stdout.
  export    Write a store as Parquet (items.parquet, layer-NN.parquet with a FLOAT[]
            vector per item, export.json recording the store manifest they come from
            and each file's sha256), for DuckDB and other Parquet readers. Into
            <store>/parquet, or --out <dir>/<hash>. Same store, same bytes; a complete
            export appears in one rename and is reused while it passes its checks.
            Prints each export folder on stdout.

  datasets  Count languages, units and items (per split, relation and label) of the
            built-in datasets or of your files; a malformed file is reported by line.

  models    The models in babelscope.config.ts (or $BABELSCOPE_CONFIG): usable here or not
            (on disk, cached from the hub, downloadable, or why not) and their stores.
  verify    Check every cached file in full: each store's manifest and files (size and
            sha256), its cached analysis results, unfinished stores' resume points, and
            the surgered models cached beside embedded and downloaded models. One line
            per problem and a summary; exit code 1 if something is damaged. --repair
            moves what is damaged aside so that the next build or extract recomputes it.
            (Every run already checks what it reuses: a damaged store, result or model
            is moved aside and recomputed, with a warning.)
  clean     Remove stores: all of them (unfinished and damaged ones included), or
            --model <ref>'s; with --hub also that model's hub downloads.

Options for extract:
  --model <ref>        owner/name[@revision] (model hub), a folder in transformers.js layout,
                       or embedded:<name> (a model shipped in ./models)
  --input <src>        a built-in dataset (udhr, udhr-train, udhr-heldout, questions,
                       statements, false-premise) or a .jsonl/.csv file with id, unit,
                       lang, text [, label, split, entity, answer]
  --langs <a,b,..>     only these languages (ISO 639-3 codes as in the dataset, e.g. eng,cmn_hans)
  --pooling <p>        ${POOLINGS.join(" | ")}  (default ${DEFAULT_SETTINGS.pooling}): mean over real tokens,
                       the last real token, or the first token
  --max-length <n>     truncate items to n tokens; truncated items are counted and flagged
                       (default ${DEFAULT_SETTINGS.maxLength})
  --batch-size <n>     items per forward pass; changes speed, never results (default ${DEFAULT_SETTINGS.batchSize})
  --dtype <d>          which ONNX weights: ${Object.keys(DTYPE_SUFFIX).join(", ")} (default fp32)
  --threads <n>        onnxruntime threads (default: onnxruntime's choice)
  --device <d>         onnxruntime execution provider: ${DEVICES.join(", ")} (default cpu;
                       build: overrides the config's). CUDA needs its libraries (README)
  --max-items-per-language <n>
                       at most n items per language, whole units chosen by the sha256 of their
                       ids (the same subset everywhere; a store of its own)
  --out <dir>          stores folder (default: $BABELSCOPE_STORES or ./.babelscope/stores)
  --shard <i>/<n>      extract only shard i (0-based) of n: whole batches of the unsharded run,
                       balanced by padded tokens, into <out>/.shards/<store hash>/<i>-of-<n>

Options for plan (and extract's --input, --langs, --pooling, --max-length, --batch-size, --dtype,
  --threads, --device, --max-items-per-language, passed to every task):
  --scheduler <s>      slurm | k8s | matrix
  --shards <n>         tasks per model
  --model <ref>        a model to extract (repeat for several: tasks are model x shard)
  --out <dir>          the shared stores folder every task writes to (default: as for extract;
                       for k8s, <mount>/stores)
  --image <name>       k8s: the container image with Babelscope installed (default babelscope)
  --claim <name>       k8s: the PersistentVolumeClaim of the shared volume (default babelscope-shared)

Options for analyze:
  --store <dir>        a store folder (as printed by extract)
  --only <a,b,..>      only these analyses (default all): ${ANALYSES.join(", ")}
  --out <dir>          output folder (default <store>/analyses)
  --baseline <lang>    language the others are compared with and aligned to (default ${DEFAULTS.baseline})
  --layers <l|a-b>     layer range the ranking score averages over and the probes and
                       projections use (default every layer)
  --seed <n>           seed of the bootstrap, cross-validation folds and UMAP (default ${DEFAULTS.seed})
  --projection <p>     umap | pca  (default ${DEFAULTS.projection})
  --tokenizers <a,..>  tokenizers for fertility: model (the store's own), ${Object.keys(NPM_TOKENIZERS).join(", ")}
                       (default ${DEFAULTS.tokenizers.join(",")})

Environment:
  BABELSCOPE_CACHE     hub download cache (default ~/.cache/babelscope)
  BABELSCOPE_HUB       hub address (default https://huggingface.co); HF_TOKEN for gated models
  BABELSCOPE_HUB_TIMEOUT_MS   how long to wait for the hub before calling it offline (default 5000)
  BABELSCOPE_HUB_MIN_RATE     give up a download slower than this many B/s (default 10000; 0: never)
  BABELSCOPE_HUB_RATE_WINDOW_MS   over which the rate is averaged (default 30000)
  BABELSCOPE_HUB_DEADLINE_MS  give up a file's download after this long (default: no limit)
  BABELSCOPE_HUB_RETRIES      tries at a file cut short or corrupted in transit (default 3)
  BABELSCOPE_DEVICE    execution provider for every configured model (as build --device)
  BABELSCOPE_TRANSFORMERS_CACHE  transformers.js's file cache, read before downloading
                              (default: its env.cacheDir, node_modules/@huggingface/transformers/.cache)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h" || rest.includes("--help")) {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === "build") await (await import("./build.js")).buildCommand(rest);
    else if (command === "extract") await (await import("./extract.js")).extract(rest);
    else if (command === "analyze") await (await import("./analyze.js")).analyze(rest);
    else if (command === "export") await (await import("./export.js")).exportCommand(rest);
    else if (command === "datasets") await (await import("./datasets.js")).datasets(rest);
    else if (command === "models") await (await import("./models.js")).models(rest);
    else if (command === "clean") await (await import("./clean.js")).clean(rest);
    else if (command === "verify") await (await import("./verify.js")).verify(rest);
    else if (command === "merge") await (await import("./merge.js")).merge(rest);
    else if (command === "plan") await (await import("./plan.js")).plan(rest);
    else if (command === "serve") await (await import("./serve.js")).serveCommand(rest);
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
