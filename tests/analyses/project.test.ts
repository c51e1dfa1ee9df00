import {describe, expect, it} from "vitest";
import {procrustes, project} from "../../loaders/analyses/project.js";
import {pca} from "../../loaders/analyses/pca.js";
import {matrix, type Matrix} from "../../loaders/analyses/matrix.js";
import type {LayerCoordinates, ProjectionMethod} from "../../loaders/analyses/types.js";
import {maxDifference} from "./probe-reference.js";
import {normals} from "./synthetic.js";

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const gaussian = normals(seed);
  return {data: Float32Array.from({length: rows * cols}, () => gaussian()), rows, cols};
}

/** Rotates the first two columns by `angle`, mirrors the first, and translates. */
function rotateReflect(m: Matrix, angle: number): Matrix {
  const out = Float32Array.from(m.data);
  for (let i = 0; i < m.rows; i++) {
    const [a, b] = [m.data[i * m.cols], m.data[i * m.cols + 1]];
    out[i * m.cols] = -(Math.cos(angle) * a - Math.sin(angle) * b) + 5;
    out[i * m.cols + 1] = Math.sin(angle) * a + Math.cos(angle) * b - 2;
  }
  return {data: out, rows: m.rows, cols: m.cols};
}

describe("procrustes", () => {
  it("procrustes(moving, reference) undoes a rotation, a reflection and a translation", () => {
    const reference = randomMatrix(50, 2, 1);
    expect(maxDifference(procrustes(rotateReflect(reference, 0.7), reference).data, reference.data)).toBeLessThan(1e-5);
  });

  it("procrustes(moving, reference) solves the doc example", () => {
    const out = procrustes(matrix(Float32Array.of(0, 1, 0, -1), 2, 2), matrix(Float32Array.of(1, 0, -1, 0), 2, 2));
    expect(maxDifference(out.data, [1, 0, -1, 0])).toBeLessThan(1e-6);
  });
});

describe("project", () => {
  const base = randomMatrix(60, 6, 2);
  // Layer 1 is layer 0 with a rotated and mirrored (0, 1) plane: the same geometry, other axes.
  const input = {layers: [base, rotateReflect(base, 2.1)]};

  it("project(input, {projection: 'pca'}) gives each layer's PCA, aligned to the previous layer by Procrustes", async () => {
    const result = await project(input, {projection: "pca"});
    expect(result.settings).toEqual({projection: "pca", coordinates: "procrustes", layers: [0, 1], umap: null});
    expect(Array.from(result.layers[0].coordinates.data)).toEqual(Array.from(pca(base, 2).data));
    expect(maxDifference(result.layers[1].coordinates.data, result.layers[0].coordinates.data)).toBeLessThan(1e-4);
    const [first, second] = result.layers[0].explainedVarianceRatio!;
    expect(first).toBeGreaterThanOrEqual(second);
  });

  it("project(input, {coordinates: 'independent'}) leaves each layer on its own axes", async () => {
    const result = await project(input, {projection: "pca", coordinates: "independent", layers: [1]});
    expect(Array.from(result.layers[0].coordinates.data)).toEqual(Array.from(pca(input.layers[1], 2).data));
  });

  it("project(input) runs seeded UMAP and records its settings", async () => {
    const result = await project({layers: [randomMatrix(100, 8, 3)]}, {seed: 4, epochs: 50});
    expect(result.settings.umap).toEqual({seed: 4, neighbors: 15, minDist: 0.1, epochs: 50, negativeSampleRate: 3, pcaDimensions: 50, metric: "euclidean"});
    expect(result.layers[0].coordinates.rows).toBe(100);
  });

  it("project(input, options) rejects unknown option values listing the choices", async () => {
    await expect(project(input, {projection: "tsne" as ProjectionMethod})).rejects.toThrow(
      'project: unknown projection "tsne" (choose one of pca, umap)'
    );
    await expect(project(input, {coordinates: "stacked" as LayerCoordinates})).rejects.toThrow(
      'project: unknown coordinates "stacked" (choose one of independent, procrustes)'
    );
    await expect(project(input, {layers: [3]})).rejects.toThrow("project: layer 3 does not exist (the input has layers 0..1)");
  });
});
