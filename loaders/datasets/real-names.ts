/**
 * Every real place, language and currency name we can see offline, as nameKey()s: CLDR territory,
 * language and currency names and time-zone cities in all locales, plus npm `countries-list` names,
 * native names and capitals. Fabricated names must avoid all of them.
 */
import {countries} from "countries-list";
import {allLocales, currencyDisplayNames, languageNames, territoryNames, zoneTree} from "./cldr.js";
import {nameKey} from "./fabricate.js";

/** Every exemplar city of a locale, plus the root name derived from each zone id. */
function cities(locale: string): string[] {
  const out: string[] = [];
  const walk = (node: any, key: string): void => {
    if (typeof node !== "object" || node === null) return;
    if (typeof node.exemplarCity === "string") out.push(node.exemplarCity);
    if (node._type === "zone") out.push(key.replace(/_/g, " "));
    for (const [k, child] of Object.entries(node)) walk(child, k);
  };
  walk(zoneTree(locale), "");
  return out;
}

export function realNameKeys(): Set<string> {
  const names: string[] = [];
  for (const locale of allLocales("cldr-localenames-full")) {
    names.push(...Object.values(territoryNames(locale)), ...Object.values(languageNames(locale)));
  }
  for (const locale of allLocales("cldr-numbers-full")) {
    for (const entry of Object.values(currencyDisplayNames(locale))) {
      for (const [key, value] of Object.entries(entry)) if (key.startsWith("displayName")) names.push(value);
    }
  }
  for (const locale of allLocales("cldr-dates-full")) names.push(...cities(locale));
  for (const c of Object.values(countries)) names.push(c.name, c.native, c.capital);
  return new Set(names.filter((n) => n).map(nameKey));
}
