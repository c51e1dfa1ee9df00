/** `npm run bench`: every benchmark, one after another (never in parallel: they would share 2 cores). */
import {main as alignment} from "./alignment.js";
import {main as analyses} from "./analyses.js";
import {main as extract} from "./extract.js";
import {main as site} from "./site.js";

await extract();
await alignment();
await analyses();
await site();
