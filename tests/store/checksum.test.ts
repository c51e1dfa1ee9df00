import {readFileSync, utimesSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {checksumOf, fileProblem} from "../../loaders/store/checksum.js";
import {tempDir} from "../helpers/tmp.js";

describe("checksums", () => {
  it("checksumOf the pieces of a file is the checksum of the file they make", () => {
    const whole = checksumOf(Buffer.from("hello, world"));
    expect(checksumOf([Buffer.from("hello"), Buffer.from(", "), Buffer.from("world")])).toEqual(whole);
    expect(checksumOf("hello, world")).toEqual(whole);
    expect(whole).toEqual({size: 12, sha256: "09ca7e4eaa6e8ae9c7d261167129184883644d07dfba7cbfbc4c8a2e08360d5b"});
  });

  it("fileProblem names a missing, truncated, grown or altered file", async () => {
    const path = join(tempDir("checksum"), "f.bin");
    const content = Buffer.alloc(1000, 7);
    const expected = checksumOf(content);
    expect(await fileProblem(path, expected, "once")).toBe("missing");
    writeFileSync(path, content.subarray(0, 400));
    expect(await fileProblem(path, expected, "size")).toBe("truncated to 400 of 1,000 bytes");
    writeFileSync(path, Buffer.concat([content, content]));
    expect(await fileProblem(path, expected, "size")).toBe("2,000 bytes, expected 1,000");
    writeFileSync(path, Buffer.alloc(1000, 8));
    expect(await fileProblem(path, expected, "size")).toBeUndefined();
    expect(await fileProblem(path, expected, "once")).toBe("checksum mismatch");
    writeFileSync(path, content);
    expect(await fileProblem(path, expected, "once")).toBeUndefined();
  });

  it("a file's content is hashed once per process (while path, size and mtime stay); always hashes it again", async () => {
    const path = join(tempDir("checksum"), "f.bin");
    // A whole second, so that setting it again gives the very same modification time.
    const time = 1_700_000_000;
    writeFileSync(path, Buffer.alloc(1000, 7));
    utimesSync(path, time, time);
    const expected = checksumOf(readFileSync(path));
    expect(await fileProblem(path, expected, "once")).toBeUndefined();
    // Same size, same modification time, other bytes: only a full read can tell.
    writeFileSync(path, Buffer.alloc(1000, 9));
    utimesSync(path, time, time);
    expect(await fileProblem(path, expected, "once")).toBeUndefined();
    expect(await fileProblem(path, expected, "always")).toBe("checksum mismatch");
  });

  it("fileProblem hashes bytes already read instead of the file", async () => {
    const path = join(tempDir("checksum"), "f.bin");
    writeFileSync(path, "abc");
    expect(await fileProblem(path, checksumOf("abc"), "always", Buffer.from("abd"))).toBe("checksum mismatch");
  });
});
