/**
 * `babelscope extract --shard i/n`: one shard of an extraction (see loaders/shard/). Prints the
 * shard's folder on stdout, or the store's when this shard completed the split and merged it.
 */
import type {Env} from "../config.js";
import type {ExtractSettings} from "../extract/settings.js";
import type {ResolvedModel} from "../models/resolve.js";
import type {Shard} from "../shard/layout.js";
import type {Dataset} from "../types.js";
import {formatDuration, type ProgressSink} from "./progress.js";
import {UsageError} from "./usage.js";

/** `--shard i/n` (0 <= i < n). */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new UsageError(`--shard must be i/n with 0 <= i < n (e.g. 0/4), got "${value}"`);
  return {index, count};
}

export async function extractShardCommand(
  model: ResolvedModel, dataset: Dataset, settings: ExtractSettings, env: Env, shard: Shard, bar: ProgressSink, started: number
): Promise<void> {
  const {extractShard} = await import("../shard/extract.js");
  const result = await extractShard(model, dataset, settings, env, shard, bar.update);
  const what = `shard ${shard.index}/${shard.count}`;
  if (result.found === "store") bar.finish(`${what}: the store is already complete`);
  else bar.finish(`${what}: ${result.items} items ${result.found === "shard" ? "reused from an earlier run" : `in ${formatDuration((Date.now() - started) / 1000)}`}${result.store ? "; every shard is done: merged into the store" : ""}`);
  process.stdout.write((result.store?.dir ?? result.dir) + "\n");
}
