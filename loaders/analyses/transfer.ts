import {checkAlignments, foldAlignment, parallelRows} from "./align.js";
import {onLayers, rowsOf} from "./layer-steps.js";
import type {Matrix} from "./matrix.js";
import {
  checkLayerRows, foldPlan, foldProbes, heldOutScores, languageRows, resolveProbeSettings, splitByClassCounts, type HeldOutScores,
  type ProbeOptions,
} from "./probe.js";
import type {LabelledRows} from "../vectors.js";
import type {Alignment, LabelledVectors, TransferLayer, TransferResult} from "./types.js";

export interface TransferOptions extends ProbeOptions {
  /**
   * Alignments whose heatmaps are computed besides the unaligned one (default none): in cell
   * (a, b), b's test rows are moved onto a's space by a map fitted on the training-fold units
   * the two languages share. Each costs a fit per language pair, fold and layer.
   */
  alignments?: Alignment[];
}

/**
 * Cross-lingual transfer of knowledge-boundary probes, per layer: cell (a, b) scores the
 * probes trained on language a's training-fold rows on language b's test-fold rows, fold by
 * fold, with the unit folds shared by every language (protocol.ts). So no cell, diagonal or
 * not, scores a probe on a row whose unit (a translation of a training question) or, with
 * `groups`, whose group it was trained on; the diagonal is the within-language
 * cross-validated score. A high off-diagonal cell means the two languages share the direction
 * that encodes the label.
 *
 * Languages without enough rows of each class in every training fold are skipped.
 *
 * @example
 * const {languages, layers, aligned} = transfer(input, {layers: [6], alignments: ["mean-shift"]});
 * layers[0].accuracy[languages.indexOf("eng")][languages.indexOf("swh")]; // trained on English, tested on Swahili
 * aligned["mean-shift"]![0].accuracy[0][1]; // the same after moving Swahili's mean onto English's
 */
export function transfer(input: LabelledVectors, options: TransferOptions = {}): TransferResult {
  return onLayers(transferSteps(rowsOf(input), options), input.layers);
}

/** `transfer`, one layer at a time: only the probed layers are read. */
export function* transferSteps(input: LabelledRows, options: TransferOptions = {}): Generator<number, TransferResult, Matrix> {
  const settings = resolveProbeSettings(input, options, "transfer");
  const alignments = checkAlignments(options.alignments ?? [], "transfer");
  const plan = foldPlan(input, settings, options.groups, "transfer");
  const groups = languageRows(input);
  const {probed, skipped} = splitByClassCounts(groups, input.label, plan);
  const languages = [...probed];
  const rows = languages.map((lang) => groups.get(lang)!);
  const methods: (Alignment | null)[] = [null, ...alignments];
  const heatmaps = methods.map(() => [] as TransferLayer[]);
  for (const layer of settings.layers) {
    const x = yield layer;
    checkLayerRows(x, layer, input.label.length, "transfer");
    const cells = methods.map(() => languages.map(() => new Array<HeldOutScores>(languages.length)));
    rows.forEach((trainRows, a) => {
      const probes = foldProbes(x, input.label, trainRows, plan, settings);
      rows.forEach((testRows, b) => {
        methods.forEach((method, m) => {
          if (method === null || a === b) {
            // A language is not aligned onto itself: its diagonal cell is the same under every alignment.
            cells[m][a][b] = m > 0 && a === b ? cells[0][a][b] : heldOutScores(probes, x, input.label, testRows, plan, settings.confidence);
            return;
          }
          const pairs = parallelRows(input.unit, testRows, trainRows);
          cells[m][a][b] = heldOutScores(probes, x, input.label, testRows, plan, settings.confidence, foldAlignment(method, x, pairs, plan));
        });
      });
    });
    cells.forEach((grid, m) => heatmaps[m].push(heatmapLayer(layer, grid)));
  }
  return {
    method: "probe-transfer",
    settings: {...settings, alignments},
    languages,
    layers: heatmaps[0],
    aligned: Object.fromEntries(alignments.map((method, k) => [method, heatmaps[k + 1]])),
    skipped,
  };
}

function heatmapLayer(layer: number, grid: HeldOutScores[][]): TransferLayer {
  const field = (name: "accuracy" | "low" | "high" | "auroc") => grid.map((row) => row.map((cell) => cell[name]));
  return {layer, accuracy: field("accuracy"), low: field("low"), high: field("high"), auroc: field("auroc")};
}
