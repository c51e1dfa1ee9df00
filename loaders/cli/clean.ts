/**
 * `babelscope clean`: removes hidden-state stores (and their analysis results inside them), all or
 * one model's, and the unfinished and damaged ones; `--hub` also removes that model's hub downloads.
 */
import {rm} from "node:fs/promises";
import {join} from "node:path";
import {env as defaultEnv, type Env} from "../config.js";
import {hubCacheDir} from "../models/hub.js";
import {parseModelRef} from "../models/resolve.js";
import {listStores, readManifest} from "../store/store.js";
import {UsageError} from "./usage.js";
import {parseOptions} from "./options.js";

export async function clean(args: string[], env: Env = defaultEnv): Promise<void> {
  const {values} = parseOptions({args, options: {model: {type: "string"}, hub: {type: "boolean", default: false}}, strict: true});
  if (values.hub && !values.model) throw new UsageError("--hub needs --model <ref> (which model's downloads to remove)");
  let removed = 0;
  for (const {name, state} of await listStores(env.storesDir)) {
    const dir = join(env.storesDir, name);
    if (values.model) {
      // An unfinished store has no manifest to tell its model: only a full clean removes it. Nor
      // does a store whose manifest cannot be read, which is left with a note rather than failing
      // the clean of every other store.
      if (state === "unfinished") continue;
      const manifest = await readManifest(dir);
      if (typeof manifest === "string") {
        process.stderr.write(`skipped ${dir}: its manifest.json is ${manifest === "missing" ? "missing" : `damaged (${manifest})`}; a full babelscope clean removes it\n`);
        continue;
      }
      if (manifest.model.ref !== values.model) continue;
    }
    await rm(dir, {recursive: true, force: true});
    removed++;
  }
  // Shards of unmerged extractions (extract --shard) go with a full clean, as unfinished stores do.
  if (!values.model) await rm(join(env.storesDir, ".shards"), {recursive: true, force: true});
  process.stderr.write(`removed ${removed} store${removed === 1 ? "" : "s"} from ${env.storesDir}\n`);
  if (values.hub && values.model) {
    const ref = parseModelRef(values.model, env);
    if (ref.source !== "hub") throw new UsageError(`--hub: ${values.model} is not a hub model`);
    await rm(hubCacheDir(env, ref.id, ref.revision!), {recursive: true, force: true});
    process.stderr.write(`removed hub downloads of ${values.model}\n`);
  }
}
