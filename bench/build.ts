/**
 * Rebuild cost, as a user meets it: `babelscope build` (a child process, as `npm run build` runs it)
 * cold (no stores, no Framework cache, no dist/), then again with nothing changed (target: at most
 * 0.1 of the cold time), then with one model added to the config. The config is the embedded model
 * on a dozen languages (so a run takes minutes, not the full report's); the added model is the tiny
 * BERT fixture. Leaves dist/ built from this config: `npm run build` rebuilds the project's.
 */
import {spawnSync} from "node:child_process";
import {mkdirSync, rmSync} from "node:fs";
import {join, resolve} from "node:path";
import {writeConfig} from "../tests/helpers/config-file.js";
import {report} from "./report.js";

const TMP = resolve("bench/.tmp/build");
const STORES = join(TMP, "stores");
const LANGUAGES = ["eng", "fra", "deu", "spa", "rus", "arb", "cmn", "hin", "swh", "tur", "jpn", "ben"];

function configFile(name: string, models: string[]): string {
  return writeConfig(join(TMP, `${name}.config.mts`), {models, languages: LANGUAGES, maxLength: 128});
}

/** Runs `babelscope build`; returns the wall time and the summary's first line. */
function timedBuild(config: string): {seconds: number; summary: string} {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["bin/babelscope.js", "build", "--config", config], {
    env: {...process.env, CI: "1", BABELSCOPE_STORES: STORES, BABELSCOPE_HUB: "http://127.0.0.1:9"}, encoding: "utf8", maxBuffer: 64 << 20
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`babelscope build failed:\n${run.stdout}\n${run.stderr}`);
  return {seconds, summary: run.stdout};
}

export async function main(): Promise<void> {
  rmSync(TMP, {recursive: true, force: true});
  mkdirSync(TMP, {recursive: true});
  for (const dir of ["dist", "src/.observablehq/cache"]) rmSync(resolve(dir), {recursive: true, force: true});
  const one = configFile("one", ["embedded:babelscope-tiny"]);
  const two = configFile("two", ["embedded:babelscope-tiny", resolve("tests/fixtures/models/tiny-bert")]);

  const cold = timedBuild(one);
  const unchanged = timedBuild(one);
  const added = timedBuild(two);
  const site = (summary: string) => /site\s+(built|up to date)\s+dist\/ \(([\d.]+) s\)/.exec(summary);
  report(`Rebuilds (babelscope build, embedded model on ${LANGUAGES.length} languages, wall time)`, [
    ["cold build (extract, analyse, site)", `${cold.seconds.toFixed(1)} s (site ${site(cold.summary)?.[2]} s)`],
    ["rebuild, nothing changed", `${unchanged.seconds.toFixed(1)} s (site ${site(unchanged.summary)?.[1]})`],
    ["ratio unchanged / cold (target <= 0.1)", (unchanged.seconds / cold.seconds).toFixed(3)],
    ["rebuild after adding one model (tiny-bert)", `${added.seconds.toFixed(1)} s (site ${site(added.summary)?.[2]} s)`],
    ["extra time for the added model", `${(added.seconds - unchanged.seconds).toFixed(1)} s`]
  ]);
  process.stdout.write(added.summary.split("\n").slice(0, 3).map((line) => `    ${line}`).join("\n") + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
