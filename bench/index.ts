/**
 * `npm run bench`: every benchmark, one after another (never in parallel: they would share 2 cores).
 * `npm run bench -- <name> [args]` runs one alone (names below), e.g. `npm run bench -- real-size`.
 */
import {main as alignment} from "./alignment.js";
import {main as analyses} from "./analyses.js";
import {main as analyzeMemory} from "./analyze-memory.js";
import {main as build} from "./build.js";
import {main as exportParquet} from "./export.js";
import {main as extract} from "./extract.js";
import {main as largeModel} from "./large-model.js";
import {main as realSize} from "./real-size.js";
import {main as site} from "./site.js";

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  extract,
  export: exportParquet,
  alignment,
  analyses,
  "analyze-memory": analyzeMemory,
  // Before the site benchmark, whose build then puts the project's own site back into dist/.
  build,
  site,
  // Generates its models the first time (minutes) and takes the longest.
  "real-size": realSize,
  // Last: it writes about 7 GB (a model over 2 GB and its two optimised copies) and takes minutes.
  "large-model": largeModel
};

const [name, ...args] = process.argv.slice(2);
if (name === undefined) {
  for (const run of Object.values(BENCHMARKS)) await run([]);
} else if (BENCHMARKS[name]) {
  await BENCHMARKS[name](args);
} else {
  throw new Error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHMARKS).join(", ")})`);
}
