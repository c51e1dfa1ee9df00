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
  it("extrapolates the ETA from the share of work done when given, else from the item count", () => {
    const {bar, lines, at} = sink();
    at(10_000);
    bar.update(1, 10, 0.5); // half the work in 10 s: 10 s to go, whatever the items say
    at(20_000);
    bar.update(2, 10); // a fifth of the items in 20 s: 80 s to go
    expect(lines).toEqual(["extract: 1/10 items  0.1/s  ETA 0:10\n", "extract: 2/10 items  0.1/s  ETA 1:20\n"]);
  });

  it("formatDuration writes m:ss, h:mm:ss, and --:-- when unknown", () => {
    expect([formatDuration(80), formatDuration(3725), formatDuration(NaN)]).toEqual(["1:20", "1:02:05", "--:--"]);
  });
});
