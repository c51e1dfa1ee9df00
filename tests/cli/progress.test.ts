import {describe, expect, it} from "vitest";
import {formatDuration, progress} from "../../loaders/cli/progress.js";

/** A progress sink on a fake log stream and clock. */
function sink() {
  const lines: string[] = [];
  let clock = 0;
  const stream = {isTTY: false, write: (text: string) => lines.push(text)} as unknown as NodeJS.WriteStream;
  const bar = progress("extract", stream, () => clock);
  return {bar, lines, at: (ms: number) => (clock = ms)};
}

describe("progress", () => {
  it("extrapolates the rate and ETA from the work done since the first update, as a share when given, else by items", () => {
    const {bar, lines, at} = sink();
    at(10_000); // setting up took 10 s: not work
    bar.update({done: 1, total: 10, fraction: 0.1});
    at(20_000);
    bar.update({done: 2, total: 10, fraction: 0.6}); // half the work in 10 s: 8 s to go, whatever the items say
    at(30_000);
    bar.update({done: 7, total: 10}); // by items: 0.6 more of the work in the 20 s since the first update, 0.3 left: 10 s; 6 items in 20 s
    expect(lines).toEqual(["extract: 1/10 items  --/s  ETA --:--\n", "extract: 2/10 items  0.1/s  ETA 0:08\n", "extract: 7/10 items  0.3/s  ETA 0:10\n"]);
  });

  it("leaves items resumed from an earlier run, reported at once, out of the rate", () => {
    const {bar, lines, at} = sink();
    at(1_000);
    bar.update({done: 500, total: 1000, fraction: 0}); // 500 resumed
    at(11_000);
    bar.update({done: 520, total: 1000, fraction: 0.04});
    expect(lines[1]).toBe("extract: 520/1000 items  2.0/s  ETA 4:00\n");
  });

  it("prints an extraction's estimate on a line of its own when it comes and when its time is known, not on every update", () => {
    const {bar, lines, at} = sink();
    const counts = {items: 64, tokens: 600, paddedTokens: 640};
    bar.update({done: 0, total: 64, fraction: 0, estimate: counts});
    at(6_000);
    const timed = {...counts, firstBatch: {items: 32, paddedTokens: 320, seconds: 6}, seconds: 12};
    bar.update({done: 32, total: 64, fraction: 0.5, estimate: timed});
    at(12_000);
    bar.update({done: 64, total: 64, fraction: 1, estimate: timed});
    expect(lines.filter((line) => line.includes("estimate:"))).toEqual([
      "extract: estimate: 64 items, 600 tokens (640 as batched); timing the first batch\n",
      "extract: estimate: 64 items, 600 tokens (640 as batched); first batch 32 items (320 tokens) in 6.00 s: about 0:12 to extract, extrapolated by tokens\n"
    ]);
  });

  it("formatDuration writes m:ss, h:mm:ss, and --:-- when unknown", () => {
    expect([formatDuration(80), formatDuration(3725), formatDuration(NaN)]).toEqual(["1:20", "1:02:05", "--:--"]);
  });
});
