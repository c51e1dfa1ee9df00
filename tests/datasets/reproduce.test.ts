/**
 * The derived datasets that ship in data/ equal a fresh build from their sources (npm packages and
 * the project's seeds): what `npm run data` would write. Whole-corpus builds take tens of seconds,
 * so this file is in the slow tier; the shipped files' properties are checked in the unit tier.
 */
import {spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {PYTHON, requirePython} from "../helpers/python.js";
import {tempDir} from "../helpers/tmp.js";
import {nameKey} from "../../loaders/datasets/fabricate.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {QUESTION_LANGUAGES} from "../../loaders/datasets/question-languages.js";
import {buildQuestionSets, buildStatements, QUESTIONS_SEED, type QuestionItem, type QuestionSets} from "../../loaders/datasets/questions.js";
import {embeddedTrainingText, realNameKeys} from "../../loaders/datasets/real-names.js";
import {buildUdhrCorpus} from "../../loaders/datasets/udhr.js";
import {buildWords, wordsMetadata} from "../../loaders/datasets/words.js";

const shipped = (path: string) => readFileSync(new URL(`../../data/${path}`, import.meta.url), "utf8");
const readJsonl = (path: string): QuestionItem[] => shipped(path).trim().split("\n").map((l) => JSON.parse(l));

describe("data/udhr", () => {
  it("parallel.jsonl equals a fresh build from the udhr package", async () => {
    const {items} = await loadDataset("udhr");
    expect(JSON.parse(JSON.stringify(buildUdhrCorpus().items))).toEqual(items);
  });
});

describe("data/words", () => {
  it("pairs.jsonl and metadata.json equal a fresh build from the FreeDict dictionaries (.ci/system-deps installs them) and CLDR", () => {
    const words = buildWords();
    expect(readJsonl("words/pairs.jsonl")).toEqual(JSON.parse(JSON.stringify(words.items)));
    expect(JSON.parse(shipped("words/metadata.json"))).toEqual(JSON.parse(JSON.stringify(wordsMetadata(words))));
  }, 600_000);
});

describe("data/questions", () => {
  let sets: QuestionSets;
  beforeAll(() => {
    sets = buildQuestionSets(buildUdhrCorpus().items);
  }, 300_000);

  it("questions.jsonl, statements.jsonl, false-premise.jsonl and the fabricated names equal a fresh build with the project seed", () => {
    expect(QUESTIONS_SEED).toBe(20261126);
    expect(readJsonl("questions/questions.jsonl")).toEqual(JSON.parse(JSON.stringify(sets.questions)));
    expect(readJsonl("questions/statements.jsonl")).toEqual(JSON.parse(JSON.stringify(sets.statements)));
    expect(readJsonl("questions/false-premise.jsonl")).toEqual(JSON.parse(JSON.stringify(sets.falsePremise)));
    const {fabricated} = JSON.parse(shipped("questions/fabricated.json"));
    expect(fabricated).toEqual(sets.fabricated);
  });

  it("buildStatements(countries, langs, seed) is deterministic in the seed", () => {
    const a = buildStatements(sets.countries, QUESTION_LANGUAGES, 1);
    expect(buildStatements(sets.countries, QUESTION_LANGUAGES, 1)).toEqual(a);
    expect(buildStatements(sets.countries, QUESTION_LANGUAGES, 2)).not.toEqual(a);
  });

  it("the shipped fabricated names collide with no real CLDR territory, language, currency or city name", () => {
    const {fabricated} = JSON.parse(shipped("questions/fabricated.json")) as {fabricated: {forms: Record<string, string>}[]};
    const real = realNameKeys();
    expect(real.size).toBeGreaterThan(100_000);
    expect(real.has(nameKey("Somali"))).toBe(true); // a language name one letter from a country name
    const forms = fabricated.flatMap((f) => Object.values(f.forms));
    expect(forms.length).toBe(fabricated.length * QUESTION_LANGUAGES.length);
    expect(forms.filter((f) => real.has(nameKey(f)))).toEqual([]);
  });
});

describe.skipIf(!requirePython([]))("the embedded model's training text", () => {
  it("embeddedTrainingText, which fabricated names must avoid, has the texts models/train/corpus.py trains on", () => {
    const script = [
      "import json, sys",
      "sys.path.insert(0, 'models/train')",
      "from corpus import REPO_FILES, cldr_names, true_statements, udhr_units",
      "texts = udhr_units(REPO_FILES['udhr'], 'train') + cldr_names('.') + true_statements(REPO_FILES['statements'])",
      "json.dump([t.text for t in texts], sys.stdout, ensure_ascii=False)"
    ].join("\n");
    const result = spawnSync(PYTHON, ["-c", script], {encoding: "utf8", maxBuffer: 1 << 28});
    expect(result.status, result.stderr).toBe(0);
    const python: string[] = JSON.parse(result.stdout);
    const ours = embeddedTrainingText(readJsonl("udhr/parallel.jsonl"), readJsonl("questions/statements.jsonl")).split("\n");
    // The same texts, each as often; the order of CLDR names differs and a substring search does not see it.
    const counts = new Map<string, number>();
    for (const t of python) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of ours) counts.set(t, (counts.get(t) ?? 0) - 1);
    expect(python.length).toBeGreaterThan(100_000);
    expect([...counts].filter(([, n]) => n !== 0)).toEqual([]);
  }, 120_000);
});

interface ProbeField {
  mean: {accuracy: number; auroc: number};
  range: [number, number];
  languages: Record<string, {accuracy: number; auroc: number}>;
}

/** The bound data/README.md promises: the spelling alone tells fabricated from real names at most this well. */
const SURFACE_BOUND = 0.58;

describe.skipIf(!requirePython(["numpy", "sklearn==1.2"]))("data/questions/surface-probe.json", () => {
  const run = (args: string[]) => {
    const out = join(tempDir("surface"), "probe.json");
    const result = spawnSync(PYTHON, ["loaders/datasets/surface_probe.py", "--out", out, ...args], {encoding: "utf8"});
    expect(result.status, result.stderr).toBe(0);
    return readFileSync(out, "utf8");
  };

  it("surface_probe.py rewrites the committed numbers, and they stay within the bound", () => {
    const text = run([]);
    expect(text).toBe(shipped("questions/surface-probe.json"));
    const {datasets} = JSON.parse(text) as {datasets: Record<string, Record<string, ProbeField>>};
    for (const field of ["name", "text"]) {
      const probe = datasets.questions[field];
      expect(Object.keys(probe.languages).length).toBe(QUESTION_LANGUAGES.length);
      expect(probe.mean.accuracy, field).toBeLessThanOrEqual(SURFACE_BOUND);
      expect(probe.mean.auroc, field).toBeLessThanOrEqual(SURFACE_BOUND);
    }
  }, 300_000);

  it("surface_probe.py --fixture rewrites the reference tests/analyses/surface.test.ts compares with", () => {
    const text = run(["--fixture", "tests/fixtures/datasets/surface.jsonl"]);
    expect(text).toBe(readFileSync(new URL("../fixtures/datasets/surface-expected.json", import.meta.url), "utf8"));
  }, 120_000);
});
