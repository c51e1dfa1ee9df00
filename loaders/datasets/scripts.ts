/**
 * Writing-system detection: the ISO 15924 code of the script most letters of a text are written in.
 * Texts carry no reliable script tag (most UDHR texts have a bare language tag), so we count letters.
 */

/** Unicode Script property value -> ISO 15924 code, for every script the shipped corpora use. */
const UNICODE_TO_ISO15924: Readonly<Record<string, string>> = {
  Latin: "Latn", Cyrillic: "Cyrl", Arabic: "Arab", Hebrew: "Hebr", Greek: "Grek", Armenian: "Armn",
  Georgian: "Geor", Devanagari: "Deva", Bengali: "Beng", Gurmukhi: "Guru", Gujarati: "Gujr",
  Oriya: "Orya", Tamil: "Taml", Telugu: "Telu", Kannada: "Knda", Malayalam: "Mlym", Sinhala: "Sinh",
  Thai: "Thai", Lao: "Laoo", Tibetan: "Tibt", Myanmar: "Mymr", Khmer: "Khmr", Ethiopic: "Ethi",
  Hangul: "Hang", Han: "Hani", Hiragana: "Hira", Katakana: "Kana", Cherokee: "Cher",
  Canadian_Aboriginal: "Cans", Yi: "Yiii", Tifinagh: "Tfng", Vai: "Vaii", Adlam: "Adlm",
  Mongolian: "Mong", Thaana: "Thaa", Syriac: "Syrc", Nko: "Nkoo", Tagalog: "Tglg", Javanese: "Java",
  Tai_Viet: "Tavt", Chakma: "Cakm", Tai_Tham: "Lana", Grantha: "Gran", Balinese: "Bali",
  Buginese: "Bugi", Ol_Chiki: "Olck", Bamum: "Bamu", Osage: "Osge"
};

const TESTS = Object.entries(UNICODE_TO_ISO15924).map(
  ([name, code]) => [code, new RegExp(`\\p{Script=${name}}`, "u")] as const
);

/** Letter counts per ISO 15924 script; letters of no listed script count under "Zyyy" (unknown). */
export function scriptCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch) || /\p{Script=Common}|\p{Script=Inherited}/u.test(ch)) continue;
    const code = TESTS.find(([, re]) => re.test(ch))?.[0] ?? "Zyyy";
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

/**
 * The ISO 15924 code a text is written in. Kana mixed with Han is Japanese (`Jpan`); Han alone takes
 * `hanScript` (e.g. `Hans`/`Hant` from the language tag) because characters alone cannot tell
 * simplified from traditional reliably. Returns undefined for a text without letters.
 */
export function detectScript(text: string, hanScript = "Hani"): string | undefined {
  const counts = scriptCounts(text);
  let best: string | undefined;
  for (const [code, n] of counts) if (best === undefined || n > counts.get(best)!) best = code;
  const kana = (counts.get("Hira") ?? 0) + (counts.get("Kana") ?? 0);
  if (best === "Hani" || best === "Hira" || best === "Kana") return kana > 0 ? "Jpan" : hanScript;
  return best;
}

/** ISO 15924 codes written right to left (of those in UNICODE_TO_ISO15924). */
const RTL = new Set(["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm"]);

export function scriptDirection(script: string): "ltr" | "rtl" {
  return RTL.has(script) ? "rtl" : "ltr";
}
