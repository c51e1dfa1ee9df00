/**
 * Knowledge labels from the embedded model's own greedy answers, on a slice of data/questions
 * (three real and one fabricated entity per relation, in all 16 languages): only real entities are
 * labelled, "known" exactly when the completion starts with the gold answer (checked against the
 * model card's rule, models/train/evaluate.py's `_starts_with`), a majority known in every language
 * as the card says, and the same labels whatever the batching.
 */
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {env} from "../../loaders/config.js";
import {modelKnowledgeLabels, withModelLabels, type KnowledgeQuestion, type ModelKnowledge} from "../../loaders/extract/model-knowledge.js";
import {resolveModel, type ResolvedModel} from "../../loaders/models/resolve.js";

interface Question extends KnowledgeQuestion {
  relation: string;
  entity: string;
}

const all = readFileSync("data/questions/questions.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l) as Question);
/** The first `n` entities of each relation with the given dataset label, as "relation|entity". */
function entities(label: string, n: number): string[] {
  const byRelation = new Map<string, Set<string>>();
  for (const q of all) if (q.label === label) byRelation.set(q.relation, (byRelation.get(q.relation) ?? new Set()).add(q.entity));
  return [...byRelation].flatMap(([relation, names]) => [...names].slice(0, n).map((entity) => `${relation}|${entity}`));
}
const chosen = new Set([...entities("known", 3), ...entities("unknown", 1)]);
const QUESTIONS = all.filter((q) => chosen.has(`${q.relation}|${q.entity}`));
const REAL = QUESTIONS.filter((q) => q.label === "known");

/** The model card's match (evaluate.py `_starts_with`): NFC, stripped, case-folded prefix. */
const cardStartsWith = (completion: string, answer: string) => completion.normalize("NFC").trim().toLowerCase().startsWith(answer.normalize("NFC").trim().toLowerCase());

describe("modelKnowledgeLabels on the embedded model", () => {
  let model: ResolvedModel;
  let knowledge: ModelKnowledge;
  beforeAll(async () => {
    model = await resolveModel("embedded:babelscope-tiny", env);
    knowledge = await modelKnowledgeLabels(model, QUESTIONS);
  });

  it("labels every real-entity question, in input order, and no fabricated one", () => {
    expect(REAL).toHaveLength(3 * 4 * 16);
    expect(knowledge.labels.map((l) => l.id)).toEqual(REAL.map((q) => q.id));
    expect(knowledge.labels.map((l) => l.lang)).toEqual(REAL.map((q) => q.lang));
    expect(knowledge.newTokens).toBe(10);
  });

  it("marks a question known exactly when the completion starts with its gold answer", () => {
    const answer = new Map(REAL.map((q) => [q.id, q.answer!]));
    for (const label of knowledge.labels) expect(label.known, `${label.id}: ${JSON.stringify(label.completion)}`).toBe(cardStartsWith(label.completion, answer.get(label.id)!));
    // Both outcomes occur, so the comparison above checks both.
    expect(new Set(knowledge.labels.map((l) => l.known))).toEqual(new Set([true, false]));
  });

  it("counts per language, and the model knows a majority of its trained facts in every language (as its card says)", () => {
    const langs = [...new Set(REAL.map((q) => q.lang))].sort();
    expect(Object.keys(knowledge.perLanguage)).toEqual(langs);
    for (const lang of langs) {
      const of = knowledge.labels.filter((l) => l.lang === lang);
      const known = of.filter((l) => l.known).length;
      expect(knowledge.perLanguage[lang], lang).toEqual({questions: 12, known, share: known / 12});
      expect(known / 12, lang).toBeGreaterThan(0.5);
    }
  });

  it("gives the same labels and completions with other batches and right padding", async () => {
    expect(await modelKnowledgeLabels(model, QUESTIONS, {batchSize: 5, padding: "right"})).toEqual(knowledge);
  });

  it("relabels the real-entity questions with the model's labels and drops the fabricated ones", () => {
    const relabelled = withModelLabels(QUESTIONS, knowledge);
    expect(relabelled.map((q) => q.id)).toEqual(REAL.map((q) => q.id));
    expect(relabelled.map((q) => q.label)).toEqual(knowledge.labels.map((l) => (l.known ? "known" : "unknown")));
    expect(relabelled[0]).toEqual({...REAL[0], label: relabelled[0].label});
  });

  it("refuses a real-entity question without its gold answer", async () => {
    const [first, ...rest] = REAL;
    await expect(modelKnowledgeLabels(model, [{...first, answer: undefined}, ...rest])).rejects.toThrow(`question ${first.id}: a real entity's question needs its gold "answer"`);
  });
});
