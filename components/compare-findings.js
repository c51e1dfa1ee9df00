// The comparison page's opening sentences: how the analysed models differ, in words.
import {fixed, percent, plural, rhoText} from "./format.js";
import {argmax} from "./page-stats.js";

/**
 * @typedef {{model: string, retrieval: number[], cka: number[], correlations?: {proxy: string, n: number, spearman: number | null}[]}} ComparedModel
 *   retrieval and cka: means over the shared languages, one per hidden state (0 = embeddings)
 */

/**
 * The model's best hidden state of a per-layer series, as relative depth (0 = embeddings, 1 = last).
 * @param {number[]} values
 */
function peak(values) {
  const k = argmax(values);
  return {value: values[k], depth: values.length > 1 ? k / (values.length - 1) : 0};
}

/**
 * 2-4 sentences.
 * @param {ComparedModel[]} analysed
 * @param {{skipped: number, languages: number}} options skipped: configured models without results;
 *   languages: the parallel-text languages every analysed model read
 */
export function compareFindings(analysed, {skipped, languages}) {
  const counted = `${plural(analysed.length, "model")} analysed${skipped ? ` and ${plural(skipped, "model")} skipped` : ""}`;
  if (!analysed.length) return [`No model was analysed (${plural(skipped, "model")} skipped), so there is nothing to compare.`];
  const best = (/** @type {(m: ComparedModel) => number[]} */ pick) => analysed.map((m) => ({model: m.model, ...peak(pick(m))})).sort((a, b) => b.value - a.value);
  const retrieval = best((m) => m.retrieval);
  const sentences = [
    analysed.length === 1
      ? `${counted}: the charts show ${analysed[0].model} alone, over its ${plural(languages, "language")}, so there is nothing to compare it with yet.`
      : `${counted}, compared over the ${plural(languages, "language")} all of them read.`,
    `Finding the English translation works best for ${retrieval[0].model}: ${percent(retrieval[0].value)} at relative depth ${fixed(retrieval[0].depth)}` +
      (retrieval.length > 1 ? `; worst for ${retrieval[retrieval.length - 1].model}: ${percent(retrieval[retrieval.length - 1].value)} at its best depth, ${fixed(retrieval[retrieval.length - 1].depth)}.` : ".")
  ];
  const cka = best((m) => m.cka);
  if (analysed.length > 1) sentences.push(`Linear CKA with English peaks highest for ${cka[0].model} (${fixed(cka[0].value)} at relative depth ${fixed(cka[0].depth)}).`);
  const web = analysed.map((m) => ({model: m.model, c: m.correlations?.find((c) => c.proxy === "webShare")})).filter((d) => d.c);
  if (web.length) sentences.push(`Spearman correlation of the ranking with the share of Common Crawl pages: ${web.map((d) => `${d.model} ${rhoText(/** @type {{n: number, spearman: number | null}} */ (d.c))}`).join("; ")}.`);
  return sentences;
}
