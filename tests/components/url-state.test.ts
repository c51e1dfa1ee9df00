import {describe, expect, test} from "vitest";
import {decodeIdSet, decodeIndices, encodeIdSet, encodeIndices, mergeQuery, readState, writeState} from "../../components/url-state.js";

describe("encodeIndices / decodeIndices", () => {
  test("encodeIndices writes runs as ranges", () => {
    expect(encodeIndices([1, 2, 3, 7, 9, 10])).toBe("1-3.7.9-10");
    expect(encodeIndices([])).toBe("");
  });

  test("decodeIndices(encodeIndices(x)) is x", () => {
    const x = [0, 5, 6, 7, 8, 100, 4000, 4001, 49_999];
    expect(Array.from(decodeIndices(encodeIndices(x)))).toEqual(x);
  });

  test("decodeIndices drops malformed parts and indices beyond the data", () => {
    expect(Array.from(decodeIndices("3.x.5-7.oops-2.9", 7))).toEqual([3, 5, 6]);
    expect(Array.from(decodeIndices(null))).toEqual([]);
  });
});

describe("readState / writeState", () => {
  const defaults = {layer: 2, color: "language", q: ""};

  test("readState parses numbers and keeps allowed choices only", () => {
    expect(readState("?layer=4&color=family&q=ab%20c", defaults, {color: ["language", "family"]})).toEqual({layer: 4, color: "family", q: "ab c"});
    expect(readState("?layer=four&color=purple", defaults, {color: ["language", "family"]})).toEqual(defaults);
  });

  test("writeState leaves out defaults, and readState reads it back", () => {
    expect(writeState(defaults, defaults)).toBe("");
    const state = {layer: 0, color: "script", q: "نقطة"};
    const query = writeState(state, defaults);
    expect(query.startsWith("?")).toBe(true);
    expect(readState(query, defaults)).toEqual(state);
  });
});

describe("mergeQuery", () => {
  test("mergeQuery sets its own keys, drops defaults and keeps other controls' keys", () => {
    expect(mergeQuery("?dataset=questions&layer=1&q=x", {layer: 3, q: ""}, {layer: 2, q: ""})).toBe("?dataset=questions&layer=3");
    expect(mergeQuery("", {layer: 2}, {layer: 2})).toBe("");
  });
});

describe("encodeIdSet / decodeIdSet", () => {
  test("encodeIdSet writes gap and run lengths as varints in base64url", () => {
    // Hand-encoded: gap 0, run 3, gap 7, run 1 -> bytes 00 03 07 01 -> base64 "AAMHAQ==".
    expect(encodeIdSet([0, 1, 2, 10])).toBe("AAMHAQ");
    // A gap of 300 takes two varint bytes: 300 = 0b10_0101100 -> ac 02; run 1 -> 01: "rAIB".
    expect(encodeIdSet([300])).toBe("rAIB");
    expect(encodeIdSet([])).toBe("");
  });

  test("decodeIdSet(encodeIdSet(x)) is x, and indices beyond the data are dropped", () => {
    const x = [0, 5, 6, 7, 8, 100, 4000, 4001, 49_999, 1_000_000];
    expect(Array.from(decodeIdSet(encodeIdSet(x))!)).toEqual(x);
    expect(Array.from(decodeIdSet(encodeIdSet(x), 4001)!)).toEqual([0, 5, 6, 7, 8, 100, 4000]);
  });

  test("decodeIdSet rejects text that is not an id set", () => {
    expect(decodeIdSet("a+b")).toBeNull();
    expect(decodeIdSet("gA")).toBeNull(); // a varint cut short (0x80)
    expect(decodeIdSet("AA")).toBeNull(); // a gap without its run
  });
});
