import {resolve} from "node:path";
import {describe, expect, it} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {extractVectors, Extractor, DEFAULT_SETTINGS} from "../../loaders/extract/extract.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {POOLINGS} from "../../loaders/types.js";
import {testItems} from "../helpers/items.js";
import {maxAbsDiff} from "../helpers/diff.js";

const MODELS = {encoder: resolve("tests/fixtures/models/tiny-bert"), decoder: resolve("tests/fixtures/models/tiny-llama")};
const items = testItems(40);

describe.each(Object.entries(MODELS))("extractVectors (%s)", (kind, dir) => {
  it.each(POOLINGS)("extractVectors(%s pooling) gives the same vectors alone as in a padded batch of 32", async (pooling) => {
    const batched = await extractVectors(dir, items, {pooling, batchSize: 32});
    const alone = await extractVectors(dir, items, {pooling, batchSize: 1});
    expect(batched.layers.length).toBe(batched.numLayers + 1);
    expect(batched.layers[0].length).toBe(items.length * batched.hiddenSize);
    for (let l = 0; l < batched.layers.length; l++) expect(maxAbsDiff(batched.layers[l], alone.layers[l])).toBeLessThan(1e-5);
  });

  it("extractVectors distinguishes items: different texts get different vectors at the last layer", async () => {
    const {layers, hiddenSize} = await extractVectors(dir, items.slice(0, 2));
    const last = layers[layers.length - 1];
    expect(maxAbsDiff(last.subarray(0, hiddenSize), last.subarray(hiddenSize))).toBeGreaterThan(1e-3);
  });

  it("Extractor.tokenize truncates to maxLength and reports the full length", async () => {
    const model = await resolveModel(dir, envFrom());
    const extractor = await Extractor.open(model, {...DEFAULT_SETTINGS, maxLength: 6});
    try {
      const long = "Everyone has the right to education and to freedom of thought, conscience and religion";
      const tokenized = extractor.tokenize([long, "Hi"]);
      expect(tokenized.ids[0].length).toBe(6);
      expect(tokenized.fullLengths[0]).toBeGreaterThan(6);
      expect(tokenized.ids[1].length).toBe(tokenized.fullLengths[1]);
      const full = extractor.tokenizer.encode(long);
      if (kind === "encoder") expect(tokenized.ids[0].at(-1)).toBe(full.at(-1)); // [SEP] survives truncation
      else expect(tokenized.ids[0]).toEqual(full.slice(0, 6));
    } finally {
      await extractor.dispose();
    }
  });
});

describe("extractVectors settings", () => {
  it("extractVectors rejects an unknown pooling in one line", async () => {
    await expect(extractVectors(MODELS.encoder, items, {pooling: "max" as never})).rejects.toThrow('unknown pooling "max": expected one of mean, last, first');
  });
});
