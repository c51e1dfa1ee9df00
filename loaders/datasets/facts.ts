/**
 * Facts about real countries (UN members, so no contested or dependent territory), every value localized by CLDR: name, capital, currency, official
 * language and continent. A country is kept only when each relation has exactly one answer and every
 * question language has every string, so the question set stays parallel.
 *
 * Capital: the English capital of npm `countries-list`, matched to a CLDR time zone of that country
 * whose city is that capital (only such cities have localized names in CLDR). Latin-script locales
 * may fall back to CLDR's root city name (derived from the zone id, as CLDR itself does); other
 * scripts must have their own name.
 */
import {countries} from "countries-list";
import {
  continentOf, currencyDisplayNames, unMembers, exemplarCity, languageNames, rootCity, tenderCurrencies, territoryInfo,
  territoryNames, zoneTerritories
} from "./cldr.js";
import type {QuestionLanguage} from "./question-languages.js";

export const RELATIONS = ["capital", "currency", "language", "continent"] as const;
export type Relation = (typeof RELATIONS)[number];

/** Stable language-independent codes of a country's answers (zone id, ISO 4217, BCP 47, M.49). */
export interface CountryFacts {
  /** ISO 3166-1 alpha-2. */
  id: string;
  codes: Record<Relation, string>;
  /** Per Babelscope language: the country's name and each answer, in that language. */
  local: Record<string, {name: string} & Record<Relation, string>>;
}

const OFFICIAL = new Set(["official", "de_facto_official"]);

/** Folds case and accents so `Bogotá` matches `Bogota`. */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function capitalZone(region: string, zones: Map<string, string>): string | undefined {
  const capital = (countries as Record<string, {capital: string}>)[region]?.capital;
  if (!capital) return undefined;
  const matches = [...zones]
    .filter(([zone, r]) => r === region && fold(exemplarCity("en", zone) ?? rootCity(zone)) === fold(capital))
    .map(([zone]) => zone);
  return matches.length === 1 ? matches[0] : undefined;
}

function officialLanguage(region: string, info: ReturnType<typeof territoryInfo>): string | undefined {
  const official = (info.get(region)?.languages ?? []).filter((l) => OFFICIAL.has(l.officialStatus ?? ""));
  return official.length === 1 ? official[0].lang : undefined;
}

function localize(
  codes: Record<Relation, string>, region: string, language: QuestionLanguage
): ({name: string} & Record<Relation, string>) | undefined {
  const {locale, script} = language;
  const city = exemplarCity(locale, codes.capital) ?? (script === "Latn" ? rootCity(codes.capital) : undefined);
  const local = {
    name: territoryNames(locale)[region],
    capital: city,
    currency: currencyDisplayNames(locale)[codes.currency]?.displayName,
    language: languageNames(locale)[codes.language],
    continent: territoryNames(locale)[codes.continent]
  };
  // Some CLDR locales carry the bare code (`XOF`) as a name; treat that as missing too.
  const missing = Object.entries(local).some(([key, v]) => v === undefined || v === (key === "name" ? region : codes[key as Relation]));
  return missing ? undefined : (local as {name: string} & Record<Relation, string>);
}

/** Every country with one answer per relation and every string in every given language, by id. */
export function countryFacts(languages: readonly QuestionLanguage[]): CountryFacts[] {
  const zones = zoneTerritories();
  const info = territoryInfo();
  const facts: CountryFacts[] = [];
  const members = unMembers();
  for (const region of Object.keys(countries).sort()) {
    if (!members.has(region)) continue;
    const capital = capitalZone(region, zones);
    const currencies = tenderCurrencies(region);
    const language = officialLanguage(region, info);
    const continent = continentOf(region);
    if (!capital || currencies.length !== 1 || !language || !continent) continue;
    const codes: Record<Relation, string> = {capital, currency: currencies[0], language, continent};
    const local: CountryFacts["local"] = {};
    for (const l of languages) {
      const strings = localize(codes, region, l);
      if (!strings) break;
      local[l.lang] = strings;
    }
    if (Object.keys(local).length === languages.length) facts.push({id: region, codes, local});
  }
  return facts;
}
