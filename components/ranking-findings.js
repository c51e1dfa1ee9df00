// The ranking page's opening sentences: what this model's ranking shows, in words.
import {fixed, plural, rhoText} from "./format.js";
import {argmax, finiteMean} from "./page-stats.js";

/**
 * @typedef {{lang: string, rank: number, score: number, low: number, high: number, meanCosine: number[]}} RankedLanguage
 * @typedef {{proxy: string, n: number, spearman: number | null}} ProxyCorrelation
 * @typedef {{settings: {baseline: string, layers: number[], aggregate: {from: number, to: number}}, languages: RankedLanguage[], correlations?: ProxyCorrelation[]}} Ranking
 */

/** How each resource proxy is named in a sentence. */
const PROXY_NAMES = /** @type {Record<string, string>} */ ({speakers: "speakers", webShare: "share of Common Crawl pages"});

/**
 * @param {Ranking} ranking languages sorted by rank
 * @param {{centred: boolean, nameOf: (lang: string) => string}} options centred: per-language mean-centred vectors,
 *   where an unrelated pair's cosine is about 0, so 0 is the baseline a score must clear
 */
export function rankingFindings(ranking, {centred, nameOf}) {
  const languages = ranking.languages;
  if (!languages.length) return ["No language has parallel units shared with the baseline, so there is no ranking."];
  const first = languages[0];
  const last = languages[languages.length - 1];
  const scored = (/** @type {RankedLanguage} */ d) => `${nameOf(d.lang)} ${fixed(d.score, 3)} [${fixed(d.low, 3)}, ${fixed(d.high, 3)}]`;
  const sentences = [
    languages.length === 1
      ? `Only ${scored(first)} is ranked (score and 95% interval).`
      : `Of ${plural(languages.length, "language")}, ${scored(first)} ranks first and ${scored(last)} last (score and 95% interval).`
  ];
  if (languages.length > 1) {
    // The ends are told apart when their intervals do not overlap; the languages in between, when below the first's interval.
    const below = languages.filter((d) => d.high < first.low).length;
    sentences.push(last.high < first.low
      ? `The two ends' intervals do not overlap, and ${below} of the other ${languages.length - 1} languages lie below ${nameOf(first.lang)} beyond both intervals.`
      : `The first and last languages' intervals overlap: this ranking does not separate even its ends, so its order is not evidence of a difference.`);
  }
  if (centred) {
    const above = languages.filter((d) => d.low > 0).length;
    sentences.push(above
      ? `${above} of ${plural(languages.length, "language")} clear the baseline of centred vectors (0, the cosine of unrelated paragraphs) beyond their interval.`
      : `No language clears the baseline of centred vectors (0, the cosine of unrelated paragraphs) beyond its interval.`);
  }
  const layers = ranking.settings.layers;
  const byLayer = layers.map((_, k) => finiteMean(languages.map((d) => d.meanCosine[k])));
  const peak = argmax(byLayer);
  const correlations = (ranking.correlations ?? []).map((c) => `${PROXY_NAMES[c.proxy] ?? c.proxy}: ${rhoText(c)}`);
  sentences.push(`Averaged over languages, the cosine with ${nameOf(ranking.settings.baseline)} is highest at hidden state ${layers[peak]} (${fixed(byLayer[peak], 3)}); the score averages hidden states ${ranking.settings.aggregate.from}–${ranking.settings.aggregate.to}.` +
    (correlations.length ? ` Spearman correlation of the score with ${correlations.join("; with ")}.` : ""));
  return sentences;
}
