import {mkdtempSync, rmSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {alignedTransfer, alignedTransferSteps} from "../../loaders/analyses/align.js";
import {cka, ckaSteps} from "../../loaders/analyses/cka.js";
import {parallelCosine, parallelCosineSteps} from "../../loaders/analyses/cosine.js";
import {onLayers, onRows, orSkippedSteps, rowsOf, streamAll, type LayerSteps} from "../../loaders/analyses/layer-steps.js";
import {selectRows} from "../../loaders/analyses/matrix.js";
import {mexa, mexaSteps} from "../../loaders/analyses/mexa.js";
import {probe, probeSteps} from "../../loaders/analyses/probe.js";
import {project, projectSteps} from "../../loaders/analyses/project.js";
import {rankLanguages, rankSteps} from "../../loaders/analyses/rank.js";
import {retrieval, retrievalSteps} from "../../loaders/analyses/retrieval.js";
import {transfer, transferSteps} from "../../loaders/analyses/transfer.js";
import {layerSource, openStore, PartialStore, STORE_FORMAT, type ManifestDraft, type Store} from "../../loaders/store/store.js";
import type {LabelledVectors} from "../../loaders/vectors.js";
import {synthetic} from "./synthetic.js";

const TMP = mkdtempSync(join(tmpdir(), "babelscope-layer-steps-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

/** Four layers of 3 languages x 24 parallel units x 6 dimensions, labelled: every analysis applies. */
const input: LabelledVectors = synthetic({langs: ["eng", "fra", "swh"], units: 24, dims: 6, separation: [0, 1, 2, 3], shift: {swh: 1}, seed: 5});
const rows = rowsOf(input);

/** The files a store read, in order, by name. */
let reads: string[];
let store: Store;
beforeAll(async () => {
  const items = input.unit.map((unit, i) => ({id: `${input.lang[i]}-${unit}`, unit, lang: input.lang[i], text: unit, tokens: 1, truncated: false}));
  const draft: ManifestDraft = {
    format: STORE_FORMAT,
    hash: "steps",
    tool: {name: "babelscope", version: "0"},
    model: {ref: "tiny", source: "local", id: "tiny", dtype: "fp32", files: {}, kind: "encoder", num_layers: 3, hidden_size: 6},
    dataset: {name: "synthetic", hash: "d", languages: ["eng", "fra", "swh"]},
    settings: {pooling: "mean", max_length: 8},
    counts: {items: items.length, languages: 3, hidden_states: 4, tokens: items.length, truncated: 0}
  };
  const {dir} = await (await PartialStore.open(TMP, "steps")).finish(items, [...input.layers], draft);
  store = await openStore(dir, (path) => {
    reads.push(basename(path));
    return readFile(path);
  });
});

/** The store's layers, with the reads counted from here on. */
function counted() {
  reads = [];
  return layerSource(store);
}

describe("layers on demand", () => {
  it("an analysis of layers 0 and 3 reads layer-00.arrow and layer-03.arrow and no other file", async () => {
    const result = await streamAll(probeSteps(rows, {layers: [0, 3]}), counted());
    expect(reads).toEqual(["layer-00.arrow", "layer-03.arrow"]);
    expect(result).toEqual(probe(input, {layers: [0, 3]}));
  });

  it("analyses run together read each layer they need once between them, in order", async () => {
    const source = counted();
    await streamAll({rank: rankSteps(rows, {aggregate: {from: 1, to: 2}}), cka: ckaSteps(rows), projection: projectSteps(rows, {projection: "pca", layers: [1, 2]})}, source);
    expect(reads).toEqual(["layer-00.arrow", "layer-01.arrow", "layer-02.arrow", "layer-03.arrow"]);
  });

  it("every analysis gives from the store, a layer at a time, exactly what it gives on all layers in memory", async () => {
    const probed = {layers: [1, 3], seed: 2};
    // Each analysis as steps, beside the same analysis on every layer in memory.
    const both: Record<string, [LayerSteps<unknown>, unknown]> = {
      rank: [rankSteps(rows, {baseline: "eng", resamples: 50}), rankLanguages(input, {baseline: "eng", resamples: 50})],
      cosine: [parallelCosineSteps(rows, {centering: "language"}), parallelCosine(input, {centering: "language"})],
      retrieval: [retrievalSteps(rows), retrieval(input)],
      mexa: [mexaSteps(rows), mexa(input)],
      cka: [ckaSteps(rows), cka(input)],
      probe: [probeSteps(rows, probed), probe(input, probed)],
      transfer: [transferSteps(rows, {...probed, alignments: ["mean-shift"]}), transfer(input, {...probed, alignments: ["mean-shift"]})],
      alignment: [alignedTransferSteps(rows, {...probed, target: "eng"}), alignedTransfer(input, {...probed, target: "eng"})],
      projection: [projectSteps(rows, {projection: "pca"}), await project(input, {projection: "pca"})]
    };
    const streamed = await streamAll(Object.values(both).map(([steps]) => steps), counted());
    expect(streamed).toEqual(Object.values(both).map(([, inMemory]) => inMemory));
    expect(reads).toEqual(["layer-00.arrow", "layer-01.arrow", "layer-02.arrow", "layer-03.arrow"]);
  });

  it("onRows hands an analysis only the chosen rows of each layer it reads", async () => {
    const chosen = Array.from({length: 24}, (_, k) => 3 * k);
    const subset: LabelledVectors = {layers: input.layers.map((m) => selectRows(m, chosen)), unit: chosen.map((i) => input.unit[i]), lang: chosen.map((i) => input.lang[i]), label: chosen.map((i) => input.label[i])};
    const result = await streamAll(onRows(probeSteps(rowsOf(subset), {layers: [2]}), chosen), counted());
    expect(reads).toEqual(["layer-02.arrow"]);
    expect(result).toEqual(probe(subset, {layers: [2]}));
  });

  it("an analysis that throws is skipped with its message while those beside it finish", async () => {
    const result = await streamAll({
      alignment: orSkippedSteps(alignedTransferSteps(rows, {target: "deu"})),
      cka: ckaSteps(rows)
    }, counted());
    expect(result.alignment).toEqual({skipped: 'alignedTransfer: target language "deu" has no rows (languages: eng, fra, swh)'});
    expect(result.cka).toEqual(cka(input));
  });

  it("a layer of the wrong shape is refused as it is read, naming the layer", () => {
    const layers = [input.layers[0], selectRows(input.layers[1], [0, 1])];
    expect(() => onLayers(ckaSteps({...rows, layerCount: 2}), layers)).toThrow(`layer 1 has 2 rows for ${input.unit.length} items`);
    expect(() => onLayers(probeSteps({...rows, layerCount: 2}, {layers: [1]}), layers)).toThrow(`probe: layer 1 has 2 rows, expected ${input.unit.length} (one per label)`);
  });
});
