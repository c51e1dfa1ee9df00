import {existsSync, mkdtempSync, readdirSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it, vi} from "vitest";
import {writeAtomic, writeFully} from "../loaders/write-atomic.js";

// A disk that fills up: with no room, every file opened for writing accepts no bytes.
const disk = vi.hoisted(() => ({room: Infinity, perWrite: Infinity, onFull: "zero" as const, written: 0}));
vi.mock("node:fs/promises", async (original) => (await import("./helpers/fake-disk.js")).withFakeDisk(await original(), disk));

/** A file handle that takes at most `max` bytes per write, as a kernel may. */
function shortWriter(max: number) {
  const written: number[] = [];
  const file = {
    writev: async (buffers: Uint8Array[]) => {
      const bytes = Buffer.concat(buffers).subarray(0, max);
      written.push(...bytes);
      return {bytesWritten: bytes.length, buffers};
    }
  };
  return {file, written};
}

describe("writeFully", () => {
  it("writes every byte of every piece, in order, when each write takes only 3 bytes", async () => {
    const {file, written} = shortWriter(3);
    await writeFully(file, [Uint8Array.from([1, 2, 3, 4, 5]), new Uint8Array(0), Uint8Array.from([6, 7]), Uint8Array.from([8, 9, 10, 11])]);
    expect(written).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("fails instead of looping when the file system accepts no bytes", async () => {
    await expect(writeFully(shortWriter(0).file, [Uint8Array.from([1])])).rejects.toMatchObject({code: "ENOSPC"});
  });
});

describe("writeAtomic", () => {
  it("writes the whole file through a temp file that does not remain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "babelscope-write-"));
    await writeAtomic(join(dir, "a", "x.bin"), [Buffer.from("hello "), Buffer.from("world")]);
    expect(readFileSync(join(dir, "a", "x.bin"), "utf8")).toBe("hello world");
    expect(readdirSync(join(dir, "a"))).toEqual(["x.bin"]);
  });

  it("on a full disk says so in one line naming the folder and the bytes needed, and leaves neither the file nor its temp file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "babelscope-write-"));
    disk.room = 0;
    try {
      await expect(writeAtomic(join(dir, "x.bin"), Buffer.alloc(12_345))).rejects.toThrow(`no space left on the device of ${dir}: writing x.bin needs 12,345 bytes`);
    } finally {
      disk.room = Infinity;
    }
    expect(existsSync(join(dir, "x.bin"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
