/**
 * Lock files in one process: the owner's record, release on return and on throw, stale locks taken
 * over (and only those), waiting with one message, failing fast with one line. Other processes
 * holding the lock are stood in for by lock files written here; tests/faults/locks.test.ts runs
 * real concurrent builds.
 */
import {existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {dirname, join} from "node:path";
import {describe, expect, it} from "vitest";
import {LockBusyError, withLock, withStoreLock} from "../loaders/lock.js";
import {listStores} from "../loaders/store/store.js";
import {isRunning} from "../loaders/write-atomic.js";
import {tempDir} from "./helpers/tmp.js";

const dir = tempDir("lock");
let made = 0;
const lockPath = () => join(dir, `work-${made++}`, "build.lock");

/** Above any pid_max: a process that cannot be running. */
const DEAD_PID = 2 ** 31 - 1;
const SINCE = "2026-01-02T03:04:05.000Z";

/** Writes the lock file as another process holding it would; returns its content. */
function holdAs(path: string, content: string | {pid: number; host?: string}): string {
  const text = typeof content === "string" ? content : JSON.stringify({pid: content.pid, host: content.host ?? hostname(), since: SINCE});
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, text);
  return text;
}

describe("withLock", () => {
  it("holds a file naming this process while the work runs, and removes it when the work returns", async () => {
    const path = lockPath();
    const seen = await withLock(path, "the work", async () => JSON.parse(readFileSync(path, "utf8")), {wait: false});
    expect(seen).toMatchObject({pid: process.pid, host: hostname()});
    expect(Date.parse(seen.since)).toBeGreaterThan(Date.now() - 60_000);
    expect(existsSync(path)).toBe(false);
  });

  it("removes the lock when the work throws, and passes the error on", async () => {
    const path = lockPath();
    await expect(withLock(path, "the work", async () => Promise.reject(new Error("broken")), {wait: false})).rejects.toThrow("broken");
    expect(existsSync(path)).toBe(false);
  });

  it("takes over a lock whose owner no longer runs on this host, without waiting", async () => {
    expect(isRunning(DEAD_PID)).toBe(false);
    const path = lockPath();
    const messages: string[] = [];
    holdAs(path, {pid: DEAD_PID});
    const owner = await withLock(path, "the work", async () => JSON.parse(readFileSync(path, "utf8")).pid, {wait: false, onWait: (m) => messages.push(m)});
    expect(owner).toBe(process.pid);
    expect(messages).toEqual([]);
  });

  it("takes over a lock file left empty (its writer killed between creating and writing it) once it is old", async () => {
    const path = lockPath();
    holdAs(path, "");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(path, minuteAgo, minuteAgo);
    expect(await withLock(path, "the work", async () => "ran", {wait: false})).toBe("ran");
  });

  it("fails fast in one line naming the owner and the file when the owner runs, and leaves its lock alone", async () => {
    const path = lockPath();
    const theirs = holdAs(path, {pid: process.pid});
    let ran = false;
    const error = await withLock(path, "the build of /p", async () => (ran = true), {wait: false}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toBe(`the build of /p is in use by pid ${process.pid} on host ${hostname()} since ${SINCE}; wait for it or remove ${path} if that process is gone`);
    expect(ran).toBe(false);
    expect(readFileSync(path, "utf8")).toBe(theirs);
  });

  it("never takes over a lock from another host, whatever its pid", async () => {
    const path = lockPath();
    holdAs(path, {pid: DEAD_PID, host: "elsewhere.example"});
    await expect(withLock(path, "the work", async () => {}, {wait: false})).rejects.toThrow(`the work is in use by pid ${DEAD_PID} on host elsewhere.example since ${SINCE}`);
  });

  it("waits for a running owner with one message however many times it polls, then runs", async () => {
    const path = lockPath();
    holdAs(path, {pid: process.pid});
    const messages: string[] = [];
    // The owner finishes after several polls of the waiter.
    const onWait = (message: string) => {
      messages.push(message);
      setTimeout(() => rmSync(path), 1000);
    };
    const owner = await withLock(path, "store abc", async () => JSON.parse(readFileSync(path, "utf8")).since, {wait: true, onWait});
    expect(owner).not.toBe(SINCE);
    expect(messages).toEqual([`waiting for store abc held by pid ${process.pid} on host ${hostname()} since ${SINCE}`]);
  });

  it("waits at most `wait` ms, then fails as without waiting", async () => {
    const path = lockPath();
    holdAs(path, {pid: process.pid});
    const messages: string[] = [];
    await expect(withLock(path, "the work", async () => {}, {wait: 500, onWait: (m) => messages.push(m)})).rejects.toThrow(LockBusyError);
    expect(messages).toHaveLength(1);
  });

  it("runs two holders in one process one after the other", async () => {
    const path = lockPath();
    const events: string[] = [];
    const work = (name: string) => withLock(path, "the work", async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push(`${name} out`);
    }, {wait: true, onWait: () => {}});
    await Promise.all([work("a"), work("b")]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
  });
});

describe("withStoreLock", () => {
  it("locks a store by a dot file beside it, which store listings skip", async () => {
    const stores = join(dir, "stores");
    mkdirSync(join(stores, "abc123"), {recursive: true});
    const listed = await withStoreLock(stores, "abc123", async () => {
      expect(JSON.parse(readFileSync(join(stores, ".abc123.lock"), "utf8")).pid).toBe(process.pid);
      return listStores(stores);
    });
    expect(listed.map((s) => s.hash)).toEqual(["abc123"]);
    expect(existsSync(join(stores, ".abc123.lock"))).toBe(false);
  });
});
