/**
 * Fabricated country names for unanswerable questions, made so that their form does not give them
 * away: in each language, names are sampled from a character Markov model of that language's real
 * territory names, each one with the length and word count of one of the real names it stands
 * against. A probe on character n-grams of the name (or of the whole question) then finds little
 * to tell real from fabricated (data/README.md gives the measurement, surface_probe.py).
 *
 * The earlier generator (consonant-vowel syllables from a small inventory, transcribed into each
 * script) was told from real names by such a probe at 0.94 accuracy, so "the model knows what it
 * does not know" could be read off the spelling alone.
 *
 * A candidate is rejected when it, or one of its words, equals (after nameKey folding) any real
 * name given; when it contains a name of the `near` list or is part of one ("Bhutanland",
 * "Républi"), or is within a small edit distance of one (a model could read it as a misspelling of
 * a real country); when its brackets do not pair up; when it repeats a name already drawn for
 * that language; or when it occurs anywhere in a given training text. That last rule keeps the
 * fabricated entities unseen by a model trained on that text: short names drawn from real-name
 * statistics are often common words or parts of them (Portuguese "Tura", Thai สวิส "Swiss").
 */
import {mulberry32, seedFor, type Random} from "../random.js";

/** Start and end of a name in the Markov chain (control characters never in a name). */
const START = "\u0002";
const END = "\u0003";
/** Candidates drawn per length before the length may differ by one more character. */
const ATTEMPTS_PER_LENGTH = 1000;
/** Widest length difference tried for a short target (a two-character name like 日本 has few novel neighbours). */
const MAX_SLACK = 4;
/** From this length difference on, the word count may differ too. */
const WORDS_SLACK = 2;

/** Case-, width- and accent-folded comparison key (marks are kept outside Latin/Cyrillic/Greek). */
export function nameKey(name: string): string {
  const folded = name.normalize("NFKC").toLocaleLowerCase("und").trim();
  return /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{M}\s\p{P}]+$/u.test(folded)
    ? folded.normalize("NFD").replace(/\p{M}/gu, "")
    : folded;
}

/** Counts of the next character after each context of `order` characters. */
export interface NameModel {
  order: number;
  next: Map<string, {chars: string[]; counts: number[]}>;
  /** sampleName's cache: "r\0context" -> probability of r more characters and then the end. */
  ways: Map<string, number>;
}

/**
 * A character Markov model (code points) of the given order: the next character is drawn in
 * proportion to how often it followed the previous `order` characters, each corpus's names
 * counting `weight` times. Names are sorted first, so the model does not depend on their order.
 */
export function trainNameModel(corpora: readonly {names: readonly string[]; weight: number}[], order: number): NameModel {
  if (!Number.isInteger(order) || order < 1) throw new Error(`trainNameModel: order must be an integer >= 1, got ${order}`);
  const next: NameModel["next"] = new Map();
  for (const {names, weight} of corpora) {
    for (const name of [...names].sort()) {
      const chars = [...Array(order).fill(START), ...Array.from(name), END];
      for (let i = order; i < chars.length; i++) {
        const context = chars.slice(i - order, i).join("");
        const entry = next.get(context) ?? {chars: [], counts: []};
        next.set(context, entry);
        const k = entry.chars.indexOf(chars[i]);
        if (k >= 0) entry.counts[k] += weight;
        else {
          entry.chars.push(chars[i]);
          entry.counts.push(weight);
        }
      }
    }
  }
  return {order, next, ways: new Map()};
}

/** The context after `c`: its last `order` characters (code points, as trainNameModel counts them). */
function shift(context: string, c: string, order: number): string {
  return Array.from(context + c).slice(-order).join("");
}

/**
 * One name of exactly `length` characters drawn from the model conditioned on that length, or
 * undefined when the model has no name that long. Conditioning (rather than drawing until the
 * length matches) also draws the last characters as the model ends names of that length: a
 * rejection sampler would keep the endings of short names in long ones.
 */
export function sampleName(model: NameModel, random: Random, length: number): string | undefined {
  const memo = model.ways;
  const ways = (context: string, r: number): number => {
    const key = `${r}\u0000${context}`;
    let p = memo.get(key);
    if (p === undefined) {
      const {chars, counts} = model.next.get(context)!;
      const total = counts.reduce((a, b) => a + b, 0);
      p = 0;
      // A context seen only in names of weight 0 leads nowhere.
      if (total > 0) chars.forEach((c, k) => {
        if (c === END) p! += r === 0 ? counts[k] / total : 0;
        else if (r > 0) p! += (counts[k] / total) * ways(shift(context, c, model.order), r - 1);
      });
      memo.set(key, p);
    }
    return p;
  };
  let context = START.repeat(model.order);
  if (ways(context, length) === 0) return undefined;
  let name = "";
  for (let r = length; r > 0; r--) {
    const {chars, counts} = model.next.get(context)!;
    const weights = chars.map((c, k) => (c === END ? 0 : counts[k] * ways(shift(context, c, model.order), r - 1)));
    let u = random() * weights.reduce((a, b) => a + b, 0);
    let k = 0;
    while (u >= weights[k] || weights[k] === 0) u -= weights[k++];
    name += chars[k];
    context = shift(context, chars[k], model.order);
  }
  return name;
}

/** Levenshtein distance of two strings (code units), or `limit + 1` as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Edits within which a name of `length` characters counts as a variant of a real one: a quarter of it, at least one. */
function nearLimit(length: number): number {
  return Math.max(1, Math.floor(length / 4));
}

const words = (name: string) => name.split(/\s+/);

/**
 * Shortest real name looked for inside a candidate. Shorter ones (Chad, 日本, 가나) are left out:
 * real names contain them too (Somalia holds Mali, 南苏丹 holds 苏丹), so forbidding them in
 * fabricated names only would itself tell the two apart.
 */
const SHORTEST_CONTAINED = 4;

/** Whether every bracket in `name` is closed by the matching one, in order. */
function balanced(name: string): boolean {
  const closing: Record<string, string> = {"(": ")", "（": "）", "[": "]"};
  const open: string[] = [];
  for (const c of name) {
    if (closing[c]) open.push(closing[c]);
    else if (Object.values(closing).includes(c) && open.pop() !== c) return false;
  }
  return open.length === 0;
}

/** Near names' keys by character, so a candidate is compared only with names it shares a character with. */
export function indexByCharacter(keys: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const key of keys) for (const c of new Set(key)) index.set(c, [...(index.get(c) ?? []), key]);
  return index;
}

/**
 * Whether a candidate's key is, contains, or nearly is a real name (see the file comment). A near
 * name that shares no character with the key can neither contain it nor be within nearLimit edits
 * (less than the key's length), so only names sharing one are compared.
 */
export function tooReal(key: string, realKeys: ReadonlySet<string>, near: ReadonlyMap<string, string[]>): boolean {
  if (realKeys.has(key) || key.split(/[\s-]+/).some((word) => realKeys.has(word))) return true;
  const limit = nearLimit(key.length);
  const candidates = new Set([...new Set(key)].flatMap((c) => near.get(c) ?? []));
  for (const real of candidates) {
    if (real.includes(key) || (Array.from(real).length >= SHORTEST_CONTAINED && key.includes(real)) || editDistance(key, real, limit) <= limit) return true;
  }
  return false;
}

/** One language's input to fabricateNames. */
export interface NameSource {
  lang: string;
  /** Real names the Markov model learns from besides the targets (the language's other country names). */
  others: readonly string[];
  /** The real names fabricated ones stand against: one fabricated name per target, with its length (code points) and word count. */
  targets: readonly string[];
  /**
   * Weight of the targets in the model (others count 1). At 1 a fabricated name reuses pieces of
   * the real names it is compared with, and a probe learns those pieces as "fabricated" (below
   * chance on held-out real names); at 0 it learns what sets the other countries' names apart.
   */
  targetWeight: number;
  /** Markov order: 2 for alphabets, 1 where one character is a syllable (Han, Hangul, kana). */
  order: number;
}

export interface FabricatedName {
  id: string;
  /** Language -> the name in that language (names of one entity are not translations of each other). */
  forms: Record<string, string>;
}

/**
 * Names for `targets.length` fabricated entities (ids `fab01`...), drawn per language from its
 * own seeded stream (seedFor(seed, lang)), so a language's names do not change when others are
 * added. A name for target k has target k's word count and, where the model allows within
 * ATTEMPTS_PER_LENGTH draws, its length; past that the length may differ by one, then two... characters.
 * `training` is text no name may occur in, as a substring with case and form unchanged (how the
 * embedded model's evaluation counts them); "" when there is none.
 */
export function fabricateNames(
  sources: readonly NameSource[], realKeys: ReadonlySet<string>, near: readonly string[], training: string, seed: number
): FabricatedName[] {
  const count = sources[0]?.targets.length ?? 0;
  if (sources.some((s) => s.targets.length !== count)) throw new Error("fabricateNames: every language needs the same number of targets");
  const nearKeys = indexByCharacter([...new Set(near.map(nameKey))]);
  const names: FabricatedName[] = Array.from({length: count}, (_, k) => ({id: `fab${String(k + 1).padStart(2, "0")}`, forms: {}}));
  for (const source of sources) {
    const random = mulberry32(seedFor(seed, source.lang));
    const model = trainNameModel([{names: source.others, weight: 1}, {names: source.targets, weight: source.targetWeight}], source.order);
    const used = new Set<string>();
    source.targets.forEach((target, k) => {
      const length = Array.from(target).length;
      for (let slack = 0; slack <= Math.max(MAX_SLACK, length); slack++) {
        // The word count is let go with the length: a model that never saw " - " cannot match "Congo - Kinshasa".
        const sameWords = slack < WORDS_SLACK;
        for (const candidateLength of new Set([length + slack, Math.max(2, length - slack)])) {
          for (let attempt = 0; attempt < ATTEMPTS_PER_LENGTH; attempt++) {
            const name = sampleName(model, random, candidateLength);
            if (name === undefined) break;
            if (sameWords && words(name).length !== words(target).length) continue;
            const key = nameKey(name);
            if (!balanced(name) || used.has(key) || tooReal(key, realKeys, nearKeys) || training.includes(name)) continue;
            used.add(key);
            names[k].forms[source.lang] = name;
            return;
          }
        }
      }
      throw new Error(`fabricateNames: no name like "${target}" for ${source.lang}`);
    });
  }
  return names;
}
