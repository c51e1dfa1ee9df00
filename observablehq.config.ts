// Observable Framework configuration. Pages live in src/; their data loaders are thin entry points
// into the library in loaders/ (see README, "Architecture"). Every configured model gets its own
// pages under /models/<slug>/ (dynamic paths), so adding a model to babelscope.config.ts adds its pages.
import {env} from "./loaders/config.js";
import {configPath, loadConfig} from "./loaders/project/config.js";
import {readFile} from "node:fs/promises";
import {siteInputsPath} from "./loaders/project/site.js";
import {syncLoaderCache} from "./loaders/report/site-cache.js";
import {modelSlugs} from "./loaders/report/slug.js";

/** The per-model pages: src/models/[model]/<path>.md. */
export const MODEL_PAGES = [
  {path: "ranking", name: "Language ranking"},
  {path: "alignment", name: "Alignment across layers"},
  {path: "knowledge", name: "Knowledge boundaries"},
  {path: "explorer", name: "Embedding explorer"},
  {path: "fertility", name: "Tokenizer fertility"},
  {path: "neurons", name: "Language neurons"}
];

const project = await loadConfig(configPath(env.root));
// A changed config, or stores and analyses that `babelscope build` recomputed (a model's files
// changed on disk, a new code version), invalidate the cached loader outputs: Framework would
// serve them stale.
const inputs = await readFile(siteInputsPath(env), "utf8").catch(() => null);
if (await syncLoaderCache(`${env.root}/src/.observablehq/cache`, {project, version: env.version, inputs})) {
  process.stderr.write("babelscope: the project or its computed inputs changed; data loaders will rerun (stores and analyses are reused)\n");
}
const refs = project.models.map((m) => m.ref);
const slugs = modelSlugs(refs);

export default {
  title: "Babelscope",
  root: "src",
  output: env.distDir,
  pages: [
    {name: "Overview", path: "/"},
    {name: "Model comparison", path: "/compare"},
    ...slugs.map((slug, i) => ({
      name: refs[i],
      open: i === 0,
      pages: MODEL_PAGES.map(({path, name}) => ({name, path: `/models/${slug}/${path}`}))
    })),
    {name: "Methods and citations", path: "/methods"}
  ],
  dynamicPaths: slugs.flatMap((slug) => MODEL_PAGES.map(({path}) => `/models/${slug}/${path}`)),
  // No Google Fonts (Framework's default): the built site must work offline and from any static server.
  globalStylesheets: [],
  // An empty icon: browsers would otherwise request /favicon.ico, a 404 on any static server.
  head: '<link rel="icon" href="data:,"><meta name="description" content="Babelscope: cross-lingual representations of multilingual language models">',
  footer: "Built with Babelscope and Observable Framework.",
  search: false
};
