/**
 * What the site is built from. Offline, hub models are skipped with a one-line reason shown in the
 * build log and on the overview page; online they are downloaded once, cached and analysed.
 */
import {defineConfig} from "./loaders/project/config.js";

export default defineConfig({
  models: [
    // Ships in models/babelscope-tiny: always available, the model CI checks end to end.
    "embedded:babelscope-tiny",
    "Xenova/multilingual-e5-small",
    "Xenova/bert-base-multilingual-cased",
    {ref: "onnx-community/Qwen2.5-0.5B-Instruct", dtype: "q8"}
  ],
  parallel: "udhr-heldout",
  pooling: "mean",
  maxLength: 256
});
