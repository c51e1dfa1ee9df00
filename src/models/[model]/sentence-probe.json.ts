// The explorer's data for one configured model: the explorer's sentence probe of one model: how to tokenise, pool and place a typed sentence in every layer's picture (JSON).
import {env} from "../../../loaders/config.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {sentenceProbePart} from "../../../loaders/pipeline/pages.js";

await runPageLoader((config, slug, log) => sentenceProbePart(config, env, slug, "meta", log), (bytes) => bytes);
