/**
 * Knowledge labels from a decoder's own answers: a question about a real entity (dataset label
 * `known`) is "known" to the model when its greedy completion gives the gold answer, "unknown"
 * otherwise. Fabricated entities (dataset label `unknown`) are left out: no answer is right for them.
 *
 * The match, the same in every language: both strings normalised (NFC, case folding, punctuation
 * to spaces, whitespace collapsed and trimmed), then the completion must start with the answer.
 * A prefix rather than whole first words, because Chinese, Japanese and Thai put no space after
 * the answer ("地拉那是…"), and it is the rule of the model card's fact accuracy
 * (models/train/evaluate.py), so shares compare with the card's. A prefix could take a longer
 * word for the answer; no gold answer of data/questions is a prefix of another answer of the same
 * language and relation, so the rule never takes one listed answer for another.
 */
import type {ResolvedModel} from "../models/resolve.js";
import type {TextItem} from "../types.js";
import {greedyComplete, type GenerateOptions} from "./generate.js";
import {DEFAULT_NEW_TOKENS} from "./settings.js";

/** A question of the knowledge dataset: real entities carry their gold answer. */
export interface KnowledgeQuestion extends TextItem {
  answer?: string;
}

export interface KnowledgeLabel {
  id: string;
  lang: string;
  /** The greedy completion, decoded without special tokens. */
  completion: string;
  known: boolean;
}

export interface LanguageKnowledge {
  /** Questions about real entities. */
  questions: number;
  /** Of which the model answered right. */
  known: number;
  share: number;
}

export interface ModelKnowledge {
  /** One per real-entity question, in input order. */
  labels: KnowledgeLabel[];
  /** By language, in code order. */
  perLanguage: Record<string, LanguageKnowledge>;
  newTokens: number;
}

/** NFC, full case folding (upper then lower case: ß and ß's capital both become "ss"), punctuation to spaces, whitespace collapsed and trimmed. */
export function normalizeAnswer(text: string): string {
  return text.normalize("NFC").toUpperCase().toLowerCase().normalize("NFC").replace(/\p{P}+/gu, " ").replace(/\s+/gu, " ").trim();
}

/** Whether a completion gives the answer: its normalised text starts with the normalised answer. */
export function answerMatches(completion: string, answer: string): boolean {
  const gold = normalizeAnswer(answer);
  if (!gold) throw new Error(`answer ${JSON.stringify(answer)} is empty once normalised`);
  return normalizeAnswer(completion).startsWith(gold);
}

/** Greedy-completes every real-entity question (dataset label `known`) and labels it by the model's answer. */
export async function modelKnowledgeLabels(model: ResolvedModel, questions: readonly KnowledgeQuestion[], options: GenerateOptions & {threads?: number} = {}): Promise<ModelKnowledge> {
  const real = questions.filter((q) => q.label === "known");
  for (const q of real) if (!q.answer?.trim()) throw new Error(`question ${q.id}: a real entity's question needs its gold "answer"`);
  const completions = await greedyComplete(model, real.map((q) => q.text), options);
  const labels = real.map((q, i) => ({id: q.id, lang: q.lang, completion: completions[i].text, known: answerMatches(completions[i].text, q.answer!)}));
  const perLanguage: Record<string, LanguageKnowledge> = {};
  for (const lang of [...new Set(labels.map((l) => l.lang))].sort()) {
    const of = labels.filter((l) => l.lang === lang);
    const known = of.filter((l) => l.known).length;
    perLanguage[lang] = {questions: of.length, known, share: known / of.length};
  }
  return {labels, perLanguage, newTokens: options.maxNewTokens ?? DEFAULT_NEW_TOKENS};
}

/** The real-entity questions with the model's labels in place of the dataset's: a dataset for probes of what this model knows. */
export function withModelLabels<T extends KnowledgeQuestion>(questions: readonly T[], knowledge: ModelKnowledge): T[] {
  const known = new Map(knowledge.labels.map((l) => [l.id, l.known]));
  return questions.filter((q) => known.has(q.id)).map((q) => ({...q, label: known.get(q.id) ? "known" : "unknown"}));
}
