// @vitest-environment jsdom
import {beforeAll, describe, expect, it} from "vitest";
import {layerHeatmap} from "../../components/layer-heatmap.js";

/** The RGB of a cell's fill as Plot wrote it ("rgb(r, g, b)"). */
const rgb = (fill: string | null) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(fill ?? "") ?? []).slice(1).map(Number);

// jsdom has no canvas; Plot paints a colour legend's ramp on one (a drawing the test does not read).
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({fillStyle: "", fillRect: () => {}})) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.toDataURL = () => "data:,";
});

describe("layerHeatmap", () => {
  it("diverges around chance: a cell below chance is red, one above is blue, chance itself is near white", () => {
    const data = [{row: "a", column: 0, value: 0.3}, {row: "a", column: 1, value: 0.5}, {row: "a", column: 2, value: 0.8}];
    const chart = layerHeatmap(data, {width: 400, rows: ["a"], columns: [0, 1, 2], label: "accuracy", xLabel: "Hidden state", pivot: 0.5, title: "t"});
    const fills = [...chart.querySelectorAll('g[aria-label="cell"] rect')].map((r) => rgb(r.getAttribute("fill")));
    expect(fills).toHaveLength(3);
    const [below, chance, above] = fills;
    expect(below[0]).toBeGreaterThan(below[2] + 50);
    expect(above[2]).toBeGreaterThan(above[0] + 50);
    expect(Math.min(...chance)).toBeGreaterThan(230);
    expect(chart.getAttribute("role")).toBe("img");
    expect(chart.getAttribute("aria-label")).toBe("t. Heatmap of accuracy, 1 row by 3 columns (Hidden state), from 0.30 to 0.80; 1 of 3 cells below chance.");
  });
});
