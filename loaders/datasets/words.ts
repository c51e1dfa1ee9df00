/**
 * The word-pair dataset (`data/words/`): pairs of an English word and a word of another language,
 * of four kinds, built from FreeDict dictionaries (both directions where Debian has both) and
 * CLDR's month and weekday names:
 * - cognate: a translation (either dictionary, or CLDR, gives one for the other) written alike
 *   (form similarity >= FORM_ALIKE);
 * - false-friend: written alike, but no dictionary translates either into the other, nor into a
 *   word written much like the other (which would make it a form of the same word);
 * - translation: a translation written differently (form similarity <= FORM_UNLIKE);
 * - control: a random English word and a random word of the other language, of the same lengths
 *   as a translation pair's words, that do not translate each other.
 * False friends are drawn to match the cognates' form similarity, pair by pair, so the two kinds
 * differ in meaning at matched form. Each pair is a unit of two items (English, the other language).
 */
import type {TextItem} from "../types.js";
import {codePoints, formSimilarity, keySimilarity, latinKey} from "../analyses/form-similarity.js";
import {WORD_KINDS, type WordKind} from "../analyses/words.js";
import {mulberry32, randomInt, seedFor, type Random} from "../random.js";
import {calendarNames} from "./cldr.js";
import {createRequire} from "node:module";
import {readFreedict, freedictEdition, freedictFiles, DICTD_DIR, FREEDICT_LICENCES, type Dictionary} from "./freedict.js";
import {detectScript} from "./scripts.js";

export {WORD_KINDS, type WordKind};

/**
 * The languages paired with English: ISO 639-3 code, CLDR locale, and whether Debian has FreeDict
 * <lang>-eng too. Russian is not among them: FreeDict eng-rus (1,467 single-word headwords) gives
 * 132 cognate and 58 false-friend candidates, fewer than a kind needs.
 */
export const WORD_LANGUAGES = [
  {lang: "fra", locale: "fr", back: true},
  {lang: "spa", locale: "es", back: true},
  {lang: "ita", locale: "it", back: true},
  {lang: "por", locale: "pt", back: true},
  {lang: "nld", locale: "nl", back: true},
  {lang: "ell", locale: "el", back: false}
] as const;

const WORDS_SEED = 20261202;
/** Pairs drawn per kind and language pair (fewer when a kind has fewer candidates). */
const PAIRS_PER_KIND = 250;
/** Form similarity at or above which two words are written alike (cognates, false friends). */
export const FORM_ALIKE = 0.7;
/** Form similarity at or below which a translation counts as written differently. */
export const FORM_UNLIKE = 0.25;
/** A false friend's words must not be this alike to a translation of the other (inflected forms, spelling variants). */
const VARIANT = 0.6;
const MIN_LENGTH = 3, MAX_LENGTH = 14;

/** One row of data/words/pairs.jsonl: a TextItem of one side of a pair, with its pair's kind and form similarity. */
export interface WordItem extends TextItem {
  label: WordKind;
  /** The language pair, `eng-<lang>`. */
  pair: string;
  formSimilarity: number;
}

/** English and another language's words, and which translate which (both directions merged). */
export interface Lexicon {
  english: string[];
  other: string[];
  /** English word -> the other language's words it translates to or from. */
  translations: Map<string, Set<string>>;
  /** The other language's word -> English words. */
  back: Map<string, Set<string>>;
  /** Words with an entry of their own (a headword of the dictionary from their language), whose meanings the dictionaries list. */
  entries: Set<string>;
}

/** A word kept: lower case (no proper nouns), letters only, 3 to 14 code points. */
const keep = (word: string) => word === word.toLowerCase() && [...word].length >= MIN_LENGTH && [...word].length <= MAX_LENGTH;

/** The lexicon of English and `lang` from its dictionaries (English to it, it to English) and CLDR's calendar names. */
function buildLexicon(forward: Dictionary, backward: Dictionary | null, calendar: {english: string[]; other: string[]}): Lexicon {
  const english = new Set<string>(), other = new Set<string>();
  const translations = new Map<string, Set<string>>(), back = new Map<string, Set<string>>();
  const relate = (e: string, x: string) => {
    if (!keep(e) || !keep(x)) return;
    english.add(e);
    other.add(x);
    if (!translations.has(e)) translations.set(e, new Set());
    if (!back.has(x)) back.set(x, new Set());
    translations.get(e)!.add(x);
    back.get(x)!.add(e);
  };
  const entries = new Set<string>();
  for (const [e, xs] of forward) for (const x of xs) relate(e, x), entries.add(`eng:${e}`);
  for (const [x, es] of backward ?? []) for (const e of es) relate(e, x), entries.add(`other:${x}`);
  calendar.english.forEach((e, k) => relate(e.toLowerCase(), calendar.other[k]));
  const sorted = (s: Set<string>) => [...s].sort();
  return {english: sorted(english), other: sorted(other), translations, back, entries};
}

interface Pair {
  english: string;
  other: string;
  similarity: number;
}

const translates = (lexicon: Lexicon, e: string, x: string) => lexicon.translations.get(e)?.has(x) ?? false;

/** Every translation pair of the lexicon with its form similarity, in sorted order. */
function translationPairs(lexicon: Lexicon): Pair[] {
  return lexicon.english.flatMap((e) => [...(lexicon.translations.get(e) ?? [])].sort().map((x) => ({english: e, other: x, similarity: formSimilarity(e, x)})));
}

/**
 * Pairs written alike (form similarity >= FORM_ALIKE) that are not translations, nor either word
 * close to (>= VARIANT) a translation of the other, both words with entries of their own. Candidates share the first letter of their
 * Latin keys (the search would otherwise compare every word with every word).
 */
function falseFriendCandidates(lexicon: Lexicon): Pair[] {
  const keys = new Map([...lexicon.english, ...lexicon.other].map((w) => [w, codePoints(latinKey(w))]));
  const similar = (a: string, b: string) => keySimilarity(keys.get(a)!, keys.get(b)!);
  // Other words by first letter and key length: a word is compared only with those that could reach FORM_ALIKE.
  const buckets = new Map<string, string[]>();
  for (const x of lexicon.other) {
    const key = keys.get(x)!;
    const bucket = `${key[0]}:${key.length}`;
    if (!buckets.has(bucket)) buckets.set(bucket, []);
    buckets.get(bucket)!.push(x);
  }
  const out: Pair[] = [];
  // The English word must have its own entry, and so must the other word when a dictionary from its language exists:
  // else "no translation" only says that a dictionary left the word out.
  const hasBack = lexicon.other.some((x) => lexicon.entries.has(`other:${x}`));
  for (const e of lexicon.english) {
    if (!lexicon.entries.has(`eng:${e}`)) continue;
    const key = keys.get(e)!;
    // |length difference| <= (1 - FORM_ALIKE) * the longer length, else the distance alone is too large.
    const lengths = Array.from({length: 2 * key.length + 1}, (_, k) => k).filter((n) => Math.abs(n - key.length) <= (1 - FORM_ALIKE) * Math.max(n, key.length));
    for (const x of lengths.flatMap((n) => buckets.get(`${key[0]}:${n}`) ?? [])) {
      if (translates(lexicon, e, x) || (hasBack && !lexicon.entries.has(`other:${x}`))) continue;
      const similarity = similar(e, x);
      if (similarity < FORM_ALIKE) continue;
      const variant = [...(lexicon.translations.get(e) ?? [])].some((t) => similar(t, x) >= VARIANT)
        || [...(lexicon.back.get(x) ?? [])].some((t) => similar(t, e) >= VARIANT);
      if (!variant) out.push({english: e, other: x, similarity});
    }
  }
  return out;
}

function shuffled<T>(values: readonly T[], random: Random): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Up to `n` pairs in random order, no English or other word twice. */
function distinctPairs(pairs: readonly Pair[], n: number, random: Random): Pair[] {
  const used = new Set<string>();
  const out: Pair[] = [];
  for (const pair of shuffled(pairs, random)) {
    if (out.length === n) break;
    if (used.has(`e:${pair.english}`) || used.has(`x:${pair.other}`)) continue;
    used.add(`e:${pair.english}`).add(`x:${pair.other}`);
    out.push(pair);
  }
  return out;
}

/**
 * For each target pair, the unused candidate of nearest form similarity (ties: the earlier in a
 * random order), no word twice: the candidates' form similarity then follows the targets'.
 */
function matchedPairs(targets: readonly Pair[], candidates: readonly Pair[], random: Random): Pair[] {
  const pool = shuffled(candidates, random);
  const used = new Set<string>();
  const taken = new Uint8Array(pool.length);
  const out: Pair[] = [];
  for (const target of targets) {
    let best = -1;
    for (let k = 0; k < pool.length; k++) {
      if (taken[k] || used.has(`e:${pool[k].english}`) || used.has(`x:${pool[k].other}`)) continue;
      if (best < 0 || Math.abs(pool[k].similarity - target.similarity) < Math.abs(pool[best].similarity - target.similarity)) best = k;
    }
    if (best < 0) break;
    taken[best] = 1;
    used.add(`e:${pool[best].english}`).add(`x:${pool[best].other}`);
    out.push(pool[best]);
  }
  return out;
}

/** For each translation pair, random English and other words of the same lengths that do not translate each other. */
function controlPairs(lexicon: Lexicon, translations: readonly Pair[], random: Random): Pair[] {
  const byLength = (words: string[]) => {
    const map = new Map<number, string[]>();
    for (const w of words) {
      const length = [...w].length;
      if (!map.has(length)) map.set(length, []);
      map.get(length)!.push(w);
    }
    return map;
  };
  const english = byLength(lexicon.english), other = byLength(lexicon.other);
  const out: Pair[] = [];
  for (const t of translations) {
    const es = english.get([...t.english].length)!, xs = other.get([...t.other].length)!;
    for (let tries = 0; tries < 100; tries++) {
      const e = es[randomInt(random, es.length)], x = xs[randomInt(random, xs.length)];
      if (translates(lexicon, e, x)) continue;
      out.push({english: e, other: x, similarity: formSimilarity(e, x)});
      break;
    }
  }
  return out;
}

/** The pairs of each kind for one language paired with English. */
function drawPairs(lexicon: Lexicon, pairName: string, seed = WORDS_SEED, perKind = PAIRS_PER_KIND): {pairs: Record<WordKind, Pair[]>; candidates: Record<WordKind, number>} {
  const random = (kind: string) => mulberry32(seedFor(seed, `${pairName}:${kind}`));
  const all = translationPairs(lexicon);
  const alike = all.filter((p) => p.similarity >= FORM_ALIKE), unlike = all.filter((p) => p.similarity <= FORM_UNLIKE);
  const friends = falseFriendCandidates(lexicon);
  const cognate = distinctPairs(alike, perKind, random("cognate"));
  const translation = distinctPairs(unlike, perKind, random("translation"));
  return {
    pairs: {
      cognate,
      "false-friend": matchedPairs(cognate, friends, random("false-friend")),
      translation,
      control: controlPairs(lexicon, translation, random("control"))
    },
    candidates: {cognate: alike.length, "false-friend": friends.length, translation: unlike.length, control: translation.length}
  };
}

/** The two items (English first) of each pair, ids `words:eng-<lang>:<kind>:<nnn>:<lang>`. */
function pairItems(pairName: string, lang: string, pairs: Record<WordKind, Pair[]>): WordItem[] {
  return WORD_KINDS.flatMap((kind) => pairs[kind].flatMap((p, k) => {
    const unit = `words:${pairName}:${kind}:${String(k).padStart(3, "0")}`;
    const side = (l: string, text: string): WordItem => ({
      id: `${unit}:${l}`, unit, lang: l, text, script: detectScript(text), label: kind, pair: pairName, formSimilarity: p.similarity
    });
    return [side("eng", p.english), side(lang, p.other)];
  }));
}

/**
 * The pairs of `items` (the words dataset) whose other language is one of `languages` (codes as
 * in a config: exact, or an ISO base for its variants); all of them when `languages` is null or
 * names none of the dataset's other languages, so that the word page always has pairs to show.
 */
export function pairsInLanguages<T extends TextItem>(items: readonly T[], languages: readonly string[] | null): T[] {
  const matches = (lang: string) => languages!.some((code) => lang === code || lang.split("_")[0] === code);
  const kept = new Set(items.filter((item) => item.lang !== "eng" && languages && matches(item.lang)).map((item) => item.unit));
  return kept.size === 0 ? [...items] : items.filter((item) => kept.has(item.unit));
}

export interface WordsBuild {
  items: WordItem[];
  /** Per language pair and kind: the pairs drawn, and the candidates there were. */
  counts: Record<string, Record<WordKind, {pairs: number; candidates: number}>>;
  /** Each dictionary read: its Debian package, edition and licence. */
  dictionaries: {dictionary: string; package: string; edition: string | undefined; licence: string}[];
}

/** The whole dataset, from the FreeDict files under `dir` and CLDR. */
export function buildWords(dir = DICTD_DIR): WordsBuild {
  const items: WordItem[] = [];
  const counts: WordsBuild["counts"] = {};
  const dictionaries: WordsBuild["dictionaries"] = [];
  const read = (from: string, to: string) => {
    dictionaries.push({dictionary: `${from}-${to}`, package: freedictFiles(from, to).pkg, edition: freedictEdition(from, to, dir), licence: FREEDICT_LICENCES[`${from}-${to}`]});
    return readFreedict(from, to, dir);
  };
  const englishCalendar = calendarNames("en");
  for (const {lang, locale, back} of WORD_LANGUAGES) {
    const pairName = `eng-${lang}`;
    const lexicon = buildLexicon(read("eng", lang), back ? read(lang, "eng") : null, {
      english: englishCalendar, other: calendarNames(locale).map((name) => name.toLocaleLowerCase(locale))
    });
    const {pairs, candidates} = drawPairs(lexicon, pairName);
    counts[pairName] = Object.fromEntries(WORD_KINDS.map((kind) => [kind, {pairs: pairs[kind].length, candidates: candidates[kind]}])) as Record<WordKind, {pairs: number; candidates: number}>;
    items.push(...pairItems(pairName, lang, pairs));
  }
  return {items, counts, dictionaries};
}

/** data/words/metadata.json: sources with editions and licences, the rules' constants, and the counts. */
export function wordsMetadata(build: WordsBuild): Record<string, unknown> {
  const cldr = createRequire(import.meta.url)("cldr-dates-full/package.json") as {version: string};
  return {
    description: "English word paired with a word of another language: cognates, false friends (interlingual homographs), translations, length-matched controls",
    licence: "GPL-2.0-or-later (derived from the FreeDict dictionaries below; the rest of the repository is MIT)",
    sources: {
      freedict: build.dictionaries,
      cldr: {package: "cldr-dates-full", version: cldr.version, licence: "Unicode-3.0", used: "stand-alone wide month and weekday names, as translations"}
    },
    rules: {seed: WORDS_SEED, pairsPerKind: PAIRS_PER_KIND, formAlike: FORM_ALIKE, formUnlike: FORM_UNLIKE, variant: VARIANT, wordLength: [MIN_LENGTH, MAX_LENGTH]},
    formSimilarity: "1 - Levenshtein distance / longer length, over Latin keys: NFD without combining marks, lower case, Greek by ELOT 743 letter by letter (no digraph rules)",
    counts: build.counts
  };
}
