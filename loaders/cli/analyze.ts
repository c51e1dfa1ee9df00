/**
 * `babelscope analyze`: every analysis of one hidden-state store, written as JSON result files.
 */
import {existsSync} from "node:fs";
import {resolve} from "node:path";
import {envFrom} from "../config.js";
import {ANALYSES, type AnalysisName} from "../report/analyze-settings.js";
import {integerOption, listOption, parseOptions} from "./options.js";
import {UsageError} from "./usage.js";

/** `4` or `2-6` (inclusive). */
function layerRange(value: string | undefined): {from: number; to: number} | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!match) throw new UsageError(`--layers must be a layer (4) or an inclusive range (2-6), got "${value}"`);
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (to < from) throw new UsageError(`--layers range ${value} is empty (the first layer is after the last)`);
  return {from, to};
}

export async function analyze(args: string[]): Promise<void> {
  const {values} = parseOptions({
    args,
    options: {
      store: {type: "string"},
      only: {type: "string"},
      out: {type: "string"},
      baseline: {type: "string"},
      layers: {type: "string"},
      seed: {type: "string"},
      projection: {type: "string"},
      tokenizers: {type: "string"}
    },
    strict: true
  });
  if (!values.store) throw new UsageError("analyze needs --store <dir> (a folder printed by babelscope extract)");
  const only = values.only === undefined ? [...ANALYSES] : listOption(values.only);
  const unknown = only.filter((name) => !(ANALYSES as readonly string[]).includes(name));
  if (unknown.length > 0 || only.length === 0) {
    throw new UsageError(`--only: unknown analysis "${unknown[0] ?? values.only}" (choose from ${ANALYSES.join(", ")})`);
  }
  const seed = integerOption("seed", values.seed, 0);
  const layers = layerRange(values.layers);
  const dir = resolve(values.store);
  if (!existsSync(dir)) throw new Error(`--store ${values.store}: no such folder`);
  const {openStore} = await import("../store/store.js");
  const store = await openStore(dir);

  // Loaded only now: Arrow, the analyses and the tokenizers take seconds to import, and usage errors must answer at once.
  const [{analyze: analyzeWithModel}, {defaultOutputDir, resolveAnalyzeSettings, writeAnalyses}] = await Promise.all([import("../pipeline/analyze.js"), import("../report/analyze.js")]);
  let settings;
  try {
    settings = resolveAnalyzeSettings({
      ...(values.baseline ? {baseline: values.baseline} : {}),
      ...(layers ? {layers} : {}),
      ...(seed !== undefined ? {seed} : {}),
      ...(values.projection ? {projection: values.projection as "pca" | "umap"} : {}),
      ...(values.tokenizers ? {tokenizers: listOption(values.tokenizers)} : {})
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const log = (line: string) => process.stderr.write(`analyze ${store.manifest.hash}: ${line}\n`);
  const files = await analyzeWithModel(store, {only: only as AnalysisName[], settings, env: envFrom(process.env), log});
  const out = values.out ? resolve(values.out) : defaultOutputDir(store);
  await writeAnalyses(files, out);
  process.stdout.write(out + "\n");
}
