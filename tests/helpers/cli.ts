/** Runs the `babelscope` command as a user would, in a child process. */
import {spawn, type ChildProcess} from "node:child_process";
import {existsSync, readdirSync} from "node:fs";
import {join, resolve} from "node:path";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const BIN = resolve("bin/babelscope.js");

export function startCli(args: string[], env: Record<string, string> = {}): {child: ChildProcess; done: Promise<CliResult>} {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, CI: "1", ...env}, stdio: ["ignore", "pipe", "pipe"]});
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({code, signal, stdout, stderr})));
  return {child, done};
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Finished part files (resume points) of every unfinished store under `storesDir`. */
export function savedParts(storesDir: string): string[] {
  return (existsSync(storesDir) ? readdirSync(storesDir) : [])
    .filter((name) => name.endsWith(".partial"))
    .flatMap((name) => (existsSync(join(storesDir, name, "parts")) ? readdirSync(join(storesDir, name, "parts")) : []))
    .filter((name) => name.endsWith(".arrow"));
}

/**
 * Sends `signal` to a running extraction once its stores folder holds `parts` finished part files:
 * the moment a crash or a Ctrl-C has something to keep.
 */
export function signalAfterParts(child: ChildProcess, storesDir: string, parts: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (savedParts(storesDir).length >= parts) {
        clearInterval(poll);
        child.kill(signal);
        resolve();
      }
    }, 5);
  });
}
