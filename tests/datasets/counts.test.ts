import {runCli} from "../helpers/cli.js";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {datasetCounts, formatCounts} from "../../loaders/datasets/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/datasets/${name}`, import.meta.url));

describe("datasetCounts", () => {
  it("datasetCounts(path) counts languages, units, items, splits and labels", async () => {
    const c = await datasetCounts(fixture("user.jsonl"));
    expect(c).toMatchObject({
      items: 4, languages: 3, units: 2,
      byLanguage: {eng: 2, arb: 1, cmn_hans: 1}, bySplit: {train: 2, test: 2}, byLabel: {greeting: 2, thanks: 2}
    });
    expect(formatCounts(c)).toContain("3 languages, 2 units, 4 items");
  });

  it("datasetCounts('questions') is balanced per relation and label", async () => {
    const c = await datasetCounts("questions");
    for (const labels of Object.values(c.byRelationLabel)) expect(labels.known).toBe(labels.unknown);
    expect(Object.keys(c.byRelationLabel).sort()).toEqual(["capital", "continent", "currency", "language"]);
  });

  it("babelscope datasets prints languages, units and items per language, relation and label", async () => {
    const {code, stdout: out} = await runCli(["datasets", "questions", fixture("user.csv")]);
    expect(code).toBe(0);
    expect(out).toContain("questions (sha256 ");
    expect(out).toMatch(/16 languages, 680 units, 10880 items/);
    expect(out).toContain("relation capital: known 1360, unknown 1360");
    expect(out).toContain("items per language: eng 680, fra 680");
    expect(out).toMatch(/user\.csv \(sha256 [0-9a-f]{12}\): 3 languages, 2 units, 4 items/);
  });
});
