import {describe, expect, it} from "vitest";
import {canonicalItems, datasetHash} from "../../loaders/datasets/hash.js";
import type {TextItem} from "../../loaders/types.js";

const items: TextItem[] = [
  {id: "a", unit: "u1", lang: "eng", text: "Hi"},
  {text: "Hallo", lang: "deu", unit: "u1", id: "b", split: undefined}
];

describe("datasetHash", () => {
  it("canonicalItems(items) sorts keys, drops undefined fields and joins lines with \\n", () => {
    expect(canonicalItems(items)).toBe('{"id":"a","lang":"eng","text":"Hi","unit":"u1"}\n{"id":"b","lang":"deu","text":"Hallo","unit":"u1"}');
  });

  it("datasetHash(items) is the sha256 of the canonical form (value from sha256sum)", () => {
    expect(datasetHash(items)).toBe("053042765814bb091bdfb7d7030dfc65271e8eb3716f2462e06e524411c9a0c7");
    expect(datasetHash([{id: "x", unit: "u", lang: "arb", text: "مرحبا"}])).toBe(
      "9f365fe81a5ab5031c634a11dc605a3f1c9607cdd2a562f0e08ed83a5fb0af8b"
    );
  });

  it("datasetHash(items) ignores key order but not item order or extra fields", () => {
    const reordered = [{unit: "u1", text: "Hi", lang: "eng", id: "a"}, items[1]];
    expect(datasetHash(reordered)).toBe(datasetHash(items));
    expect(datasetHash([items[1], items[0]])).not.toBe(datasetHash(items));
    expect(datasetHash([{...items[0], label: "x"}, items[1]])).not.toBe(datasetHash(items));
  });
});
