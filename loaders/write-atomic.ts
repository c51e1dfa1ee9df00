/**
 * Atomic file writes for every cache Babelscope keeps (stores, analysis results, surgered models,
 * site inputs): readers see the old file or the new one, never a part.
 */
import {mkdir, open, rename, rm} from "node:fs/promises";
import {basename, dirname} from "node:path";

/** Suffix of the temp files; a folder left by a killed run is cleaned of them by name. */
export const TEMP_SUFFIX = ".tmp";

/**
 * Writes a file through a temp file and a rename, creating its folder if needed: every byte is
 * written (a vectored write may write fewer than asked, as on a full disk), the file is flushed to
 * disk before the rename and the folder after it, so a crash or power loss leaves the old file or
 * the whole new one. Pieces go out in vectored writes: writeFile would take 512 KiB per event-loop
 * turn, and during extraction a turn comes only between two onnxruntime batches. A full disk is one
 * line naming the folder and the bytes needed; the temp file is removed on every failure.
 */
export async function writeAtomic(path: string, data: string | Uint8Array | Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), {recursive: true});
  const tmp = `${path}.${process.pid}${TEMP_SUFFIX}`;
  const chunks = typeof data === "string" ? [Buffer.from(data)] : Array.isArray(data) ? data : [data];
  try {
    const file = await open(tmp, "w");
    try {
      await writeFully(file, chunks);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, {force: true});
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
      const bytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      throw new Error(`no space left on the device of ${dirname(path)}: writing ${basename(path)} needs ${bytes.toLocaleString("en-US")} bytes`);
    }
    throw error;
  }
  await syncFolder(dirname(path));
}

/** What writeFully needs of a file: a FileHandle, or a test's fake that writes less than asked. */
export interface VectoredWriter {
  writev(buffers: Uint8Array[]): Promise<{bytesWritten: number}>;
}

/** Writes every byte of `chunks`, resuming after a short write; a write of nothing is an error, not a loop. */
export async function writeFully(file: VectoredWriter, chunks: readonly Uint8Array[]): Promise<void> {
  let rest = chunks.filter((chunk) => chunk.byteLength > 0);
  while (rest.length > 0) {
    let {bytesWritten} = await file.writev(rest);
    if (bytesWritten === 0) throw Object.assign(new Error("the file system accepted no bytes"), {code: "ENOSPC"});
    while (bytesWritten > 0 && bytesWritten >= rest[0].byteLength) bytesWritten -= rest.shift()!.byteLength;
    if (bytesWritten > 0) rest[0] = rest[0].subarray(bytesWritten);
  }
}

/** Flushes a folder's entries (the rename) to disk; file systems that cannot sync a folder are left as they are. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r").catch(() => null);
  await handle?.sync().catch(() => {});
  await handle?.close();
}

/**
 * True for a temp file (`<path>.<pid>[.<tag>].tmp`) whose writer is no longer running on this
 * machine: it was killed mid-write, and nothing will rename or remove the file.
 */
export function isOrphanedTemp(name: string): boolean {
  const pid = name.endsWith(TEMP_SUFFIX) ? /\.(\d+)(?:\.[a-z]+)?$/.exec(name.slice(0, -TEMP_SUFFIX.length))?.[1] : undefined;
  return pid !== undefined && !isRunning(Number(pid));
}

/** Whether a process with this pid runs on this machine (one we may not signal still runs). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
