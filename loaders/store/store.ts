/**
 * The hidden-state store: one folder per (model files, dataset, extraction settings, extraction code version),
 * named by a content hash of those inputs.
 *
 * ```
 * <storesDir>/<hash>/manifest.json        written last: its presence means the store is complete
 *                   /items.arrow          id, unit, lang, script, direction, text, label, split, tokens, truncated
 *                   /layer-00.arrow ...   one file per hidden state (00 = embeddings ... L = last layer)
 * <storesDir>/<hash>.partial/parts/*.arrow  finished chunks of an extraction in progress (resume points)
 * ```
 * Every file is written to a temp name and renamed; the finished folder is renamed from
 * `.partial` in one step, so a store is either complete or absent.
 */
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readFile, readdir, rename, rm} from "node:fs/promises";
import {join} from "node:path";
import {Table, tableFromIPC} from "apache-arrow";
import type {Matrix} from "../analyses/matrix.js";
import type {ModelKind, Pooling} from "../types.js";
import {TEMP_SUFFIX, writeAtomic} from "../write-atomic.js";
import {ipcFileChunks, itemsFromIPC, itemsToIPC, matrixFromIPC, matrixToIPC, textColumn, vectorColumn, type StoredItem} from "./arrow.js";

export const STORE_FORMAT = "babelscope-store/1";

/** What a store's identity is made of. */
export interface StoreInputs {
  /**
   * Version of the extraction code (graph surgery, tokenisation, pooling): bumped when a change
   * would alter stored vectors, so a release that leaves extraction alone reuses every store.
   */
  extraction: number;
  /** Model file -> sha256 (the ONNX file's name carries the dtype). */
  modelFiles: Record<string, string>;
  datasetHash: string;
  pooling: Pooling;
  maxLength: number;
}

export interface Manifest {
  format: typeof STORE_FORMAT;
  hash: string;
  tool: {name: "babelscope"; version: string};
  model: {
    ref: string;
    source: string;
    id: string;
    revision?: string;
    dtype: string;
    files: Record<string, string>;
    model_type?: string;
    architecture?: string;
    kind: ModelKind;
    num_layers: number;
    hidden_size: number;
  };
  dataset: {name: string; hash: string; languages: string[]};
  settings: {pooling: Pooling; max_length: number};
  counts: {items: number; languages: number; hidden_states: number; tokens: number; truncated: number};
  files: {items: string; layers: string[]};
  created: string;
}

/** sha256 of the canonical JSON of the inputs (keys sorted at every level). */
export function storeHash(inputs: StoreInputs): string {
  return createHash("sha256").update(canonicalJSON({format: STORE_FORMAT, ...inputs})).digest("hex").slice(0, 20);
}

export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  // Keys whose value is undefined are left out, as JSON.stringify does: the output must parse.
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJSON((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function layerFile(layer: number): string {
  return `layer-${String(layer).padStart(2, "0")}.arrow`;
}

/**
 * Writes in the background, one at a time: `add` waits for the write before it, then starts this
 * one and returns, so the caller computes the next file while this one is written. A failed write
 * rejects the next `add` or `drain`.
 */
export class WriteQueue {
  private pending: Promise<void> = Promise.resolve();

  async add(write: () => Promise<void>): Promise<void> {
    await this.pending;
    const next = write();
    next.catch(() => {}); // reported by the next add or drain, not as an unhandled rejection
    this.pending = next;
  }

  drain(): Promise<void> {
    return this.pending;
  }
}

/** A complete store: its manifest, items and lazily read layers. */
export interface Store {
  dir: string;
  manifest: Manifest;
  items(): Promise<StoredItem[]>;
  layer(index: number): Promise<Matrix>;
}

export async function openStore(dir: string): Promise<Store> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    throw new Error(`${dir} is not a complete Babelscope store (no readable manifest.json)`);
  }
  if (manifest.format !== STORE_FORMAT) throw new Error(`${dir}: store format "${manifest.format}", expected "${STORE_FORMAT}"`);
  return {
    dir,
    manifest,
    items: async () => itemsFromIPC(await readFile(join(dir, manifest.files.items))),
    layer: async (index) => {
      const file = manifest.files.layers[index];
      if (file === undefined) throw new Error(`layer ${index} out of range: the store has layers 0..${manifest.files.layers.length - 1}`);
      return matrixFromIPC(await readFile(join(dir, file)));
    }
  };
}

/** Every hidden state of a store with each row's unit and language: the input of the analyses. */
export async function readLayered(store: Store): Promise<{items: StoredItem[]; layers: Matrix[]; unit: string[]; lang: string[]}> {
  const items = await store.items();
  const layers = await Promise.all(store.manifest.files.layers.map((_, l) => store.layer(l)));
  return {items, layers, unit: items.map((item) => item.unit), lang: items.map((item) => item.lang)};
}

/** The finished store for a hash, if there is one. */
export async function findStore(storesDir: string, hash: string): Promise<Store | undefined> {
  const dir = join(storesDir, hash);
  return existsSync(join(dir, "manifest.json")) ? openStore(dir) : undefined;
}

/**
 * Chunks of an extraction in progress. A chunk is a fixed set of items, numbered by where it starts
 * in the extraction's item order; its file holds their ids (checked on resume) and one vector column
 * per hidden state.
 */
export class PartialStore {
  private constructor(
    readonly dir: string,
    readonly finalDir: string,
    /** Part files an earlier run left: only these are read back. */
    private readonly saved: ReadonlySet<string>
  ) {}

  static async open(storesDir: string, hash: string): Promise<PartialStore> {
    const finalDir = join(storesDir, hash);
    const dir = `${finalDir}.partial`;
    await mkdir(join(dir, "parts"), {recursive: true});
    return new PartialStore(dir, finalDir, new Set(await readdir(join(dir, "parts"))));
  }

  private partName(start: number): string {
    return `${String(start).padStart(9, "0")}.arrow`;
  }

  private partPath(start: number): string {
    return join(this.dir, "parts", this.partName(start));
  }

  /** A finished chunk's layers, or undefined if it was not finished (or holds other items). */
  async readPart(start: number, ids: string[]): Promise<Matrix[] | undefined> {
    if (!this.saved.has(this.partName(start))) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.partPath(start));
    } catch {
      return undefined;
    }
    const table = tableFromIPC(bytes);
    const stored = table.getChild("id")?.toArray() as string[] | undefined;
    if (!stored || stored.length !== ids.length || stored.some((id, i) => id !== ids[i])) return undefined;
    const layers: Matrix[] = [];
    for (let l = 0; table.getChild(`layer_${l}`); l++) layers.push(matrixFromIPC(bytes, `layer_${l}`));
    return layers;
  }

  async writePart(start: number, ids: string[], layers: Matrix[]): Promise<void> {
    const columns = Object.fromEntries(layers.map((m, l) => [`layer_${l}`, vectorColumn(m)]));
    await writeAtomic(this.partPath(start), await ipcFileChunks(new Table({id: textColumn(ids), ...columns})));
  }

  /** Writes the final files and manifest, then renames the folder into place. */
  async finish(items: StoredItem[], layers: Matrix[], manifest: Omit<Manifest, "files" | "created">): Promise<Store> {
    const files = {items: "items.arrow", layers: layers.map((_, l) => layerFile(l))};
    // All at once: the layer files' pieces are views of the matrices, so this holds no extra copy,
    // and the writes overlap in libuv's thread pool. Every write ends before a failure is thrown.
    const written = await Promise.allSettled([
      writeAtomic(join(this.dir, files.items), itemsToIPC(items)),
      ...layers.map(async (m, l) => writeAtomic(join(this.dir, files.layers[l]), await matrixToIPC(m)))
    ]);
    for (const result of written) if (result.status === "rejected") throw result.reason;
    await rm(join(this.dir, "parts"), {recursive: true, force: true});
    // Temp files of a run killed while finishing must not end up in the store.
    for (const name of await readdir(this.dir)) if (name.endsWith(TEMP_SUFFIX)) await rm(join(this.dir, name), {force: true});
    const full: Manifest = {...manifest, files, created: new Date().toISOString()};
    await writeAtomic(join(this.dir, "manifest.json"), JSON.stringify(full, null, 2) + "\n");
    try {
      await rename(this.dir, this.finalDir);
    } catch (error) {
      // Another process finished the same store first: its content is the same by construction.
      if (!existsSync(join(this.finalDir, "manifest.json"))) throw error;
      await rm(this.dir, {recursive: true, force: true});
    }
    return openStore(this.finalDir);
  }
}

/** Store folders under `storesDir` with their state, for listing and cleaning. */
export async function listStores(storesDir: string): Promise<{hash: string; complete: boolean}[]> {
  if (!existsSync(storesDir)) return [];
  const names = await readdir(storesDir);
  return names
    .filter((name) => !name.startsWith("."))
    .map((name) => ({hash: name.replace(/\.partial$/, ""), complete: !name.endsWith(".partial") && existsSync(join(storesDir, name, "manifest.json"))}));
}
