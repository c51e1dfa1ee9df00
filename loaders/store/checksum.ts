/**
 * Checksums of the files Babelscope caches (store files, resume points, surgered models): what is
 * written is hashed from the bytes in hand, and a cached file is served only after it is checked.
 * Its size is checked every time (a stat); its content once per process, since hashing reads the
 * whole file: a file that keeps its path, size and modification time keeps its verdict.
 */
import {createHash} from "node:crypto";
import {stat} from "node:fs/promises";
import {createReadStream} from "node:fs";

export interface Checksum {
  size: number;
  sha256: string;
}

/**
 * sha256 (hex) of a value's JSON: the checksum a cached JSON file (an analysis result, a surgered
 * model's sidecar) carries of its other fields, so that a damaged or stub file is never taken for one.
 */
export function jsonDigest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** sha256 (hex) of a file's content, streamed: model files can be gigabytes. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** How much of a file to check: its size only, its content once per process, or its content now. */
export type Check = "size" | "once" | "always";

/** The checksum of bytes about to be written (the pieces of one file, in order). */
export function checksumOf(data: string | Uint8Array | readonly Uint8Array[]): Checksum {
  const hash = createHash("sha256");
  const chunks = typeof data === "string" ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
  let size = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return {size, sha256: hash.digest("hex")};
}

/** Files whose content matched, as `path|size|mtime|sha256`. */
const verified = new Set<string>();

const verdictKey = (path: string, size: number, mtimeMs: number, sha256: string) => `${path}|${size}|${mtimeMs}|${sha256}`;

/**
 * Why the file at `path` is not the file `expected` describes ("missing", "truncated to ...",
 * "checksum mismatch"), or undefined when it is. `bytes`, when given, are the file's content
 * already read, hashed instead of reading the file again. Without an expected size (hub
 * downloads record only the sha256), the content is the only check.
 */
export async function fileProblem(
  path: string, expected: Pick<Checksum, "sha256"> & Partial<Checksum>, check: Check, bytes?: Uint8Array
): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return "missing";
  if (expected.size !== undefined && info.size !== expected.size) {
    const n = (count: number) => count.toLocaleString("en-US");
    return info.size < expected.size ? `truncated to ${n(info.size)} of ${n(expected.size)} bytes` : `${n(info.size)} bytes, expected ${n(expected.size)}`;
  }
  if (check === "size") return undefined;
  const key = verdictKey(path, info.size, info.mtimeMs, expected.sha256);
  if (check === "once" && verified.has(key)) return undefined;
  const actual = bytes ? checksumOf(bytes).sha256 : await sha256File(path);
  if (actual !== expected.sha256) return "checksum mismatch";
  verified.add(key);
  return undefined;
}

/** Records that this process wrote `path` with this checksum, so it is not hashed again on reading. */
export async function markVerified(path: string, checksum: Checksum): Promise<void> {
  const info = await stat(path);
  if (info.size === checksum.size) verified.add(verdictKey(path, info.size, info.mtimeMs, checksum.sha256));
}

/** Where a cache reports, by default, a damaged file it removed and computes again: one line on stderr. */
export const warnOnStderr = (line: string): void => void process.stderr.write(`${line}\n`);
