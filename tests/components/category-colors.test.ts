import {describe, expect, test} from "vitest";
import {categoryPalette, colorByCategory} from "../../components/category-colors.js";
import {ciede2000, closestPair, contrast, lab, parseRgb, simulate} from "../helpers/color-vision.js";

describe("colorByCategory", () => {
  test("orders categories by frequency, then name, and colours each point with its category's colour", () => {
    const {categories, code, rgb} = colorByCategory(["b", "a", "b", "c", "a", "b"]);
    expect(categories.map((c) => [c.name, c.count])).toEqual([["b", 3], ["a", 2], ["c", 1]]);
    expect(Array.from(code)).toEqual([0, 1, 0, 2, 1, 0]);
    // Okabe and Ito's blue is #0072b2, their orange #e69f00.
    expect(Array.from(rgb.subarray(0, 3))).toEqual([0x00, 0x72, 0xb2]);
    expect(Array.from(rgb.subarray(6, 9))).toEqual([0x00, 0x72, 0xb2]);
    expect(Array.from(rgb.subarray(3, 6))).toEqual([0xe6, 0x9f, 0x00]);
  });

  test("categoryPalette gives distinct colours for hundreds of categories", () => {
    const palette = categoryPalette(500);
    expect(palette).toHaveLength(500);
    expect(new Set(palette).size).toBeGreaterThan(450);
  });
});

describe("colour-vision deficiencies", () => {
  test("the helper's CIEDE2000 reproduces Sharma, Wu and Dalal's (2005) published test pairs", () => {
    // Pairs 1, 17 and 25 of their Table 1.
    expect(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(ciede2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(ciede2000([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
  });

  test("the helper's simulation keeps greys and merges red with green as a deuteranope sees them", () => {
    // Machado's rows sum to 1: a grey is seen unchanged.
    for (const vision of ["deuteranopia", "protanopia"] as const) simulate([128, 128, 128], vision).forEach((c) => expect(c).toBeCloseTo(128, 0));
    // Pure red and a green of similar lightness are far apart normally and close under deuteranopia.
    const red = parseRgb("#ff0000"), green = parseRgb("#8a8a00");
    expect(ciede2000(lab(red), lab(green))).toBeGreaterThan(40);
    expect(ciede2000(lab(simulate(red, "deuteranopia")), lab(simulate(green, "deuteranopia")))).toBeLessThan(15);
  });

  test("the first 8 categories' colours are at least 10 CIEDE2000 apart with normal vision, deuteranopia and protanopia", () => {
    for (const n of [2, 5, 8, 300]) {
      const first = categoryPalette(n).slice(0, 8);
      for (const vision of ["normal", "deuteranopia", "protanopia"] as const) {
        const {distance, pair} = closestPair(first, vision);
        expect(distance, `${vision}: ${pair.join(" and ")}`).toBeGreaterThan(10);
      }
    }
  });

  test("every one of the first 8 colours stands out from a white and a near-black page", () => {
    for (const c of categoryPalette(8)) {
      expect(contrast(parseRgb(c), [255, 255, 255]), c).toBeGreaterThan(1.8);
      expect(contrast(parseRgb(c), [22, 22, 22]), c).toBeGreaterThan(3);
    }
  });
});
