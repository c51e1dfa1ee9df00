/**
 * `babelscope models`: the configured models, whether each is usable here (on disk, cached, or
 * downloadable) and how many complete stores it has.
 */
import {parseArgs} from "node:util";
import {env as defaultEnv, type Env} from "../config.js";
import {modelStatus} from "../models/status.js";
import {configPath, loadConfig} from "../project/config.js";
import {listStores, readManifest} from "../store/store.js";

export async function models(args: string[], env: Env = defaultEnv): Promise<void> {
  parseArgs({args, options: {}, strict: true});
  const config = await loadConfig(configPath(env.root));
  const storesByRef = new Map<string, number>();
  for (const {hash, complete} of await listStores(env.storesDir)) {
    if (!complete) continue;
    // Only the manifest is needed: a damaged store is counted here and reported by verify or reuse.
    const manifest = await readManifest(`${env.storesDir}/${hash}`);
    if (typeof manifest === "string") continue;
    storesByRef.set(manifest.model.ref, (storesByRef.get(manifest.model.ref) ?? 0) + 1);
  }
  const rows = await Promise.all(config.models.map(async ({ref, dtype}) => ({...(await modelStatus(ref, dtype, env)), dtype, stores: storesByRef.get(ref) ?? 0})));
  const width = Math.max(...rows.map((row) => row.ref.length), 5);
  process.stdout.write(`${"MODEL".padEnd(width)}  ${"SOURCE".padEnd(8)}  ${"DTYPE".padEnd(5)}  STORES  STATUS\n`);
  for (const row of rows) {
    process.stdout.write(`${row.ref.padEnd(width)}  ${row.source.padEnd(8)}  ${row.dtype.padEnd(5)}  ${String(row.stores).padStart(6)}  ${row.state}: ${row.detail}\n`);
  }
}
