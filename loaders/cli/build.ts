/**
 * `babelscope build`: extract, analyse and build the site for every configured model, reusing
 * whatever is unchanged; progress on stderr, a summary on stdout. Exit code 1 when a model or the
 * site failed (after building everything else); skipped (offline) models are not failures.
 */
import {env as defaultEnv, type Env} from "../config.js";
import {build, type BuildReporter, type BuildSummary, type ModelBuild} from "../project/build.js";
import {configPath, loadConfig, SAMPLE_VAR} from "../project/config.js";
import {formatDuration, onInterrupt, progress} from "./progress.js";
import {deviceOption, integerOption, parseOptions} from "./options.js";
import {openInstructions, shownPath} from "./serve.js";
import {plural} from "../../components/format.js";

export async function buildCommand(args: string[], env: Env = defaultEnv): Promise<void> {
  const {values} = parseOptions({
    args,
    options: {config: {type: "string"}, "no-site": {type: "boolean", default: false}, device: {type: "string"}, "max-items-per-language": {type: "string"}},
    strict: true
  });
  const device = deviceOption(values.device);
  // Through the environment, so that the site's data loaders (child processes that read the config) use it too.
  if (device) process.env.BABELSCOPE_DEVICE = device;
  const configFile = configPath(env.root, values.config ? {BABELSCOPE_CONFIG: values.config} : process.env);
  const cap = integerOption("max-items-per-language", values["max-items-per-language"]);
  // Through the environment, so that the site's loaders, which read the config themselves, see the same cap.
  if (cap !== undefined) process.env[SAMPLE_VAR] = String(cap);
  const config = await loadConfig(configFile);
  onInterrupt(() => "finished chunks, stores and analyses are kept: rerun to resume");
  const reporter: BuildReporter = {line: (text) => process.stderr.write(`${text}\n`), extraction: (label) => progress(label)};
  const summary = await build(config, env, {configFile, site: !values["no-site"], reporter});
  const dist = shownPath(env.distDir);
  process.stdout.write(formatSummary(summary, `${dist}/`));
  if (summary.site.status === "built" || summary.site.status === "up to date") process.stdout.write(`To view the site, ${openInstructions(dist)}\n`);
  const failed = summary.models.filter((m) => m.status === "failed");
  if (failed.length || summary.site.status === "failed") {
    throw new Error(`${failed.length ? `${failed.length} of ${plural(summary.models.length, "model")} failed` : "the site failed"}; the rest was built (see the summary)`);
  }
}

/** The end-of-build summary: per model what was computed, reused or skipped; the site (built into `dist`); the time. */
export function formatSummary(summary: BuildSummary, dist = "dist/"): string {
  const width = Math.max(...summary.models.map((m) => m.ref.length), 4);
  const lines = summary.models.map((m) => `  ${m.ref.padEnd(width)}  ${m.status.padEnd(8)}  ${m.status === "analysed" ? modelWork(m) : m.reason}`);
  const site = summary.site;
  lines.push(`  ${"site".padEnd(width)}  ${site.status === "not requested" ? "skipped   --no-site" : `${site.status.padEnd(8)}  ${site.status === "failed" ? site.reason : `${dist} (${site.seconds.toFixed(1)} s)`}`}`);
  const counts = (["analysed", "skipped", "failed"] as const).map((s) => `${summary.models.filter((m) => m.status === s).length} ${s}`).join(", ");
  return `babelscope build: ${plural(summary.models.length, "model")} (${counts}) in ${formatDuration(summary.seconds)}\n${lines.join("\n")}\n`;
}

function modelWork(m: ModelBuild): string {
  const extracted = m.stores.filter((s) => s.outcome === "extracted");
  const resumed = m.stores.reduce((sum, s) => sum + s.resumedItems, 0);
  const computed = m.analyses.filter((a) => a.outcome === "computed").length;
  const reused = (n: number) => (n ? `${n} reused` : "");
  const stores = extracted.length ? `${extracted.length} extracted (${plural(extracted.reduce((sum, s) => sum + s.items, 0), "item")}${resumed ? `, ${resumed} resumed` : ""})` : "";
  return [
    `stores: ${[stores, reused(m.stores.length - extracted.length)].filter(Boolean).join(", ")}`,
    `analyses: ${[computed ? `${computed} computed` : "", reused(m.analyses.length - computed)].filter(Boolean).join(", ")}`,
    `${m.seconds.toFixed(1)} s`
  ].join(" · ");
}
