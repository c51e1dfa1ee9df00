// Observable Framework configuration. Pages live in src/; their data loaders are thin entry points
// into the library in loaders/ (see README, "Architecture"). Every configured model gets its own
// pages under /models/<slug>/ (dynamic paths), so adding a model to babelscope.config.ts adds its pages.
import {openInstructions} from "./loaders/cli/serve.js";
import {env} from "./loaders/config.js";
import {configPath, loadConfig} from "./loaders/project/config.js";
import {readFile} from "node:fs/promises";
import {siteInputsPath} from "./loaders/project/site.js";
import {syncLoaderCache} from "./loaders/report/site-cache.js";
import {modelLabel, modelSlugs} from "./loaders/report/slug.js";

/** The per-model pages: src/models/[model]/<path>.md. */
export const MODEL_PAGES = [
  {path: "ranking", name: "Language ranking"},
  {path: "alignment", name: "Alignment across layers"},
  {path: "knowledge", name: "Knowledge boundaries"},
  {path: "explorer", name: "Embedding explorer"},
  {path: "fertility", name: "Tokenizer fertility"},
  {path: "latent", name: "Latent language"},
  {path: "neurons", name: "Language neurons"},
  {path: "words", name: "Cognates and false friends"}
];

/**
 * Opened from file://, a browser blocks the pages' module scripts and data files (CORS), so every
 * cell would wait forever: a classic inline script, which does run there, says how to open the site.
 */
const FILE_BANNER = `<script>if (location.protocol === "file:") addEventListener("DOMContentLoaded", () => {
  const banner = document.createElement("div");
  banner.className = "babelscope-file-banner";
  banner.setAttribute("role", "alert");
  banner.style.cssText = "position:sticky;top:0;z-index:1000;padding:1em;background:#fff3cd;color:#5c4500;border:2px solid #c69500;font:16px/1.4 system-ui,sans-serif";
  banner.textContent = ${JSON.stringify(`This report cannot run from a file:// address. To view it, ${openInstructions("dist")}, then open the address it prints.`)};
  document.body.prepend(banner);
});</script>`;

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
/**
 * A model the build skipped or failed has one page, which says why and how to fix it, in place of
 * five pages of empty controls. Without a build's record (`observable preview` alone) every model
 * gets its five pages, which say the same at their top.
 */
const unavailable = new Set((inputs ? (JSON.parse(inputs) as {models: {ref: string; status: string}[]}).models : []).filter((m) => m.status !== "analysed").map((m) => m.ref));
const modelPages = (i: number) => (unavailable.has(refs[i]) ? [{path: "unavailable", name: "Not available: why, and how to fix it"}] : MODEL_PAGES);

export default {
  title: "Babelscope",
  root: "src",
  output: env.distDir,
  // Links end in .html: a plain static server (python's http.server, S3, GitHub Pages without
  // rewrites) answers `./compare` with a 404; it serves `./compare.html`.
  preserveExtension: true,
  pages: [
    {name: "Overview", path: "/"},
    {name: "Model comparison", path: "/compare"},
    ...slugs.map((slug, i) => ({
      name: modelLabel(refs[i], env.root),
      open: i === 0,
      pages: modelPages(i).map(({path, name}) => ({name, path: `/models/${slug}/${path}`}))
    })),
    {name: "Methods and citations", path: "/methods"},
    // Synthetic points, no model: labelled as a demo so no one reads it as a result of the report.
    {name: "Demo: explorer at 50,000 synthetic points", path: "/explorer-50k"}
  ],
  dynamicPaths: slugs.flatMap((slug, i) => modelPages(i).map(({path}) => `/models/${slug}/${path}`)),
  // No Google Fonts (Framework's default): the built site must work offline and from any static server.
  globalStylesheets: [],
  // An empty icon: browsers would otherwise request /favicon.ico, a 404 on any static server.
  head: `<link rel="icon" href="data:,"><meta name="description" content="Babelscope: cross-lingual representations of multilingual language models">${FILE_BANNER}`,
  footer: "Built with Babelscope and Observable Framework.",
  search: false
};
