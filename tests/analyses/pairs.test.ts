import {describe, expect, it} from "vitest";
import {fromRows, matrix} from "../../loaders/analyses/matrix.js";
import {baselineSettings, pairWithBaseline} from "../../loaders/analyses/pairs.js";
import {rowsOf} from "../../loaders/analyses/layer-steps.js";
import {parallelItems} from "./reference.js";

describe("pairWithBaseline", () => {
  it("pairWithBaseline(items, baseline) pairs by unit id, skips units one side lacks and lists languages with none", () => {
    const items = parallelItems();
    const {pairs, skipped} = pairWithBaseline(items, "eng");
    expect(pairs.map((p) => p.lang)).toEqual(["deu", "fra", "hin", "one", "xyz"]);
    expect(skipped).toEqual([{lang: "swh", reason: 'no unit shared with baseline "eng"'}]);
    const fra = pairs.find((p) => p.lang === "fra")!;
    expect(fra.units).not.toContain("u11");
    expect(pairs.find((p) => p.lang === "deu")!.units).toHaveLength(8);
    expect([...pairs.find((p) => p.lang === "xyz")!.units].sort()).toEqual(["u2", "u5"]);
    for (const p of pairs) {
      p.units.forEach((u, k) => {
        expect(items.unit[p.rows[k]]).toBe(u);
        expect(items.lang[p.rows[k]]).toBe(p.lang);
        expect(items.unit[p.baselineRows[k]]).toBe(u);
        expect(items.lang[p.baselineRows[k]]).toBe("eng");
      });
    }
  });

  it("pairWithBaseline(empty) returns no pairs and no skipped languages", () => {
    expect(pairWithBaseline({layers: [matrix(new Float32Array(0), 0, 4)], unit: [], lang: []}, "eng")).toEqual({pairs: [], skipped: []});
    expect(pairWithBaseline({layers: [], unit: [], lang: []}, "eng")).toEqual({pairs: [], skipped: []});
  });

  it("pairWithBaseline(items, absent) names the missing baseline and the languages present", () => {
    const items = {layers: [fromRows([[1], [2]])], unit: ["u1", "u1"], lang: ["fra", "deu"]};
    expect(() => pairWithBaseline(items, "eng")).toThrow('baseline language "eng" has no items (languages: deu, fra)');
  });

  it("pairWithBaseline(items) rejects a repeated (unit, lang) and mismatched shapes", () => {
    const layer = fromRows([[1], [2], [3]]);
    expect(() => pairWithBaseline({layers: [layer], unit: ["u1", "u2", "u1"], lang: ["eng", "eng", "eng"]}, "eng")).toThrow(
      'unit "u1" occurs twice in language "eng" (rows 0 and 2)'
    );
    expect(() => pairWithBaseline({layers: [layer], unit: ["u1", "u2"], lang: ["eng", "fra"]}, "eng")).toThrow("layer 0 has 3 rows for 2 items");
    expect(() => pairWithBaseline({layers: [layer], unit: ["u1"], lang: ["eng", "fra"]}, "eng")).toThrow("unit has 1 entries but lang has 2");
    expect(() => pairWithBaseline({layers: [layer, fromRows([[1, 1], [2, 2], [3, 3]])], unit: ["a", "b", "c"], lang: ["eng", "eng", "eng"]}, "eng")).toThrow(
      "layer 1 has 2 columns, layer 0 has 1"
    );
  });
});

describe("baselineSettings", () => {
  it("baselineSettings(items) defaults to eng without centering over every layer", () => {
    expect(baselineSettings(rowsOf(parallelItems()))).toEqual({baseline: "eng", centering: "none", layers: [0, 1, 2]});
  });

  it("baselineSettings(items, {centering}) rejects an unknown value, listing the choices", () => {
    expect(() => baselineSettings(rowsOf(parallelItems()), {centering: "global" as never})).toThrow('unknown centering "global" (choose one of: none, language)');
  });
});
