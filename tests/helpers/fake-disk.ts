/**
 * A disk that fills up, for `vi.mock("node:fs/promises", ...)`: every file opened for writing
 * takes at most `perWrite` bytes per write (a kernel may write less than asked without an error)
 * and `room` bytes in all; once full, a write takes nothing (`onFull: "zero"`) or fails with
 * ENOSPC (`"enospc"`, what a kernel answers). `written` counts the bytes taken.
 */
export interface FakeDisk {
  room: number;
  perWrite: number;
  onFull: "zero" | "enospc";
  written: number;
}

type FsPromises = typeof import("node:fs/promises");

export function withFakeDisk(fs: FsPromises, disk: FakeDisk): FsPromises {
  return {
    ...fs,
    open: async (...args: Parameters<FsPromises["open"]>) => {
      const handle = await fs.open(...args);
      if (args[1] !== "w") return handle;
      const writev = handle.writev.bind(handle);
      handle.writev = (async (buffers: readonly NodeJS.ArrayBufferView[]) => {
        if (disk.room <= 0 && disk.onFull === "enospc") throw Object.assign(new Error("ENOSPC: no space left on device, write"), {code: "ENOSPC"});
        const all = Buffer.concat(buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
        const taken = all.subarray(0, Math.max(0, Math.min(all.byteLength, disk.room, disk.perWrite)));
        disk.room -= taken.byteLength;
        disk.written += taken.byteLength;
        const {bytesWritten} = taken.byteLength ? await writev([taken]) : {bytesWritten: 0};
        return {bytesWritten, buffers};
      }) as typeof handle.writev;
      return handle;
    }
  };
}
