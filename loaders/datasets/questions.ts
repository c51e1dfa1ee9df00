/**
 * The knowledge-boundary question set and its true/false statement variant, parallel across the
 * question languages (same unit = same question).
 *
 * Questions: unit `q:<relation>:<entity>`; `known` for real countries (entity = ISO 3166 code, with
 * `answer` in the question's language), `unknown` for fabricated ones (entity = `fabNN`, no answer).
 * As many fabricated as real countries, so labels are balanced within every language and relation.
 * Statements (real countries only): unit `s:<relation>:<entity>:<true|false>`; the false one states the
 * answer of another country with a different answer, drawn with the seed (same across languages).
 */
import type {TextItem} from "../types.js";
import {territoryNames, unMembers} from "./cldr.js";
import {countryFacts, RELATIONS, type CountryFacts, type Relation} from "./facts.js";
import {fabricateNames, type FabricatedName, type NameSource} from "./fabricate.js";
import {buildFalsePremise, type FalsePremiseItem} from "./false-premise.js";
import {QUESTION_LANGUAGES, type QuestionLanguage} from "./question-languages.js";
import {mulberry32} from "../random.js";
import {embeddedTrainingText, realNameKeys} from "./real-names.js";
import {renderQuestion, renderStatement} from "./templates.js";

export const QUESTIONS_SEED = 20261126;

export interface QuestionItem extends TextItem {
  relation: Relation;
  entity: string;
  /** The entity's name as written in `text`. */
  name: string;
  /** In the item's language; for statements, the answer the statement asserts. */
  answer?: string;
}

export interface QuestionSets {
  questions: QuestionItem[];
  statements: QuestionItem[];
  falsePremise: FalsePremiseItem[];
  countries: CountryFacts[];
  fabricated: FabricatedName[];
}

function base(l: QuestionLanguage, unit: string): Pick<TextItem, "id" | "unit" | "lang" | "script" | "direction"> {
  return {id: `${unit}:${l.lang}`, unit, lang: l.lang, script: l.script, direction: l.direction};
}

function buildQuestions(
  countries: readonly CountryFacts[], fabricated: readonly FabricatedName[], languages: readonly QuestionLanguage[]
): QuestionItem[] {
  const items: QuestionItem[] = [];
  for (const relation of RELATIONS) {
    for (const c of countries) {
      const unit = `q:${relation}:${c.id}`;
      for (const l of languages) {
        const {name, [relation]: answer} = c.local[l.lang];
        const text = renderQuestion(l.lang, relation, name);
        items.push({...base(l, unit), text, label: "known", relation, entity: c.id, name, answer});
      }
    }
    for (const f of fabricated) {
      const unit = `q:${relation}:${f.id}`;
      for (const l of languages) {
        const name = f.forms[l.lang];
        items.push({...base(l, unit), text: renderQuestion(l.lang, relation, name), label: "unknown", relation, entity: f.id, name});
      }
    }
  }
  return items;
}

/** For each country and relation, a country whose answer differs (seeded draw). */
function wrongAnswerSources(countries: readonly CountryFacts[], relation: Relation, random: () => number): CountryFacts[] {
  return countries.map((c) => {
    const others = countries.filter((o) => o.codes[relation] !== c.codes[relation]);
    return others[Math.floor(random() * others.length)];
  });
}

export function buildStatements(
  countries: readonly CountryFacts[], languages: readonly QuestionLanguage[], seed: number
): QuestionItem[] {
  const random = mulberry32(seed);
  const items: QuestionItem[] = [];
  for (const relation of RELATIONS) {
    const wrong = wrongAnswerSources(countries, relation, random);
    countries.forEach((c, k) => {
      for (const [label, source] of [["true", c], ["false", wrong[k]]] as const) {
        const unit = `s:${relation}:${c.id}:${label}`;
        for (const l of languages) {
          const name = c.local[l.lang].name;
          const answer = source.local[l.lang][relation];
          const text = renderStatement(l.lang, relation, name, answer);
          items.push({...base(l, unit), text, label, relation, entity: c.id, name, answer});
        }
      }
    });
  }
  return items;
}

/**
 * A locale's names of the UN members, the corpus fabricated names are modelled on: sovereign
 * countries only, since dependent territories' names ("U.S. Outlying Islands", 英領インド洋地域)
 * would teach the model words no country in the question set has.
 */
function countryCorpus(locale: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const names = territoryNames(locale);
  return [...unMembers()].sort().flatMap((code) => (names[code] && !exclude.has(code) ? [names[code]] : []));
}

/** Scripts whose characters are syllables (Han, Hangul, kana): a first-order model already spans a syllable pair. */
const SYLLABIC_SCRIPTS = new Set(["Hans", "Hang", "Jpan"]);

/**
 * Weight of the question set's own countries in the name model (see NameSource.targetWeight).
 * Measured with surface_probe.py (mean accuracy over languages, names): 0 -> 0.72, 0.5 -> 0.54,
 * 1 -> 0.47, 0.75 -> 0.47; since names are also kept out of the embedded model's training text,
 * 0.75 -> 0.50 (data/questions/surface-probe.json).
 */
const TARGET_WEIGHT = 0.75;

/** Per language: a Markov model of its territory names, and one fabricated name for each country, shaped like it. */
function nameSources(countries: readonly CountryFacts[], languages: readonly QuestionLanguage[]): NameSource[] {
  const used = new Set(countries.map((c) => c.id));
  return languages.map((l) => ({
    lang: l.lang,
    others: countryCorpus(l.locale, used),
    targetWeight: TARGET_WEIGHT,
    targets: countries.map((c) => c.local[l.lang].name),
    order: SYLLABIC_SCRIPTS.has(l.script) ? 1 : 2
  }));
}

/**
 * Builds the three sets from CLDR (tens of seconds: the collision check reads every CLDR locale).
 * `udhr` is the UDHR corpus data/udhr/parallel.jsonl holds (buildUdhrCorpus().items): with CLDR
 * names and the true statements it makes up the embedded model's training text, in which no
 * fabricated name may occur, so the model card can say the fabricated entities were never seen.
 */
export function buildQuestionSets(udhr: readonly TextItem[], seed = QUESTIONS_SEED, languages = QUESTION_LANGUAGES): QuestionSets {
  const countries = countryFacts(languages);
  const statements = buildStatements(countries, languages, seed);
  const near = languages.flatMap((l) => Object.values(territoryNames(l.locale)));
  const fabricated = fabricateNames(nameSources(countries, languages), realNameKeys(), near, embeddedTrainingText(udhr, statements), seed);
  return {
    questions: buildQuestions(countries, fabricated, languages),
    statements,
    falsePremise: buildFalsePremise(countries, languages, seed),
    countries,
    fabricated
  };
}
