import {describe, expect, test} from "vitest";
import {categoryRule, formatCamera, parseCamera, roundPolygon, selectionFromParam, selectionParam, thinPath, SELECTION_LINK_BUDGET} from "../../components/explorer-link.js";
import {pointsInPolygon} from "../../components/lasso.js";

/** 20,000 points on a 200 x 100 grid (x = i % 200, y = floor(i / 200)), in two "languages" by parity. */
const N = 20_000;
const x = Float32Array.from({length: N}, (_, i) => i % 200);
const y = Float32Array.from({length: N}, (_, i) => Math.floor(i / 200));
const columns = {language: Array.from({length: N}, (_, i) => (i % 2 ? "odd_one" : "even")), label: Array.from({length: N}, () => "all")};
const FIELDS = ["language", "label"];
const data = {n: N, columns, methods: ["pca"], meta: {layers: [0, 1]}, position: () => ({x, y})};

describe("selectionParam / selectionFromParam", () => {
  test("a lasso of most points is written as its rounded polygon and restores exactly the same items", () => {
    // A span of 200 is written to 2 decimals (0.01 <= 200 / 10,000): a rectangle from (10.12, -0.5)
    // to (189.88, 95.5) holds columns 11..189 and rows 0..95, 179 x 96 = 17,184 points.
    const drawn: [number, number][] = [[10.12345, -0.5], [189.87654, -0.5], [189.87654, 95.5], [10.12345, 95.5]];
    const {text, polygon} = roundPolygon(drawn, 200);
    expect(text).toBe("10.12_-0.5_189.88_-0.5_189.88_95.5_10.12_95.5");
    const indices = pointsInPolygon(x, y, polygon);
    expect(indices.length).toBe(179 * 96);
    const param = selectionParam(indices, {kind: "lasso", method: "pca", layer: 1, text, polygon}, columns, FIELDS);
    expect(param).toBe(`p_pca_1_${text}`);
    const back = selectionFromParam(param, data, FIELDS)!;
    expect(Array.from(back.indices)).toEqual(Array.from(indices));
    expect(back.rule).toMatchObject({method: "pca", layer: 1, polygon});
  });

  test("a selection equal to one category is written as that category, even without a rule", () => {
    const odd = Int32Array.from({length: N / 2}, (_, k) => 2 * k + 1);
    expect(categoryRule(odd, columns, FIELDS)).toEqual({field: "language", value: "odd_one"});
    expect(categoryRule(odd.subarray(1), columns, FIELDS)).toBeNull();
    const param = selectionParam(odd, null, columns, FIELDS);
    expect(param).toBe("c_language_odd_one");
    expect(Array.from(selectionFromParam(param, data, FIELDS)!.indices)).toEqual(Array.from(odd));
  });

  test("any other set is written as its id set, and one too large for a link is left out", () => {
    const few = Int32Array.from([3, 4, 5, 900, 19_999]);
    const param = selectionParam(few, null, columns, FIELDS);
    expect(param.startsWith("b_")).toBe(true);
    expect(Array.from(selectionFromParam(param, data, FIELDS)!.indices)).toEqual([3, 4, 5, 900, 19_999]);
    // Every third point: 6,667 runs of one, about 2 bytes each, far over the budget.
    const scattered = Int32Array.from({length: N / 3}, (_, k) => 3 * k);
    expect(selectionParam(scattered, null, columns, FIELDS)).toBe("");
    expect(SELECTION_LINK_BUDGET).toBeLessThan(2000);
  });

  test("selectionFromParam reads older range lists and rejects text naming nothing here", () => {
    expect(Array.from(selectionFromParam("1-3.7", data, FIELDS)!.indices)).toEqual([1, 2, 3, 7]);
    expect(selectionFromParam("p_umap_1_0_0_1_0_1_1", data, FIELDS)).toBeNull(); // no UMAP in this data
    expect(selectionFromParam("p_pca_9_0_0_1_0_1_1", data, FIELDS)).toBeNull(); // no layer 9
    expect(selectionFromParam("p_pca_1_0_0_1", data, FIELDS)).toBeNull(); // not a polygon
    expect(selectionFromParam("c_script_even", data, FIELDS)).toBeNull(); // not a colour field here
    expect(selectionFromParam("b_!!", data, FIELDS)).toBeNull();
  });

  test("thinPath keeps at most the given number of vertices, first vertex first", () => {
    const path = Array.from({length: 1000}, (_, i) => i);
    expect(thinPath(path, 60)).toHaveLength(60);
    expect(thinPath(path, 60)[0]).toBe(0);
    expect(thinPath(path.slice(0, 10), 60)).toHaveLength(10);
  });
});

describe("formatCamera / parseCamera", () => {
  test("formatCamera rounds the centre to 1/10,000 of the span and the zoom to 4 digits; parseCamera reads it back", () => {
    expect(formatCamera({x: 1.23456, y: -0.000049, k: 2.345678}, 20)).toBe("1.235_0_2.346");
    expect(parseCamera("1.235_0_2.346")).toEqual({x: 1.235, y: 0, k: 2.346});
  });

  test("parseCamera rejects text that is not a camera", () => {
    expect(parseCamera("1_2")).toBeNull();
    expect(parseCamera("1_2_0")).toBeNull();
    expect(parseCamera("a_2_1")).toBeNull();
  });
});
