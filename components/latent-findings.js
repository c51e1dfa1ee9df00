// The latent-language page's findings: what the logit lens of this model shows, in words, nulls included.
import {percent} from "./format.js";

/** @typedef {import("../loaders/extract/latent-language.js").LatentLanguageResult} LatentLanguageResult */

const mean = (/** @type {number[]} */ values) => values.reduce((a, b) => a + b, 0) / values.length;
const probability = (/** @type {number} */ value) => (value >= 0.01 ? value.toFixed(2) : value.toExponential(1));

/**
 * Per layer, the target languages' means: P(correct first token), P(English first token), the mass
 * on the target language's own tokens and on English tokens, and the median rank (mean over targets).
 * @param {Pick<LatentLanguageResult, "targets">} result
 */
export function latentCurves(result) {
  const layers = result.targets[0]?.layers.length ?? 0;
  return Array.from({length: layers}, (_, layer) => {
    const at = result.targets.map((t) => ({lang: t.lang, ...t.layers[layer]}));
    return {
      layer,
      target: mean(at.map((r) => r.target)),
      english: mean(at.map((r) => r.english)),
      targetMass: mean(at.map((r) => r.languages[r.lang] ?? 0)),
      englishMass: mean(at.map((r) => r.languages.eng ?? 0)),
      medianRank: mean(at.map((r) => r.medianRank))
    };
  });
}

/**
 * Three or four sentences: whether the model translates at all (last layer), whether any
 * intermediate layer favours the English word over the answer (Wendler et al.'s latent English),
 * which language's tokens the intermediate layers favour, and how the English-token mass compares
 * with its uniform baseline.
 * @param {Pick<LatentLanguageResult, "vocabulary" | "prompts" | "tokens" | "targets">} result
 */
export function latentFindings(result) {
  const curves = latentCurves(result);
  if (curves.length === 0) return ["No prompt could be read: no target language had a prompt whose answer and English word start with different tokens."];
  const last = curves[curves.length - 1];
  const inner = curves.slice(1, -1);
  const uniformEnglish = (result.tokens.languages.eng ?? 0) / result.vocabulary;
  const sentences = [
    `At the last layer the correct answer's first token gets a mean probability of ${probability(last.target)} (median rank ${Math.round(last.medianRank)} of ${result.vocabulary} tokens, averaged over ${result.targets.length} target languages and ${result.prompts} prompts); ${
      last.medianRank <= 10 ? "the model translates in context." : "the model does not translate these prompts in context, so there is no correct answer for the lens to find earlier."}`
  ];
  const translates = last.medianRank <= 10;
  const englishFirst = inner.filter((c) => c.english > c.target);
  sentences.push(englishFirst.length
    ? `At intermediate layer${englishFirst.length > 1 ? "s" : ""} ${englishFirst.map((c) => c.layer).join(", ")} the English word's first token is more probable than the answer's (mean ${probability(mean(englishFirst.map((c) => c.english)))} against ${probability(mean(englishFirst.map((c) => c.target)))})${translates ? ", the pattern Wendler et al. report for Llama 2" : ", but both are near zero, so this is no evidence of a latent English"}.`
    : `At no intermediate layer is the English word's first token more probable than the answer's${translates ? ": no sign of a latent English" : ", and both stay near zero: with no translation to read, a null, not evidence against a latent English"}.`);
  const peak = inner.reduce((b, c) => (c.englishMass > b.englishMass ? c : b), inner[0] ?? last);
  // Which language's tokens the intermediate layers favour most, against each language's uniform share.
  const langs = Object.keys(result.targets[0].layers[0].languages);
  const peaks = langs.map((lang) => {
    const byLayer = inner.map((c) => ({layer: c.layer, value: mean(result.targets.map((t) => t.layers[c.layer].languages[lang] ?? 0))}));
    return {lang, ...byLayer.reduce((b, c) => (c.value > b.value ? c : b), {layer: -1, value: -1})};
  });
  const top = peaks.reduce((b, p) => (p.value > b.value ? p : b), peaks[0]);
  if (inner.length && top) {
    const share = (result.tokens.languages[top.lang] ?? 0) / result.vocabulary;
    sentences.push(`Of the compared languages, ${top.lang} tokens take the most mass at the intermediate layers: ${percent(top.value)} at hidden state ${top.layer}, ${share > 0 ? `${(top.value / share).toFixed(1)} times` : "against none of"} their uniform share (${percent(share)}).`);
  }
  sentences.push(`Mass on English-only tokens peaks at hidden state ${peak.layer} at ${percent(peak.englishMass)}, against ${percent(uniformEnglish)} under a uniform distribution over the vocabulary; mass on the target language's own tokens is ${percent(last.targetMass)} at the last layer.`);
  return sentences;
}
