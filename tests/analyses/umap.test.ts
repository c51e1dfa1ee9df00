import {describe, expect, it} from "vitest";
import {reduceDimensions, umap} from "../../loaders/analyses/umap.js";
import {fitPca, pca, transformPca} from "../../loaders/analyses/pca.js";
import {selectRows} from "../../loaders/analyses/matrix.js";
import type {Matrix} from "../../loaders/analyses/matrix.js";
import type {UmapMetric} from "../../loaders/analyses/types.js";
import {normals} from "./synthetic.js";

/** Three well-separated Gaussian clusters in 20 dimensions; row i belongs to cluster i % 3. */
function clusters(rows: number, seed: number): Matrix {
  const gaussian = normals(seed);
  const cols = 20;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = gaussian() + (j === i % 3 ? 10 : 0);
  }
  return {data, rows, cols};
}

/** Share of points whose nearest 2-D neighbour is in the same cluster. */
function neighbourAgreement(points: Matrix): number {
  let agree = 0;
  for (let i = 0; i < points.rows; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < points.rows; j++) {
      if (j === i) continue;
      const distance = (points.data[2 * i] - points.data[2 * j]) ** 2 + (points.data[2 * i + 1] - points.data[2 * j + 1]) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [j, distance];
    }
    agree += Number(best % 3 === i % 3);
  }
  return agree / points.rows;
}

describe("umap", () => {
  const x = clusters(240, 1);

  it("umap(x, {seed}) is identical for one seed and differs for another", async () => {
    const a = await umap(x, {seed: 7});
    const b = await umap(x, {seed: 7});
    const c = await umap(x, {seed: 8});
    expect([a.rows, a.cols]).toEqual([240, 2]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it("umap(x) keeps separated clusters apart, with and without the PCA step", async () => {
    expect(neighbourAgreement(await umap(x, {seed: 1}))).toBeGreaterThan(0.95);
    expect(neighbourAgreement(await umap(x, {seed: 1, pcaDimensions: 5, metric: "cosine"}))).toBeGreaterThan(0.95);
  });

  it("umap(x, options) rejects an unknown metric listing the choices, and too few rows", async () => {
    await expect(umap(x, {metric: "manhattan" as UmapMetric})).rejects.toThrow(
      'umap: unknown metric "manhattan" (choose one of euclidean, cosine)'
    );
    await expect(umap(clusters(10, 2))).rejects.toThrow("umap: needs more rows than neighbors, got 10 rows and 15 neighbors");
  });
});

describe("reduceDimensions", () => {
  it("reduceDimensions(x, k) is the PCA of all rows for up to 5,000 rows", () => {
    const x = clusters(300, 3);
    expect(Array.from(reduceDimensions(x, 4).data)).toEqual(Array.from(pca(x, 4).data));
  });

  it("reduceDimensions(x, k) fits the axes on every ceil(rows / 5000)-th row and projects every row", () => {
    const x = clusters(5003, 4);
    const sample = selectRows(x, Array.from({length: 2502}, (_, i) => 2 * i));
    const reduced = reduceDimensions(x, 3);
    expect([reduced.rows, reduced.cols]).toEqual([5003, 3]);
    expect(Array.from(reduced.data)).toEqual(Array.from(transformPca(fitPca(sample, 3), x).data));
  });
});
