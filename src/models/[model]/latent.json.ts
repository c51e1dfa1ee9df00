// The latent-language page's data for one configured model: the "latent" analysis (the logit lens on translation prompts) of its parallel-text store.
import {env} from "../../../loaders/config.js";
import {modelPageData} from "../../../loaders/pipeline/model-pages.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";

await runPageLoader((config, slug, log) => modelPageData(config, env, slug, "parallel", ["latent"], log));
