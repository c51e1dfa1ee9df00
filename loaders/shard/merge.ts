/**
 * Merging the shards of an extraction into its store. The shards must be every shard of one
 * split of one store, made by the same Babelscope with the same batching; their items must cover
 * the dataset once. The store is then written by the same code, from the same items, vectors and
 * manifest as an unsharded extraction writes it: byte for byte the same files, and the same
 * manifest but for its `created` time.
 */
import {existsSync} from "node:fs";
import {readdir, rm, rmdir} from "node:fs/promises";
import {dirname, join} from "node:path";
import type {Matrix} from "../vectors.js";
import {withStoreLock} from "../lock.js";
import type {StoredItem} from "../store/arrow.js";
import {canonicalJSON, findStore, PartialStore, type Store} from "../store/store.js";
import {isShardDir, readShard, shardContent, ShardError, type ShardFolder, shardDir, shardLabel, shardsOf} from "./layout.js";

const label = (shard: ShardFolder) => `${shardLabel(shard.manifest.shard)} (${shard.dir})`;
const storeLabel = ({manifest}: ShardFolder) => `store ${manifest.store.hash} (${manifest.store.model.ref} on ${manifest.store.dataset.name})`;

/** The first top-level field in which two shards' settings differ, or undefined. */
function difference(a: ShardFolder["manifest"], b: ShardFolder["manifest"]): string | undefined {
  if (a.store.hash !== b.store.hash) return "store";
  if (a.shard.count !== b.shard.count) return "count";
  if (a.batch_size !== b.batch_size) return "batch size";
  if (a.chunk_items !== b.chunk_items) return "chunk items";
  for (const key of Object.keys({...a.store, ...b.store}) as (keyof typeof a.store)[])
    if (canonicalJSON(a.store[key]) !== canonicalJSON(b.store[key])) return `manifest field "${key}"`;
  return undefined;
}

/** Why `other` cannot be merged with `first`, in one line. */
function foreign(first: ShardFolder, other: ShardFolder, field: string): string {
  const a = first.manifest;
  const b = other.manifest;
  if (field === "store") return `${label(other)} belongs to ${storeLabel(other)}, not to ${storeLabel(first)}`;
  if (field === "count") return `${label(other)} is from a split into ${b.shard.count}, ${label(first)} from one into ${a.shard.count}`;
  if (field === "batch size") return `${label(other)} ran batches of ${b.batch_size}, ${label(first)} of ${a.batch_size}: rerun one with --batch-size ${a.batch_size}`;
  if (field === "chunk items") return `${label(other)} ran with BABELSCOPE_CHUNK_ITEMS=${b.chunk_items}, ${label(first)} with ${a.chunk_items}`;
  return `${label(other)} and ${label(first)} differ in their ${field} (another Babelscope version or model reference?)`;
}

/**
 * Checks that shards are the complete split of one store: same store, split, batching and manifest;
 * every index once; every dataset row once. Throws ShardError naming the first problem.
 */
function checkShardSet(shards: readonly ShardFolder[], where = (index: number) => `shard ${index}`): void {
  if (shards.length === 0) throw new ShardError("no shards to merge");
  const [first] = shards;
  for (const other of shards.slice(1)) {
    const field = difference(first.manifest, other.manifest);
    if (field) throw new ShardError(foreign(first, other, field));
  }
  const {count} = first.manifest.shard;
  const byIndex = new Map<number, ShardFolder>();
  for (const shard of shards) {
    const twice = byIndex.get(shard.manifest.shard.index);
    if (twice) throw new ShardError(`${shardLabel(shard.manifest.shard)} of ${storeLabel(shard)} is given twice: ${twice.dir} and ${shard.dir}`);
    byIndex.set(shard.manifest.shard.index, shard);
  }
  const missing = Array.from({length: count}, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new ShardError(`${storeLabel(first)}: ${missing.length} of ${count} shards missing (${missing.map((i) => `${i}/${count} at ${where(i)}`).join(", ")}); run their extract --shard`);
  const total = first.manifest.store.counts.items;
  const owner = new Array<ShardFolder | undefined>(total);
  for (const shard of shards) {
    for (const row of shard.manifest.rows) {
      if (!(Number.isInteger(row) && row >= 0 && row < total)) throw new ShardError(`${label(shard)} holds row ${row}, beyond the dataset's ${total} items`);
      if (owner[row]) throw new ShardError(`${label(owner[row]!)} and ${label(shard)} overlap (both hold row ${row})`);
      owner[row] = shard;
    }
  }
  const uncovered = owner.findIndex((shard) => shard === undefined);
  if (uncovered >= 0) throw new ShardError(`${storeLabel(first)}: no shard holds row ${uncovered}`);
}

/** Writes the store of a checked, complete shard set (the caller holds the store's lock). */
async function assemble(shards: readonly ShardFolder[], storesDir: string, warn: (line: string) => void): Promise<Store> {
  const {store: draft} = shards[0].manifest;
  const total = draft.counts.items;
  const items = new Array<StoredItem>(total);
  let layers: Matrix[] = [];
  for (const shard of shards) {
    const content = await shardContent(shard);
    if (layers.length === 0) layers = content.layers.map((m) => ({data: new Float32Array(total * m.cols), rows: total, cols: m.cols}));
    shard.manifest.rows.forEach((row, i) => {
      items[row] = content.items[i];
      for (const [l, m] of content.layers.entries()) layers[l].data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), row * m.cols);
    });
  }
  const partial = await PartialStore.open(storesDir, draft.hash, warn);
  return partial.finish(items, layers, draft);
}

/** Removes merged shards, and the folders that held them once they are empty. */
async function removeShards(shards: readonly ShardFolder[], storesDir: string): Promise<void> {
  for (const shard of shards) await rm(shard.dir, {recursive: true, force: true});
  // rmdir removes only an empty folder: other splits' shards, or other stores', stay.
  const folder = shardsOf(storesDir, shards[0].manifest.store.hash);
  await rmdir(folder).catch(() => {});
  await rmdir(dirname(folder)).catch(() => {});
}

export interface Merged {
  store: Store;
  /** False when the store was already complete (another task merged it first). */
  merged: boolean;
}

/**
 * Merges a complete shard set into its store under `storesDir` (or finds the store already
 * merged), then removes the shards. ShardError when they are not a complete set of one store.
 */
export async function mergeShards(shards: readonly ShardFolder[], storesDir: string, warn: (line: string) => void): Promise<Merged> {
  checkShardSet(shards);
  const {hash} = shards[0].manifest.store;
  const result = await withStoreLock(storesDir, hash, async () => {
    const existing = await findStore(storesDir, hash, (what) => warn(`warning: ${what}; merged again from its shards`));
    return existing ? {store: existing, merged: false} : {store: await assemble(shards, storesDir, warn), merged: true};
  });
  await removeShards(shards, storesDir);
  return result;
}

/** The complete shards under a store's shard folder, by split (count). */
async function shardsFound(storesDir: string, hash: string): Promise<Map<number, ShardFolder[]>> {
  const folder = shardsOf(storesDir, hash);
  const bySplit = new Map<number, ShardFolder[]>();
  for (const name of await readdir(folder).catch(() => [])) {
    const dir = join(folder, name);
    if (!/^\d+-of-\d+$/.test(name) || !isShardDir(dir)) continue;
    const shard = await readShard(dir);
    bySplit.set(shard.manifest.shard.count, [...(bySplit.get(shard.manifest.shard.count) ?? []), shard]);
  }
  return bySplit;
}

/** The complete split among a store's shards, if one is; else ShardError naming what is missing. */
async function completeSet(storesDir: string, hash: string): Promise<ShardFolder[]> {
  const splits = [...(await shardsFound(storesDir, hash)).values()];
  const complete = splits.find((shards) => shards.length === shards[0].manifest.shard.count);
  if (complete) return complete;
  if (splits.length === 0) throw new ShardError(`store ${hash} has no shards under ${shardsOf(storesDir, hash)}`);
  // The split closest to complete says what is missing.
  const closest = splits.reduce((a, b) => (b.length / b[0].manifest.shard.count > a.length / a[0].manifest.shard.count ? b : a));
  checkShardSet(closest, (index) => shardDir(storesDir, hash, {index, count: closest[0].manifest.shard.count}));
  return closest;
}

/**
 * For extraction (which holds the store's lock): the store assembled from a complete shard set
 * found beside it, or undefined when there is none. Shards that cannot be merged are left, with
 * a warning, and the store is extracted as if they were not there.
 */
export async function mergeFoundShards(storesDir: string, hash: string, warn: (line: string) => void): Promise<Store | undefined> {
  if (!existsSync(shardsOf(storesDir, hash))) return undefined;
  try {
    const shards = await completeSet(storesDir, hash);
    checkShardSet(shards);
    const store = await assemble(shards, storesDir, warn);
    await removeShards(shards, storesDir);
    return store;
  } catch (error) {
    if (!(error instanceof ShardError)) throw error;
    warn(`warning: shards of store ${hash} not merged: ${error.message}`);
    return undefined;
  }
}

/**
 * Merges the shards named on the command line: shard folders, or folders of them (a store's
 * `.shards/<hash>`), all of one store. Without any, every store's shard set under `storesDir`'s
 * `.shards`: what merged, and a line for each store whose shards do not make a complete set.
 */
export async function mergeCommand(paths: readonly string[], storesDir: string, warn: (line: string) => void): Promise<{merged: Merged[]; failed: string[]}> {
  if (paths.length > 0) {
    const shards: ShardFolder[] = [];
    for (const path of paths) {
      const dirs = isShardDir(path) ? [path] : (await readdir(path).catch(() => [])).map((name) => join(path, name)).filter(isShardDir);
      if (dirs.length === 0) throw new ShardError(`${path} is neither a shard nor a folder of shards`);
      for (const dir of dirs) shards.push(await readShard(dir));
    }
    return {merged: [await mergeShards(shards, storesDir, warn)], failed: []};
  }
  const hashes = await readdir(join(storesDir, ".shards")).catch(() => []);
  if (hashes.length === 0) throw new ShardError(`no shards under ${join(storesDir, ".shards")}`);
  const merged: Merged[] = [];
  const failed: string[] = [];
  for (const hash of hashes.sort()) {
    try {
      merged.push(await mergeShards(await completeSet(storesDir, hash), storesDir, warn));
    } catch (error) {
      if (!(error instanceof ShardError)) throw error;
      failed.push(error.message);
    }
  }
  return {merged, failed};
}
