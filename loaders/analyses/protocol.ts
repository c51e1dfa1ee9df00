import {sklearnStratifiedKFold, stratifiedGroupKFold} from "./kfold.js";
import type {LabelledVectors, ProbeProtocol} from "./types.js";

/*
 * The folds of the knowledge probes. Folds are drawn over units (a question and all its
 * translations) and shared by every language, so a probe trained on one language's
 * training-fold rows and scored on another language's test-fold rows never meets a
 * translation of a question it was trained on. Rows are then split by their unit's fold.
 */

/** The paper's released code splits with scikit-learn's random_state=42. */
export const PAPER_SEED = 42;

/**
 * The fold (0..k-1) of every row: the test fold of its unit.
 *
 * - "paper": scikit-learn's StratifiedKFold(k, shuffle=True, random_state=seed) over the units
 *   in order of first appearance, each unit's label as its class (exactly the paper's splits
 *   when the units are in the dataset's order); `groups` is not part of that protocol and is
 *   ignored.
 * - "babelscope": stratifiedGroupKFold over the units with `groups` (one per row, e.g. the
 *   entity; all rows of a unit must agree), or with the unit itself as its group.
 *
 * Every row of a unit must carry the same label (the units are translations of one question).
 */
export function unitFolds(
  input: Pick<LabelledVectors, "unit" | "label">, protocol: ProbeProtocol, k: number, seed: number,
  groups?: readonly string[], caller = "probe"
): Int32Array {
  const unitIndex = new Map<string, number>();
  const unitLabel: number[] = [];
  const unitGroup: string[] = [];
  input.unit.forEach((unit, i) => {
    const known = unitIndex.get(unit);
    if (known === undefined) {
      unitIndex.set(unit, unitLabel.length);
      unitLabel.push(input.label[i]);
      unitGroup.push(groups ? groups[i] : unit);
      return;
    }
    if (unitLabel[known] !== input.label[i]) {
      throw new Error(`${caller}: unit "${unit}" has labels ${unitLabel[known]} and ${input.label[i]}; folds are drawn over units, so a unit needs one label`);
    }
    if (groups && unitGroup[known] !== groups[i]) {
      throw new Error(`${caller}: unit "${unit}" is in groups "${unitGroup[known]}" and "${groups[i]}"; a unit needs one group`);
    }
  });
  const folds = protocol === "paper"
    ? sklearnStratifiedKFold(unitLabel, k, seed)
    : stratifiedGroupKFold(unitLabel, unitGroup, k, seed);
  const foldOfUnit = new Int32Array(unitLabel.length);
  folds.forEach(({test}, f) => test.forEach((u) => (foldOfUnit[u] = f)));
  return Int32Array.from(input.unit, (unit) => foldOfUnit[unitIndex.get(unit)!]);
}

/** `rows` split by fold f: test = the rows in fold f, train = the others (both in the order of `rows`). */
export function splitRows(rows: readonly number[], foldOfRow: Int32Array, f: number): {train: number[]; test: number[]} {
  const train: number[] = [];
  const test: number[] = [];
  for (const i of rows) (foldOfRow[i] === f ? test : train).push(i);
  return {train, test};
}
