/**
 * What the site is built from. Offline, hub models are skipped with a one-line reason shown in the
 * build log and on the overview page; online they are downloaded once, cached and analysed.
 */
import {defineConfig} from "./loaders/project/config.js";

export default defineConfig({
  models: [
    // Ships in models/babelscope-tiny: always available, the model CI checks end to end.
    "embedded:babelscope-tiny",
    // Capped at 2 items per language (whole units, the same everywhere): uncapped, the three hub
    // models take about 3.5 hours on 4 cores (README, "Cost"); remove a `sample` to read everything.
    {ref: "Xenova/multilingual-e5-small", sample: {maxItemsPerLanguage: 2}},
    {ref: "Xenova/bert-base-multilingual-cased", sample: {maxItemsPerLanguage: 2}},
    {ref: "onnx-community/Qwen2.5-0.5B-Instruct", dtype: "q8", sample: {maxItemsPerLanguage: 2}}
  ],
  parallel: "udhr-heldout",
  pooling: "mean",
  maxLength: 256
});
