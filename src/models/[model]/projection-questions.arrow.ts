// The explorer's second dataset for one configured model: UMAP and PCA positions of every knowledge-boundary question at every layer.
import {env} from "../../../loaders/config.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {projectionTable} from "../../../loaders/pipeline/pages.js";

await runPageLoader((config, slug, log) => projectionTable(config, env, slug, "questions", log), (bytes) => bytes);
