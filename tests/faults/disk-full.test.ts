/**
 * A disk that fills up during extraction, two ways: an injected file system that takes only so
 * many bytes (every machine), and a real tmpfs of a few hundred kB as the stores folder (where
 * this process may mount one). Either way the run must stop with one line naming the folder, leave
 * nothing that looks complete, and a rerun with room must finish a store byte-identical to a run
 * that never ran out.
 */
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {runCli} from "../helpers/cli.js";
import {testItems, writeItems} from "../helpers/items.js";
import {storeFiles} from "../helpers/store-files.js";
import {tempDir} from "../helpers/tmp.js";

const disk = vi.hoisted(() => ({room: Infinity, perWrite: Infinity, onFull: "enospc" as const, written: 0}));
vi.mock("node:fs/promises", async (original) => (await import("../helpers/fake-disk.js")).withFakeDisk(await original(), disk));

const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");
const ITEMS = testItems(300);
/** Small chunks: the extraction writes many part files before the final ones. */
const CHUNK_ITEMS = 16;
const NO_SPACE = /^no space left on the device of .+: writing .+ needs [\d,]+ bytes$/;

/** Folders under `storesDir` that hold a manifest, i.e. that a reader would take as complete. */
function completeStores(storesDir: string): string[] {
  if (!existsSync(storesDir)) return [];
  return readdirSync(storesDir).filter((name) => !name.endsWith(".partial") && existsSync(join(storesDir, name, "manifest.json")));
}

/** Temp files anywhere under `dir`: a failed write must remove its own. */
function tempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {recursive: true, encoding: "utf8"}).filter((name) => name.endsWith(".tmp"));
}

describe("a full disk during extraction (injected file system)", () => {
  const root = tempDir("disk-full");
  const dataset = {name: "disk-full", hash: datasetHash(ITEMS), items: ITEMS};
  const settings = {...DEFAULT_SETTINGS, batchSize: 8};
  const envAt = (name: string) => ({...envFrom(), storesDir: join(root, name), chunkItems: CHUNK_ITEMS});
  let clean: Record<string, string>;
  let total: number;

  beforeAll(async () => {
    disk.room = Infinity;
    disk.written = 0;
    const model = await resolveModel(TINY_BERT, envAt("clean"));
    const {store} = await extractToStore(model, dataset, settings, envAt("clean"));
    clean = storeFiles(store.dir);
    total = disk.written;
  });

  it("writes that take at most 1,000 bytes each still give a store equal to a clean run", async () => {
    const env = envAt("short-writes");
    disk.perWrite = 1000;
    const {store} = await extractToStore(await resolveModel(TINY_BERT, env), dataset, settings, env).finally(() => (disk.perWrite = Infinity));
    expect(storeFiles(store.dir)).toEqual(clean);
  });

  // Out of room early (among the part files), while writing the final layer files, and at the very end.
  it.each([0.1, 0.55, 0.97])("out of room after %f of the bytes: one line, nothing complete, and a rerun with room equals a clean run", async (share) => {
    const env = envAt(`full-${share}`);
    const model = await resolveModel(TINY_BERT, env);
    disk.room = Math.floor(total * share);
    const failed = await extractToStore(model, dataset, settings, env).then(() => "finished", (error: Error) => error.message);
    disk.room = Infinity;
    expect(failed).toMatch(NO_SPACE);
    expect(failed).toContain(env.storesDir);
    expect(completeStores(env.storesDir)).toEqual([]);
    expect(tempFiles(env.storesDir)).toEqual([]);

    const rerun = await extractToStore(model, dataset, settings, env);
    expect(rerun.reused).toBe(false);
    expect(storeFiles(rerun.store.dir)).toEqual(clean);
  });
});

/** Mounts a tmpfs where this process may (root on Linux); false otherwise. */
function mountTmpfs(dir: string, kb: number): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${kb}k`, "tmpfs", dir], {stdio: "ignore"});
    return true;
  } catch {
    return false;
  }
}

describe("a full disk during extraction (a real tmpfs, where one can be mounted)", () => {
  const root = tempDir("disk-full-tmpfs");
  const mount = join(root, "small");
  mkdirSync(mount);
  const input = writeItems(join(root, "items.jsonl"), ITEMS);
  const args = (out: string) => ["extract", "--model", TINY_BERT, "--input", input, "--out", out, "--batch-size", "8"];
  const env = {BABELSCOPE_CHUNK_ITEMS: String(CHUNK_ITEMS)};
  const mounted = mountTmpfs(mount, 4);
  afterAll(() => {
    if (mounted) execFileSync("umount", [mount]);
  });

  it.runIf(mounted)("extract into a full tmpfs exits 1 with one line; after the disk grows, a rerun equals a clean run", async () => {
    const reference = await runCli(args(join(root, "clean")), env);
    expect(reference.code).toBe(0);
    const bytes = Object.values(storeFiles(reference.stdout.trim())).reduce((sum, file) => sum + file.length * 0.75, 0);
    // About half the store fits.
    execFileSync("mount", ["-o", `remount,size=${Math.ceil(bytes / 2 / 1024)}k`, mount]);
    const full = await runCli(args(mount), env);
    expect(full.code).toBe(1);
    const lines = full.stderr.trim().split("\n").filter((line) => !line.startsWith("extract"));
    expect(lines.at(-1)).toMatch(/^babelscope: no space left on the device of /);
    expect(completeStores(mount)).toEqual([]);
    expect(tempFiles(mount)).toEqual([]);

    execFileSync("mount", ["-o", `remount,size=${Math.ceil((bytes * 3) / 1024)}k`, mount]);
    const rerun = await runCli(args(mount), env);
    expect(rerun.code).toBe(0);
    expect(storeFiles(rerun.stdout.trim())).toEqual(storeFiles(reference.stdout.trim()));
  });
});
