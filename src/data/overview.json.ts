// The overview page's data: every configured model on the parallel dataset (or why it was skipped),
// with the slug of its pages and the build's provenance.
import {env} from "../../loaders/config.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {configPath, loadConfig} from "../../loaders/project/config.js";
import {overview} from "../../loaders/report/overview.js";
import {modelSlugs} from "../../loaders/report/slug.js";

const config = await loadConfig(configPath(env.root));
const result = await overview(config, env, (line) => process.stderr.write(`${line}\n`));
const slugs = modelSlugs(result.models.map((m) => m.ref));
const provenance = {babelscope: env.version, node: process.version, built: new Date().toISOString()};
const questions = await loadDataset("questions");
const questionsSummary = {name: questions.name, hash: questions.hash, items: questions.items.length, languages: new Set(questions.items.map((i) => i.lang)).size};
process.stdout.write(JSON.stringify({...result, questions: questionsSummary, models: result.models.map((m, i) => ({...m, slug: slugs[i]})), provenance}));
