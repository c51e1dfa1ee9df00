/** `npm run bench`: every benchmark, one after another (never in parallel: they would share 2 cores). */
import {main as alignment} from "./alignment.js";
import {main as analyses} from "./analyses.js";
import {main as build} from "./build.js";
import {main as exportParquet} from "./export.js";
import {main as extract} from "./extract.js";
import {main as site} from "./site.js";

await extract();
await exportParquet();
await alignment();
await analyses();
// Before the site benchmark, whose build then puts the project's own site back into dist/.
await build();
await site();
