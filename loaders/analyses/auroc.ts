/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive), computed as the
 * Mann-Whitney statistic with average ranks for tied scores. That equals scikit-learn's
 * `roc_auc_score`, whose trapezoidal curve counts a tie between a positive and a negative as
 * half a correct ordering.
 *
 * Returns NaN when one class is absent (the curve is undefined; scikit-learn raises).
 *
 * @example
 * auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 * auroc([0.5, 0.5], [0, 1]);                 // 0.5
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) {
    throw new Error(`auroc: ${scores.length} scores for ${labels.length} labels`);
  }
  const order = Array.from({length: scores.length}, (_, i) => i);
  for (const i of order) {
    if (Number.isNaN(scores[i])) throw new Error(`auroc: score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`auroc: label ${i} is ${labels[i]}, expected 0 or 1`);
  }
  order.sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1 are 1-based start+1..end
    for (let k = start; k < end; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
