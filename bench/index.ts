/**
 * `npm run bench`: every benchmark, one after another (never in parallel: they would share 2 cores).
 * `npm run bench -- analyze-memory alignment`: only those named.
 */
import {main as alignment} from "./alignment.js";
import {main as analyses} from "./analyses.js";
import {main as analyzeMemory} from "./analyze-memory.js";
import {main as build} from "./build.js";
import {main as extract} from "./extract.js";
import {main as site} from "./site.js";

/** In the order they run: the build benchmark goes before the site one, whose build then puts the project's own site back into dist/. */
const BENCHMARKS: Record<string, () => Promise<void>> = {extract, alignment, analyses, "analyze-memory": analyzeMemory, build, site};

const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")} (choose from ${Object.keys(BENCHMARKS).join(", ")})`);
for (const [name, run] of Object.entries(BENCHMARKS)) if (named.length === 0 || named.includes(name)) await run();
