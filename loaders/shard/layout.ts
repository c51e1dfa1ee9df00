/**
 * A shard's folder: the vectors of the items one shard of an extraction computed, with the
 * manifest their merge needs (see merge.ts). Shards live beside the stores, hidden from store
 * listings, one folder per store and split:
 *
 * ```
 * <storesDir>/.shards/<hash>/<i>-of-<n>/manifest.json    written last: its presence means the shard is complete
 *                                      /items.arrow      the shard's items (as a store's items.arrow)
 *                                      /layer-00.arrow   their vectors, one file per hidden state
 * ```
 * Every file is written to a temp name and renamed, the folder is renamed from `.partial` (which
 * holds the resume points of a shard in progress, `parts/`, as a store's does), and the manifest
 * records each file's size and sha256 and a sha256 of itself, as a store's does.
 */
import {existsSync} from "node:fs";
import {readFile, rename, rm} from "node:fs/promises";
import {join} from "node:path";
import type {Matrix} from "../vectors.js";
import {type Checksum, checksumOf, fileProblem, jsonDigest} from "../store/checksum.js";
import {itemsFromIPC, itemsToIPC, matrixFromIPC, matrixToIPC, type StoredItem} from "../store/arrow.js";
import {layerFile, type ManifestDraft} from "../store/store.js";
import {writeAtomic} from "../write-atomic.js";

const SHARD_FORMAT = "babelscope-shard/1";

/** Shard `index` (0-based, as Slurm's array task ids and Kubernetes' completion indexes are) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  shard: Shard;
  /** The batching the shard reproduced: a merge needs every shard cut from the same one. */
  batch_size: number;
  chunk_items: number;
  /** The dataset row of each of the shard's items, in the order of its files' rows. */
  rows: number[];
  /** The merged store's manifest but for its files (the same in every shard of a store). */
  store: ManifestDraft;
  files: {items: string; layers: string[]};
  checksums: Record<string, Checksum>;
  /** sha256 of the JSON of the rest of the manifest. */
  sha256: string;
}

/** A shard folder whose manifest and files passed their checks. */
export interface ShardFolder {
  dir: string;
  manifest: ShardManifest;
}

/** A shard that cannot be used, or shards that do not make a store: one line. */
export class ShardError extends Error {
  override name = "ShardError";
}

export const shardName = ({index, count}: Shard): string => `${index}-of-${count}`;

export const shardLabel = ({index, count}: Shard): string => `shard ${index}/${count}`;

/** The folder that holds a store's shards. */
export const shardsOf = (storesDir: string, hash: string): string => join(storesDir, ".shards", hash);

export const shardDir = (storesDir: string, hash: string, shard: Shard): string => join(shardsOf(storesDir, hash), shardName(shard));

/** Writes a shard's files and manifest into `dir` (through `<dir>.partial`, renamed when complete). */
export async function writeShard(dir: string, items: StoredItem[], layers: Matrix[], meta: Omit<ShardManifest, "files" | "checksums" | "sha256">): Promise<ShardFolder> {
  const partial = `${dir}.partial`;
  const files = {items: "items.arrow", layers: layers.map((_, l) => layerFile(l))};
  const checksums: Record<string, Checksum> = {};
  const write = (file: string, data: Uint8Array | Uint8Array[]) => {
    checksums[file] = checksumOf(data);
    return writeAtomic(join(partial, file), data);
  };
  await write(files.items, itemsToIPC(items));
  for (const [l, m] of layers.entries()) await write(files.layers[l], await matrixToIPC(m));
  const body = {...meta, files, checksums};
  const manifest: ShardManifest = {...body, sha256: jsonDigest(body)};
  await rm(join(partial, "parts"), {recursive: true, force: true});
  await writeAtomic(join(partial, "manifest.json"), JSON.stringify(manifest) + "\n");
  // A run of the same shard that finished first wrote the same content.
  await rm(dir, {recursive: true, force: true});
  await rename(partial, dir);
  return {dir, manifest};
}

/** A complete shard folder, every file checked (content once per process); ShardError if it fails. */
export async function readShard(dir: string): Promise<ShardFolder> {
  const text = await readFile(join(dir, "manifest.json"), "utf8").catch(() => undefined);
  if (text === undefined) throw new ShardError(`${dir} is not a complete shard (no manifest.json)`);
  let manifest: ShardManifest;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new ShardError(`${dir}: manifest.json is not valid JSON`);
  }
  if (manifest?.format !== SHARD_FORMAT) throw new ShardError(`${dir} is not a Babelscope shard (format "${manifest?.format}", expected "${SHARD_FORMAT}")`);
  const {sha256, ...body} = manifest;
  if (sha256 !== jsonDigest(body)) throw new ShardError(`${dir} is damaged (manifest.json: checksum mismatch); run its extract --shard again`);
  for (const file of [manifest.files.items, ...manifest.files.layers]) {
    const problem = await fileProblem(join(dir, file), manifest.checksums[file], "once");
    if (problem) throw new ShardError(`${dir} is damaged (${file}: ${problem}); run its extract --shard again`);
  }
  return {dir, manifest};
}

/** A shard's items and vectors (already checked by readShard). */
export async function shardContent({dir, manifest}: ShardFolder): Promise<{items: StoredItem[]; layers: Matrix[]}> {
  const items = itemsFromIPC(await readFile(join(dir, manifest.files.items)));
  const layers: Matrix[] = [];
  for (const file of manifest.files.layers) layers.push(matrixFromIPC(await readFile(join(dir, file))));
  return {items, layers};
}

/** Whether `dir` holds a shard's manifest (complete or not checked yet). */
export const isShardDir = (dir: string): boolean => existsSync(join(dir, "manifest.json"));
