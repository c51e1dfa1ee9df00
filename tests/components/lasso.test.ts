import {describe, expect, test} from "vitest";
import {containsPoint, pointsInPolygon} from "../../components/lasso.js";

describe("pointsInPolygon", () => {
  const square: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2]];

  test("pointsInPolygon(x, y, square) keeps the points inside, ascending", () => {
    expect(Array.from(pointsInPolygon([1, 3, 0.5, -1, 1.9], [1, 1, 1.5, 0.5, 0.1], square))).toEqual([0, 2, 4]);
  });

  test("pointsInPolygon handles a concave polygon (the notch is outside)", () => {
    // A "U": the notch between x = 1 and 2, above y = 1, is outside.
    const u: [number, number][] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]];
    expect(Array.from(pointsInPolygon([0.5, 1.5, 1.5, 2.5], [2, 2, 0.5, 2], u))).toEqual([0, 2, 3]);
  });

  test("pointsInPolygon with fewer than 3 vertices selects nothing", () => {
    expect(pointsInPolygon([0], [0], [[0, 0], [1, 1]])).toHaveLength(0);
  });

  test("containsPoint follows the even-odd rule for a self-crossing bow tie", () => {
    const bowTie: [number, number][] = [[0, 0], [2, 2], [2, 0], [0, 2]];
    expect(containsPoint(bowTie, 0.2, 1)).toBe(true);
    expect(containsPoint(bowTie, 1, 1.8)).toBe(false);
  });
});
