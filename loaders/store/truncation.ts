/** How many of a store's items were cut to its maximum length: one sentence for the build log and the pages. */
import {plural} from "../../components/format.js";
import type {Manifest} from "./store.js";

export function truncationNote({counts, settings}: Pick<Manifest, "counts" | "settings">): string {
  const verb = counts.truncated === 1 ? "was" : "were";
  return `${plural(counts.truncated, "item")} of ${counts.items.toLocaleString("en-US")} ${verb} longer than ${settings.max_length} tokens and cut there: their vectors read only the first ${settings.max_length} tokens`;
}
