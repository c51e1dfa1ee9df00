/**
 * `npm run bench`: every benchmark, one after another (never in parallel: they would share 2 cores).
 * `npm run bench -- analyze-memory alignment`: only those named.
 */
import {main as alignment} from "./alignment.js";
import {main as analyses} from "./analyses.js";
import {main as analyzeMemory} from "./analyze-memory.js";
import {main as build} from "./build.js";
import {main as extract} from "./extract.js";
import {main as largeModel} from "./large-model.js";
import {main as site} from "./site.js";

/**
 * In the order they run: the build benchmark goes before the site one, whose build then puts the
 * project's own site back into dist/; the large model last: it writes about 7 GB (a model over
 * 2 GB and its two optimised copies) and takes minutes.
 */
const BENCHMARKS: Record<string, () => Promise<void>> = {extract, alignment, analyses, "analyze-memory": analyzeMemory, build, site, "large-model": largeModel};

const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")} (choose from ${Object.keys(BENCHMARKS).join(", ")})`);
for (const [name, run] of Object.entries(BENCHMARKS)) if (named.length === 0 || named.includes(name)) await run();
