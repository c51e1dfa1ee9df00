// The page datasets' own metadata (name, citation, licence, address): how every page names and cites
// the datasets it was built from, whatever the user configured (never a file path).
import {env} from "../../loaders/config.js";
import {pageDatasetInfo} from "../../loaders/pipeline/model-pages.js";
import {configPath, loadConfig} from "../../loaders/project/config.js";

const config = await loadConfig(configPath(env.root));
// The words store can be turned off (`words: false`): then there is no dataset to name.
const words = config.words === null ? null : pageDatasetInfo(config, "words");
process.stdout.write(JSON.stringify({parallel: pageDatasetInfo(config, "parallel"), questions: pageDatasetInfo(config, "questions"), words}));
