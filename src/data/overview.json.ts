// The overview page's data: every configured model on the parallel dataset, or why it was skipped.
import config from "../../babelscope.config.js";
import {env} from "../../loaders/config.js";
import {overview} from "../../loaders/report/overview.js";

const result = await overview(config, env, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(JSON.stringify(result));
