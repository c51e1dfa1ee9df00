// The explorer's data for one configured model: the stored parallel-text vectors of every pictured layer (float32), for a typed sentence's neighbours.
import {env} from "../../../loaders/config.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {sentenceProbePart} from "../../../loaders/pipeline/pages.js";

await runPageLoader((config, slug, log) => sentenceProbePart(config, env, slug, "vectors", log), (bytes) => bytes);
