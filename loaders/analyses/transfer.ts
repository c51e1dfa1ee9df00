import {selectRows} from "./matrix.js";
import {
  accuracy, crossValidatedProbability, languageRows, pick, probeProbability, resolveProbeSettings,
  splitByClassCounts, trainProbe, type ProbeOptions,
} from "./probe.js";
import {auroc} from "./auroc.js";
import type {LabelledVectors, TransferLayer, TransferResult} from "./types.js";

/**
 * Cross-lingual transfer of knowledge-boundary probes: per layer, a probe trained on every row
 * of language a is scored on every row of language b. The diagonal (a = b) is the k-fold
 * cross-validated score within the language, so no cell scores a probe on its training rows.
 * A high off-diagonal cell means the two languages share the direction that encodes the label.
 *
 * Languages without enough rows of each class (see probe.ts) are skipped.
 *
 * @example
 * const {languages, layers} = transfer(input, {layers: [6]});
 * layers[0].accuracy[languages.indexOf("eng")][languages.indexOf("swh")]; // trained on English, tested on Swahili
 */
export function transfer(input: LabelledVectors, options: ProbeOptions = {}): TransferResult {
  const settings = resolveProbeSettings(input, options, "transfer");
  const groups = languageRows(input);
  const {probed, skipped} = splitByClassCounts(groups, input.label, settings.folds);
  const languages = [...probed];
  const labels = languages.map((lang) => pick(input.label, groups.get(lang)!));
  const layers: TransferLayer[] = settings.layers.map((layer) => {
    const rows = languages.map((lang) => selectRows(input.layers[layer], groups.get(lang)!));
    const cells = languages.map((_, a) => {
      const trained = trainProbe(rows[a], labels[a], settings.c);
      return languages.map((_, b) =>
        a === b
          ? crossValidatedProbability(rows[a], labels[a], labels[a], settings)
          : probeProbability(trained, rows[b])
      );
    });
    return {
      layer,
      accuracy: cells.map((row) => row.map((p, b) => accuracy(p, labels[b]))),
      auroc: cells.map((row) => row.map((p, b) => auroc(p, labels[b]))),
    };
  });
  return {method: "probe-transfer", settings, languages, layers, skipped};
}
