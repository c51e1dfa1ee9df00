import {describe, expect, it} from "vitest";
import {sourceLine, wrapAtSeparators} from "../../components/downloads.js";
import {textWidth} from "../../components/chart-text.js";

describe("sourceLine", () => {
  it("names Babelscope, the model, dataset, store and protocol, leaving out what is not given", () => {
    expect(sourceLine({model: "embedded:babelscope-tiny", dataset: "udhr-heldout", store: "83214e1c", protocol: "Babelscope"}))
      .toBe("Babelscope · embedded:babelscope-tiny · dataset udhr-heldout · store 83214e1c · protocol: Babelscope");
    expect(sourceLine({model: "m"})).toBe("Babelscope · m");
  });
});

describe("wrapAtSeparators", () => {
  it("breaks a source line only at its separators, each line within the width", () => {
    const source = "Babelscope · embedded:babelscope-tiny · dataset udhr-heldout · store 83214e1cbd22ba97139d · protocol: Babelscope, mean pooling";
    const lines = wrapAtSeparators(source, 300, 10);
    expect(lines.join(" · ")).toBe(source);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidth(line, 10)).toBeLessThanOrEqual(300);
    expect(wrapAtSeparators(source, 2000, 10)).toEqual([source]);
  });
  it("keeps a part longer than the width on its own line rather than dropping it", () => {
    expect(wrapAtSeparators("a · bbbbbbbbbbbbbbbbbbbb · c", 50, 10)).toEqual(["a", "bbbbbbbbbbbbbbbbbbbb", "c"]);
  });
});
