// The words page's data for one configured model: the "words" analysis of its store of the word pairs.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";

await runPageLoader((config, slug, log) => modelPageData(config, env, slug, "words", ["words"], log));
