/**
 * Datasets of Babelscope: built-in parallel text (UDHR), knowledge-boundary questions and statements,
 * language metadata, and the validated format for users' own files.
 */
export {loadDataset, BUILTIN_DATASETS, type LoadOptions} from "./load.js";
export {DatasetError} from "./errors.js";
export {datasetHash, canonicalItems} from "./hash.js";
export {parseDatasetFile, readDatasetFile, REQUIRED_FIELDS, OPTIONAL_FIELDS} from "./format.js";
export {languages, type LanguageInfo, type ResourceTier} from "./metadata.js";
export {datasetCounts, formatCounts, type DatasetCounts} from "./counts.js";
export {detectScript, scriptDirection} from "./scripts.js";
export {udhrSplit, FIRST_HELDOUT_ARTICLE} from "./udhr.js";
export {RELATIONS, type Relation} from "./facts.js";
export {type QuestionItem} from "./questions.js";
