/**
 * The shipped embedded model `embedded:babelscope-tiny`, checked through the project's own code
 * and through transformers.js as a hub-style folder:
 * - it loads and generates offline, with no network call;
 * - held-out translation retrieval through `extractVectors`, and the surface-feature and character
 *   TF-IDF baselines recomputed in TypeScript, reproduce the model card's numbers
 *   (models/babelscope-tiny/evaluation.json) for every evaluated language, layer and control, and
 *   the recomputed best layer beats the baselines;
 * - greedy completion of trained facts is right for a majority in every trained language, while
 *   fabricated entities get no consistent (entity-specific) answer.
 */
import {readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer, type Tensor} from "@huggingface/transformers";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {extractVectors} from "../../loaders/extract/extract.js";
import type {TextItem} from "../../loaders/types.js";
import {charTfidf, CONTROLS, densify, type Control, type Heldout, meanOverLanguages, scoreLayer, surfaceFeatures} from "../helpers/retrieval-baselines.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MODEL_DIR = join(ROOT, "models/babelscope-tiny");
/**
 * Real and fabricated entities questioned here, in every language: a second implementation
 * (transformers.js, float32) of what evaluate.py measures on 20 of each, which the card test
 * checks byte for byte; four keep this file's greedy decoding to about half a minute.
 */
const ENTITIES = 4;
/** evaluation.json rounds every float to 6 decimals (evaluate.py's DECIMALS). */
const ROUNDING = 5e-7 + 1e-12;
/**
 * The trained model runs in float32 through onnxruntime here and in float64 through torch in
 * evaluate.py, so a near-tie between two candidates could fall the other way. Measured here, every
 * language matches the card hit for hit at every layer and control; of the ~31,000 decisions
 * (2,057 queries x 5 layers x 3 controls) 4 have their best two candidates within 1e-5 in cosine,
 * close enough for other float32 kernels to flip. One flipped hit moves the 100-language mean by
 * 1/2100 (1/1500 in a language of 15 units); 0.005 allows about ten, and is a fifth of the card's
 * margin over the best baseline (0.378 against 0.355).
 */
const TRAINED_TOLERANCE = 0.005;

interface Row extends TextItem {
  relation?: string;
  entity?: string;
  answer?: string;
}
interface LayerScore {
  all: number;
  per_language: Record<string, number>;
}
type Representation = "trained" | "untrained" | "surface" | "tfidf";
interface Evaluation {
  languages: number;
  retrieval: Record<Representation, Record<Control, LayerScore[]>>;
}
/** Per control, per layer: each language's accuracy. */
type Scores = Record<Control, Map<string, number>[]>;

const readJsonl = (path: string): Row[] => readFileSync(join(ROOT, path), "utf8").trim().split("\n").map((l) => JSON.parse(l));
const evaluation: Evaluation = JSON.parse(readFileSync(join(MODEL_DIR, "evaluation.json"), "utf8"));
const bestOf = (layers: readonly number[]) => Math.max(...layers);

describe("embedded:babelscope-tiny through the project's extraction", () => {
  const heldoutRows = readJsonl("data/udhr/parallel.jsonl").filter((r) => r.split === "heldout");
  const langs = Object.keys(evaluation.retrieval.trained.matched_centered[0].per_language).sort();
  /** English and the evaluated languages: unit -> text. */
  const texts = new Map(["eng", ...langs].map((lang) => [lang, new Map(heldoutRows.filter((r) => r.lang === lang).map((r) => [r.unit, r.text]))]));
  const heldout: Heldout = {english: texts.get("eng")!, langs: new Map(langs.map((l) => [l, texts.get(l)!]))};
  const sortedUnits = (lang: string) => [...texts.get(lang)!.keys()].sort();
  const textsIn = (lang: string, units: string[]) => units.map((u) => texts.get(lang)!.get(u)!);
  const recomputed = {} as Record<Exclude<Representation, "untrained">, Scores>;

  /** Every control at every layer; `rows(layer)` serves scoreLayer the vectors of that layer. */
  const scoreAll = (layers: number, rows: (layer: number) => Parameters<typeof scoreLayer>[2]): Scores =>
    Object.fromEntries(CONTROLS.map((c) => [c, Array.from({length: layers}, (_, l) => scoreLayer(heldout, c, rows(l)))])) as Scores;
  /** Rows per language in sorted-unit order (as evaluate.py stores them), looked up by unit. */
  const byUnit = <T>(perLang: (lang: string, units: string[]) => T[]) => {
    const table = new Map([...texts.keys()].map((lang) => {
      const units = sortedUnits(lang);
      const values = perLang(lang, units);
      return [lang, new Map(units.map((u, i) => [u, values[i]]))];
    }));
    return (lang: string, units: string[]) => units.map((u) => table.get(lang)!.get(u)!);
  };

  beforeAll(async () => {
    const items = heldoutRows.filter((r) => texts.has(r.lang));
    const {numLayers, hiddenSize, layers} = await extractVectors("embedded:babelscope-tiny", items, {pooling: "mean", maxLength: 256});
    expect(layers).toHaveLength(numLayers + 1);
    const row = new Map(items.map((r, i) => [`${r.lang} ${r.unit}`, i]));
    const vector = (l: number, lang: string, unit: string) => {
      const i = row.get(`${lang} ${unit}`)!;
      return Array.from(layers[l].subarray(i * hiddenSize, (i + 1) * hiddenSize));
    };
    recomputed.trained = scoreAll(numLayers + 1, (l) => (lang, units) => ({query: units.map((u) => vector(l, lang, u)), english: units.map((u) => vector(l, "eng", u))}));

    const surface = byUnit((lang, units) => surfaceFeatures(textsIn(lang, units)));
    recomputed.surface = scoreAll(1, () => (lang, units) => ({query: surface(lang, units), english: surface("eng", units)}));

    const fitted = charTfidf(new Map([...texts.keys()].map((lang) => [lang, textsIn(lang, sortedUnits(lang))])));
    const tfidf = byUnit((lang) => fitted.get(lang)!);
    recomputed.tfidf = scoreAll(1, () => (lang, units) => {
      const [query, english] = densify(tfidf(lang, units), tfidf("eng", units));
      return {query, english};
    });
  }, 600_000);

  /** Prints the recomputed against the card's mean per control and layer; returns the differences. */
  function compare(name: keyof typeof recomputed) {
    return CONTROLS.flatMap((control) => recomputed[name][control].map((accs, l) => {
      const card = evaluation.retrieval[name][control][l];
      const all = meanOverLanguages(accs);
      const changed = langs.filter((lang) => Math.abs(accs.get(lang)! - card.per_language[lang]) > ROUNDING);
      process.stderr.write(`[embedded] ${name} ${control} layer ${l}: ${all.toFixed(6)} (card ${card.all.toFixed(6)}), ${changed.length} languages differ${changed.length ? ` (${changed.join(", ")})` : ""}\n`);
      return {where: `${name} ${control} layer ${l}`, all: Math.abs(all - card.all), changed: changed.length};
    }));
  }

  it(`reproduces the card's retrieval of the trained model for every evaluated language, layer and control within ${TRAINED_TOLERANCE}`, () => {
    expect(langs).toHaveLength(evaluation.languages);
    for (const {where, all} of compare("trained")) expect(all, where).toBeLessThanOrEqual(TRAINED_TOLERANCE);
  });

  it.each(["surface", "tfidf"] as const)("recomputes the card's %s baseline exactly in every language", (name) => {
    for (const {where, all, changed} of compare(name)) {
      expect(changed, `${where}: languages off the card`).toBe(0);
      expect(all, where).toBeLessThanOrEqual(ROUNDING);
    }
  });

  it("beats the untrained architecture, surface features and character TF-IDF at its best layer (length-matched, centred)", () => {
    const best = (scores: Scores) => bestOf(scores.matched_centered.map(meanOverLanguages));
    const trained = best(recomputed.trained);
    expect(trained).toBeGreaterThan(best(recomputed.surface));
    expect(trained).toBeGreaterThan(best(recomputed.tfidf));
    // The untrained model is the training seed's initialisation, which only Python's build_model
    // makes; its number is the card's, which the slow tier's tests/models/card.test.ts
    // checks by rerunning evaluate.py.
    expect(trained).toBeGreaterThan(bestOf(evaluation.retrieval.untrained.matched_centered.map((l) => l.all)));
  });
});

describe("embedded:babelscope-tiny as a transformers.js text-generation model", () => {
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  const fetchSpy = vi.spyOn(globalThis, "fetch");

  beforeAll(async () => {
    env.allowRemoteModels = false;
    tokenizer = await AutoTokenizer.from_pretrained(MODEL_DIR, {local_files_only: true});
    model = await AutoModelForCausalLM.from_pretrained(MODEL_DIR, {local_files_only: true, dtype: "fp32"});
  });
  afterAll(async () => {
    await model?.dispose();
    fetchSpy.mockRestore();
  });

  async function complete(question: string): Promise<string> {
    const inputs = tokenizer(question);
    const out = (await model.generate({...inputs, max_new_tokens: 10, do_sample: false})) as Tensor;
    const ids = (out.tolist() as bigint[][])[0].map(Number);
    return tokenizer.decode(ids.slice(inputs.input_ids.dims[1]), {skip_special_tokens: true});
  }

  const starts = (completion: string, answer: string) =>
    completion.normalize("NFC").trim().toLowerCase().startsWith(answer.normalize("NFC").trim().toLowerCase());

  it("answers trained facts right for a majority in every trained language; fabricated entities get no consistent answer", async () => {
    const questions = readJsonl("data/questions/questions.jsonl");
    const statements = readJsonl("data/questions/statements.jsonl").filter((s) => s.label === "true");
    const englishAnswer = new Map(statements.filter((s) => s.lang === "eng").map((s) => [`${s.relation}|${s.entity}`, s.answer!]));
    const canonical = (q: Row, completion: string): string | undefined => {
      const hits = statements.filter((s) => s.lang === q.lang && s.relation === q.relation && starts(completion, s.answer!));
      hits.sort((a, b) => b.answer!.length - a.answer!.length);
      return hits.length ? englishAnswer.get(`${hits[0].relation}|${hits[0].entity}`) : undefined;
    };
    const pick = (label: string) => [...new Set(questions.filter((q) => q.label === label).map((q) => q.entity!))].sort().filter((_, i) => i % 10 === 3).slice(0, ENTITIES);
    const chosen = new Set([...pick("known"), ...pick("unknown")]);
    const right = new Map<string, number[]>();
    // label|relation -> entity -> language -> canonical answer
    const answers = new Map<string, Map<string, Map<string, string | undefined>>>();
    for (const q of questions.filter((q) => chosen.has(q.entity!))) {
      const completion = await complete(q.text);
      if (q.label === "known") right.set(q.lang, [...(right.get(q.lang) ?? []), starts(completion, q.answer!) ? 1 : 0]);
      const key = `${q.label}|${q.relation}`;
      if (!answers.has(key)) answers.set(key, new Map());
      const byEntity = answers.get(key)!;
      if (!byEntity.has(q.entity!)) byEntity.set(q.entity!, new Map());
      byEntity.get(q.entity!)!.set(q.lang, canonical(q, completion));
    }
    const accuracy = [...right].map(([lang, xs]) => [lang, xs.reduce((a, b) => a + b, 0) / xs.length] as const);
    process.stderr.write(`[embedded] fact accuracy: ${accuracy.map(([l, a]) => `${l} ${a.toFixed(2)}`).join(", ")}\n`);
    expect(accuracy.length).toBe(16);
    for (const [, a] of accuracy) expect(a).toBeGreaterThan(0.5);
    // Entity-specific agreement: P(two languages name the same answer | same entity) minus the same
    // for two different entities (what a default answer alone produces).
    const entitySpecific = (label: string) => {
      const diffs = [...answers].filter(([k]) => k.startsWith(`${label}|`)).map(([, table]) => {
        const hits = {same: [0, 0], other: [0, 0]};
        for (const [e1, l1s] of table) for (const [e2, l2s] of table) for (const [l1, k1] of l1s) for (const [l2, k2] of l2s) {
          if (l1 === l2) continue;
          const h = e1 === e2 ? hits.same : hits.other;
          h[0] += k1 !== undefined && k1 === k2 ? 1 : 0;
          h[1] += 1;
        }
        return hits.same[0] / hits.same[1] - hits.other[0] / hits.other[1];
      });
      return diffs.reduce((a, b) => a + b, 0) / diffs.length;
    };
    process.stderr.write(`[embedded] entity-specific agreement: real ${entitySpecific("known").toFixed(3)}, fabricated ${entitySpecific("unknown").toFixed(3)}\n`);
    expect(entitySpecific("unknown")).toBeLessThan(0.1);
    expect(entitySpecific("known")).toBeGreaterThan(entitySpecific("unknown") + 0.1);
    expect(fetchSpy).not.toHaveBeenCalled();
  }, 600_000);
});
