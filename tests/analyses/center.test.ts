import {describe, expect, it} from "vitest";
import {center, groupMeans} from "../../loaders/analyses/center.js";
import {fromRows} from "../../loaders/analyses/matrix.js";

describe("center", () => {
  it("center(m, groups) subtracts each group's own mean (hand-computed)", () => {
    const m = fromRows([[1, 2], [3, 4], [10, 10]]);
    expect(Array.from(center(m, ["a", "a", "b"]).data)).toEqual([-1, -1, 1, 1, 0, 0]);
  });

  it("groupMeans(m, groups) averages rows per group and rejects a label count mismatch", () => {
    const means = groupMeans(fromRows([[1, 2], [3, 4], [10, 10]]), ["a", "a", "b"]);
    expect(Array.from(means.get("a")!)).toEqual([2, 3]);
    expect(Array.from(means.get("b")!)).toEqual([10, 10]);
    expect(() => groupMeans(fromRows([[1, 2]]), ["a", "b"])).toThrow("2 group labels for 1 rows");
  });
});
