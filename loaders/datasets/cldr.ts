/**
 * Read access to Unicode CLDR (npm cldr-core, cldr-localenames-full, cldr-numbers-full,
 * cldr-dates-full; Unicode licence v3). Every lookup returns undefined when CLDR has no value, so
 * callers decide what missing data means.
 */
import {createRequire} from "node:module";
import {readdirSync} from "node:fs";
import {dirname, join} from "node:path";

const require = createRequire(import.meta.url);

/** A supplemental (locale-independent) file; `require` caches it. */
function load<T>(id: string): T {
  return require(id) as T;
}

/** Locale files already looked for, including those CLDR lacks (undefined). */
const localeCache = new Map<string, unknown>();

/** A locale file's content, or undefined when CLDR has no such file for the locale. */
function loadLocale(id: string): any {
  if (!localeCache.has(id)) {
    try {
      localeCache.set(id, require(id));
    } catch (e) {
      if ((e as {code?: string}).code !== "MODULE_NOT_FOUND") throw e;
      localeCache.set(id, undefined);
    }
  }
  return localeCache.get(id);
}

type Names = Record<string, string>;

export function territoryNames(locale: string): Names {
  return loadLocale(`cldr-localenames-full/main/${locale}/territories.json`)?.main[locale].localeDisplayNames.territories ?? {};
}

export function languageNames(locale: string): Names {
  return loadLocale(`cldr-localenames-full/main/${locale}/languages.json`)?.main[locale].localeDisplayNames.languages ?? {};
}

export function currencyDisplayNames(locale: string): Record<string, Record<string, string>> {
  return loadLocale(`cldr-numbers-full/main/${locale}/currencies.json`)?.main[locale].numbers.currencies ?? {};
}

/** Zone tree of a locale (exported for the real-name inventory): `{Europe: {Paris: {exemplarCity}}, America: {Argentina: {...}}}`. */
export function zoneTree(locale: string): Record<string, any> {
  return loadLocale(`cldr-dates-full/main/${locale}/timeZoneNames.json`)?.main[locale].dates.timeZoneNames.zone ?? {};
}

/** A locale's own name for a time zone's city (no fallback: CLDR's root derives it from the id). */
export function exemplarCity(locale: string, zone: string): string | undefined {
  let node: any = zoneTree(locale);
  for (const part of zone.split("/")) node = node?.[part];
  return typeof node?.exemplarCity === "string" ? node.exemplarCity : undefined;
}

/** The city name CLDR's root locale derives from a zone id: `America/Mexico_City` -> `Mexico City`. */
export function rootCity(zone: string): string {
  return zone.slice(zone.lastIndexOf("/") + 1).replace(/_/g, " ");
}

/** Every zone id with a territory, from CLDR's Windows zone mapping: zone -> ISO 3166 region. */
export function zoneTerritories(): Map<string, string> {
  const map = new Map<string, string>();
  const rows = load<any>("cldr-core/supplemental/windowsZones.json").supplemental.windowsZones.mapTimezones;
  for (const {mapZone} of rows as {mapZone: {_type: string; _territory: string}}[]) {
    if (mapZone._territory === "001") continue;
    for (const zone of mapZone._type.split(" ")) map.set(zone, mapZone._territory);
  }
  return map;
}

/** Currencies in use and legal tender in a region today (no end date, not marked non-tender). */
export function tenderCurrencies(region: string): string[] {
  const rows = load<any>("cldr-core/supplemental/currencyData.json").supplemental.currencyData.region[region] ?? [];
  return (rows as Record<string, {_to?: string; _tender?: string}>[])
    .flatMap((row) => Object.entries(row))
    .filter(([, info]) => info._to === undefined && info._tender !== "false")
    .map(([code]) => code);
}

export interface TerritoryLanguage {
  lang: string;
  populationPercent: number;
  officialStatus?: string;
}

export interface TerritoryInfo {
  population: number;
  languages: TerritoryLanguage[];
}

/** CLDR `territoryInfo`: population and language population shares of every region. */
export function territoryInfo(): Map<string, TerritoryInfo> {
  const raw = load<any>("cldr-core/supplemental/territoryInfo.json").supplemental.territoryInfo;
  const map = new Map<string, TerritoryInfo>();
  for (const [region, info] of Object.entries<any>(raw)) {
    const languages = Object.entries<any>(info.languagePopulation ?? {}).map(([lang, p]) => ({
      lang,
      populationPercent: Number(p._populationPercent),
      officialStatus: p._officialStatus as string | undefined
    }));
    map.set(region, {population: Number(info._population), languages});
  }
  return map;
}

/** Members of the United Nations, per CLDR's `UN` grouping. */
export function unMembers(): Set<string> {
  const tree = load<any>("cldr-core/supplemental/territoryContainment.json").supplemental.territoryContainment;
  return new Set(tree.UN._contains as string[]);
}

/** UN M.49 continents CLDR names, by code. */
const CONTINENTS = ["002", "019", "142", "150", "009"] as const;

/** The continent (one of CONTINENTS) containing a region, following CLDR's containment tree. */
export function continentOf(region: string): string | undefined {
  const tree = load<any>("cldr-core/supplemental/territoryContainment.json").supplemental.territoryContainment;
  const contains = (group: string, target: string): boolean =>
    (tree[group]?._contains ?? []).some((child: string) => child === target || contains(child, target));
  return CONTINENTS.find((c) => contains(c, region));
}

/** Every locale the installed CLDR packages carry for a file kind. */
export function allLocales(pkg: "cldr-localenames-full" | "cldr-numbers-full" | "cldr-dates-full"): string[] {
  const dir = join(dirname(require.resolve(`${pkg}/package.json`)), "main");
  return readdirSync(dir).sort();
}

/** CLDR language aliases: deprecated or individual-language code -> replacement and reason. */
export function languageAliases(): Record<string, {_replacement: string; _reason: string}> {
  return load<any>("cldr-core/supplemental/aliases.json").supplemental.metadata.alias.languageAlias;
}

/** CLDR language groups (ISO 639-5 codes): group -> space-separated member codes. */
export function languageGroups(): Record<string, string> {
  return load<any>("cldr-core/supplemental/languageGroups.json").supplemental.languageGroups;
}

/** A locale's stand-alone wide month (1..12) and weekday (sun..sat) names, in that order, as CLDR writes them. */
export function calendarNames(locale: string): string[] {
  const gregorian = loadLocale(`cldr-dates-full/main/${locale}/ca-gregorian.json`)?.main[locale].dates.calendars.gregorian;
  if (!gregorian) return [];
  const months = gregorian.months["stand-alone"].wide;
  const days = gregorian.days["stand-alone"].wide;
  return [...Array.from({length: 12}, (_, k) => months[String(k + 1)]), ...["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => days[d])];
}
