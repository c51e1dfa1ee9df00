/**
 * The site step of `babelscope build`: run `observable build` into dist/, unless dist/ was built
 * from exactly the same inputs. The inputs are what the pages show (each model's status, stores
 * and analysis keys, computed by the build before this step) and what turns them into pages (the
 * project config, every source file of the site, loaders and data, the lockfile). Both go into
 * one fingerprint; dist/ carries the fingerprint it was built from.
 */
import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {readdir, readFile, rename, rm, writeFile} from "node:fs/promises";
import {delimiter, join, relative} from "node:path";
import {envVars, type Env} from "../config.js";
import {canonicalJSON} from "../store/store.js";
import {writeAtomic} from "../write-atomic.js";

/** What the site is made from, besides the computed results: folders and files under the root. */
const SOURCES = ["src", "components", "loaders", "data", "observablehq.config.ts", "package-lock.json"];
/** Never part of the fingerprint: Framework's own cache and build output inside src/. */
const IGNORED = new Set([".observablehq"]);

const STAMP = ".babelscope-build.json";

/** Where `babelscope build` records the inputs it computed, for observablehq.config.ts's loader-cache check. */
export function siteInputsPath(env: Env): string {
  return join(env.workDir, "site-inputs.json");
}

/** sha256 over the paths and contents of the site's source files and the config file. */
async function sourceFingerprint(root: string, configFile: string): Promise<string> {
  const hash = createHash("sha256");
  const files: string[] = [configFile];
  for (const source of SOURCES) files.push(...(await listFiles(join(root, source))));
  for (const file of files.sort()) {
    hash.update(relative(root, file)).update("\0").update(await readFile(file)).update("\0");
  }
  return hash.digest("hex");
}

async function listFiles(path: string): Promise<string[]> {
  const entries = await readdir(path, {withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOTDIR") return null;
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries === null) return [path];
  const nested = await Promise.all(
    entries.filter((entry) => !IGNORED.has(entry.name) && !entry.isSymbolicLink()).map((entry) => (entry.isDirectory() ? listFiles(join(path, entry.name)) : [join(path, entry.name)]))
  );
  return nested.flat();
}

export type SiteOutcome = {status: "built" | "up to date"; seconds: number} | {status: "failed"; seconds: number; reason: string};

/**
 * Builds dist/ with Observable Framework unless its stamp matches. The data loaders run in
 * Framework's child processes; they find the same stores and results through the environment.
 * Framework's full output goes to `<work>/site-build.log`. The site is built into a fresh folder
 * beside dist/ and swapped in when complete: a failed build leaves the last good site, and
 * Framework clears an output folder only inside the working directory, so BABELSCOPE_DIST
 * elsewhere would otherwise meet the previous build's files ("file conflict").
 */
export async function buildSite(env: Env, configFile: string, inputs: unknown, log: (line: string) => void): Promise<SiteOutcome> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  await writeAtomic(siteInputsPath(env), canonicalJSON(inputs));
  const fingerprint = createHash("sha256").update(canonicalJSON({inputs, sources: await sourceFingerprint(env.root, configFile)})).digest("hex");
  const dist = env.distDir;
  if (existsSync(join(dist, "index.html")) && (await readFile(join(dist, STAMP), "utf8").catch(() => "")) === fingerprint) return {status: "up to date", seconds: seconds()};
  if (existsSync(dist) && !existsSync(join(dist, STAMP)) && !existsSync(join(dist, "_observablehq")) && (await readdir(dist)).length > 0) {
    return {status: "failed", seconds: seconds(), reason: `${dist} holds files that no site build wrote; not replacing it (set BABELSCOPE_DIST to an empty or new folder)`};
  }

  const building = `${dist}.partial`;
  await rm(building, {recursive: true, force: true});
  log(`site: observable build (full output in ${join(env.workDir, "site-build.log")})`);
  const bin = join(env.root, "node_modules", ".bin");
  // Framework runs .ts loaders with `tsx` from PATH, which npm scripts provide and a bare `node` does not.
  const vars = {...process.env, ...envVars({...env, distDir: building}), BABELSCOPE_CONFIG: configFile, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`};
  const {code, output} = await run(join(bin, "observable"), ["build"], env.root, vars);
  await writeFile(join(env.workDir, "site-build.log"), output);
  if (code !== 0) {
    await rm(building, {recursive: true, force: true});
    // The loader's own error (`DatasetError: ...`) says more than Framework's "loader exited with code 1".
    const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim());
    const cause = lines.find((line) => /^\w*Error: /.test(line)) ?? lines.filter((line) => /error/i.test(line)).pop() ?? `exit code ${code}`;
    return {status: "failed", seconds: seconds(), reason: `observable build failed: ${cause}`};
  }
  await writeFile(join(building, STAMP), fingerprint);
  await rm(dist, {recursive: true, force: true});
  await rename(building, dist);
  return {status: "built", seconds: seconds()};
}

function run(command: string, args: string[], cwd: string, vars: NodeJS.ProcessEnv): Promise<{code: number | null; output: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd, env: vars, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({code, output}));
  });
}
