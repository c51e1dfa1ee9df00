/**
 * Datasets of Babelscope: built-in parallel text (UDHR), knowledge-boundary questions and statements,
 * language metadata, and the validated format for users' own files.
 */
export {loadDataset, BUILTIN_DATASETS} from "./load.js";
export {DatasetError} from "./errors.js";
export {datasetHash} from "./hash.js";
export {parseDatasetFile} from "./format.js";
export {languages} from "./metadata.js";
export {datasetCounts, formatCounts} from "./counts.js";
