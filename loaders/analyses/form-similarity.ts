/**
 * How alike two words are written, across scripts: both are folded to a Latin key (canonical
 * decomposition without combining marks, lower case, Cyrillic and Greek letters through fixed
 * tables), and their similarity is 1 minus the Levenshtein distance of the keys over the longer
 * key's length. This is the baseline a word representation must beat: a model whose similarity of
 * two words only follows their spelling has learnt nothing about their meaning.
 */

/**
 * Russian Cyrillic to Latin, letter by letter: BGN/PCGN's romanization of Russian, simplified
 * (no apostrophes for the hard and soft signs, which are dropped; ё as e, й as y).
 */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m",
  н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch",
  ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya"
};

/**
 * Modern Greek to Latin, letter by letter: ELOT 743 (ISO 843 type 2) without its digraph rules
 * (αυ, ευ, μπ, ντ, γγ are transliterated letter by letter); accents are dropped before lookup.
 */
const GREEK: Readonly<Record<string, string>> = {
  α: "a", β: "v", γ: "g", δ: "d", ε: "e", ζ: "z", η: "i", θ: "th", ι: "i", κ: "k", λ: "l", μ: "m", ν: "n", ξ: "x",
  ο: "o", π: "p", ρ: "r", σ: "s", ς: "s", τ: "t", υ: "y", φ: "f", χ: "ch", ψ: "ps", ω: "o"
};

/** Latin letters that canonical decomposition leaves whole. */
const LATIN: Readonly<Record<string, string>> = {ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", ı: "i"};

const TABLE: Readonly<Record<string, string>> = {...CYRILLIC, ...GREEK, ...LATIN};

/**
 * The Latin key of a word: NFD, combining marks removed, lower-cased, Cyrillic and Greek letters
 * transliterated; anything else is kept as it is.
 *
 * @example
 * latinKey("Москва") // "moskva"
 * latinKey("θέατρο") // "theatro"
 * latinKey("Café")   // "cafe"
 */
export function latinKey(word: string): string {
  const folded = word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  let out = "";
  for (const char of folded) out += TABLE[char] ?? char;
  return out;
}

/** The code points of a string: what the distances count. */
export const codePoints = (s: string): Int32Array => Int32Array.from(s, (char) => char.codePointAt(0)!);

/**
 * Levenshtein distance (insertions, deletions and substitutions, each costing 1) between two
 * strings, counted in code points.
 *
 * @example
 * editDistance("kitten", "sitting") // 3
 */
export function editDistance(a: string, b: string): number {
  return codeDistance(codePoints(a), codePoints(b));
}

/** editDistance of two code point arrays (the dataset builder converts each word once). */
function codeDistance(x: Int32Array, y: Int32Array): number {
  let previous = new Int32Array(y.length + 1), current = new Int32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) previous[j] = j;
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    [previous, current] = [current, previous];
  }
  return previous[y.length];
}

/** 1 - codeDistance / the longer length, of two Latin keys as code points (see latinKey); two empty keys are alike (1). */
export function keySimilarity(x: Int32Array, y: Int32Array): number {
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - codeDistance(x, y) / longest;
}

/**
 * Form similarity of two words in any of the supported scripts: 1 - editDistance / max length
 * of their Latin keys (1: the same key; 0: nothing in common position by position).
 *
 * @example
 * formSimilarity("nation", "nation")   // 1
 * formSimilarity("anecdote", "анекдот") // 0.75 (keys "anecdote", "anekdot")
 */
export function formSimilarity(a: string, b: string): number {
  return keySimilarity(codePoints(latinKey(a)), codePoints(latinKey(b)));
}
