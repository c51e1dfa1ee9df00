/**
 * False-premise questions, after FreshQA's false-premise questions (Vu et al., "FreshLLMs:
 * Refreshing Large Language Models with Search Engine Augmentation", 2023): a question that
 * presupposes a fact, true or false. "Why is Paris the capital of France?" (true premise) against
 * "Why is Madrid the capital of France?" (false premise), parallel across the question languages.
 *
 * Built from the CLDR facts the question set uses (facts.ts): every country's capital is its CLDR
 * exemplar city in that language (or, in Latin-script languages without one, CLDR's own root name
 * for the city). The false premise names the capital of another country on the same continent,
 * drawn once per country with the seed, so it is the same wrong city in every language and not
 * told apart by being on the other side of the world.
 */
import type {TextItem} from "../types.js";
import type {CountryFacts} from "./facts.js";
import type {QuestionLanguage} from "./question-languages.js";
import {mulberry32, seedFor} from "../random.js";

export type PremiseLabel = "true-premise" | "false-premise";

export interface FalsePremiseItem extends TextItem {
  label: PremiseLabel;
  relation: "capital";
  /** The country asked about (ISO 3166 code). */
  entity: string;
  /** The country's name as written in `text`. */
  name: string;
  /** The city the question presupposes to be the capital, as written in `text`. */
  premise: string;
  /** The country whose capital `premise` is (= entity for a true premise). */
  premiseOf: string;
}

/**
 * Written per language by the project; {C} is the city, {X} the country, both in CLDR's citation
 * form, so each template keeps them out of inflecting positions ("the country X", the city as the
 * predicate of a copula, Korean's topic on the capital so no particle follows the city).
 */
export const FALSE_PREMISE_TEMPLATES: Readonly<Record<string, string>> = {
  eng: "Why is {C} the capital of {X}?",
  fra: "Pourquoi la capitale du pays {X} est-elle {C} ?",
  deu: "Warum ist {C} die Hauptstadt des Landes {X}?",
  spa: "¿Por qué {C} es la capital del país {X}?",
  por: "Por que {C} é a capital do país {X}?",
  tur: "{C} neden {X} ülkesinin başkentidir?",
  vie: "Tại sao {C} là thủ đô của {X}?",
  ind: "Mengapa {C} menjadi ibu kota negara {X}?",
  swh: "Kwa nini {C} ni mji mkuu wa {X}?",
  rus: "Почему столицей страны {X} является город {C}?",
  arb: "لماذا تعد {C} عاصمة دولة {X}؟",
  hin: "{C} {X} देश की राजधानी क्यों है?",
  tha: "ทำไมเมือง{C}จึงเป็นเมืองหลวงของประเทศ{X}",
  kor: "{X}의 수도는 왜 {C}입니까?",
  jpn: "{X}の首都はなぜ{C}なのですか？",
  cmn_hans: "为什么{X}的首都是{C}？"
};

function renderFalsePremise(lang: string, city: string, country: string): string {
  const template = FALSE_PREMISE_TEMPLATES[lang];
  if (!template) throw new Error(`no false-premise template for language "${lang}"; have: ${Object.keys(FALSE_PREMISE_TEMPLATES).join(", ")}`);
  return template.replace("{C}", city).replace("{X}", country);
}

/** For each country, another country on its continent with another capital (seeded draw). */
function falseCapitalSources(countries: readonly CountryFacts[], seed: number): CountryFacts[] {
  const random = mulberry32(seedFor(seed, "false-premise"));
  return countries.map((c) => {
    const others = countries.filter((o) => o.codes.continent === c.codes.continent && o.codes.capital !== c.codes.capital);
    if (others.length === 0) throw new Error(`false premise: no other country on ${c.id}'s continent ${c.codes.continent}`);
    return others[Math.floor(random() * others.length)];
  });
}

/**
 * Units `fp:<country>:<true|false>`, ids `<unit>:<lang>`; per language one true- and one
 * false-premise question about each country.
 */
export function buildFalsePremise(countries: readonly CountryFacts[], languages: readonly QuestionLanguage[], seed: number): FalsePremiseItem[] {
  const wrong = falseCapitalSources(countries, seed);
  return countries.flatMap((c, k) =>
    ([["true-premise", c], ["false-premise", wrong[k]]] as const).flatMap(([label, source]) => {
      const unit = `fp:${c.id}:${label === "true-premise" ? "true" : "false"}`;
      return languages.map((l) => {
        const name = c.local[l.lang].name;
        const premise = source.local[l.lang].capital;
        return {
          id: `${unit}:${l.lang}`, unit, lang: l.lang, script: l.script, direction: l.direction,
          text: renderFalsePremise(l.lang, premise, name), label, relation: "capital" as const,
          entity: c.id, name, premise, premiseOf: source.id
        };
      });
    })
  );
}
