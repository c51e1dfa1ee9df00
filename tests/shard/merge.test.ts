/**
 * Sharded extraction against the unsharded one: shards run out of order, with other thread
 * counts, twice, in separate stores folders (as on machines that share nothing) or in one, merge
 * into a store byte-identical to one machine's (its manifest but for `created`); shards that are
 * missing, overlap, come from another store or are damaged are refused in one line.
 */
import {cpSync, existsSync, readdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {beforeAll, describe, expect, it, vi} from "vitest";
import {clean} from "../../loaders/cli/clean.js";
import {envFrom, type Env} from "../../loaders/config.js";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {Extractor} from "../../loaders/extract/extract.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel, type ResolvedModel} from "../../loaders/models/resolve.js";
import {extractShard} from "../../loaders/shard/extract.js";
import {shardsOf} from "../../loaders/shard/layout.js";
import {mergeCommand} from "../../loaders/shard/merge.js";
import type {Dataset} from "../../loaders/types.js";
import {testItems} from "../helpers/items.js";
import {storeFiles} from "../helpers/store-files.js";
import {tempDir} from "../helpers/tmp.js";

const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");
const items = testItems(90);
const dataset: Dataset = {name: "shards", hash: datasetHash(items), items};
/** Batches that do not divide the chunks: a shard must reproduce the unsharded run's cut, not its own. */
const settings = {...DEFAULT_SETTINGS, batchSize: 7};
const root = tempDir("shards");
const envAt = (name: string): Env => ({...envFrom(), storesDir: join(root, name), chunkItems: 20});
const noWarn = () => {};
let model: ResolvedModel;
let single: Record<string, string>;

beforeAll(async () => {
  model = await resolveModel(TINY_BERT, envAt("single"));
  single = storeFiles((await extractToStore(model, dataset, settings, envAt("single"))).store.dir);
});

const shard = (env: Env, index: number, count: number, threads?: number, data = dataset) =>
  extractShard(model, data, {...settings, threads}, env, {index, count}, undefined, noWarn);

describe("shards in one stores folder (a cluster's shared file system)", () => {
  it("run out of order and with other thread counts, the last one merges a store byte-identical to one machine's; a rerun does nothing", async () => {
    const env = envAt("shared");
    const first = await shard(env, 2, 3, 1);
    expect(first.store).toBeUndefined();
    expect((await shard(env, 2, 3, 2)).found).toBe("shard");
    expect((await shard(env, 0, 3, 2)).store).toBeUndefined();
    const last = await shard(env, 1, 3, 1);
    expect(last.store).toBeDefined();
    expect(storeFiles(last.store!.dir)).toEqual(single);
    // The shards went with the merge; a task run again finds the store.
    expect(existsSync(join(env.storesDir, ".shards"))).toBe(false);
    const again = await shard(env, 0, 3);
    expect(again).toMatchObject({found: "store", items: 0});
    expect(again.store!.dir).toBe(last.store!.dir);
  });

  it("more shards than batches: the extra shards are empty and the merge is the same store", async () => {
    // 20 items, one chunk, batches of 7: 3 batches for 4 shards.
    const few = {...dataset, name: "few", hash: datasetHash(items.slice(0, 20)), items: items.slice(0, 20)};
    const alone = await extractToStore(model, few, settings, envAt("few-single"));
    const env = envAt("few");
    const results = [];
    for (const i of [3, 1, 0, 2]) results.push(await shard(env, i, 4, undefined, few));
    expect(results.map((r) => r.items)).toEqual([0, 7, 7, 6]);
    expect(storeFiles(results.at(-1)!.store!.dir)).toEqual(storeFiles(alone.store.dir));
  });

  it("a shard killed on the way resumes from its resume points, and the merge is still the single machine's store", async () => {
    const env = envAt("killed");
    const original = Extractor.prototype.run;
    const run = vi.spyOn(Extractor.prototype, "run");
    let calls = 0;
    run.mockImplementation(function (this: Extractor, ...args) {
      if (++calls === 6) throw new Error("killed");
      return original.apply(this, args);
    });
    await expect(shard(env, 0, 2)).rejects.toThrow("killed");
    run.mockRestore();
    const counted = vi.spyOn(Extractor.prototype, "run");
    await shard(envAt("killed-fresh"), 0, 2);
    const fresh = counted.mock.calls.length;
    counted.mockClear();
    expect((await shard(env, 0, 2)).found).toBe("nothing");
    // 5 batches were done before the kill: at least one resume point (20 rows: 3 or more batches of at most 7) was saved.
    expect(counted.mock.calls.length).toBeLessThanOrEqual(fresh - 3);
    counted.mockRestore();
    const last = await shard(env, 1, 2);
    expect(storeFiles(last.store!.dir)).toEqual(single);
  });

  it("the last task of a split that does not merge (another batch size) finishes its shard and warns", async () => {
    const env = envAt("mixed");
    await shard(env, 0, 2);
    const warnings: string[] = [];
    const last = await extractShard(model, dataset, {...settings, batchSize: 5}, env, {index: 1, count: 2}, undefined, (line) => warnings.push(line));
    expect(last.store).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^warning: this shard is done, but the split did not merge: shard \d\/2 \(.+\) ran batches of \d, shard \d\/2 \(.+\) of \d: rerun one with --batch-size \d$/)]);
  });

  it("a full clean removes shards not merged yet", async () => {
    const env = envAt("clean");
    await shard(env, 0, 2);
    expect(readdirSync(join(env.storesDir, ".shards"))).toHaveLength(1);
    await clean([], env);
    expect(existsSync(join(env.storesDir, ".shards"))).toBe(false);
  });

  it("extract (and so build) merges complete shards it finds instead of extracting", async () => {
    const env = envAt("found");
    const parts = [envAt("found-0"), envAt("found-1")];
    for (const [i, part] of parts.entries()) await shard(part, i, 2);
    for (const part of parts) cpSync(join(part.storesDir, ".shards"), join(env.storesDir, ".shards"), {recursive: true});
    const result = await extractToStore({...model, files: {...model.files}}, dataset, settings, env, () => {
      throw new Error("extracted instead of merging");
    });
    expect(result.reused).toBe(true);
    expect(storeFiles(result.store.dir)).toEqual(single);
  });
});

describe("shards made on machines that share nothing, merged afterwards", () => {
  /** Shard folders of a split, each made in its own stores folder. */
  async function separate(name: string, count: number, data = dataset): Promise<string[]> {
    const dirs: string[] = [];
    for (let i = count - 1; i >= 0; i--) dirs.unshift((await shard(envAt(`${name}-${i}`), i, count, undefined, data)).dir);
    return dirs;
  }

  it("merge of every shard folder writes the single machine's store", async () => {
    const env = envAt("merged");
    const {merged, failed} = await mergeCommand(await separate("apart", 3), env.storesDir, noWarn);
    expect(failed).toEqual([]);
    expect(merged).toHaveLength(1);
    expect(merged[0].merged).toBe(true);
    expect(storeFiles(merged[0].store.dir)).toEqual(single);
  });

  it("refuses a missing shard, one given twice, one of another split, one of another store, and a damaged one, in one line", async () => {
    const env = envAt("refused");
    const three = await separate("three", 3);
    const two = await separate("two", 2);
    const other = await separate("other", 2, {...dataset, name: "other", hash: datasetHash(items.slice(1)), items: items.slice(1)});
    const merge = (dirs: string[]) => mergeCommand(dirs, env.storesDir, noWarn).then(() => "merged", (error: Error) => error.message);
    expect(await merge([three[0], three[2]])).toMatch(/^store \w+ \(.+ on shards\): 1 of 3 shards missing \(1\/3 at shard 1\); run their extract --shard$/);
    expect(await merge([...three, three[1]])).toMatch(/^shard 1\/3 of store \w+ .* is given twice: /);
    expect(await merge([three[0], three[1], two[1]])).toMatch(/^shard 1\/2 \(.+\) is from a split into 2, shard 0\/3 \(.+\) from one into 3$/);
    expect(await merge([...two.slice(0, 1), other[1]])).toMatch(/^shard 1\/2 \(.+\) belongs to store \w+ \(.+ on other\), not to store \w+ \(.+ on shards\)$/);
    writeFileSync(join(three[1], "layer-01.arrow"), "damaged");
    expect(await merge(three)).toMatch(/^.+1-of-3 is damaged \(layer-01\.arrow: (truncated|.* bytes, expected).*\); run its extract --shard again$/);
    expect(existsSync(env.storesDir) ? readdirSync(env.storesDir) : []).toEqual([]);
  });

  it("merge without folders merges every complete split under the stores folder and names the incomplete ones", async () => {
    const env = envAt("all");
    for (const dir of await separate("all-a", 2)) cpSync(dir, join(shardsOf(env.storesDir, dir.split("/").at(-2)!), dir.split("/").at(-1)!), {recursive: true});
    const partial = await separate("all-b", 2, {...dataset, name: "other", hash: datasetHash(items.slice(2)), items: items.slice(2)});
    cpSync(partial[0], join(shardsOf(env.storesDir, partial[0].split("/").at(-2)!), "0-of-2"), {recursive: true});
    const {merged, failed} = await mergeCommand([], env.storesDir, noWarn);
    expect(merged.map((m) => storeFiles(m.store.dir))).toEqual([single]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/on other\): 1 of 2 shards missing \(1\/2 at .+1-of-2\)/);
  });
});
