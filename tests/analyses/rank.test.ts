import {describe, expect, it} from "vitest";
import {bootstrap, FEW_UNITS} from "../../loaders/analyses/bootstrap.js";
import {cosine} from "../../loaders/analyses/cosine.js";
import {matrix, row} from "../../loaders/analyses/matrix.js";
import {rankLanguages, type RankOptions} from "../../loaders/analyses/rank.js";
import {mulberry32, seedFor} from "../../loaders/random.js";
import type {LayeredVectors} from "../../loaders/analyses/types.js";
import {expectClose, nanFromNull, parallelItems, reference} from "./reference.js";
import {normals} from "./synthetic.js";

const ref = reference("parallel.json").ranking;
const options: RankOptions = {
  aggregate: ref.aggregate,
  seed: ref.seed,
  resamples: ref.resamples,
  confidence: ref.confidence,
  proxies: ref.proxies
};

/** English and French over `units` units and 3 layers: French is English plus noise. */
function manyUnits(units: number): LayeredVectors {
  const gaussian = normals(12);
  const dims = 8;
  const base = Array.from({length: 3}, () => Array.from({length: units * dims}, () => gaussian()));
  const layers = base.map((eng) => matrix(Float32Array.from([...eng, ...eng.map((v) => v + 0.8 * gaussian())]), 2 * units, dims));
  const unit = Array.from({length: 2 * units}, (_, i) => `u${i % units}`);
  return {layers, unit, lang: unit.map((_, i) => (i < units ? "eng" : "fra"))};
}

/** The items without one language's rows. */
function without(items: LayeredVectors, lang: string): LayeredVectors {
  const keep = items.lang.flatMap((l, i) => (l === lang ? [] : [i]));
  const cols = items.layers[0].cols;
  return {
    layers: items.layers.map((m) => ({data: Float32Array.from(keep.flatMap((i) => Array.from(m.data.subarray(i * cols, (i + 1) * cols)))), rows: keep.length, cols})),
    unit: keep.map((i) => items.unit[i]),
    lang: keep.map((i) => items.lang[i])
  };
}

describe("rankLanguages", () => {
  it("rankLanguages(items, options) gives the reference order, scores and, for languages with few units, t intervals", () => {
    const ranking = rankLanguages(parallelItems(), options);
    expect(ranking.languages.map((r) => r.lang)).toEqual(ref.languages.map((r: {lang: string}) => r.lang));
    expect(ranking.languages.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    ranking.languages.forEach((r, i) => {
      expect(r.score).toBeCloseTo(ref.languages[i].score, 6);
      // scipy.stats.t.interval; null (NaN) for the language with one unit.
      expectClose([r.low, r.high], nanFromNull([ref.languages[i].low, ref.languages[i].high]), 1e-6);
      expect([r.fewUnits, r.interval]).toEqual([true, ref.languages[i].interval]);
      expect(r.meanCosine).toHaveLength(3);
    });
    expect(ranking.skipped.map((s) => s.lang)).toEqual(["swh"]);
  });

  it("rankLanguages(items) keeps the percentile bootstrap from FEW_UNITS units on and switches to the t interval below", () => {
    const seeded = {seed: 3, resamples: 300};
    const many = rankLanguages(manyUnits(FEW_UNITS), seeded).languages[0];
    const items = manyUnits(FEW_UNITS);
    const scores = Array.from({length: FEW_UNITS}, (_, u) => {
      let sum = 0;
      for (const layer of items.layers) sum += cosine(row(layer, u), row(layer, FEW_UNITS + u));
      return sum / items.layers.length;
    });
    const expected = bootstrap(scores, {resamples: 300, random: mulberry32(seedFor(3, "fra"))});
    expect([many.fewUnits, many.interval]).toEqual([false, "percentile-bootstrap"]);
    expect(many.low).toBeCloseTo(expected.low, 6);
    expect(many.high).toBeCloseTo(expected.high, 6);
    const few = rankLanguages(manyUnits(FEW_UNITS - 1), seeded).languages[0];
    expect([few.fewUnits, few.interval]).toEqual([true, "t"]);
  });

  it("rankLanguages(items, {protocol: 'paper'}) averages layers 1..L without centring, and refuses other settings", () => {
    const paper = rankLanguages(parallelItems(), {protocol: "paper"});
    expect(paper.settings).toMatchObject({protocol: "paper", centering: "none", aggregate: {from: 1, to: 2}});
    const same = rankLanguages(parallelItems(), {aggregate: {from: 1, to: 2}});
    expect(paper.languages.map((r) => r.score)).toEqual(same.languages.map((r) => r.score));
    expect(() => rankLanguages(parallelItems(), {protocol: "paper", centering: "language"})).toThrow(
      'rankLanguages: the paper protocol does not centre (centering "none"), got "language"'
    );
    expect(() => rankLanguages(parallelItems(), {protocol: "paper", aggregate: {from: 0, to: 2}})).toThrow(
      "rankLanguages: the paper protocol averages layers 1..2, got 0..2"
    );
    expect(() => rankLanguages(parallelItems(), {protocol: "other" as "paper"})).toThrow('rankLanguages: unknown protocol "other" (choose one of paper, babelscope)');
  });

  it("rankLanguages(items, {proxies}) correlates with each proxy over the languages that have a value", () => {
    const {correlations} = rankLanguages(parallelItems(), options);
    expect(correlations.map((c) => c.proxy)).toEqual(["speakers", "web"]);
    for (const c of correlations) {
      const expected = ref.correlations[c.proxy];
      expect(c.n).toBe(expected.n);
      expect(c.missing).toEqual(expected.missing);
      // Scores differ by ~1e-3 here, so float32 rounding of the vectors moves r by a few 1e-6.
      expectClose([c.spearman, c.pearson], [expected.spearman, expected.pearson], 1e-5);
    }
  });

  it("rankLanguages(items, options) records its settings", () => {
    expect(rankLanguages(parallelItems(), options).settings).toEqual({
      baseline: "eng",
      centering: "none",
      layers: [0, 1, 2],
      protocol: "babelscope",
      fewUnits: 18,
      aggregate: {from: 1, to: 2},
      seed: 7,
      resamples: 200,
      confidence: 0.9
    });
  });

  it("rankLanguages(items) is identical across runs with one seed; another seed moves the bootstrap intervals only", () => {
    const a = rankLanguages(manyUnits(30), {seed: 1});
    expect(rankLanguages(manyUnits(30), {seed: 1})).toEqual(a);
    const b = rankLanguages(manyUnits(30), {seed: 2});
    expect(b.languages.map((r) => r.score)).toEqual(a.languages.map((r) => r.score));
    expect(b.languages.map((r) => r.low)).not.toEqual(a.languages.map((r) => r.low));
  });

  it("rankLanguages(items) keeps a language's interval when another language is removed", () => {
    const all = rankLanguages(parallelItems(), options).languages.find((r) => r.lang === "fra")!;
    const fewer = rankLanguages(without(parallelItems(), "hin"), options).languages.find((r) => r.lang === "fra")!;
    expect(fewer).toEqual({...all, rank: fewer.rank});
  });

  it("rankLanguages(items, {centering: 'language'}) ranks on centred cosines", () => {
    const expected = reference("parallel.json").expected.language;
    const ranking = rankLanguages(parallelItems(), {centering: "language", aggregate: {from: 0, to: 0}});
    for (const r of ranking.languages) expect(r.score).toBeCloseTo(expected[r.lang].meanCosine[0], 6);
    // fra has the least noise, so it comes first once the shared offsets are removed.
    expect(ranking.languages[0].lang).toBe("fra");
  });

  it("rankLanguages(items, {aggregate}) rejects a range outside the layers", () => {
    expect(() => rankLanguages(parallelItems(), {aggregate: {from: 1, to: 3}})).toThrow("aggregate layers 1..3 are not a range within 0..2");
    expect(() => rankLanguages(parallelItems(), {aggregate: {from: 2, to: 1}})).toThrow("aggregate layers 2..1");
  });

  it("rankLanguages(items) rejects a fractional seed and items without layers", () => {
    expect(() => rankLanguages(parallelItems(), {seed: 0.5})).toThrow("seed must be an integer, got 0.5");
    expect(() => rankLanguages({layers: [], unit: ["u1"], lang: ["eng"]})).toThrow("the items have no layers");
  });

  it("rankLanguages(empty) returns an empty ranking", () => {
    const ranking = rankLanguages({layers: [], unit: [], lang: []}, {proxies: {speakers: {fra: 1}}});
    expect(ranking.languages).toEqual([]);
    expect(ranking.correlations).toEqual([]);
  });
});
