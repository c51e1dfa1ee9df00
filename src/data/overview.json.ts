// The overview page's data: every configured model on the parallel dataset (or why it was skipped),
// the datasets, and the build's provenance.
import {env} from "../../loaders/config.js";
import {configPath, loadConfig} from "../../loaders/project/config.js";
import {overview} from "../../loaders/pipeline/pages.js";
import type {OverviewPage, Provenance} from "../../loaders/report/page-data.js";

const config = await loadConfig(configPath(env.root));
const result = await overview(config, env, (line) => process.stderr.write(`${line}\n`));
const provenance: Provenance = {babelscope: env.version, node: process.version, built: new Date().toISOString()};
process.stdout.write(JSON.stringify({...result, provenance} satisfies OverviewPage));
