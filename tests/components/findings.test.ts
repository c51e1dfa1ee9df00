/** The opening sentences of the ranking, alignment, fertility and comparison pages, on hand-made results. */
import {describe, expect, it} from "vitest";
import {rankingFindings} from "../../components/ranking-findings.js";
import {alignmentFindings, alignmentSummary} from "../../components/alignment-findings.js";
import {fertilityFindings} from "../../components/fertility-findings.js";
import {compareFindings} from "../../components/compare-findings.js";

const nameOf = (lang: string) => lang.toUpperCase();

describe("rankingFindings", () => {
  const language = (lang: string, rank: number, score: number, low: number, high: number, meanCosine: number[]) => ({lang, rank, score, low, high, meanCosine});
  const ranking = (languages: ReturnType<typeof language>[], correlations = [{proxy: "webShare", n: 28, spearman: 0.536}]) =>
    ({settings: {baseline: "eng", layers: [0, 1, 2], aggregate: {from: 1, to: 2}}, languages, correlations});

  it("names the ends with their intervals, says they separate, counts languages above the centred baseline, and finds the peak layer", () => {
    const sentences = rankingFindings(ranking([
      language("fra", 1, 0.5, 0.4, 0.6, [0.1, 0.5, 0.3]),
      language("deu", 2, 0.3, 0.2, 0.45, [0.1, 0.3, 0.2]),
      language("amh", 3, 0.05, -0.02, 0.12, [0.0, 0.1, 0.05])
    ]), {centred: true, nameOf});
    expect(sentences[0]).toBe("Of 3 languages, FRA 0.500 [0.400, 0.600] ranks first and AMH 0.050 [−0.020, 0.120] last (score and 95% interval).");
    // deu's high (0.45) is above fra's low (0.4): only amh lies below beyond both intervals.
    expect(sentences[1]).toBe("The two ends' intervals do not overlap, and 1 of the other 2 languages lie below FRA beyond both intervals.");
    expect(sentences[2]).toBe("2 of 3 languages clear the baseline of centred vectors (0, the cosine of unrelated paragraphs) beyond their interval.");
    // Layer means: 0.0667, 0.3, 0.1833.
    expect(sentences[3]).toBe("Averaged over languages, the cosine with ENG is highest at hidden state 1 (0.300); the score averages hidden states 1–2. Spearman correlation of the score with share of Common Crawl pages: ρ = 0.54 (n = 28).");
  });

  it("says so when the ends do not separate and nothing clears the baseline (the null case)", () => {
    const sentences = rankingFindings(ranking([
      language("fra", 1, 0.02, -0.05, 0.09, [0, 0, 0]),
      language("amh", 2, 0.01, -0.06, 0.08, [0, 0, 0])
    ], [{proxy: "speakers", n: 3, spearman: 1}]), {centred: true, nameOf});
    expect(sentences[1]).toBe("The first and last languages' intervals overlap: this ranking does not separate even its ends, so its order is not evidence of a difference.");
    expect(sentences[2]).toBe("No language clears the baseline of centred vectors (0, the cosine of unrelated paragraphs) beyond its interval.");
    expect(sentences[3]).toContain("with speakers: n = 3: too few languages for a correlation (fewer than 10).");
    expect(sentences[3]).not.toContain("ρ =");
  });

  it("draws no zero baseline for raw vectors, where every cosine is high", () => {
    const sentences = rankingFindings(ranking([language("fra", 1, 0.9, 0.85, 0.95, [0.9, 0.9, 0.9]), language("amh", 2, 0.5, 0.4, 0.6, [0.5, 0.5, 0.5])]), {centred: false, nameOf});
    expect(sentences).toHaveLength(3);
    expect(sentences.join(" ")).not.toContain("baseline of centred vectors");
  });

  it("says there is no ranking when no language was ranked", () => {
    expect(rankingFindings(ranking([]), {centred: true, nameOf})).toEqual(["No language has parallel units shared with the baseline, so there is no ranking."]);
  });
});

describe("alignmentSummary and alignmentFindings", () => {
  const retrieval = (lang: string, units: number, toBaseline: number[]) => ({lang, units, chance: 1 / units, toBaseline});
  const cka = (lang: string, values: number[]) => ({lang, cka: values});

  it("pools retrieval over paragraphs at its best layer, with a Wilson interval against chance", () => {
    const summary = alignmentSummary({
      layers: [0, 1],
      // Found at layer 1: 8 + 6 + 2 + 0 = 16 of 40 paragraphs; layer 0: 1 + 1 + 0 + 0 = 2.
      retrieval: [retrieval("fra", 10, [0.1, 0.8]), retrieval("deu", 10, [0.1, 0.6]), retrieval("swh", 10, [0, 0.2]), retrieval("amh", 10, [0, 0])],
      cka: [cka("fra", [0.5, 0.7]), cka("amh", [0.3, 0.1])]
    });
    expect(summary.layer).toBe(1);
    expect(summary.accuracy).toBeCloseTo(0.4, 12);
    expect(summary.units).toBe(40);
    expect(summary.chance).toBeCloseTo(0.1, 12);
    // Wilson 16/40, from the formula in Python: centre 0.40876, half-width 0.14528.
    expect(summary.low).toBeCloseTo(0.2635, 4);
    expect(summary.high).toBeCloseTo(0.5540, 4);
    // CKA means: layer 0 0.4, layer 1 0.4: the first of the tie.
    expect(summary.ckaLayer).toBe(0);
    const sentences = alignmentFindings(summary, {vectors: "centred", baseline: "eng", nameOf});
    expect(sentences[0]).toBe("With centred vectors, a paragraph's nearest ENG paragraph is its translation most often at hidden state 1: 40.0% of 40 paragraphs in 4 languages (95% Wilson interval 26.3%–55.4%), against 10.0% by chance.");
    // amh finds nothing and swh's 0.2 is above its chance 0.1: 3 of 4.
    expect(sentences[1]).toBe("The interval clears chance; 3 of 4 languages are above their own chance at that layer.");
    expect(sentences[2]).toBe("Best found at that layer: FRA 80%, DEU 60%; worst: SWH 20%, AMH 0%.");
    expect(sentences[3]).toBe("Linear CKA with ENG, averaged over languages, is highest at hidden state 0 (0.40).");
  });

  it("says retrieval does not clear chance when the interval reaches down to it (the null case)", () => {
    // 3 of 20 found, above chance (1/10) as a share, but Wilson [0.0524, 0.3604] (formula in Python) includes 0.1.
    const summary = alignmentSummary({layers: [0], retrieval: [retrieval("fra", 10, [0.2]), retrieval("deu", 10, [0.1])], cka: []});
    expect(summary.accuracy).toBeCloseTo(0.15, 12);
    expect(summary.low).toBeCloseTo(0.0524, 4);
    const sentences = alignmentFindings(summary, {vectors: "raw", baseline: "eng", nameOf});
    expect(sentences[1]).toBe("The interval does not clear chance: at no layer is the translation found more often than guessing would find it.");
    expect(sentences).toHaveLength(2);
  });

  it("says nothing was retrieved when no language shares paragraphs with the baseline", () => {
    expect(alignmentFindings(alignmentSummary({layers: [0, 1], retrieval: [], cka: []}), {vectors: "raw", baseline: "eng", nameOf})).toEqual(["No language shares paragraphs with ENG, so nothing could be retrieved."]);
  });
});

describe("fertilityFindings", () => {
  const tokenizer = (name: string, relative: Record<string, number>) => ({tokenizer: name, languages: Object.entries(relative).map(([lang, r]) => ({lang, relative: r}))});

  it("names the costliest and cheapest languages, the median against the baseline, and the tokenizers' medians", () => {
    const sentences = fertilityFindings([
      tokenizer("model", {eng: 1, fra: 1.2, amh: 3.5, hin: 2.5, deu: 1.1}),
      tokenizer("qwen3", {eng: 1, fra: 1.1, amh: 5, hin: 4, deu: 1.3})
    ], {baseline: "eng", nameOf});
    expect(sentences[0]).toBe("The model's tokenizer spends the most tokens, relative to ENG, on AMH: 3.50× and HIN: 2.50×, and the fewest on DEU: 1.10×.");
    // Model: sorted 1.1, 1.2, 2.5, 3.5: median 1.85; eng (1 by definition) is left out.
    expect(sentences[1]).toBe("Over 4 languages, the median is 1.85 times as many tokens as ENG; 2 of them cost more than 2 times as many.");
    // qwen3: 1.1, 1.3, 4, 5: median 2.65.
    expect(sentences[2]).toBe("Median cost across the 2 tokenizers: lowest the model's own (1.85×), highest qwen3 (2.65×).");
  });

  it("says no language costs more than twice the baseline when none does (the null case)", () => {
    const sentences = fertilityFindings([tokenizer("model", {eng: 1, fra: 1.2, deu: 1.1})], {baseline: "eng", nameOf});
    expect(sentences[1]).toBe("Over 2 languages, the median is 1.15 times as many tokens as ENG; none costs more than 2 times as many.");
    expect(sentences).toHaveLength(2);
  });

  it("says there is nothing to compare when only the baseline was tokenized", () => {
    expect(fertilityFindings([tokenizer("model", {eng: 1})], {baseline: "eng", nameOf})).toEqual(["No language besides ENG shares paragraphs with it, so there is nothing to compare."]);
  });
});

describe("compareFindings", () => {
  const model = (name: string, retrieval: number[], cka: number[], webShare?: {n: number, spearman: number}) =>
    ({model: name, retrieval, cka, correlations: webShare ? [{proxy: "webShare", ...webShare}] : []});

  it("counts models with plurals, names the best and worst retrieval at their best relative depth, and the CKA peak", () => {
    const sentences = compareFindings([
      model("a", [0.1, 0.5, 0.3], [0.5, 0.6, 0.4], {n: 28, spearman: 0.5}),
      model("b", [0.2, 0.25, 0.3, 0.1, 0.1], [0.9, 0.2, 0.2, 0.2, 0.2], {n: 4, spearman: 0.8})
    ], {skipped: 1, languages: 28});
    expect(sentences[0]).toBe("2 models analysed and 1 model skipped, compared over the 28 languages all of them read.");
    expect(sentences[1]).toBe("Finding the English translation works best for a: 50.0% at relative depth 0.50; worst for b: 30.0% at its best depth, 0.50.");
    expect(sentences[2]).toBe("Linear CKA with English peaks highest for b (0.90 at relative depth 0.00).");
    expect(sentences[3]).toBe("Spearman correlation of the ranking with the share of Common Crawl pages: a ρ = 0.50 (n = 28); b n = 4: too few languages for a correlation (fewer than 10).");
  });

  it("says a single model has nothing to compare with, in the singular", () => {
    const sentences = compareFindings([model("tiny", [0.1, 0.3], [0.5, 0.6])], {skipped: 1, languages: 1});
    expect(sentences[0]).toBe("1 model analysed and 1 model skipped: the charts show tiny alone, over its 1 language, so there is nothing to compare it with yet.");
    expect(sentences).toHaveLength(2);
  });

  it("says there is nothing to compare when no model was analysed", () => {
    expect(compareFindings([], {skipped: 2, languages: 0})).toEqual(["No model was analysed (2 models skipped), so there is nothing to compare."]);
  });
});
