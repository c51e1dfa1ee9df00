/**
 * Progress on stderr: a redrawn bar with counts, rate and ETA on a terminal; plain lines (at most one
 * every few seconds, plus the last) when stderr is a file or CI log. And what Ctrl-C leaves behind.
 */
import {readdirSync} from "node:fs";
import {join} from "node:path";
import type {Env} from "../config.js";
import type {ExtractionEstimate} from "../extract/estimate.js";
/**
 * Items done of all; `fraction`: the share of the work done, which the ETA extrapolates (default
 * done / total, for items of equal cost); `estimate`: an extraction's cost, printed as a line of its
 * own when it first comes and again when its time is known.
 */
export interface Progress {
  done: number;
  total: number;
  fraction?: number;
  estimate?: ExtractionEstimate;
}

export interface ProgressSink {
  update(progress: Progress): void;
  finish(message: string): void;
}

/** Whether a terminal bar is drawn on a line not yet ended (an interruption's line starts below it). */
let midLine = false;

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressSink {
  const start = now();
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let lastLine = -Infinity;
  let lastDone = -1;
  let first: {seconds: number; fraction: number; done: number} | undefined;
  let estimated = "";
  return {
    update({done, total, fraction = total > 0 ? done / total : 0, estimate}) {
      const line = estimate ? formatEstimate(estimate) : "";
      if (line !== estimated) {
        estimated = line;
        stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${line}\n`);
      }
      const elapsed = (now() - start) / 1000;
      // Rate and ETA count from the first update on: the time before it went to setting up (opening
      // a model), not to the work, and items it reports may come from an earlier run (resumed).
      first ??= {seconds: elapsed, fraction, done};
      const since = elapsed - first.seconds;
      const rate = since > 0 ? `${((done - first.done) / since).toFixed(1)}/s` : "--/s";
      const eta = fraction > first.fraction ? (since * (1 - fraction)) / (fraction - first.fraction) : NaN;
      const stats = `${done}/${total} items  ${rate}  ETA ${formatDuration(eta)}`;
      if (tty) {
        const width = 24;
        const filled = total > 0 ? Math.round((done / total) * width) : 0;
        stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${stats}\x1b[K`);
        midLine = true;
      } else if (now() - lastLine >= 5000 || (done === total && done !== lastDone)) {
        lastLine = now();
        lastDone = done;
        stream.write(`${label}: ${stats}\n`);
      }
    },
    finish(message) {
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${message}\n`);
      midLine = false;
    }
  };
}

/**
 * On Ctrl-C (SIGINT), one line `babelscope: interrupted; <kept()>` and exit code 130 (what a shell
 * reports for SIGINT). Nothing is removed: every file is written whole (a temp file renamed), so
 * whatever exists is complete and kept for the rerun.
 */
export function onInterrupt(kept: () => string): void {
  process.once("SIGINT", () => {
    process.stderr.write(`${midLine ? "\n" : ""}babelscope: interrupted; ${kept()}\n`);
    process.exit(130);
  });
}

/** What an interrupted extraction keeps: the chunks of store `hash` saved so far (one part file each). */
export function savedChunks(env: Env, hash: string, items: number): string {
  let saved = 0;
  try {
    saved = readdirSync(join(env.storesDir, `${hash}.partial`, "parts")).filter((name) => name.endsWith(".arrow")).length;
  } catch {
    // No parts folder yet: nothing saved.
  }
  return `${saved} of ${Math.ceil(items / env.chunkItems)} chunks of store ${hash} are saved: rerun the same command to resume`;
}

/** One line: the counts before the first batch, and the time once it is known. */
export function formatEstimate(estimate: ExtractionEstimate): string {
  const counts = `${estimate.items} items, ${estimate.tokens} tokens (${estimate.paddedTokens} as batched)`;
  const {firstBatch, seconds} = estimate;
  if (!firstBatch || seconds === undefined) return `estimate: ${counts}; timing the first batch`;
  const measured = `${firstBatch.items} items (${firstBatch.paddedTokens} tokens) in ${firstBatch.seconds.toFixed(2)} s`;
  return `estimate: ${counts}; first batch ${measured}: about ${formatDuration(seconds)} to extract, extrapolated by tokens`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(s % 60).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}
