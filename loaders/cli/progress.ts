/**
 * Progress on stderr: a redrawn bar with counts, rate and ETA on a terminal; plain lines (at most one
 * every few seconds, plus the last) when stderr is a file or CI log.
 */
/** Items done of all; `fraction`: the share of the work done, which the ETA extrapolates (default done / total, for items of equal cost). */
export interface Progress {
  done: number;
  total: number;
  fraction?: number;
}

export interface ProgressSink {
  update(progress: Progress): void;
  finish(message: string): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressSink {
  const start = now();
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let lastLine = -Infinity;
  let lastDone = -1;
  let first: {seconds: number; fraction: number; done: number} | undefined;
  return {
    update({done, total, fraction = total > 0 ? done / total : 0}) {
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
      } else if (now() - lastLine >= 5000 || (done === total && done !== lastDone)) {
        lastLine = now();
        lastDone = done;
        stream.write(`${label}: ${stats}\n`);
      }
    },
    finish(message) {
      stream.write(`${tty ? "\r\x1b[K" : ""}${label}: ${message}\n`);
    }
  };
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(s % 60).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}
