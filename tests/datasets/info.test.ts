import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {BUILTIN_DATASETS} from "../../loaders/datasets/load.js";
import {BUILTIN_INFO, datasetInfo, metadataPath, parseInfo} from "../../loaders/datasets/info.js";
import {DatasetError} from "../../loaders/datasets/errors.js";
import {tempDir} from "../helpers/tmp.js";

describe("datasetInfo", () => {
  test("every built-in dataset has its name and citation; the Declaration's cites resolution 217 A (III)", () => {
    expect(Object.keys(BUILTIN_INFO).sort()).toEqual(Object.keys(BUILTIN_DATASETS).sort());
    for (const info of Object.values(BUILTIN_INFO)) expect(info.citation).toBeTruthy();
    expect(datasetInfo("udhr-heldout").name).toContain("Universal Declaration of Human Rights");
    expect(datasetInfo("udhr-heldout").citation).toContain("217 A (III)");
  });

  test("a user file is named and cited by its sidecar <stem>.meta.json", () => {
    const dir = tempDir("info");
    const file = join(dir, "my-corpus.jsonl");
    expect(metadataPath(file)).toBe(join(dir, "my-corpus.meta.json"));
    writeFileSync(metadataPath(file), JSON.stringify({name: "Bible verses (eBible)", citation: "eBible.org, 2024", licence: "CC BY-SA 4.0", caveats: "Verses, not sentences."}));
    expect(datasetInfo(file)).toEqual({name: "Bible verses (eBible)", citation: "eBible.org, 2024", licence: "CC BY-SA 4.0", url: null, caveats: "Verses, not sentences."});
  });

  test("without a sidecar, a user file is named by its file name only, never its folder", () => {
    const dir = tempDir("info");
    const info = datasetInfo(join(dir, "sentences.csv"));
    expect(info).toEqual({name: "sentences.csv", citation: null, licence: null, url: null, caveats: null});
    expect(JSON.stringify(info)).not.toContain(dir);
  });

  test("a malformed sidecar is one line naming the file and the field", () => {
    expect(() => parseInfo("{", "x.meta.json")).toThrow(/^x\.meta\.json: not JSON/);
    expect(() => parseInfo("[]", "x.meta.json")).toThrow(DatasetError);
    expect(() => parseInfo('{"citation": "c"}', "x.meta.json")).toThrow('x.meta.json: field "name" must be a non-empty string');
    expect(() => parseInfo('{"name": "n", "citation": 3}', "x.meta.json")).toThrow('x.meta.json: field "citation" must be a non-empty string when given');
  });
});
