import {describe, expect, test} from "vitest";
import {cosines, nearestByLanguage, neighbourPosition, pcaPosition, sentenceWeights} from "../../components/sentence-probe-math.js";
import {fitPca, transformPca} from "../../loaders/analyses/pca.js";
import {project} from "../../loaders/analyses/project.js";
import {poolingWeights} from "../../loaders/extract/pool.js";
import {pcaPlacements} from "../../loaders/report/sentence-probe.js";
import type {Matrix} from "../../loaders/vectors.js";
import {normals} from "../analyses/synthetic.js";

/** Three layers of 40 items x 6 dimensions, each a different linear mix of the last, so each layer's PCA turns. */
function layers(): Matrix[] {
  const normal = normals(7);
  const first = Float32Array.from({length: 40 * 6}, (_, i) => normal() * (1 + (i % 6)));
  const out: Matrix[] = [{data: first, rows: 40, cols: 6}];
  for (let l = 1; l < 3; l++) {
    const mix = Array.from({length: 36}, () => normal());
    const previous = out[l - 1].data;
    const data = new Float32Array(40 * 6);
    for (let i = 0; i < 40; i++) for (let b = 0; b < 6; b++) for (let a = 0; a < 6; a++) data[i * 6 + b] += previous[i * 6 + a] * mix[a * 6 + b];
    out.push({data, rows: 40, cols: 6});
  }
  return out;
}

describe("pcaPosition", () => {
  test("at the first layer, a row lands where pca.ts's transformPca puts it", async () => {
    const [x] = layers();
    const [placement] = await pcaPlacements([0], async () => x);
    const expected = transformPca(fitPca(x, 2), x);
    for (let i = 0; i < x.rows; i++) {
      const [px, py] = pcaPosition(x.data.subarray(i * 6, (i + 1) * 6), placement);
      expect(px).toBeCloseTo(expected.data[2 * i], 5);
      expect(py).toBeCloseTo(expected.data[2 * i + 1], 5);
    }
  });

  test("at every layer, a stored row lands where the explorer's PCA picture (project, Procrustes-rotated) has it", async () => {
    const x = layers();
    const placements = await pcaPlacements([0, 1, 2], async (l) => x[l]);
    const picture = await project({layers: x}, {projection: "pca"});
    for (const [k, {coordinates}] of picture.layers.entries()) {
      // The later layers are rotated or reflected: the map is not the identity, so the test sees its use.
      if (k > 0) expect(placements[k].procrustes).not.toBeNull();
      for (let i = 0; i < 40; i++) {
        const [px, py] = pcaPosition(x[k].data.subarray(i * 6, (i + 1) * 6), placements[k]);
        expect(Math.abs(px - coordinates.data[2 * i])).toBeLessThan(1e-4);
        expect(Math.abs(py - coordinates.data[2 * i + 1])).toBeLessThan(1e-4);
      }
    }
  });

  test("a vector of another length is refused in one line", () => {
    expect(() => pcaPosition([1, 2], {layer: 0, mean: [0, 0, 0], components: [1, 0, 0, 0, 1, 0], procrustes: null})).toThrow("a 2-dimensional vector in a 3-dimensional layer");
  });

  test("by hand: mean removed, two axes, then to + (p - from) R with a row-major R", () => {
    const placement = {layer: 1, mean: [1, 1, 1], components: [1, 0, 0, 0, 0, 1], procrustes: {from: [1, 0], to: [10, 20], rotation: [0, 1, -1, 0]}};
    // p = (3 - 1, 5 - 1) = (2, 4); p - from = (1, 4); (1, 4) R = (1*0 + 4*-1, 1*1 + 4*0) = (-4, 1).
    expect(pcaPosition([3, 9, 5], placement)).toEqual([6, 21]);
  });
});

describe("neighbourPosition", () => {
  test("the cosine-weighted mean of the k most similar items' positions", () => {
    const similarity = Float64Array.of(0.9, 0.1, 0.5, -0.2);
    const {position, neighbours} = neighbourPosition(similarity, [0, 10, 4, 100], [0, 0, 2, 100], 2);
    expect(neighbours).toEqual([0, 2]);
    // (0.9 * (0, 0) + 0.5 * (4, 2)) / 1.4
    expect(position[0]).toBeCloseTo(2 / 1.4, 12);
    expect(position[1]).toBeCloseTo(1 / 1.4, 12);
  });

  test("items at or below cosine 0 get no weight; equal weights when none is above 0", () => {
    expect(neighbourPosition(Float64Array.of(0.5, -0.5), [2, 100], [4, 100], 2).position).toEqual([2, 4]);
    expect(neighbourPosition(Float64Array.of(-0.1, -0.5), [2, 4], [0, 8], 2).position).toEqual([3, 4]);
  });
});

describe("cosines and nearestByLanguage", () => {
  test("cosine with every row; 0 against a zero row", () => {
    expect(Array.from(cosines([1, 0], Float32Array.of(1, 0, 0, 2, -3, 0, 0, 0, 3, 3)))).toEqual([1, 0, -1, 0, Math.SQRT1_2].map((v) => expect.closeTo(v, 12)));
  });

  test("the most similar item of each language, most similar first", () => {
    const rows = nearestByLanguage(Float64Array.of(0.2, 0.9, 0.5, 0.7, 0.1), ["fra", "eng", "fra", "deu", "eng"]);
    expect(rows).toEqual([{lang: "eng", index: 1, cosine: 0.9}, {lang: "deu", index: 3, cosine: 0.7}, {lang: "fra", index: 2, cosine: 0.5}]);
  });
});

describe("sentenceWeights", () => {
  test("equals extraction's poolingWeights for one row, for every pooling", () => {
    for (const pooling of ["mean", "last", "first"] as const) {
      for (const length of [1, 2, 5]) expect(Array.from(sentenceWeights(length, pooling))).toEqual(Array.from(poolingWeights([length], length, pooling)));
    }
  });
});
