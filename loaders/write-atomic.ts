/**
 * Atomic file writes for every cache Babelscope keeps (stores, analysis results, surgered models,
 * site inputs): readers see the old file or the new one, never a part.
 */
import {mkdir, open, rename} from "node:fs/promises";
import {dirname} from "node:path";

/** Suffix of the temp files; a folder left by a killed run is cleaned of them by name. */
export const TEMP_SUFFIX = ".tmp";

/**
 * Writes a file through a temp file and a rename, creating its folder if needed. Pieces go out in
 * one vectored write: writeFile would take 512 KiB per event-loop turn, and during extraction a turn
 * comes only between two onnxruntime batches.
 */
export async function writeAtomic(path: string, data: string | Uint8Array | Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), {recursive: true});
  const tmp = `${path}.${process.pid}${TEMP_SUFFIX}`;
  const file = await open(tmp, "w");
  try {
    await file.writev(typeof data === "string" ? [Buffer.from(data)] : Array.isArray(data) ? data : [data]);
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

/**
 * True for a temp file (`<path>.<pid>[.<tag>].tmp`) whose writer is no longer running on this
 * machine: it was killed mid-write, and nothing will rename or remove the file.
 */
export function isOrphanedTemp(name: string): boolean {
  const pid = name.endsWith(TEMP_SUFFIX) ? /\.(\d+)(?:\.[a-z]+)?$/.exec(name.slice(0, -TEMP_SUFFIX.length))?.[1] : undefined;
  if (pid === undefined) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
