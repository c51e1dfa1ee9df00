// The model comparison page's data: per-layer summaries of every configured model (or why it was skipped).
import {env} from "../../loaders/config.js";
import {configPath, loadConfig} from "../../loaders/project/config.js";
import {comparison} from "../../loaders/pipeline/pages.js";
import type {ComparisonPage} from "../../loaders/report/page-data.js";

const config = await loadConfig(configPath(env.root));
process.stdout.write(JSON.stringify((await comparison(config, env, (line) => process.stderr.write(`${line}\n`))) satisfies ComparisonPage));
