/**
 * Language metadata for every language code in the shipped corpora: the proxies rankings are
 * correlated against (speakers, web share) and the groupings charts colour by (script, family).
 *
 * - name, ISO 639-1/3: npm `iso-639-3` (SIL reference names) and CLDR English names.
 * - speakers: CLDR `territoryInfo`, the sum over territories of population x language population
 *   share (first- and second-language speakers as CLDR counts them), for the CLDR language the code
 *   maps to (an individual language of a macrolanguage maps to it: `arb` -> `ar`, `cmn` -> `zh`).
 * - webShare: percent of pages in Common Crawl CC-MAIN-2024-42 (see web-share.ts), same mapping.
 * - family: CLDR `languageGroups` (see families.ts).
 * - tier: derived from webShare and speakers (see resourceTier).
 */
import {iso6393, iso6393To1} from "iso-639-3";
import {languageAliases, languageNames, territoryInfo} from "./cldr.js";
import {QUESTION_LANGUAGES} from "./question-languages.js";
import {FAMILY_NAMES, familyOf} from "./families.js";
import {webShares, WEB_SHARE_CRAWL} from "./web-share.js";

export type ResourceTier = "high" | "medium" | "low" | "very-low";

export interface LanguageInfo {
  /** Babelscope code: ISO 639-3, optionally `_variant`. */
  code: string;
  iso639_3: string;
  iso639_1?: string;
  /** English name of the language (not of the variant). */
  name: string;
  variant?: string;
  /** ISO 15924, as written in the corpora. */
  script: string;
  family?: string;
  familyCode?: string;
  /** CLDR language code the population and web figures are for. */
  cldr: string;
  speakers?: number;
  /** Percent of pages in Common Crawl `webShareCrawl`. */
  webShare?: number;
  webShareCrawl: string;
  tier: ResourceTier;
  /** Datasets the code occurs in. */
  datasets: string[];
}

/**
 * Resource tier from web share first (the closer proxy of pretraining data), speakers second:
 * high >= 1% of pages; medium >= 0.1%; low >= 0.001% or, without a web share, >= 1 million speakers;
 * very-low otherwise.
 */
export function resourceTier(webShare: number | undefined, speakers: number | undefined): ResourceTier {
  if (webShare !== undefined && webShare >= 1) return "high";
  if (webShare !== undefined && webShare >= 0.1) return "medium";
  if ((webShare !== undefined && webShare >= 0.001) || (webShare === undefined && (speakers ?? 0) >= 1e6)) return "low";
  return "very-low";
}

/** The CLDR language an ISO 639-3 code's figures are kept under: 639-1 if any, else CLDR's alias. */
export function cldrLanguage(iso3: string): string {
  return iso6393To1[iso3] ?? languageAliases()[iso3]?._replacement.split(/[-_]/)[0] ?? iso3;
}

/** Population speaking a CLDR language, summed over territories and its script variants (`zh_Hant`). */
export function speakersByLanguage(): Map<string, number> {
  const totals = new Map<string, number>();
  for (const info of territoryInfo().values()) {
    for (const l of info.languages) {
      const base = l.lang.split("_")[0];
      totals.set(base, (totals.get(base) ?? 0) + (info.population * l.populationPercent) / 100);
    }
  }
  return totals;
}

const ISO_BY_1 = new Map(iso6393.filter((l) => l.iso6391).map((l) => [l.iso6391!, l.iso6393]));
const ISO_NAME = new Map(iso6393.map((l) => [l.iso6393, l.name]));

/** Common Crawl's code for a language: its own ISO 639-3, else that of its CLDR (macro)language. */
function webShareOf(iso3: string, cldr: string, shares: Map<string, number>): number | undefined {
  return shares.get(iso3) ?? shares.get(ISO_BY_1.get(cldr) ?? cldr);
}

export interface CorpusLanguage {
  code: string;
  script: string;
  dataset: string;
}

/** The language codes of the shipped datasets: UDHR texts aligning at least one unit, and the question languages. */
export function shippedCorpusLanguages(udhrCoverage: readonly {lang: string; script: string; units: number}[]): CorpusLanguage[] {
  return [
    ...udhrCoverage.filter((c) => c.units > 0).map((c) => ({code: c.lang, script: c.script, dataset: "udhr"})),
    ...QUESTION_LANGUAGES.map((l) => ({code: l.lang, script: l.script, dataset: "questions"}))
  ];
}

/** Metadata for each distinct code of `corpusLanguages`, sorted by code. */
export function buildLanguages(corpusLanguages: readonly CorpusLanguage[]): LanguageInfo[] {
  const speakers = speakersByLanguage();
  const shares = webShares();
  const english = languageNames("en");
  const byCode = new Map<string, LanguageInfo>();
  for (const {code, script, dataset} of corpusLanguages) {
    const known = byCode.get(code);
    if (known) {
      if (!known.datasets.includes(dataset)) known.datasets.push(dataset);
      continue;
    }
    const [iso3, ...rest] = code.split("_");
    const cldr = cldrLanguage(iso3);
    const familyCode = familyOf([iso3, cldr]);
    const webShare = webShareOf(iso3, cldr, shares);
    const speakerCount = speakers.get(cldr);
    byCode.set(code, {
      code, iso639_3: iso3, iso639_1: iso6393To1[iso3],
      name: english[iso6393To1[iso3] ?? iso3] ?? ISO_NAME.get(iso3) ?? iso3,
      variant: rest.length ? rest.join("_") : undefined,
      script, family: familyCode ? FAMILY_NAMES[familyCode] : undefined, familyCode, cldr,
      speakers: speakerCount === undefined ? undefined : Math.round(speakerCount),
      webShare, webShareCrawl: WEB_SHARE_CRAWL, tier: resourceTier(webShare, speakerCount), datasets: [dataset]
    });
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
