/**
 * The languages of the question and statement sets: Babelscope code -> CLDR locale, script and
 * direction. Twelve or more languages, six in non-Latin scripts, chosen for CLDR coverage.
 */
import type {Direction} from "../types.js";

export interface QuestionLanguage {
  lang: string;
  locale: string;
  script: string;
  direction: Direction;
}

export const QUESTION_LANGUAGES: readonly QuestionLanguage[] = [
  {lang: "eng", locale: "en", script: "Latn", direction: "ltr"},
  {lang: "fra", locale: "fr", script: "Latn", direction: "ltr"},
  {lang: "deu", locale: "de", script: "Latn", direction: "ltr"},
  {lang: "spa", locale: "es", script: "Latn", direction: "ltr"},
  {lang: "por", locale: "pt", script: "Latn", direction: "ltr"},
  {lang: "tur", locale: "tr", script: "Latn", direction: "ltr"},
  {lang: "vie", locale: "vi", script: "Latn", direction: "ltr"},
  {lang: "ind", locale: "id", script: "Latn", direction: "ltr"},
  {lang: "swh", locale: "sw", script: "Latn", direction: "ltr"},
  {lang: "rus", locale: "ru", script: "Cyrl", direction: "ltr"},
  {lang: "arb", locale: "ar", script: "Arab", direction: "rtl"},
  {lang: "hin", locale: "hi", script: "Deva", direction: "ltr"},
  {lang: "tha", locale: "th", script: "Thai", direction: "ltr"},
  {lang: "kor", locale: "ko", script: "Hang", direction: "ltr"},
  {lang: "jpn", locale: "ja", script: "Jpan", direction: "ltr"},
  {lang: "cmn_hans", locale: "zh", script: "Hans", direction: "ltr"}
];
