import {pairWithBaseline} from "./pairs.js";
import type {FertilityResult, FertilityRow, TokenCounts} from "./types.js";

/**
 * Tokenizer fertility: how many tokens a tokenizer spends on the same content in each language,
 * relative to the baseline language (the "tokenization premium" of Petrov et al., NeurIPS 2023).
 * For each language, only units it shares with the baseline count, on both sides, so a language
 * with fewer translated units is not compared on easier or shorter text:
 * relative = sum of its tokens over shared units / sum of the baseline's tokens over the same units.
 *
 * Missing data, as in every comparison with a baseline (see `pairWithBaseline`): a unit missing in
 * either language is left out of that language's row; a language sharing no unit with the baseline
 * is listed in `skipped`; empty input gives empty lists; a baseline with no items when others have
 * some, a repeated (unit, lang) pair or a count that is not a non-negative integer throws.
 *
 * @example
 * fertility({unit: ["u1", "u2", "u1"], lang: ["eng", "eng", "deu"], tokens: [4, 6, 6]}, {baseline: "eng"})
 * // languages: [{lang: "eng", units: 2, tokensPerUnit: 5, relative: 1, ...},
 * //             {lang: "deu", units: 1, tokensPerUnit: 6, baselineTokensPerUnit: 4, relative: 1.5}]
 */
export function fertility(counts: TokenCounts, options: {baseline?: string; tokenizer?: string} = {}): FertilityResult {
  const {baseline = "eng", tokenizer = "unnamed"} = options;
  const {unit, lang, tokens} = counts;
  if (tokens.length !== unit.length) throw new Error(`fertility: ${tokens.length} token counts for ${unit.length} items`);
  for (let i = 0; i < tokens.length; i++) {
    if (!Number.isInteger(tokens[i]) || tokens[i] < 0) {
      throw new Error(`fertility: item ${i} (${lang[i]}, unit "${unit[i]}") has token count ${tokens[i]}, expected a non-negative integer`);
    }
  }
  const {pairs, skipped} = pairWithBaseline({unit, lang}, baseline);
  const rows: FertilityRow[] = pairs.map((p) => row(p.lang, sum(tokens, p.rows), sum(tokens, p.baselineRows), p.units.length));
  const baselineRows = lang.flatMap((l, i) => (l === baseline ? [i] : []));
  if (baselineRows.length > 0) {
    const total = sum(tokens, baselineRows);
    rows.unshift(row(baseline, total, total, baselineRows.length));
  }
  return {method: "tokenizer-fertility", tokenizer, settings: {baseline}, languages: rows, skipped};
}

function row(lang: string, tokens: number, baselineTokens: number, units: number): FertilityRow {
  return {
    lang,
    units,
    tokensPerUnit: tokens / units,
    baselineTokensPerUnit: baselineTokens / units,
    relative: baselineTokens > 0 ? tokens / baselineTokens : NaN
  };
}

function sum(values: ArrayLike<number>, rows: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < rows.length; k++) total += values[rows[k]];
  return total;
}
