import {describe, expect, test} from "vitest";
import {categoryPalette, colorByCategory} from "../../components/category-colors.js";

describe("colorByCategory", () => {
  test("orders categories by frequency, then name, and colours each point with its category's colour", () => {
    const {categories, code, rgb} = colorByCategory(["b", "a", "b", "c", "a", "b"]);
    expect(categories.map((c) => [c.name, c.count])).toEqual([["b", 3], ["a", 2], ["c", 1]]);
    expect(Array.from(code)).toEqual([0, 1, 0, 2, 1, 0]);
    // Tableau 10's first colour is #4e79a7.
    expect(Array.from(rgb.subarray(0, 3))).toEqual([0x4e, 0x79, 0xa7]);
    expect(Array.from(rgb.subarray(6, 9))).toEqual([0x4e, 0x79, 0xa7]);
  });

  test("categoryPalette gives distinct colours for hundreds of categories", () => {
    const palette = categoryPalette(500);
    expect(palette).toHaveLength(500);
    expect(new Set(palette).size).toBeGreaterThan(450);
  });
});
