// The fertility page's data for one configured model: the "fertility" analysis of its parallel-text store.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import type {ModelPage} from "../../../loaders/report/page-data.js";

await runPageLoader<ModelPage>((config, slug, log) => modelPageData(config, env, slug, "parallel", ["fertility"], log));
