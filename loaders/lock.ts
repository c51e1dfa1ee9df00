/**
 * Advisory lock files, so that one process at a time does a piece of work that others would
 * collide with: a project's build (its work folder, dist/ and Framework's output), a store's
 * extraction (its `.partial` folder and part files).
 *
 * The lock is a file created exclusively (`wx`, O_EXCL) holding its owner's pid, host and start
 * time as JSON, so whoever finds it can say who holds it. It is removed when the work ends, by
 * return, exception or `process.exit` (a SIGINT handler that exits included). A process killed
 * outright leaves it behind: a lock whose owner pid no longer runs on this host is stale and is
 * taken over. A lock written on another host (a shared network folder) is never taken over: its
 * pid means nothing here, and no age tells a long build from a dead one, so the message names the
 * file for the user to remove.
 */
import {readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {mkdir, readFile} from "node:fs/promises";
import {hostname} from "node:os";
import {dirname, join} from "node:path";
import {isRunning} from "./write-atomic.js";

export interface LockOwner {
  pid: number;
  host: string;
  /** When the owner took the lock (ISO 8601, UTC). */
  since: string;
}

export interface LockOptions {
  /** true: wait for the owner however long it takes; a number: at most that many ms; false: fail at once. */
  wait: boolean | number;
  /** Told once, when the lock is busy and we wait (default: a line on stderr). */
  onWait?: (message: string) => void;
}

/** The lock is held by a live process (or one on another host) and we did not, or no longer, wait. */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
    what: string
  ) {
    super(`${what} is in use by ${ownerText(owner)}; wait for it or remove ${path} if that process is gone`);
  }
}

const POLL_MS = 200;
/**
 * A lock file that does not parse is being written (`wx` creates it empty, the JSON follows in the
 * same call); one that stays so for this long was left by a process killed in between.
 */
const UNWRITTEN_STALE_MS = 5000;

/** Runs `fn` holding the lock file at `path`; `what` names the work in messages ("store <hash>"). */
export async function withLock<T>(path: string, what: string, fn: () => Promise<T>, options: LockOptions): Promise<T> {
  const release = await acquireLock(path, what, options);
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * The lock of the store `hash` under `storesDir`, for extraction: a second extraction of the same
 * store waits for the first, then finds its finished store. The file starts with a dot, which
 * store listings skip.
 */
export function withStoreLock<T>(storesDir: string, hash: string, fn: () => Promise<T>): Promise<T> {
  return withLock(join(storesDir, `.${hash}.lock`), `store ${hash}`, fn, {wait: true});
}

/** Takes the lock (waiting as `options` say); returns the function that releases it. */
async function acquireLock(path: string, what: string, {wait, onWait = (line) => process.stderr.write(`${line}\n`)}: LockOptions): Promise<() => void> {
  const mine = JSON.stringify({pid: process.pid, host: hostname(), since: new Date().toISOString()} satisfies LockOwner);
  const giveUp = wait === true ? Infinity : Date.now() + (wait === false ? 0 : wait);
  let told = false;
  await mkdir(dirname(path), {recursive: true});
  for (;;) {
    try {
      // Synchronous, so no signal handler can run (and exit) between creating the file and the
      // "exit" listener below that removes it.
      writeFileSync(path, mine, {flag: "wx"});
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const found = await readFile(path, "utf8").catch(() => undefined);
    if (found === undefined) continue; // released between our two calls
    const owner = parseOwner(found);
    if (owner ? owner.host === hostname() && !isRunning(owner.pid) : ageMs(path) > UNWRITTEN_STALE_MS) {
      removeIfUnchanged(path, found);
      continue;
    }
    if (owner && Date.now() >= giveUp) throw new LockBusyError(path, owner, what);
    if (owner && !told) {
      onWait(`waiting for ${what} held by ${ownerText(owner)}`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  // `process.exit` (as a SIGINT handler calls it) runs no finally blocks, only "exit" listeners.
  const release = () => {
    process.off("exit", release);
    removeIfUnchanged(path, mine);
  };
  process.on("exit", release);
  return release;
}

/** The owner recorded in a lock file, or undefined while it is being written. */
function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && typeof owner.host === "string" && typeof owner.since === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerText(owner: LockOwner): string {
  return `pid ${owner.pid} on host ${owner.host} since ${owner.since}`;
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Removes the lock only if it still holds `content`: a stale lock that another waiter has already
 * taken over, or our own lock that a user removed and another process took, is left alone. (Best
 * effort: the read and the removal are two calls, microseconds apart.)
 */
function removeIfUnchanged(path: string, content: string): void {
  try {
    if (readFileSync(path, "utf8") === content) rmSync(path, {force: true});
  } catch {
    // Already gone.
  }
}
