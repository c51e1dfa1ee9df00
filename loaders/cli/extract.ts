/**
 * `babelscope extract`: one model over one dataset into a hidden-state store.
 */
import {envFrom} from "../config.js";
import {loadDataset} from "../datasets/index.js";
import {checkDevice} from "../models/device.js";
import {sampleDataset} from "../datasets/sample.js";
import {DTYPE_SUFFIX, type Dtype, resolveModel} from "../models/resolve.js";
import {POOLINGS, type Pooling} from "../types.js";
import {DEFAULT_SETTINGS, settingsFor, type ExtractSettings} from "../extract/settings.js";
import {formatDuration, onInterrupt, progress, savedChunks} from "./progress.js";
import {deviceOption, integerOption, listOption, parseOptions} from "./options.js";
import {UsageError} from "./usage.js";
import {extractShardCommand, parseShard} from "./shard.js";

export async function extract(args: string[]): Promise<void> {
  const {values} = parseOptions({
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
      device: {type: "string"},
      "max-items-per-language": {type: "string"},
      out: {type: "string"},
      shard: {type: "string"}
    },
    strict: true
  });
  if (!values.model) throw new UsageError("extract needs --model <ref>");
  if (!values.input) throw new UsageError("extract needs --input <file|dataset>");
  if (!(POOLINGS as readonly string[]).includes(values.pooling)) throw new UsageError(`--pooling must be one of ${POOLINGS.join(", ")}, got "${values.pooling}"`);
  if (!(values.dtype in DTYPE_SUFFIX)) throw new UsageError(`--dtype must be one of ${Object.keys(DTYPE_SUFFIX).join(", ")}, got "${values.dtype}"`);
  const settings: ExtractSettings = {
    pooling: values.pooling as Pooling,
    maxLength: integerOption("max-length", values["max-length"], 2) ?? DEFAULT_SETTINGS.maxLength,
    batchSize: integerOption("batch-size", values["batch-size"]) ?? DEFAULT_SETTINGS.batchSize,
    threads: integerOption("threads", values.threads),
    device: deviceOption(values.device)
  };
  const env = envFrom({...process.env, ...(values.out ? {BABELSCOPE_STORES: values.out} : {})});
  const langs = values.langs === undefined ? undefined : listOption(values.langs);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  // What Ctrl-C reports: nothing until the store is known, then the chunks of it saved so far.
  let kept = () => "nothing was extracted yet";
  onInterrupt(() => kept());

  const dataset = sampleDataset(await loadDataset(values.input, {langs}), integerOption("max-items-per-language", values["max-items-per-language"]));
  await checkDevice(settings.device ?? "cpu");
  const model = await resolveModel(values.model, env, values.dtype as Dtype);
  // Loaded only now: the ONNX stack takes seconds to import, and bad input or an offline hub must answer at once.
  const [{extractToStore, storeInputs}, {storeHash}] = await Promise.all([import("../extract/to-store.js"), import("../store/store.js")]);
  const hash = storeHash(storeInputs(model, dataset, settingsFor(model, settings)));
  kept = () => (shard ? `the resume points of shard ${values.shard} of store ${hash} are kept: rerun the same command to resume` : savedChunks(env, hash, dataset.items.length));
  const bar = progress(`extract ${values.model}`);
  const started = Date.now();
  if (shard) return extractShardCommand(model, dataset, settings, env, shard, bar, started);
  const result = await extractToStore(model, dataset, settings, env, bar.update);
  const {manifest} = result.store;
  const what = `${manifest.counts.items} items, ${manifest.counts.languages} languages, ${manifest.counts.hidden_states} hidden states x ${manifest.model.hidden_size}`;
  if (result.reused) bar.finish(`reused complete store (${what})`);
  else
    bar.finish(
      `${what} in ${formatDuration((Date.now() - started) / 1000)}` +
        (result.resumedItems ? `, ${result.resumedItems} items resumed from an earlier run` : "") +
        (manifest.counts.truncated ? `; ${manifest.counts.truncated} items truncated to ${manifest.settings.max_length} tokens` : "")
    );
  process.stdout.write(result.store.dir + "\n");
}

