import {createHash} from "node:crypto";
import type {TextItem} from "../types.js";

/**
 * Canonical serialisation of a list of items: one JSON object per line, in list order, each with its
 * keys sorted by code unit and undefined fields left out, lines joined by "\n". Extra fields beyond
 * TextItem (relation, answer, ...) take part, so any change to the content changes the hash.
 */
export function canonicalItems(items: readonly TextItem[]): string {
  return items.map(canonicalJson).join("\n");
}

function canonicalJson(item: TextItem): string {
  const record = item as unknown as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) if (record[key] !== undefined) sorted[key] = record[key];
  return JSON.stringify(sorted);
}

/** sha256 (hex) of `canonicalItems(items)` encoded as UTF-8: stable across runs and machines. */
export function datasetHash(items: readonly TextItem[]): string {
  return createHash("sha256").update(canonicalItems(items), "utf8").digest("hex");
}
