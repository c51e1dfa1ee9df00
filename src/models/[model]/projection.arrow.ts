// The explorer's data for one configured model: UMAP and PCA positions of every parallel-text item at every layer.
import {env} from "../../../loaders/config.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {projectionTable} from "../../../loaders/pipeline/pages.js";

await runPageLoader((config, slug, log) => projectionTable(config, env, slug, "parallel", log), (bytes) => bytes);
