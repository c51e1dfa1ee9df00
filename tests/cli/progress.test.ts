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
  it("extrapolates the ETA from the work done since the first update, as a share when given, else by items", () => {
    const {bar, lines, at} = sink();
    at(10_000); // setting up took 10 s: not work
    bar.update({done: 1, total: 10, fraction: 0.1});
    at(20_000);
    bar.update({done: 2, total: 10, fraction: 0.6}); // half the work in 10 s: 8 s to go, whatever the items say
    at(30_000);
    bar.update({done: 4, total: 10}); // by items: 0.3 more of the work in the 20 s since the first update, 0.6 left: 40 s
    expect(lines).toEqual(["extract: 1/10 items  0.1/s  ETA --:--\n", "extract: 2/10 items  0.1/s  ETA 0:08\n", "extract: 4/10 items  0.1/s  ETA 0:40\n"]);
  });

  it("formatDuration writes m:ss, h:mm:ss, and --:-- when unknown", () => {
    expect([formatDuration(80), formatDuration(3725), formatDuration(NaN)]).toEqual(["1:20", "1:02:05", "--:--"]);
  });
});
