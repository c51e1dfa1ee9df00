/**
 * Stores exported as Parquet, read back by DuckDB (an independent reader: C++, its own Parquet
 * code) with plain SQL across two stores of the embedded model (one of them extracted in two shards
 * and merged, as a cluster makes it), and checked against the Arrow stores read with Babelscope's
 * own reader: the vectors are the same float32s, exactly.
 */
import {cpSync, existsSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection, DuckDBListValue} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {main} from "../../loaders/cli/main.js";
import {verify} from "../../loaders/cli/verify.js";
import {envFrom} from "../../loaders/config.js";
import {datasetHash} from "../../loaders/datasets/hash.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {extractShard} from "../../loaders/shard/extract.js";
import {checkExport, exportParquet, parquetLayerFile} from "../../loaders/store/parquet-export.js";
import {openStore, type Store} from "../../loaders/store/store.js";
import {runCli, type CliResult} from "../helpers/cli.js";
import {testItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const TMP = tempDir("parquet");
const env = {...envFrom(), storesDir: join(TMP, "stores")};
const EXPORTS = join(TMP, "exports");
const LAYER = 3;

let mean: Store;
let last: Store;
let db: DuckDBConnection;
/** `babelscope export` of both stores into EXPORTS, as a user runs it: every test below reads what it wrote. */
let exported: CliResult;

/** Rows of a query as objects; DuckDB's lists as plain arrays of numbers. */
async function sql(query: string): Promise<Record<string, unknown>[]> {
  const rows = (await db.runAndReadAll(query)).getRowObjects();
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof DuckDBListValue ? value.items : value])));
}

/** Row `i` of a matrix, as numbers. */
const row = ({data, cols}: {data: Float32Array; cols: number}, i: number) => Array.from(data.subarray(i * cols, (i + 1) * cols));

beforeAll(async () => {
  // Two stores of the embedded model over the same items: pooled by mean, and at the last token,
  // the second from two shards, which the task that completes the split merges.
  const model = await resolveModel("embedded:babelscope-tiny", env);
  const items = testItems(36);
  const dataset = {name: "parquet-test", hash: datasetHash(items), items};
  mean = (await extractToStore(model, dataset, {...DEFAULT_SETTINGS, pooling: "mean"}, env)).store;
  const lastShard = (index: number) => extractShard(model, dataset, {...DEFAULT_SETTINGS, batchSize: 8, pooling: "last"}, env, {index, count: 2}, undefined, () => {});
  expect((await lastShard(1)).store).toBeUndefined();
  last = (await lastShard(0)).store!;
  db = await (await DuckDBInstance.create(":memory:", {threads: "1"})).connect();
  exported = await runCli(["export", "--format", "parquet", mean.dir, last.manifest.hash, "--out", EXPORTS], {BABELSCOPE_STORES: env.storesDir});
}, 120_000);

afterAll(() => db?.closeSync());

describe("babelscope export --format parquet", () => {
  it("exports both stores into <out>/<hash>/ and prints each folder; DuckDB reads them as FLOAT[] vectors", async () => {
    const {code, stdout, stderr} = exported;
    expect(stderr).not.toContain("babelscope:");
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(EXPORTS, mean.manifest.hash)}\n${join(EXPORTS, last.manifest.hash)}\n`);
    const {hidden_size: hidden, num_layers: layers} = mean.manifest.model;
    expect(readdirSync(join(EXPORTS, mean.manifest.hash)).sort()).toEqual(["export.json", "items.parquet", ...Array.from({length: layers + 1}, (_, l) => parquetLayerFile(l))]);
    const counts = await sql(`SELECT store, count(*)::INTEGER AS n, any_value(typeof(vector)) AS type, max(len(vector))::INTEGER AS width FROM read_parquet('${EXPORTS}/*/layer-0${LAYER}.parquet') GROUP BY store ORDER BY store`);
    expect(counts).toEqual(
      [mean, last].map((s) => ({store: s.manifest.hash, n: 36, type: "FLOAT[]", width: hidden})).sort((a, b) => a.store.localeCompare(b.store))
    );
  });

  it("every vector is the Arrow store's float32, bit for bit, in item order, in the first and last layer of both stores", async () => {
    for (const store of [mean, last]) {
      const items = await store.items();
      for (const l of [0, store.manifest.model.num_layers]) {
        const matrix = await store.layer(l);
        const rows = await sql(`SELECT id, vector FROM read_parquet('${join(EXPORTS, store.manifest.hash, parquetLayerFile(l))}')`);
        expect(rows.map((r) => r.id)).toEqual(items.map((item) => item.id));
        const values = new Float32Array(rows.flatMap((r) => r.vector as number[]));
        expect(Buffer.from(values.buffer).equals(Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength))).toBe(true);
      }
    }
  });

  it("items join to vectors in SQL: per-language means of layer 3 in both stores match the Arrow stores'", async () => {
    const means = await sql(`
      SELECT i.store, i.lang, pos, avg(x) AS m
      FROM read_parquet('${EXPORTS}/*/items.parquet') i
      JOIN (SELECT store, id, unnest(vector) AS x, unnest(generate_series(1, len(vector))) AS pos FROM read_parquet('${EXPORTS}/*/layer-0${LAYER}.parquet')) v USING (store, id)
      GROUP BY ALL`);
    let checked = 0;
    for (const store of [mean, last]) {
      const items = await store.items();
      const {data, cols} = await store.layer(LAYER);
      for (const lang of new Set(items.map((item) => item.lang))) {
        const rows = items.flatMap((item, i) => (item.lang === lang ? [i] : []));
        for (let k = 0; k < cols; k++) {
          const expected = rows.reduce((sum, i) => sum + data[i * cols + k], 0) / rows.length;
          const found = means.find((m) => m.store === store.manifest.hash && m.lang === lang && Number(m.pos) === k + 1);
          expect(found?.m as number).toBeCloseTo(expected, 12);
          checked++;
        }
      }
    }
    expect(checked).toBe(2 * 6 * mean.manifest.model.hidden_size);
  });

  it("a dot product in SQL across the two stores (each item's mean-pooled against its last-token vector) matches the Arrow stores'", async () => {
    const [a, b] = [mean.manifest.hash, last.manifest.hash];
    const dots = await sql(`
      SELECT a.id, list_dot_product(a.vector::DOUBLE[], b.vector::DOUBLE[]) AS dot
      FROM read_parquet('${EXPORTS}/${a}/layer-0${LAYER}.parquet') a JOIN read_parquet('${EXPORTS}/${b}/layer-0${LAYER}.parquet') b USING (id)
      ORDER BY a.id`);
    const items = await mean.items();
    const [ma, mb] = [await mean.layer(LAYER), await last.layer(LAYER)];
    expect(dots).toHaveLength(items.length);
    for (const {id, dot} of dots) {
      const i = items.findIndex((item) => item.id === id);
      const [x, y] = [row(ma, i), row(mb, i)];
      expect(dot as number).toBeCloseTo(x.reduce((sum, v, k) => sum + v * y[k], 0), 9);
    }
  });

  it("records which store manifest the files come from, in export.json and in each file's key-value metadata", async () => {
    const dir = join(EXPORTS, mean.manifest.hash);
    const record = JSON.parse(readFileSync(join(dir, "export.json"), "utf8"));
    expect(record.store).toMatchObject({hash: mean.manifest.hash, manifest_sha256: mean.manifest.sha256, items: 36});
    const kv = await sql(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${dir}/layer-0${LAYER}.parquet')`);
    expect(kv).toEqual([{key: "babelscope.store", value: mean.manifest.hash}, {key: "babelscope.manifest_sha256", value: mean.manifest.sha256}]);
    expect(await checkExport(dir, mean.manifest, "always")).toEqual([]);
    expect((await checkExport(dir, last.manifest, "always"))[0].reason).toMatch(/^exported from store /);
  });
});

describe("an export is deterministic, checked and atomic", () => {
  it("the same store gives the same bytes, file for file, and a second export of it is reused", async () => {
    const again = join(TMP, "again", mean.manifest.hash);
    expect(await exportParquet(mean, again, envFrom().version)).toEqual({dir: again, reused: false});
    const first = join(EXPORTS, mean.manifest.hash);
    for (const name of readdirSync(first)) expect(readFileSync(join(again, name)).equals(readFileSync(join(first, name))), name).toBe(true);
    expect(await exportParquet(mean, again, envFrom().version)).toEqual({dir: again, reused: true});
  });

  it("a damaged export is replaced by a whole one, and says why", async () => {
    const dir = join(TMP, "damaged", last.manifest.hash);
    await exportParquet(last, dir, envFrom().version);
    const file = join(dir, parquetLayerFile(2));
    const original = readFileSync(file);
    const bytes = Buffer.from(original);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const result = await exportParquet(last, dir, envFrom().version);
    expect(result).toEqual({dir, reused: false, replaced: [{file: parquetLayerFile(2), reason: "checksum mismatch"}]});
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  it("an export that fails (a store file damaged after it was opened) leaves the folder as it was and nothing half-written", async () => {
    const out = join(TMP, "failing");
    const target = join(out, mean.manifest.hash);
    // What was there before: an export of the other store, which the new one would replace.
    await exportParquet(last, target, envFrom().version);
    const before = Object.fromEntries(readdirSync(target).map((name) => [name, readFileSync(join(target, name))]));
    // A copy of the store whose layer 2 changes after opening: its checksum fails when read.
    const copy = join(TMP, "copy", mean.manifest.hash);
    cpSync(mean.dir, copy, {recursive: true});
    const store = await openStore(copy);
    const layer = join(copy, "layer-02.arrow");
    const bytes = readFileSync(layer);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(layer, bytes);
    await expect(exportParquet(store, target, envFrom().version)).rejects.toThrow(/layer-02\.arrow: checksum mismatch/);
    expect(Object.fromEntries(readdirSync(target).map((name) => [name, readFileSync(join(target, name))]))).toEqual(before);
    expect(readdirSync(out)).toEqual([mean.manifest.hash]);
  });

  it("babelscope verify reports a damaged export inside a store, and --repair removes it", async () => {
    const dir = join(last.dir, "parquet");
    await exportParquet(last, dir, envFrom().version);
    const file = join(dir, parquetLayerFile(1));
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const nothing = join(TMP, "nothing");
    const verifyEnv = {...env, modelsDir: nothing, cacheDir: nothing};
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const found = await verify([], verifyEnv).catch((error: Error) => error.message);
    await verify(["--repair"], verifyEnv);
    const lines = stdout.mock.calls.map(([line]) => String(line));
    stdout.mockRestore();
    expect(found).toMatch(/: 1 damaged \(/);
    expect(lines).toContain(`damaged: Parquet export ${dir}: ${parquetLayerFile(1)}: checksum mismatch\n`);
    expect(lines).toContain(`removed ${dir}\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses to write into a store folder", async () => {
    await expect(exportParquet(mean, mean.dir, envFrom().version)).rejects.toThrow(`${mean.dir} is a store folder: export into another folder`);
    expect(existsSync(join(mean.dir, "export.json"))).toBe(false);
  });
});

/** Runs `fn` with environment variables set, restoring them after. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) value === undefined ? delete process.env[key] : (process.env[key] = value);
  }
}

describe("export's command line", () => {
  it("without --out, exports into <store>/parquet, the same files as anywhere else, and then reports it up to date", async () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const runs = [await main(["export", "--format", "parquet", mean.dir]), await main(["export", mean.dir])];
    const [out, err] = [stdout.mock.calls.map(([line]) => String(line)), stderr.mock.calls.map(([line]) => String(line))];
    stdout.mockRestore();
    stderr.mockRestore();
    const dir = join(mean.dir, "parquet");
    expect({runs, out}).toEqual({runs: [0, 0], out: [`${dir}\n`, `${dir}\n`]});
    expect(err[1]).toBe(`export ${mean.manifest.hash}: up to date\n`);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).equals(readFileSync(join(EXPORTS, mean.manifest.hash, name))), name).toBe(true);
    expect(readdirSync(mean.dir).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("a bad format, a missing store or an unknown one is a one-line usage error (exit code 2)", async () => {
    const stores = {BABELSCOPE_STORES: env.storesDir};
    const cases = [
      [["--format", "csv", mean.dir], 'babelscope: --format must be one of parquet, got "csv"\n'],
      [["--format", "parquet"], "babelscope: export needs a store: babelscope export --format parquet <store folder or hash> [--out <dir>]\n"],
      [["0123456789abcdef0123"], `babelscope: no store "0123456789abcdef0123": give a store folder (as printed by babelscope extract) or a store hash under ${env.storesDir}\n`]
    ] as const;
    for (const [args, message] of cases) {
      const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      const code = await withEnv(stores, () => main(["export", ...args]));
      expect({code, stderr: stderr.mock.calls.map(([line]) => String(line)).join("")}).toEqual({code: 2, stderr: message});
      stderr.mockRestore();
    }
  });
});
