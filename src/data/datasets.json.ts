// The page datasets' own metadata (name, citation, licence, address): how every page names and cites
// the datasets it was built from, whatever the user configured (never a file path).
import {env} from "../../loaders/config.js";
import {pageDatasetInfo} from "../../loaders/pipeline/model-pages.js";
import {configPath, loadConfig} from "../../loaders/project/config.js";

const config = await loadConfig(configPath(env.root));
process.stdout.write(JSON.stringify({parallel: pageDatasetInfo(config, "parallel"), questions: pageDatasetInfo(config, "questions")}));
