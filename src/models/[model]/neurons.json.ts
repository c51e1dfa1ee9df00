// The language-neurons page's data for one configured model: the "neurons" analysis of its parallel-text store.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";

await runPageLoader((config, slug, log) => modelPageData(config, env, slug, "parallel", ["neurons"], log));
