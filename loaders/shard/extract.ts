/**
 * `extract --shard i/n`: one shard of a store's extraction (the batches schedule.ts deals it),
 * written as a shard folder (layout.ts). The shard that completes its split merges it into the
 * store, so that where every task sees the same folder (a cluster's shared file system) the store
 * appears with the last task; a merge later (`babelscope merge`, or a build or extract that finds
 * the shards) does the same where the tasks' folders were separate. Running a shard again reuses
 * it, and one killed on the way resumes from its last resume point; a shard whose store is
 * already complete does nothing.
 */
import {withLock} from "../lock.js";
import type {Env} from "../config.js";
import type {ResolvedModel} from "../models/resolve.js";
import {findStore, PartialStore, storeHash, type Store} from "../store/store.js";
import {warnOnStderr} from "../store/checksum.js";
import type {Dataset} from "../types.js";
import {emptyLayers, Extractor, placeBatch} from "../extract/extract.js";
import {settingsFor, type ExtractSettings} from "../extract/settings.js";
import {manifestDraft, storedItems, storeInputs, type StoreProgress} from "../extract/to-store.js";
import {isShardDir, readShard, ShardError, type Shard, type ShardFolder, shardDir, shardLabel, shardsOf, shardName, writeShard} from "./layout.js";
import {mergeShards} from "./merge.js";
import {type ScheduledBatch, schedule, shardBatches} from "./schedule.js";
import type {Matrix} from "../vectors.js";
import {join} from "node:path";

export interface ShardResult {
  /** The shard's folder (gone once merged). */
  dir: string;
  /** What this run found: the whole store complete (nothing to do), this shard complete, or neither (computed). */
  found: "store" | "shard" | "nothing";
  /** The merged store, when this shard completed its split (or the store was already complete). */
  store?: Store;
  /** Items of the shard. */
  items: number;
}

export async function extractShard(
  model: ResolvedModel, dataset: Dataset, requested: ExtractSettings, env: Env, shard: Shard,
  onProgress?: (progress: StoreProgress) => void, warn: (line: string) => void = warnOnStderr
): Promise<ShardResult> {
  const settings = settingsFor(model, requested);
  if (dataset.items.length === 0) throw new Error(`dataset "${dataset.name}" has no items (check --langs)`);
  const hash = storeHash(storeInputs(model, dataset, settings));
  const dir = shardDir(env.storesDir, hash, shard);
  const done = await findStore(env.storesDir, hash, (what) => warn(`warning: ${what}; its shards are extracted again`));
  if (done) return {dir, found: "store", store: done, items: 0};
  const lock = join(shardsOf(env.storesDir, hash), `.${shardName(shard)}.lock`);
  const {folder, found} = await withLock(lock, `${shardLabel(shard)} of store ${hash}`, async () => {
    const saved = await previous(dir, settings, env, warn);
    return saved ? {folder: saved, found: "shard" as const} : {folder: await computeShard(model, dataset, settings, env, shard, hash, dir, onProgress, warn), found: "nothing" as const};
  }, {wait: true});
  const result: ShardResult = {dir, found, items: folder.manifest.rows.length};
  result.store = await mergeIfComplete(env.storesDir, hash, shard.count, warn);
  return result;
}

/**
 * The store, merged now if every shard of the split is complete. This task's own work is done
 * either way: shards that do not merge (or that another task is merging: it removes them) are a
 * warning, and `babelscope merge` says what is wrong with them.
 */
async function mergeIfComplete(storesDir: string, hash: string, count: number, warn: (line: string) => void): Promise<Store | undefined> {
  try {
    const split = await completeSplit(storesDir, hash, count);
    return split && (await mergeShards(split, storesDir, warn)).store;
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    const merged = await findStore(storesDir, hash);
    if (!merged) warn(`warning: this shard is done, but the split did not merge: ${error.message}`);
    return merged;
  }
}

/** This shard as an earlier run left it, if it is complete, undamaged and cut the same way. */
async function previous(dir: string, settings: ExtractSettings, env: Env, warn: (line: string) => void): Promise<ShardFolder | undefined> {
  if (!isShardDir(dir)) return undefined;
  try {
    const folder = await readShard(dir);
    const {batch_size, chunk_items} = folder.manifest;
    return batch_size === settings.batchSize && chunk_items === env.chunkItems ? folder : undefined;
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    warn(`warning: ${error.message.replace(/; run .*$/, "")}; extracted again`);
    return undefined;
  }
}

/** Every shard of the split, once all are complete (another task may still be running). */
async function completeSplit(storesDir: string, hash: string, count: number): Promise<ShardFolder[] | undefined> {
  const dirs = Array.from({length: count}, (_, index) => shardDir(storesDir, hash, {index, count}));
  if (!dirs.every(isShardDir)) return undefined;
  return Promise.all(dirs.map(readShard));
}

async function computeShard(
  model: ResolvedModel, dataset: Dataset, settings: ExtractSettings, env: Env, shard: Shard, hash: string, dir: string,
  onProgress: ((progress: StoreProgress) => void) | undefined, warn: (line: string) => void
): Promise<ShardFolder> {
  const extractor = await Extractor.open(model, settings, warn);
  try {
    const {items} = dataset;
    const tokenized = extractor.tokenize(items.map((item) => item.text));
    const mine = shardBatches(schedule(tokenized.ids, env.chunkItems, extractor.settings.batchSize), shard);
    const rows = mine.flatMap((batch) => batch.rows);
    const at = new Map(rows.map((row, i) => [row, i]));
    const layers = emptyLayers(extractor, rows.length);
    const work = mine.reduce((sum, batch) => sum + batch.cost, 0);
    const progress: StoreProgress = {done: 0, total: rows.length, resumed: 0, fraction: 0};
    let worked = 0;
    const report = (batch: ScheduledBatch) => {
      progress.done += batch.rows.length;
      worked += batch.cost;
      progress.fraction = worked / work;
      onProgress?.(progress);
    };
    // Resume points as an extraction's: a part file per group of about chunkItems rows, in the
    // shard's `.partial` folder, so a task killed (preempted, out of time) and run again resumes.
    const partial = await PartialStore.open(shardsOf(env.storesDir, hash), shardName(shard), warn);
    for (const group of resumeGroups(mine, env.chunkItems)) {
      const groupRows = group.flatMap((batch) => batch.rows);
      const start = at.get(groupRows[0])!;
      const ids = groupRows.map((row) => items[row].id);
      const saved = await partial.readPart(start, ids);
      if (saved !== undefined && saved.length === layers.length) {
        placeBatch(layers, {rows: groupRows.map((row) => at.get(row)!), layers: saved});
        progress.resumed += groupRows.length;
        group.forEach(report);
        continue;
      }
      // One batch at a time: the extractor would otherwise regroup the shard's rows into other batches.
      for (const batch of group) {
        for await (const out of extractor.run(tokenized, batch.rows, (row) => items[row].id)) placeBatch(layers, {rows: out.rows.map((row) => at.get(row)!), layers: out.layers});
        report(batch);
      }
      if (start + groupRows.length < rows.length) {
        const rowsOf = (m: Matrix): Matrix => ({data: m.data.subarray(start * m.cols, (start + groupRows.length) * m.cols), rows: groupRows.length, cols: m.cols});
        await partial.writePart(start, ids, layers.map(rowsOf));
      }
    }
    const stored = storedItems(items, tokenized, settings);
    return await writeShard(dir, rows.map((row) => stored[row]), layers, {
      format: "babelscope-shard/1",
      shard,
      batch_size: settings.batchSize,
      chunk_items: env.chunkItems,
      rows,
      store: manifestDraft(model, dataset, settings, extractor, hash, env, stored)
    });
  } finally {
    await extractor.dispose();
  }
}

/** The shard's batches in groups of at least `size` rows (the last may be smaller): one resume point each. */
function resumeGroups(batches: readonly ScheduledBatch[], size: number): ScheduledBatch[][] {
  const groups: ScheduledBatch[][] = [];
  let rows = size;
  for (const batch of batches) {
    if (rows >= size) {
      groups.push([]);
      rows = 0;
    }
    groups.at(-1)!.push(batch);
    rows += batch.rows.length;
  }
  return groups;
}
