// The explorer's data for one configured model: the surgered pooled ONNX graph the extraction ran, which the explorer runs in the page (empty when the model is too large).
import {env} from "../../../loaders/config.js";
import {runPageLoader} from "../../../loaders/report/page-loader.js";
import {sentenceProbePart} from "../../../loaders/pipeline/pages.js";

await runPageLoader((config, slug, log) => sentenceProbePart(config, env, slug, "model", log), (bytes) => bytes);
