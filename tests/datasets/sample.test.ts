import {describe, expect, it} from "vitest";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {sampleByUnit, sampleDataset} from "../../loaders/datasets/sample.js";
import type {Dataset, TextItem} from "../../loaders/types.js";

const item = (unit: string, lang: string): TextItem => ({id: `${lang}-${unit}`, unit, lang, text: `${lang} ${unit}`});

/** eng and fra in all eight units; swh only in u2 and u8. */
const parallel: TextItem[] = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"].flatMap((unit) => [
  item(unit, "eng"),
  item(unit, "fra"),
  ...(unit === "u2" || unit === "u8" ? [item(unit, "swh")] : [])
]);

const units = (items: TextItem[]) => [...new Set(items.map((i) => i.unit))].sort();
const countBy = (items: TextItem[]) => Object.fromEntries([...new Set(items.map((i) => i.lang))].map((lang) => [lang, items.filter((i) => i.lang === lang).length]));

describe("sampleByUnit", () => {
  it("takes units in the order of their ids' sha256 until a language would pass the cap", () => {
    // sha256 order of u1..u8, from Python's hashlib: u3, u5, u2, u6, u1, u8, u7, u4. eng and fra
    // reach 3 after u3, u5, u2; every later unit holds eng, so none fits.
    const sample = sampleByUnit(parallel, 3);
    expect(units(sample)).toEqual(["u2", "u3", "u5"]);
    expect(countBy(sample)).toEqual({eng: 3, fra: 3, swh: 1});
  });

  it("keeps every language of a chosen unit, and the items' original order", () => {
    const sample = sampleByUnit(parallel, 3);
    for (const unit of units(sample)) expect(sample.filter((i) => i.unit === unit)).toEqual(parallel.filter((i) => i.unit === unit));
    expect(sample).toEqual(parallel.filter((i) => sample.includes(i)));
  });

  it("caps each language on its own when units hold one language each", () => {
    // sha256 order, from hashlib: x4, x3, x2, x1 and y1, y3, y2.
    const mono = [...["x1", "x2", "x3", "x4"].map((u) => item(u, "xxx")), ...["y1", "y2", "y3"].map((u) => item(u, "yyy"))];
    expect(units(sampleByUnit(mono, 2))).toEqual(["x3", "x4", "y1", "y3"]);
  });

  it("never passes the cap, whatever the cap", () => {
    for (let cap = 1; cap <= 9; cap++) {
      const counts = countBy(sampleByUnit(parallel, cap));
      expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(cap);
      expect(counts.eng).toBe(Math.min(cap, 8));
    }
  });

  it("is the same subset whatever order the items come in", () => {
    const shuffled = [...parallel].reverse();
    expect(sampleByUnit(shuffled, 4).map((i) => i.id).sort()).toEqual(sampleByUnit(parallel, 4).map((i) => i.id).sort());
  });

  it("refuses a cap that is not a positive integer", () => {
    expect(() => sampleByUnit(parallel, 0)).toThrow("integer >= 1, got 0");
    expect(() => sampleByUnit(parallel, 2.5)).toThrow("got 2.5");
  });
});

describe("sampleDataset", () => {
  const dataset: Dataset = {name: "parallel", hash: datasetHash(parallel), items: parallel};

  it("rehashes a capped dataset from its items, so a capped store never shares the full store's hash", () => {
    const capped = sampleDataset(dataset, 3);
    expect(capped.hash).not.toBe(dataset.hash);
    expect(capped.hash).toBe(datasetHash(capped.items));
    expect(sampleDataset(dataset, 2).hash).not.toBe(capped.hash);
  });

  it("is the dataset itself without a cap, or when the cap drops nothing", () => {
    expect(sampleDataset(dataset, undefined)).toBe(dataset);
    expect(sampleDataset(dataset, 8)).toBe(dataset);
  });
});
