/**
 * `babelscope export`: a store as files other tools read (Parquet, for DuckDB and other Parquet readers).
 */
import {existsSync} from "node:fs";
import {join, resolve} from "node:path";
import {envFrom} from "../config.js";
import {describeProblems} from "../store/store.js";
import {formatDuration} from "./progress.js";
import {parseOptions} from "./options.js";
import {UsageError} from "./usage.js";

export const EXPORT_FORMATS = ["parquet"] as const;

/** A store given as a folder, or as a hash under the stores folder. */
function storeDir(ref: string, storesDir: string): string {
  if (existsSync(ref)) return resolve(ref);
  if (/^[0-9a-f]{20}$/.test(ref) && existsSync(join(storesDir, ref))) return join(storesDir, ref);
  throw new UsageError(`no store "${ref}": give a store folder (as printed by babelscope extract) or a store hash under ${storesDir}`);
}

export async function exportCommand(args: string[]): Promise<void> {
  const {values, positionals} = parseOptions({args, options: {format: {type: "string", default: "parquet"}, out: {type: "string"}}, allowPositionals: true, strict: true});
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${values.format}"`);
  if (positionals.length === 0) throw new UsageError("export needs a store: babelscope export --format parquet <store folder or hash> [--out <dir>]");
  const env = envFrom(process.env);
  const dirs = positionals.map((ref) => storeDir(ref, env.storesDir));
  // Loaded only now: Arrow and the writer take a moment to import, and usage errors must answer at once.
  const [{openStore}, {exportParquet}] = await Promise.all([import("../store/store.js"), import("../store/parquet-export.js")]);
  for (const dir of dirs) {
    const store = await openStore(dir);
    const {hash} = store.manifest;
    const target = values.out ? join(resolve(values.out), hash) : join(dir, "parquet");
    const started = Date.now();
    const result = await exportParquet(store, target, env.version);
    const log = (line: string) => process.stderr.write(`export ${hash}: ${line}\n`);
    if (result.replaced) log(`replaced what was at ${target} (${describeProblems(result.replaced)})`);
    log(result.reused ? "up to date" : `items and ${store.manifest.files.layers.length} layers in ${formatDuration((Date.now() - started) / 1000)}`);
    process.stdout.write(result.dir + "\n");
  }
}
