/**
 * `babelscope merge [<shard>...] [--out <stores>]`: the shards of an extraction (extract --shard)
 * into the store an unsharded run writes. Prints each store's folder on stdout.
 */
import {envFrom} from "../config.js";
import {warnOnStderr} from "../store/checksum.js";
import {parseOptions} from "./options.js";

export async function merge(args: string[]): Promise<void> {
  const {values, positionals} = parseOptions({args, options: {out: {type: "string"}}, allowPositionals: true, strict: true});
  const env = envFrom({...process.env, ...(values.out ? {BABELSCOPE_STORES: values.out} : {})});
  const {mergeCommand} = await import("../shard/merge.js");
  const {merged, failed} = await mergeCommand(positionals, env.storesDir, warnOnStderr);
  for (const {store, merged: fresh} of merged) {
    const {counts, model, dataset} = store.manifest;
    process.stderr.write(`${fresh ? "merged" : "already merged"}: ${model.ref} on ${dataset.name}, ${counts.items} items\n`);
    process.stdout.write(store.dir + "\n");
  }
  for (const line of failed.slice(0, -1)) process.stderr.write(`babelscope: ${line}\n`);
  if (failed.length > 0) throw new Error(failed.at(-1));
}
