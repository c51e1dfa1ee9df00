// The knowledge page's opening sentences: what this model's probe numbers show, in words.
import {finiteMean as mean} from "./page-stats.js";

/** How each protocol is named on the page. */
export const PROTOCOL_NAMES = {
  babelscope: "Babelscope (standardised features, folds grouped by entity)",
  paper: "the paper's (raw features, scikit-learn's StratifiedKFold(5, shuffle, 42) over questions)"
};

const fixed = (/** @type {number} */ value) => value.toFixed(2);

/**
 * The best layer of the mean within-language accuracy, and that accuracy next to the spelling
 * baseline (the surface probe's mean over the same languages) and chance (the larger class's share).
 * @param {import("../loaders/report/page-data.js").KnowledgeProtocol} protocolResult
 */
export function knowledgeSummary({probe, surface}) {
  const probed = /** @type {{lang: string, within: NonNullable<typeof probe.languages[number]["within"]>}[]} */ (probe.languages.filter((row) => row.within));
  const layers = probe.settings.layers;
  const within = layers.map((_, k) => mean(probed.map((row) => row.within.accuracy[k])));
  const best = within.reduce((b, value, k) => (value > within[b] ? k : b), 0);
  const surfaceMean = mean(surface.filter((s) => probed.some((row) => row.lang === s.lang)).map((s) => s.accuracy));
  const positives = probe.pooled.positives / probe.pooled.n;
  const ranked = probed.map((row) => ({lang: row.lang, accuracy: row.within.accuracy[best], low: row.within.low[best]})).sort((a, b) => b.accuracy - a.accuracy);
  // Above the spelling where the language's interval over folds clears the language's own surface score.
  const surfaceOf = new Map(surface.map((s) => [s.lang, s.accuracy]));
  const clear = ranked.filter((row) => row.low > (surfaceOf.get(row.lang) ?? Infinity)).length;
  // Per layer: how far the hidden state is above (or below) what the spelling alone gives.
  const margins = layers.map((layer, k) => ({layer, margin: within[k] - surfaceMean}));
  return {layer: layers[best], accuracy: within[best], surface: surfaceMean, chance: Math.max(positives, 1 - positives), ranked, clear, languages: probed.length, margins};
}

/**
 * 3-4 sentences for the protocol shown.
 * @param {ReturnType<typeof knowledgeSummary>} summary
 * @param {keyof typeof PROTOCOL_NAMES} protocol
 * @param {(lang: string) => string} nameOf
 */
export function knowledgeFindings(summary, protocol, nameOf) {
  const {layer, accuracy, surface, chance, ranked, clear, languages} = summary;
  if (!languages) return ["No language has enough questions of each label for a probe of its own."];
  const margin = accuracy - surface;
  const sentences = [
    `Under ${PROTOCOL_NAMES[protocol]} protocol, the probe reads known against unknown best at hidden state ${layer}: ${fixed(accuracy)} accuracy on average within a language (chance ${fixed(chance)}).`,
    `The spelling of the same questions alone, on the same folds, reaches ${fixed(surface)}: ` +
      (margin > 0.02
        ? `the hidden state is ${Math.round(margin * 100)} points above it, and clears it beyond its fold interval in ${clear} of ${languages} languages.`
        : `the hidden state is not above it, so these numbers are no evidence that the model represents what it knows beyond the questions' surface form.`)
  ];
  const points = (/** @type {number} */ margin) => `${margin >= 0 ? "+" : "−"}${Math.abs(Math.round(margin * 100))}`;
  sentences.push(`Hidden state minus spelling, by layer (accuracy points): ${summary.margins.map(({layer, margin}) => `${layer}: ${points(margin)}`).join(", ")}.`);
  if (ranked.length >= 4) {
    const list = (/** @type {typeof ranked} */ rows) => rows.map((row) => `${nameOf(row.lang)} ${fixed(row.accuracy)}`).join(", ");
    sentences.push(`Strongest at that layer: ${list(ranked.slice(0, 2))}; weakest: ${list(ranked.slice(-2))}.`);
  }
  return sentences;
}
