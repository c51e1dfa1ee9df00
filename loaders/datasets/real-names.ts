/**
 * Every real place, language and currency name we can see offline, as nameKey()s: CLDR territory,
 * language and currency names and time-zone cities in all locales, plus npm `countries-list` names,
 * native names and capitals. Fabricated names must avoid all of them, and must not occur in the
 * embedded model's training text (embeddedTrainingText).
 */
import {countries} from "countries-list";
import type {TextItem} from "../types.js";
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

/** corpus.py's _base_locales: regional variants (fr-CA) left out, script variants (sr-Latn) kept. */
function baseLocales(pkg: "cldr-localenames-full" | "cldr-numbers-full"): string[] {
  return allLocales(pkg).filter((locale) => {
    const sub = locale.split("-")[1];
    return sub === undefined || (sub.length === 4 && /^\p{Lu}/u.test(sub));
  });
}

/**
 * The embedded model's training text as models/train/corpus.py assembles it and
 * models/train/evaluate.py searches it for fabricated names (one string, texts joined by "\n"),
 * rebuilt exactly rather than as a superset, so no name is turned away for text the model never
 * read: the `train` split of the UDHR items; CLDR territory and language names
 * (codes without "-alt-") of the base locales, and currency display names, of every code with an
 * English name (corpus.py drops a name equal to the English one, but the English name itself is
 * in, so the strings are the same); and the `true` statements.
 */
export function embeddedTrainingText(udhr: readonly TextItem[], statements: readonly TextItem[]): string {
  const groups = new Map<string, {english: boolean; names: Set<string>}>();
  const add = (kind: string, code: string, locale: string, name: string) => {
    const key = `${kind}:${code}`;
    const group = groups.get(key) ?? {english: false, names: new Set<string>()};
    groups.set(key, group);
    group.names.add(name);
    group.english ||= locale === "en";
  };
  for (const locale of baseLocales("cldr-localenames-full")) {
    for (const [kind, names] of [["territories", territoryNames(locale)], ["languages", languageNames(locale)]] as const) {
      for (const [code, name] of Object.entries(names)) if (!code.includes("-alt-")) add(kind, code, locale, name);
    }
  }
  for (const locale of baseLocales("cldr-numbers-full")) {
    for (const [code, entry] of Object.entries(currencyDisplayNames(locale))) {
      if (entry.displayName !== undefined) add("currencies", code, locale, entry.displayName);
    }
  }
  const cldr = [...groups.values()].filter((g) => g.english).flatMap((g) => [...g.names]);
  return [
    ...udhr.filter((item) => item.split === "train").map((item) => item.text),
    ...cldr,
    ...statements.filter((item) => item.label === "true").map((item) => item.text)
  ].join("\n");
}
