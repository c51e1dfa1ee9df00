/**
 * Share of web pages per language in one Common Crawl crawl (CC-MAIN-2024-42), from Common Crawl's
 * published crawl statistics (cc-crawl-statistics, plots/languages.csv; languages identified by CLD2
 * and given as ISO 639-3, macrolanguage codes for macrolanguages). Shipped as
 * data/sources/commoncrawl-languages-CC-MAIN-2024-42.csv.
 */
import {readFileSync} from "node:fs";
import {DATA_DIR} from "./paths.js";

export const WEB_SHARE_CRAWL = "CC-MAIN-2024-42";
const WEB_SHARE_FILE = `${DATA_DIR}sources/commoncrawl-languages-${WEB_SHARE_CRAWL}.csv`;

/** ISO 639-3 (or macrolanguage) code -> percent of the crawl's pages. */
export function webShares(path = WEB_SHARE_FILE): Map<string, number> {
  const rows = readFileSync(path, "utf8").trim().split("\n").slice(1);
  return new Map(rows.map((row) => {
    const [code, pct] = row.split(",");
    return [code, Number(pct)] as const;
  }));
}
