/**
 * Fabricated country names for unanswerable questions: three or four consonant-vowel syllables (e.g.
 * `Kalimo`; the length varies so that length alone does not tell real from fabricated names as
 * easily), drawn with a seeded generator and written in every question script by a fixed
 * syllable-by-syllable transcription, so one invented country has one name per script. A name is
 * rejected when any of its forms equals (case- and accent-folded) any real name given.
 */
import {mulberry32} from "../random.js";

const CONSONANTS = ["k", "l", "m", "n", "s", "t", "b", "d"] as const;
const VOWELS = ["a", "e", "i", "o", "u"] as const;
const SYLLABLE_COUNTS = [3, 4] as const;
type Consonant = (typeof CONSONANTS)[number];
type Vowel = (typeof VOWELS)[number];
export type Syllable = `${Consonant}${Vowel}`;

/** Per script: consonant letters and how a syllable is written from consonant + vowel. */
type Transcriber = (c: Consonant, v: Vowel) => string;

function letters(cons: string, vows: string): Transcriber {
  return (c, v) => cons[CONSONANTS.indexOf(c)] + vows[VOWELS.indexOf(v)];
}

/** Hangul: initial consonant index and medial vowel index of the Unicode syllable formula; voiceless
 * k and t take the aspirated letters, as Korean loanword spelling does. */
const HANGUL_INITIAL: Record<Consonant, number> = {k: 15, l: 5, m: 6, n: 2, s: 9, t: 16, b: 7, d: 3};
const HANGUL_MEDIAL: Record<Vowel, number> = {a: 0, e: 5, i: 20, o: 8, u: 13};

/** Katakana and Chinese transcription characters, row per consonant, column per vowel (a e i o u). */
const KATAKANA: Record<Consonant, string[]> = {
  k: ["カ", "ケ", "キ", "コ", "ク"], l: ["ラ", "レ", "リ", "ロ", "ル"], m: ["マ", "メ", "ミ", "モ", "ム"],
  n: ["ナ", "ネ", "ニ", "ノ", "ヌ"], s: ["サ", "セ", "シ", "ソ", "ス"], t: ["タ", "テ", "ティ", "ト", "トゥ"],
  b: ["バ", "ベ", "ビ", "ボ", "ブ"], d: ["ダ", "デ", "ディ", "ド", "ドゥ"]
};
const HANZI: Record<Consonant, string[]> = {
  k: ["卡", "克", "基", "科", "库"], l: ["拉", "勒", "利", "洛", "鲁"], m: ["马", "梅", "米", "莫", "穆"],
  n: ["纳", "内", "尼", "诺", "努"], s: ["萨", "塞", "西", "索", "苏"], t: ["塔", "特", "提", "托", "图"],
  b: ["巴", "贝", "比", "博", "布"], d: ["达", "德", "迪", "多", "杜"]
};

/** Thai: vowels a/i/u follow the consonant, e/o precede it (เ, โ). */
function thai(c: Consonant, v: Vowel): string {
  const cons = "กลมนสตบด"[CONSONANTS.indexOf(c)];
  return {a: cons + "า", e: "เ" + cons, i: cons + "ี", o: "โ" + cons, u: cons + "ู"}[v];
}

export const TRANSCRIBERS: Readonly<Record<string, Transcriber>> = {
  Latn: letters("klmnstbd", "aeiou"),
  Cyrl: letters("клмнстбд", "аеиоу"),
  // Long vowels written as letters so the name reads without diacritics.
  Arab: (c, v) => "كلمنستبد"[CONSONANTS.indexOf(c)] + {a: "ا", e: "ي", i: "ي", o: "و", u: "و"}[v],
  Deva: (c, v) => "कलमनसतबद"[CONSONANTS.indexOf(c)] + {a: "ा", e: "े", i: "ि", o: "ो", u: "ु"}[v],
  Thai: thai,
  Hang: (c, v) => String.fromCharCode(0xac00 + (HANGUL_INITIAL[c] * 21 + HANGUL_MEDIAL[v]) * 28),
  Jpan: (c, v) => KATAKANA[c][VOWELS.indexOf(v)],
  Hans: (c, v) => HANZI[c][VOWELS.indexOf(v)]
};

/** Writes a syllable sequence in a script; Latin and Cyrillic names are capitalised. */
export function transcribe(syllables: readonly Syllable[], script: string): string {
  const write = TRANSCRIBERS[script];
  if (!write) throw new Error(`no transcription for script "${script}"; known: ${Object.keys(TRANSCRIBERS).join(", ")}`);
  const text = syllables.map((s) => write(s[0] as Consonant, s[1] as Vowel)).join("");
  return text.charAt(0).toLocaleUpperCase("und") + text.slice(1);
}

/** Case-, width- and accent-folded comparison key (marks are kept outside Latin/Cyrillic/Greek). */
export function nameKey(name: string): string {
  const folded = name.normalize("NFKC").toLocaleLowerCase("und").trim();
  return /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{M}\s\p{P}]+$/u.test(folded)
    ? folded.normalize("NFD").replace(/\p{M}/gu, "")
    : folded;
}

export interface FabricatedName {
  id: string;
  syllables: Syllable[];
  /** Script -> the name written in it. */
  forms: Record<string, string>;
}

/**
 * `count` distinct fabricated names (ids `fab01`...), none of whose forms in `scripts` has a key in
 * `realKeys` (see nameKey). Deterministic in `seed`.
 */
export function fabricateNames(count: number, scripts: readonly string[], realKeys: ReadonlySet<string>, seed: number): FabricatedName[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const names: FabricatedName[] = [];
  const used = new Set<string>();
  for (let attempt = 0; names.length < count; attempt++) {
    if (attempt > count * 1000) throw new Error(`could not fabricate ${count} names free of real-name collisions`);
    const length = pick(SYLLABLE_COUNTS);
    const syllables = Array.from({length}, () => `${pick(CONSONANTS)}${pick(VOWELS)}` as Syllable);
    const forms = Object.fromEntries(scripts.map((s) => [s, transcribe(syllables, s)]));
    // Distinct in every script (Arabic and Chinese merge some syllables), and no real name anywhere.
    if (Object.values(forms).some((f) => used.has(nameKey(f)) || realKeys.has(nameKey(f)))) continue;
    Object.values(forms).forEach((f) => used.add(nameKey(f)));
    names.push({id: `fab${String(names.length + 1).padStart(2, "0")}`, syllables, forms});
  }
  return names;
}
