import {Bool, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Vector} from "apache-arrow";
import {describe, expect, it} from "vitest";
import type {Matrix} from "../../loaders/analyses/matrix.js";
import {boolColumn, itemsFromIPC, itemsToIPC, matrixFromIPC, matrixToIPC, textColumn, vectorColumn, type StoredItem} from "../../loaders/store/arrow.js";

const fileBytes = async (matrix: Matrix) => new Uint8Array(Buffer.concat(await matrixToIPC(matrix)));

describe("store/arrow", () => {
  it("matrixToIPC then matrixFromIPC returns the same rows", async () => {
    const matrix = {data: Float32Array.from({length: 12}, (_, i) => i / 7), rows: 4, cols: 3};
    const back = matrixFromIPC(await fileBytes(matrix));
    expect(back.rows).toBe(4);
    expect(back.cols).toBe(3);
    expect(back.data).toEqual(matrix.data);
  });

  it("matrixToIPC writes a FixedSizeList<float32> column named vector", async () => {
    const table = tableFromIPC(await fileBytes({data: new Float32Array(6), rows: 2, cols: 3}));
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

  it("matrixToIPC is deterministic: same input, same bytes", async () => {
    const matrix = {data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2};
    expect(await fileBytes(matrix)).toEqual(await fileBytes({...matrix, data: matrix.data.slice()}));
  });

  it("matrixToIPC gives the bytes of Arrow's own IPC file in pieces, the vectors as views rather than copies", async () => {
    const matrix = {data: Float32Array.from({length: 24}, (_, i) => i), rows: 6, cols: 4};
    expect(await fileBytes(matrix)).toEqual(tableToIPC(new Table({vector: vectorColumn(matrix)}), "file"));
    expect((await matrixToIPC(matrix)).some((chunk) => chunk.buffer === matrix.data.buffer)).toBe(true);
  });

  it("textColumn and boolColumn read back as Arrow's own builder's columns do: nulls, empty strings, every UTF-8 length", () => {
    const texts = ["a", null, "", "مرحبا", undefined, "日本語", "😀 emoji", "x".repeat(20), "\u00e9"];
    const flags = [true, false, false, true, true, false, true, false, true, true];
    const read = (column: Vector) => tableFromIPC(tableToIPC(new Table({column}), "file")).getChild("column")!;
    const text = read(textColumn(texts));
    const reference = read(vectorFromArray(texts.map((t) => t ?? null), new Utf8()));
    expect([...text]).toEqual([...reference]);
    expect([...text]).toEqual(texts.map((t) => t ?? null));
    expect(text.nullCount).toBe(2);
    expect(read(textColumn(["a", "b"])).nullCount).toBe(0);
    expect([...read(boolColumn(flags))]).toEqual([...read(vectorFromArray(flags, new Bool()))]);
    expect([...read(boolColumn(flags))]).toEqual(flags);
  });
});
