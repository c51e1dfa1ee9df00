import {describe, expect, test} from "vitest";
import {languages} from "../../loaders/datasets/index.js";
import type {ModelPageData} from "../../loaders/pipeline/model-pages.js";
import {comparisonOf, layerMeans, type ModelPages} from "../../loaders/report/comparison.js";

describe("layerMeans", () => {
  test("layerMeans averages each layer over languages, skipping undefined values", () => {
    expect(layerMeans([[1, 2, NaN], [3, 4, NaN], [5, NaN, NaN]])).toEqual([3, 3, NaN]);
    expect(layerMeans([])).toEqual([]);
  });
});

/** A page as the pipeline hands it over, holding only what the comparison reads. */
function analysed(model: string, langs: string[], analyses: {analysis: string; result: unknown}[]): ModelPageData {
  return {model, slug: model, status: "analysed", store: {hash: `${model}-store`, model: {num_layers: 1}, dataset: {languages: langs}}, analyses} as unknown as ModelPageData;
}

/** A model's parallel page: `cosine[lang]` is its per-layer mean cosine (also its retrieval and CKA), `score[lang]` its ranking score. */
function parallelPage(model: string, cosine: Record<string, number[]>, score: Record<string, number>): ModelPageData {
  const rows = Object.entries(cosine).map(([lang, values]) => ({lang, meanCosine: values, toBaseline: values, cka: values}));
  const ranked = Object.entries(score).map(([lang, s]) => ({lang, score: s}));
  const both = <T>(value: T) => ({none: value, language: value});
  return analysed(model, ["eng", ...Object.keys(cosine)].sort(), [
    {analysis: "rank", result: {rankings: both({languages: ranked, correlations: []})}},
    {analysis: "align", result: {parallelCosine: both({languages: rows}), retrieval: both({languages: rows}), cka: {languages: rows}}}
  ]);
}

function questionsPage(model: string, accuracy: Record<string, number[]>): ModelPageData {
  const rows = Object.entries(accuracy).map(([lang, values]) => ({lang, n: 10, pooled: {accuracy: values}}));
  const probe = {settings: {layers: [0, 1]}, pooled: {accuracy: [0.123, 0.456]}, languages: rows};
  return analysed(model, Object.keys(accuracy).sort(), [{analysis: "probe", result: {protocols: {babelscope: {probe}}}}]);
}

const fixed = (values: number[]) => values.map((v) => v.toFixed(6));

describe("comparisonOf", () => {
  // Ranked by speakers over the shared languages (a Spearman of 1), with one more language,
  // read by the first model only, put against that order.
  const speakers = new Map(languages().map((info) => [info.code, info.speakers]));
  const shared = ["deu", "fra", "rus"].sort((a, b) => speakers.get(a)! - speakers.get(b)!);
  const score = Object.fromEntries(shared.map((lang, i) => [lang, i]));
  const wide: ModelPages = {
    slug: "wide",
    parallel: parallelPage("wide", {deu: [0.5, 0.7], fra: [0.5, 0.7], rus: [0.5, 0.7], hin: [0.1, 0.1]}, {...score, hin: -1}),
    questions: questionsPage("wide", {eng: [0.9, 0.8], deu: [0.7, 0.6], hin: [0.1, 0.2]})
  };
  const narrow: ModelPages = {
    slug: "narrow",
    parallel: parallelPage("narrow", {deu: [0.2, 0.4], fra: [0.4, 0.6], rus: [0.6, 0.8]}, score),
    questions: questionsPage("narrow", {eng: [0.6, 0.6], deu: [0.4, 0.4]})
  };
  const skipped: ModelPages = {slug: "hub", parallel: {model: "a/hub", slug: "hub", status: "skipped", reason: "a/hub: offline"}};

  test("models read over different languages are compared over the languages they all read, and each says how many it read", () => {
    expect(speakers.get("hin")).toBeGreaterThan(speakers.get(shared[2])!);
    const {shared: common, models: [w, n, hub]} = comparisonOf([wide, narrow, skipped]);
    expect(common).toEqual({parallel: ["deu", "eng", "fra", "rus"], questions: ["deu", "eng"]});
    expect(w.languages).toEqual({parallel: 5, questions: 3});
    expect(n.languages).toEqual({parallel: 4, questions: 2});
    // Over deu, fra and rus only: hin's 0.1 would pull the wide model's mean to 0.4 and 0.55.
    for (const curve of [w.meanCosine!.none, w.retrieval!.language, w.cka!]) expect(fixed(curve)).toEqual(["0.500000", "0.700000"]);
    expect(fixed(n.meanCosine!.none)).toEqual(["0.400000", "0.600000"]);
    // The pooled probe's accuracy on eng and deu, averaged: hin is the wide model's only.
    const probes = [w.probe, n.probe] as {layers: number[]; accuracy: number[]}[];
    expect(probes.map((p) => [p.layers, fixed(p.accuracy)])).toEqual([[[0, 1], ["0.800000", "0.700000"]], [[0, 1], ["0.500000", "0.500000"]]]);
    // hin (most speakers, lowest score) would break the wide model's perfect rank correlation.
    for (const summary of [w, n]) expect(summary.correlations!.none.find((c) => c.proxy === "speakers")).toMatchObject({n: 3, spearman: 1});
    expect(hub).toEqual({model: "a/hub", slug: "hub", status: "skipped", reason: "a/hub: offline"});
  });

  test("with every model on the same languages nothing is left out", () => {
    const {shared: common, models: [w]} = comparisonOf([wide, skipped]);
    expect(common).toEqual({parallel: ["deu", "eng", "fra", "hin", "rus"], questions: ["deu", "eng", "hin"]});
    expect(fixed(w.meanCosine!.none)).toEqual(["0.400000", "0.550000"]);
    expect(w.correlations!.none.find((c) => c.proxy === "speakers")!.n).toBe(4);
  });
});
