import {tableFromIPC} from "apache-arrow";
import {describe, expect, it} from "vitest";
import {itemsFromIPC, itemsToIPC, matrixFromIPC, matrixToIPC, type StoredItem} from "../../loaders/store/arrow.js";

describe("store/arrow", () => {
  it("matrixToIPC then matrixFromIPC returns the same rows", () => {
    const matrix = {data: Float32Array.from({length: 12}, (_, i) => i / 7), rows: 4, cols: 3};
    const back = matrixFromIPC(matrixToIPC(matrix));
    expect(back.rows).toBe(4);
    expect(back.cols).toBe(3);
    expect(back.data).toEqual(matrix.data);
  });

  it("matrixToIPC writes a FixedSizeList<float32> column named vector (what pyarrow and polars read)", () => {
    const table = tableFromIPC(matrixToIPC({data: new Float32Array(6), rows: 2, cols: 3}));
    expect(String(table.schema.fields[0].type)).toBe("FixedSizeList[3]<Float32>");
    expect(table.schema.fields[0].name).toBe("vector");
  });

  it("itemsToIPC then itemsFromIPC keeps every field, and absent optional fields stay absent", () => {
    const items: StoredItem[] = [
      {id: "a", unit: "u1", lang: "arb", text: "مرحبا بالعالم", script: "Arab", direction: "rtl", label: "known", split: "train", tokens: 7, truncated: false},
      {id: "b", unit: "u1", lang: "eng", text: "Hello world", tokens: 600, truncated: true}
    ];
    expect(itemsFromIPC(itemsToIPC(items))).toEqual(items);
  });

  it("matrixToIPC is deterministic: same input, same bytes", () => {
    const matrix = {data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2};
    expect(matrixToIPC(matrix)).toEqual(matrixToIPC({...matrix, data: matrix.data.slice()}));
  });
});
