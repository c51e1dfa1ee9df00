import {tableFromIPC} from "apache-arrow";
import {describe, expect, test} from "vitest";
import {projectionData} from "../../components/projection-data.js";
import type {PointInfo} from "../../loaders/report/page-data.js";
import {encodeProjectionTable, pointInfo} from "../../loaders/report/projection-table.js";
import {syntheticProjection} from "../../loaders/report/synthetic-points.js";

const points: PointInfo[] = [
  {id: "u1:eng", lang: "eng", language: "English", family: "Germanic", script: "Latn", direction: "ltr", text: "All human beings", label: "article 1"},
  {id: "u1:arb", lang: "arb", language: "Arabic", family: "Semitic", script: "Arab", direction: "rtl", text: "يولد جميع الناس", label: "article 1"}
];
const settings = {projection: "pca" as const, coordinates: "procrustes" as const, layers: [0, 1], umap: null};
const layers = [{layer: 0, x: [1, 2], y: [3, 4], explainedVarianceRatio: [0.5, 0.25] as [number, number]}, {layer: 1, x: [-1, 0.5], y: [0, 1e-3], explainedVarianceRatio: null}];
const meta = {model: "m", slug: "m", status: "analysed" as const, layers: [0, 1], projections: [{method: "pca", settings, explained: [[0.5, 0.25] as [number, number], null]}]};

describe("encodeProjectionTable", () => {
  test("the explorer page reads back every column, position and the metadata", () => {
    const data = projectionData(tableFromIPC(encodeProjectionTable(points, [{settings, layers}], meta)));
    expect(data.n).toBe(2);
    expect(data.meta).toEqual(meta);
    expect(data.methods).toEqual(["pca"]);
    expect(data.columns.text).toEqual(["All human beings", "يولد جميع الناس"]);
    expect(data.columns.direction).toEqual(["ltr", "rtl"]);
    const {x, y} = data.position("pca", 1);
    expect(x).toBeInstanceOf(Float32Array);
    expect(Array.from(x)).toEqual([-1, 0.5]);
    expect(y[1]).toBeCloseTo(1e-3, 7);
  });

  test("encodeProjectionTable rejects positions that do not match the points", () => {
    expect(() => encodeProjectionTable(points, [{settings, layers: [{layer: 0, x: [1], y: [1], explainedVarianceRatio: null}]}], meta))
      .toThrow("pca layer 0: 1 positions for 2 points");
  });

  test("a skipped model gives an empty table whose metadata says why", () => {
    const skipped = {model: "a/b", slug: "a-b", status: "skipped" as const, reason: "offline", layers: [], projections: []};
    const data = projectionData(tableFromIPC(encodeProjectionTable([], [], skipped)));
    expect(data.n).toBe(0);
    expect(data.meta.reason).toBe("offline");
  });
});

describe("pointInfo", () => {
  test("pointInfo names languages from the shipped metadata and labels UDHR paragraphs by article", () => {
    const [info] = pointInfo([{id: "udhr:a21.p1:eng", unit: "udhr:a21.p1", lang: "eng", script: "Latn", direction: "ltr", text: "t", tokens: 3, truncated: false}]);
    expect(info).toMatchObject({language: "English", label: "article 21", script: "Latn"});
    expect(info.family).not.toBe("unknown");
  });
});

describe("syntheticProjection", () => {
  test("syntheticProjection is deterministic for a seed and has every point at every layer", () => {
    const a = syntheticProjection({points: 300, layers: 3, seed: 7});
    expect(Buffer.from(a).equals(Buffer.from(syntheticProjection({points: 300, layers: 3, seed: 7})))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(syntheticProjection({points: 300, layers: 3, seed: 8})))).toBe(false);
    const data = projectionData(tableFromIPC(a));
    expect(data.n).toBe(300);
    expect(data.meta.layers).toEqual([0, 1, 2]);
    expect(new Set(data.columns.lang).size).toBe(50);
    expect(data.columns.direction.filter((d) => d === "rtl").length).toBeGreaterThan(0);
  });
});
