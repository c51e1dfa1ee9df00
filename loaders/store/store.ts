/**
 * The hidden-state store: one folder per (model files, dataset, extraction settings, extraction code version),
 * named by a content hash of those inputs.
 *
 * ```
 * <storesDir>/<hash>/manifest.json        written last: its presence means the store is complete
 *                   /items.arrow          id, unit, lang, script, direction, text, label, split, tokens, truncated
 *                   /layer-00.arrow ...   one file per hidden state (00 = embeddings ... L = last layer)
 * <storesDir>/<hash>.partial/parts/<start>.<sha256>.arrow  finished chunks of an extraction in progress (resume points)
 * <storesDir>/<hash>.damaged-<time>/     a store that failed its checks, moved aside (`babelscope clean` removes it)
 * ```
 * Every file is written to a temp name and renamed; the finished folder is renamed from
 * `.partial` in one step, so a store is either complete or absent. The manifest records the size
 * and sha256 of every file it lists, and a part file's name its sha256: nothing is served
 * without being checked (see checkStore), since a disk, a copy or a person can damage a file
 * after it was written whole.
 */
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {readFile, readdir, rename, rm} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import {Table, tableFromIPC} from "apache-arrow";
import type {LayerSource, Matrix} from "../vectors.js";
import type {Device} from "../models/device.js";
import type {ModelKind, Pooling} from "../types.js";
import {shellWord} from "../shell-word.js";
import {TEMP_SUFFIX, writeAtomic} from "../write-atomic.js";
import {type Check, type Checksum, checksumOf, fileProblem, markVerified} from "./checksum.js";
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
  /**
   * onnxruntime's execution provider, when not the CPU: providers compute the same graph with other
   * kernels, fused and summed in other orders, so their vectors differ in the last bits, and a store
   * must not answer for another provider's. Absent for the CPU, so
   * CPU stores keep the names they had before devices were a setting.
   */
  device?: Exclude<Device, "cpu">;
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
  settings: {pooling: Pooling; max_length: number; device?: Exclude<Device, "cpu">};
  counts: {items: number; languages: number; hidden_states: number; tokens: number; truncated: number};
  files: {items: string; layers: string[]};
  /** Size and sha256 of every file in `files`, by name. */
  checksums: Record<string, Checksum>;
  created: string;
  /**
   * sha256 of the canonical JSON of the rest of the manifest but `created`, so a damaged manifest is
   * not read as another store's, and two runs that compute the same store write the same digest.
   */
  sha256: string;
}

/** What a store's writer gives `finish`: the manifest but for what finishing computes. */
export type ManifestDraft = Omit<Manifest, "files" | "checksums" | "created" | "sha256">;

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

/** A store file that cannot be served, and why. */
export interface FileProblem {
  file: string;
  reason: string;
}

/** What checking a store found: its manifest when one could be read, the files that fail, and whether it predates checksums. */
export interface StoreCheck {
  manifest?: Manifest;
  problems: FileProblem[];
  /** Written by a Babelscope that recorded no checksums: it cannot be checked, so it is recomputed like a damaged one. */
  old: boolean;
}

const manifestDigest = ({sha256: _sha256, created: _created, ...rest}: Omit<Manifest, "sha256"> & {sha256?: string}) => createHash("sha256").update(canonicalJSON(rest)).digest("hex");

/** A store's manifest as written, or why it cannot be read ("missing", "not valid JSON", ...); nothing else is checked. */
export async function readManifest(dir: string): Promise<Manifest | string> {
  let text: string;
  try {
    text = await readFile(join(dir, "manifest.json"), "utf8");
  } catch {
    return "missing";
  }
  let parsed: Partial<Manifest> | null;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  const valid = parsed && typeof parsed === "object" && typeof parsed.files?.items === "string" && Array.isArray(parsed.files.layers) && parsed.model && parsed.dataset && parsed.settings;
  return valid ? (parsed as Manifest) : "not a store manifest";
}

/**
 * Checks a store: its manifest against its own checksum, then every file it lists against the
 * size and sha256 it records (the content as `check` says: see fileProblem). A store of another
 * format is not judged: that is an error, not damage.
 */
export async function checkStore(dir: string, check: Check): Promise<StoreCheck> {
  const manifest = await readManifest(dir);
  if (typeof manifest === "string") return {problems: [{file: "manifest.json", reason: manifest}], old: false};
  if (manifest.sha256 !== undefined && manifest.sha256 !== manifestDigest(manifest)) return {manifest, problems: [{file: "manifest.json", reason: "checksum mismatch"}], old: false};
  if (manifest.format !== STORE_FORMAT) throw new Error(`${dir}: store format "${manifest.format}", expected "${STORE_FORMAT}"`);
  if (manifest.sha256 === undefined) return {manifest, problems: [], old: true};
  const problems: FileProblem[] = [];
  for (const file of [manifest.files.items, ...manifest.files.layers]) {
    const expected = manifest.checksums?.[file];
    const reason = expected ? await fileProblem(join(dir, file), expected, check) : "no checksum in the manifest";
    if (reason) problems.push({file, reason});
  }
  return {manifest, problems, old: false};
}

/** A store that failed its checks (or predates them). The message is one line, with how to recompute it. */
export class StoreDamagedError extends Error {
  override name = "StoreDamagedError";

  constructor(readonly dir: string, readonly check: StoreCheck) {
    const {manifest} = check;
    const recompute = manifest
      ? `recompute it with: ${extractCommand(manifest, dirname(dir))}`
      : "rerun the babelscope extract or build that made it to recompute it";
    super(`store ${dir} ${check.old ? "was written by an earlier Babelscope, without checksums" : `is damaged (${describeProblems(check.problems)})`}; ${recompute}`);
  }

  /** What the store holds: "<model> on <dataset>", or "unreadable manifest". */
  get label(): string {
    const {manifest} = this.check;
    return manifest ? `${manifest.model.ref} on ${manifest.dataset.name}` : "unreadable manifest";
  }

  /** "store <hash> (<model> on <dataset>) was damaged (<file>: <reason>)", for a warning. */
  summary(): string {
    const {problems, old} = this.check;
    return `store ${basename(this.dir)} (${this.label}) ${old ? "was written by an earlier Babelscope, without checksums" : `was damaged (${describeProblems(problems)})`}`;
  }
}

export const describeProblems = (problems: FileProblem[]): string => problems.map((p) => `${p.file}: ${p.reason}`).join("; ");

/** The `babelscope extract` command line that makes this store again (the stores folder is its parent). */
function extractCommand(manifest: Manifest, storesDir: string): string {
  const {model, dataset, settings} = manifest;
  const args = ["--model", model.ref, "--input", dataset.name, "--langs", dataset.languages.join(","), "--pooling", settings.pooling, "--max-length", String(settings.max_length)];
  if (model.dtype !== "fp32") args.push("--dtype", model.dtype);
  if (settings.device) args.push("--device", settings.device);
  args.push("--out", storesDir);
  return ["babelscope", "extract", ...args.map(shellWord)].join(" ");
}

/**
 * Opens a complete store: its manifest and every file's size are checked now, each file's content
 * (sha256) when this process first reads it. Throws StoreDamagedError when a check fails, so a
 * damaged file never yields a number. `readBytes` reads a file of the store (tests count reads).
 */
export async function openStore(dir: string, readBytes: (path: string) => Promise<Uint8Array> = readFile): Promise<Store> {
  const check = await checkStore(dir, "size");
  const {manifest} = check;
  if (!manifest && check.problems[0].reason === "missing") throw new Error(`${dir} is not a complete Babelscope store (no readable manifest.json)`);
  if (!manifest || check.old || check.problems.length > 0) throw new StoreDamagedError(dir, check);
  const read = async (file: string): Promise<Uint8Array> => {
    const path = join(dir, file);
    const bytes = await readBytes(path);
    const reason = await fileProblem(path, manifest.checksums[file], "once", bytes);
    if (reason) throw new StoreDamagedError(dir, {manifest, problems: [{file, reason}], old: false});
    return bytes;
  };
  return {
    dir,
    manifest,
    items: async () => itemsFromIPC(await read(manifest.files.items)),
    layer: async (index) => {
      const file = manifest.files.layers[index];
      if (file === undefined) throw new Error(`layer ${index} out of range: the store has layers 0..${manifest.files.layers.length - 1}`);
      return matrixFromIPC(await read(file));
    }
  };
}

/** A store's layers as the analyses read them: one layer file at a time, when asked for. */
export function layerSource(store: Store): LayerSource {
  return {count: store.manifest.files.layers.length, layer: (index) => store.layer(index)};
}

/** Every hidden state of a store in memory, with each row's unit and language: for small stores (tests); the analyses read a layerSource. */
export async function readLayered(store: Store): Promise<{items: StoredItem[]; layers: Matrix[]; unit: string[]; lang: string[]}> {
  const items = await store.items();
  const layers = await Promise.all(store.manifest.files.layers.map((_, l) => store.layer(l)));
  return {items, layers, unit: items.map((item) => item.unit), lang: items.map((item) => item.lang)};
}

/**
 * The finished store for a hash, if there is one that passes every check (content included, once
 * per process). One that fails is moved aside to `<hash>.damaged-<time>` (one that predates
 * checksums is removed), `onDamaged` is told what and where, and there is no store: the caller
 * computes it again.
 */
export async function findStore(storesDir: string, hash: string, onDamaged: (what: string) => void = () => {}): Promise<Store | undefined> {
  const dir = join(storesDir, hash);
  if (!existsSync(join(dir, "manifest.json"))) return undefined;
  const check = await checkStore(dir, "once");
  if (check.manifest && !check.old && check.problems.length === 0) return openStore(dir);
  const damage = new StoreDamagedError(dir, check);
  if (check.old) {
    await rm(dir, {recursive: true, force: true});
    onDamaged(`${damage.summary()}; removed`);
  } else {
    onDamaged(`${damage.summary()}; moved to ${await quarantine(dir)}`);
  }
  return undefined;
}

/** Suffix of a store folder moved aside because it failed its checks. */
const QUARANTINE = ".damaged-";

/** Moves a damaged store out of the way, keeping it for a look (clean removes it); returns where it went. */
export async function quarantine(dir: string): Promise<string> {
  const target = `${dir}${QUARANTINE}${new Date().toISOString().replace(/[:.]/g, "-")}`;
  await rename(dir, target).catch((error: NodeJS.ErrnoException) => {
    // Another process moved it first.
    if (error.code !== "ENOENT") throw error;
  });
  return target;
}

/** A part file's name: where its chunk starts, and the sha256 of its content. */
const PART = /^(\d{9})\.([0-9a-f]{64})\.arrow$/;

/**
 * Chunks of an extraction in progress. A chunk is a fixed set of items, numbered by where it starts
 * in the extraction's item order; its file holds their ids (checked on resume) and one vector column
 * per hidden state, and is named by its start and its sha256 (checked on resume: a damaged part is
 * removed and computed again). Nothing is created until the first part is written, so a run that
 * fails before (say, opening the model) leaves nothing behind.
 */
export class PartialStore {
  private constructor(
    readonly dir: string,
    readonly finalDir: string,
    /** Part files an earlier run left: only these are read back. */
    private readonly saved: ReadonlySet<string>,
    private readonly warn: (line: string) => void
  ) {}

  static async open(storesDir: string, hash: string, warn: (line: string) => void = () => {}): Promise<PartialStore> {
    const finalDir = join(storesDir, hash);
    const dir = `${finalDir}.partial`;
    return new PartialStore(dir, finalDir, new Set(await readdir(join(dir, "parts")).catch(() => [])), warn);
  }

  /** The saved part files of the chunk at `start`. */
  private savedParts(start: number): string[] {
    return [...this.saved].filter((name) => Number(PART.exec(name)?.[1]) === start);
  }

  /**
   * A finished chunk's layers, or undefined if it was not finished (or holds other items, as when
   * the chunk size changed). A part that fails its checksum is removed, with a warning.
   */
  async readPart(start: number, ids: string[]): Promise<Matrix[] | undefined> {
    for (const name of this.savedParts(start)) {
      const path = join(this.dir, "parts", name);
      const bytes = await readFile(path).catch(() => undefined);
      if (!bytes) continue;
      const layers = checksumOf(bytes).sha256 === PART.exec(name)![2] ? partLayers(bytes) : undefined;
      if (!layers) {
        await rm(path, {force: true});
        this.warn(`warning: part ${name.slice(0, 9)} of store ${basename(this.finalDir)} was damaged (checksum mismatch); removed and recomputed`);
        continue;
      }
      if (layers.ids.length === ids.length && layers.ids.every((id, i) => id === ids[i])) return layers.layers;
    }
    return undefined;
  }

  async writePart(start: number, ids: string[], layers: Matrix[]): Promise<void> {
    const columns = Object.fromEntries(layers.map((m, l) => [`layer_${l}`, vectorColumn(m)]));
    const chunks = await ipcFileChunks(new Table({id: textColumn(ids), ...columns}));
    const name = `${String(start).padStart(9, "0")}.${checksumOf(chunks).sha256}.arrow`;
    await writeAtomic(join(this.dir, "parts", name), chunks);
    // Parts an earlier run left for this start hold other items (else this one was not computed).
    for (const old of this.savedParts(start)) if (old !== name) await rm(join(this.dir, "parts", old), {force: true});
  }

  /** Writes the final files and manifest, then renames the folder into place. */
  async finish(items: StoredItem[], layers: Matrix[], manifest: ManifestDraft): Promise<Store> {
    const files = {items: "items.arrow", layers: layers.map((_, l) => layerFile(l))};
    const checksums: Record<string, Checksum> = {};
    // Hashed from the bytes in hand, as they go out.
    const write = (file: string, data: Uint8Array | Uint8Array[]) => {
      checksums[file] = checksumOf(data);
      return writeAtomic(join(this.dir, file), data);
    };
    // All at once: the layer files' pieces are views of the matrices, so this holds no extra copy,
    // and the writes overlap in libuv's thread pool. Every write ends before a failure is thrown.
    const written = await Promise.allSettled([write(files.items, itemsToIPC(items)), ...layers.map(async (m, l) => write(files.layers[l], await matrixToIPC(m)))]);
    for (const result of written) if (result.status === "rejected") throw result.reason;
    await rm(join(this.dir, "parts"), {recursive: true, force: true});
    // Temp files of a run killed while finishing must not end up in the store.
    for (const name of await readdir(this.dir)) if (name.endsWith(TEMP_SUFFIX)) await rm(join(this.dir, name), {force: true});
    const body = {...manifest, files, checksums, created: new Date().toISOString()};
    const full: Manifest = {...body, sha256: manifestDigest(body)};
    await writeAtomic(join(this.dir, "manifest.json"), JSON.stringify(full, null, 2) + "\n");
    try {
      await rename(this.dir, this.finalDir);
      // Just written from these bytes: reading them back need not hash them again.
      await Promise.all(Object.entries(checksums).map(([file, checksum]) => markVerified(join(this.finalDir, file), checksum)));
    } catch (error) {
      // Another process finished the same store first: its content is the same by construction.
      if (!existsSync(join(this.finalDir, "manifest.json"))) throw error;
      await rm(this.dir, {recursive: true, force: true});
    }
    return openStore(this.finalDir);
  }
}

/** A part file's ids and layers; undefined when it does not parse as one. */
function partLayers(bytes: Uint8Array): {ids: string[]; layers: Matrix[]} | undefined {
  try {
    const table = tableFromIPC(bytes);
    const ids = table.getChild("id")?.toArray() as string[] | undefined;
    if (!ids) return undefined;
    const layers: Matrix[] = [];
    for (let l = 0; table.getChild(`layer_${l}`); l++) layers.push(matrixFromIPC(bytes, `layer_${l}`));
    return {ids, layers};
  } catch {
    return undefined;
  }
}

/** The part files of an unfinished store (`<hash>.partial`) whose content does not match their name. */
export async function damagedParts(partialDir: string): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  for (const name of await readdir(join(partialDir, "parts")).catch(() => [])) {
    const expected = PART.exec(name)?.[2];
    if (expected === undefined) continue;
    const bytes = await readFile(join(partialDir, "parts", name)).catch(() => undefined);
    if (bytes && checksumOf(bytes).sha256 !== expected) problems.push({file: `parts/${name}`, reason: "checksum mismatch"});
  }
  return problems;
}

/** What a folder under the stores folder is: a complete store, an unfinished one (`.partial`, or no manifest), or one moved aside as damaged. */
export type StoreState = "complete" | "unfinished" | "quarantined";

/** Store folders under `storesDir` with their state, for listing, checking and cleaning. */
export async function listStores(storesDir: string): Promise<{name: string; hash: string; state: StoreState; complete: boolean}[]> {
  if (!existsSync(storesDir)) return [];
  const names = await readdir(storesDir);
  return names
    .filter((name) => !name.startsWith("."))
    .map((name) => {
      const hash = name.replace(/\.partial$/, "").replace(/\.damaged-.*$/, "");
      const state: StoreState = name.includes(QUARANTINE) ? "quarantined" : !name.endsWith(".partial") && existsSync(join(storesDir, name, "manifest.json")) ? "complete" : "unfinished";
      return {name, hash, state, complete: state === "complete"};
    });
}
