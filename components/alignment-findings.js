// The alignment page's opening sentences: where this model finds translations, in words.
import {fixed, percent, plural} from "./format.js";
import {argmax, finiteMean, wilsonInterval} from "./page-stats.js";

/**
 * @typedef {{lang: string, units: number, chance: number, toBaseline: number[]}} RetrievalLanguage
 * @typedef {{lang: string, cka: number[]}} CkaLanguage
 */

/**
 * Retrieval (language -> baseline) at its best layer, pooled over every language's paragraphs, with
 * a Wilson interval and chance (the pooled share a random guess finds: 1 / candidates per paragraph).
 * @param {{layers: number[], retrieval: RetrievalLanguage[], cka: CkaLanguage[]}} input
 */
export function alignmentSummary({layers, retrieval, cka}) {
  const units = retrieval.reduce((sum, d) => sum + d.units, 0);
  // Each language's accuracy is found / its units: the pooled share weighs languages by their units.
  const found = layers.map((_, k) => retrieval.reduce((sum, d) => sum + Math.round(d.toBaseline[k] * d.units), 0));
  const best = argmax(found);
  const chance = units ? retrieval.reduce((sum, d) => sum + d.chance * d.units, 0) / units : NaN;
  const interval = units && best >= 0 ? wilsonInterval(found[best], units) : {low: NaN, high: NaN};
  const ranked = best < 0 ? [] : retrieval.map((d) => ({lang: d.lang, accuracy: d.toBaseline[best], chance: d.chance})).sort((a, b) => b.accuracy - a.accuracy);
  const ckaByLayer = layers.map((_, k) => finiteMean(cka.map((d) => d.cka[k])));
  const ckaBest = argmax(ckaByLayer);
  return {
    layer: layers[best], accuracy: units ? found[best] / units : NaN, ...interval, chance, units, languages: retrieval.length,
    aboveChance: ranked.filter((d) => d.accuracy > d.chance).length, ranked,
    ckaLayer: layers[ckaBest], cka: ckaByLayer[ckaBest]
  };
}

/**
 * 2-4 sentences.
 * @param {ReturnType<typeof alignmentSummary>} s
 * @param {{vectors: string, baseline: string, nameOf: (lang: string) => string}} options vectors: "raw" or "centred";
 *   baseline: the language translations are looked up in
 */
export function alignmentFindings(s, {vectors, baseline, nameOf}) {
  if (!s.units) return [`No language shares paragraphs with ${nameOf(baseline)}, so nothing could be retrieved.`];
  const sentences = [
    `With ${vectors} vectors, a paragraph's nearest ${nameOf(baseline)} paragraph is its translation most often at hidden state ${s.layer}: ${percent(s.accuracy)} ` +
      `of ${plural(s.units, "paragraph")} in ${plural(s.languages, "language")} (95% Wilson interval ${percent(s.low)}–${percent(s.high)}), against ${percent(s.chance)} by chance.`,
    s.low > s.chance
      ? `The interval clears chance; ${s.aboveChance} of ${s.languages} languages are above their own chance at that layer.`
      : `The interval does not clear chance: at no layer is the translation found more often than guessing would find it.`
  ];
  if (s.ranked.length >= 4) {
    const list = (/** @type {{lang: string, accuracy: number}[]} */ rows) => rows.map((d) => `${nameOf(d.lang)} ${percent(d.accuracy, 0)}`).join(", ");
    sentences.push(`Best found at that layer: ${list(s.ranked.slice(0, 2))}; worst: ${list(s.ranked.slice(-2))}.`);
  }
  if (Number.isFinite(s.cka)) sentences.push(`Linear CKA with ${nameOf(baseline)}, averaged over languages, is highest at hidden state ${s.ckaLayer} (${fixed(s.cka)}).`);
  return sentences;
}
