/**
 * Word-translation prompts for the logit lens (Wendler et al., ACL 2024, "translation" task): a
 * few-shot list of word pairs from a non-English language X to a non-English language Y, ending
 * where Y's word should begin, so the next token starts the translation. Words are CLDR's names of
 * UN member states (Unicode CLDR, Unicode License v3), which the embedded model has read in every
 * locale; CLDR's territory and language names in each locale also give the word lists that decide
 * which language a token belongs to.
 */
import {languageNames, territoryNames, unMembers} from "./cldr.js";
import {QUESTION_LANGUAGES, type QuestionLanguage} from "./question-languages.js";
import {mulberry32, seedFor, shuffle} from "../random.js";

/** The language every prompt's English counterpart is in: the latent language under test. */
export const ENGLISH = "eng";

/** A language the lens can prompt: a question language (CLDR locale and script known) with its own name for itself. */
export interface PromptLanguage extends QuestionLanguage {
  /** The language's name in itself (CLDR), which labels its side of each pair. */
  name: string;
}

/** The prompt languages among `codes` (in the order of QUESTION_LANGUAGES); English first when present. */
export function promptLanguages(codes: Iterable<string>): PromptLanguage[] {
  const wanted = new Set(codes);
  return QUESTION_LANGUAGES.filter((l) => wanted.has(l.lang)).map((l) => ({...l, name: languageNames(l.locale)[l.locale] ?? l.lang}));
}

/** One word in every language, by language code. */
export interface WordRow {
  /** The CLDR territory code. */
  code: string;
  words: Record<string, string>;
}

/**
 * Names of UN member states that are one word (no space) in every language of `langs` (and in
 * English), sorted by territory code. One-word names keep the answer's first token a word start.
 */
export function translationWords(langs: readonly PromptLanguage[]): WordRow[] {
  const all = [...langs];
  if (!all.some((l) => l.lang === ENGLISH)) all.push(...promptLanguages([ENGLISH]));
  const names = all.map((l) => [l.lang, territoryNames(l.locale)] as const);
  return [...unMembers()].sort().flatMap((code) => {
    const words = Object.fromEntries(names.map(([lang, of]) => [lang, of[code]]));
    return Object.values(words).every((w) => w && !/\s/u.test(w)) ? [{code, words}] : [];
  });
}

/** Every word of a locale's CLDR territory and language names: the word list a token's language is read from. */
export function localeWords(locale: string): string[] {
  const names = [...Object.values(territoryNames(locale)), ...Object.values(languageNames(locale))];
  return [...new Set(names.flatMap((name) => name.split(/[^\p{L}\p{M}]+/u).filter(Boolean)))].sort();
}

/** One pair as a prompt line: `français: "Allemagne" - русский: "Германия"`. */
const pairLine = (source: PromptLanguage, target: PromptLanguage, from: string, to: string) => `${source.name}: "${from}" - ${target.name}: "${to}"`;

/** The few-shot prompt for translating `query` from `source` to `target`, ending at the answer's opening quote. */
export function translationPrompt(source: PromptLanguage, target: PromptLanguage, shots: readonly WordRow[], query: WordRow): string {
  const lines = shots.map((s) => pairLine(source, target, s.words[source.lang], s.words[target.lang]));
  return [...lines, pairLine(source, target, query.words[source.lang], "")].join("\n").slice(0, -1);
}

export interface TranslationPrompt {
  source: string;
  target: string;
  code: string;
  text: string;
  /** The correct answer, and the English word for the same territory. */
  answer: string;
  english: string;
}

/**
 * About `budget` prompts, spread evenly over the non-English target languages: each target's words
 * are a seeded draw of `words`, each from the other non-English languages in turn, with `shots`
 * example pairs (the next words of the draw). Needs at least two non-English languages.
 */
export function translationPrompts(langs: readonly PromptLanguage[], words: readonly WordRow[], options: {budget: number; shots: number; seed: number}): TranslationPrompt[] {
  const others = langs.filter((l) => l.lang !== ENGLISH);
  if (others.length < 2) return [];
  if (words.length < options.shots + 1) return [];
  const perTarget = Math.min(words.length, Math.max(1, Math.floor(options.budget / others.length)));
  return others.flatMap((target) => {
    const order = [...words];
    shuffle(order, mulberry32(seedFor(options.seed, target.lang)));
    const sources = others.filter((l) => l !== target);
    return order.slice(0, perTarget).map((query, j) => {
      const source = sources[j % sources.length];
      const shots = Array.from({length: options.shots}, (_, k) => order[(j + 1 + k) % order.length]);
      return {source: source.lang, target: target.lang, code: query.code, text: translationPrompt(source, target, shots, query), answer: query.words[target.lang], english: query.words[ENGLISH]};
    });
  });
}

