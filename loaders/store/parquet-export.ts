/**
 * A store exported as Parquet files, with the store's checksum discipline:
 *
 * ```
 * <target>/items.parquet, layer-00.parquet ... layer-L.parquet    (see parquet.ts)
 * <target>/export.json    written last: the store (hash, manifest sha256) the files come from,
 *                         each file's size and sha256, and a sha256 of the record itself
 * <parent>/.partial/<name>-<pid>/    an export being written, renamed to <target> when complete
 * ```
 * A complete export appears in one rename, so a glob such as `exports/<star>/layer-03.parquet`
 * never matches a half-written file (the unfinished folder is two levels down, under `.partial`).
 * The record holds no time: exporting the same store again gives the same bytes, file for file.
 */
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readFile, readdir, rename, rm, rmdir} from "node:fs/promises";
import {basename, dirname, join} from "node:path";
import {type Check, type Checksum, checksumOf, fileProblem} from "./checksum.js";
import {PARQUET_WRITER, itemsToParquet, layerToParquet, type ParquetProvenance} from "./parquet.js";
import {canonicalJSON, type FileProblem, type Manifest, type Store} from "./store.js";
import {isRunning, writeAtomic} from "../write-atomic.js";

const EXPORT_FORMAT = "babelscope-parquet/1";
const EXPORT_RECORD = "export.json";

export interface ExportRecord {
  format: typeof EXPORT_FORMAT;
  /** The store the files were exported from, and the sha256 its manifest records of itself. */
  store: {hash: string; manifest_sha256: string; model: string; dataset: string; items: number; hidden_size: number};
  tool: {name: "babelscope"; version: string};
  writer: {name: string; version: string};
  files: {items: string; layers: string[]};
  checksums: Record<string, Checksum>;
  /** sha256 of the canonical JSON of the rest of the record. */
  sha256: string;
}

const recordDigest = ({sha256: _sha256, ...rest}: Omit<ExportRecord, "sha256"> & {sha256?: string}) => createHash("sha256").update(canonicalJSON(rest)).digest("hex");

export const parquetLayerFile = (layer: number): string => `layer-${String(layer).padStart(2, "0")}.parquet`;

/**
 * Why the export at `dir` cannot be served as `manifest`'s store (no record, a record that fails
 * its checksum, one made from another store, a file that fails its size or sha256), or no problems.
 */
export async function checkExport(dir: string, manifest: Manifest, check: Check): Promise<FileProblem[]> {
  let record: ExportRecord | null;
  try {
    record = JSON.parse(await readFile(join(dir, EXPORT_RECORD), "utf8"));
  } catch (error) {
    return [{file: EXPORT_RECORD, reason: (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "not valid JSON"}];
  }
  if (!record || typeof record !== "object" || record.sha256 !== recordDigest(record)) return [{file: EXPORT_RECORD, reason: "checksum mismatch"}];
  if (record.format !== EXPORT_FORMAT) return [{file: EXPORT_RECORD, reason: `format "${record.format}", expected "${EXPORT_FORMAT}"`}];
  if (record.store.hash !== manifest.hash || record.store.manifest_sha256 !== manifest.sha256) {
    return [{file: EXPORT_RECORD, reason: `exported from store ${record.store.hash} (manifest ${record.store.manifest_sha256.slice(0, 12)}), not ${manifest.hash} (manifest ${manifest.sha256.slice(0, 12)})`}];
  }
  const problems: FileProblem[] = [];
  for (const file of [record.files.items, ...record.files.layers]) {
    const reason = await fileProblem(join(dir, file), record.checksums[file], check);
    if (reason) problems.push({file, reason});
  }
  return problems;
}

/** Unfinished exports under `<parent>/.partial` whose writer no longer runs: killed mid-export. */
async function removeOrphans(partials: string): Promise<void> {
  for (const name of await readdir(partials).catch(() => [])) {
    const pid = Number(/-(\d+)(?:\.old)?$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) await rm(join(partials, name), {recursive: true, force: true});
  }
}

export interface ExportResult {
  dir: string;
  /** A complete export of the same store was there and passed its checks. */
  reused: boolean;
  /** Why an export that was there could not be served (it was replaced), if one was. */
  replaced?: FileProblem[];
}

/**
 * Exports a store's items and every layer as Parquet into `target` (a folder), one layer at a
 * time (memory: one layer and its encoding). A complete export of the same store manifest that
 * passes its checks is reused; anything else at `target` (another store's export, a damaged one)
 * is replaced. A failure leaves `target` as it was and removes what this run wrote.
 */
export async function exportParquet(store: Store, target: string, version: string): Promise<ExportResult> {
  const {manifest} = store;
  if (existsSync(join(target, "manifest.json"))) throw new Error(`${target} is a store folder: export into another folder`);
  let replaced: FileProblem[] | undefined;
  if (existsSync(target)) {
    replaced = await checkExport(target, manifest, "always");
    if (replaced.length === 0) return {dir: target, reused: true};
  }
  const partials = join(dirname(target), ".partial");
  await removeOrphans(partials);
  const work = join(partials, `${basename(target)}-${process.pid}`);
  await rm(work, {recursive: true, force: true});
  await mkdir(work, {recursive: true});
  try {
    const provenance: ParquetProvenance = {store: manifest.hash, manifestSha256: manifest.sha256, version};
    const files = {items: "items.parquet", layers: manifest.files.layers.map((_, l) => parquetLayerFile(l))};
    const checksums: Record<string, Checksum> = {};
    const write = async (file: string, bytes: Uint8Array) => {
      checksums[file] = checksumOf(bytes);
      await writeAtomic(join(work, file), bytes);
    };
    const items = await store.items();
    await write(files.items, itemsToParquet(items, provenance));
    const ids = items.map((item) => item.id);
    for (let l = 0; l < files.layers.length; l++) await write(files.layers[l], layerToParquet(await store.layer(l), ids, l, provenance));
    const body: Omit<ExportRecord, "sha256"> = {
      format: EXPORT_FORMAT,
      store: {hash: manifest.hash, manifest_sha256: manifest.sha256, model: manifest.model.ref, dataset: manifest.dataset.name, items: manifest.counts.items, hidden_size: manifest.model.hidden_size},
      tool: {name: "babelscope", version},
      writer: PARQUET_WRITER,
      files,
      checksums
    };
    await writeAtomic(join(work, EXPORT_RECORD), JSON.stringify({...body, sha256: recordDigest(body)}, null, 2) + "\n");
    await moveIntoPlace(work, target, manifest);
  } finally {
    await rm(work, {recursive: true, force: true});
    await rmdir(partials).catch(() => {}); // only when empty: another export may be writing there
  }
  return {dir: target, reused: false, ...(replaced ? {replaced} : {})};
}

/**
 * Renames the finished export to `target`; what was there is moved aside first and removed after
 * (put back if the rename fails), so `target` is the old export, absent for an instant, or the new
 * one, never a mix. When another process put a valid export of the same store there first, that
 * one stays.
 */
async function moveIntoPlace(work: string, target: string, manifest: Manifest): Promise<void> {
  const old = `${work}.old`;
  const replacing = existsSync(target);
  if (replacing) await rename(target, old);
  try {
    await rename(work, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === "ENOTEMPTY" || code === "EEXIST") && (await checkExport(target, manifest, "always")).length === 0) return;
    if (replacing && !existsSync(target)) await rename(old, target);
    throw error;
  } finally {
    await rm(old, {recursive: true, force: true});
  }
}
