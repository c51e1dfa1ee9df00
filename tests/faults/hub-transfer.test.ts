/**
 * Hub downloads under the faults real users meet, each forced on a local hub laid out like the real
 * one (tests/helpers/hub-server.ts): LFS files redirected to a CDN on another host, transfers
 * corrupted or cut short, servers that ignore Range, gated models, a dtype the repository lacks,
 * two downloads of one model at once, and a model already in transformers.js's own cache.
 */
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {execFile} from "node:child_process";
import {join, resolve} from "node:path";
import {promisify} from "node:util";
import {afterAll, describe, expect, it} from "vitest";
import {envFrom, type Env} from "../../loaders/config.js";
import {ModelError} from "../../loaders/models/errors.js";
import {hubStatus} from "../../loaders/models/hub.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {sha256File} from "../../loaders/store/checksum.js";
import {hubEtag, startHub, TEST_TOKEN, type HubOptions, type TestHub} from "../helpers/hub-server.js";
import {tempDir} from "../helpers/tmp.js";

const TMP = tempDir("hub-transfer");
const ONNX = "onnx/model.onnx";
/** tiny-bert with its fp32 graph only: the fixture folder also holds the other dtypes' graphs, and these tests list a repo's dtypes. */
const TINY_BERT = join(TMP, "tiny-bert");
cpSync(resolve("tests/fixtures/models/tiny-bert"), TINY_BERT, {recursive: true, filter: (src) => !/\/onnx\/./.test(src) || src.endsWith(`/${ONNX}`)});
const ONNX_BYTES = readFileSync(join(TINY_BERT, ONNX));
const run = promisify(execFile);
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

async function hub(options: HubOptions = {}, gated: string[] = []): Promise<TestHub> {
  const started = await startHub({"test-org/tiny-bert": TINY_BERT, "test-org/gated": TINY_BERT}, gated, options);
  hubs.push(started);
  return started;
}

let caches = 0;
function testEnv(at: TestHub, vars: Record<string, string> = {}): Env {
  const cache = join(TMP, `cache-${caches++}`);
  return envFrom({BABELSCOPE_CACHE: cache, BABELSCOPE_TRANSFORMERS_CACHE: join(cache, "transformers"), BABELSCOPE_HUB: at.url, ...vars});
}

/** The requests for one file (by the end of its URL), on the hub or its CDN. */
const requestsFor = (server: TestHub, file: string) => server.log.filter((request) => request.url.endsWith(`/${file}`));

async function downloadedOnnx(env: Env): Promise<Buffer> {
  const model = await resolveModel("test-org/tiny-bert", env);
  expect(model.files[ONNX]).toBe(await sha256File(join(TINY_BERT, ONNX)));
  return readFileSync(join(model.dir, ONNX));
}

describe("redirects to a CDN", () => {
  it("an LFS file the hub redirects to another host is fetched there, and the token goes to the hub only", async () => {
    const server = await hub({cdn: true}, ["test-org/gated"]);
    const env = testEnv(server, {HF_TOKEN: TEST_TOKEN});
    const model = await resolveModel("test-org/gated", env);
    expect(readFileSync(join(model.dir, ONNX)).equals(ONNX_BYTES)).toBe(true);
    expect(requestsFor(server.cdn!, ONNX)).toHaveLength(1);
    expect(server.log.length).toBeGreaterThan(0);
    for (const request of server.log) expect(request.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    for (const request of server.cdn!.log) expect(request.headers.authorization).toBeUndefined();
    // Uncompressed, so that Content-Length, Range and the checksum are of the file's own bytes.
    for (const request of [...server.log, ...server.cdn!.log]) expect(request.headers["accept-encoding"]).toBe("identity");
  });
});

describe("transfers checked against the hub's checksum and length", () => {
  it("an LFS file corrupted in transit (its sha256 is not the X-Linked-Etag) and a regular file corrupted (not its git blob sha1) are fetched again, never used", async () => {
    const server = await hub({cdn: true, faults: {[ONNX]: ["corrupt"], "tokenizer.json": ["corrupt"]}});
    expect((await downloadedOnnx(testEnv(server))).equals(ONNX_BYTES)).toBe(true);
    const onnx = requestsFor(server.cdn!, ONNX);
    expect(onnx).toHaveLength(2);
    // Bytes that failed the check are not resumed from.
    expect(onnx[1].headers.range).toBeUndefined();
    expect(requestsFor(server, "tokenizer.json")).toHaveLength(2);
  });

  it("a transfer cut short of its Content-Length is resumed with Range from the bytes kept, and ends byte-identical", async () => {
    const server = await hub({cdn: true, faults: {[ONNX]: ["truncate"]}});
    expect((await downloadedOnnx(testEnv(server))).equals(ONNX_BYTES)).toBe(true);
    const onnx = requestsFor(server.cdn!, ONNX);
    expect(onnx.map((request) => request.headers.range)).toEqual([undefined, `bytes=${Math.floor(ONNX_BYTES.length / 2)}-`]);
  });

  it("a server that ignores Range (200 instead of 206) restarts the file cleanly", async () => {
    const server = await hub({ranges: false, faults: {[ONNX]: ["truncate"]}});
    expect((await downloadedOnnx(testEnv(server))).equals(ONNX_BYTES)).toBe(true);
    expect(requestsFor(server, ONNX).map((request) => request.headers.range)).toEqual([undefined, `bytes=${Math.floor(ONNX_BYTES.length / 2)}-`]);
  });

  it("a file that fails its check on every try is given up after BABELSCOPE_HUB_RETRIES tries, in one line, with nothing marked complete", async () => {
    const server = await hub({cdn: true, faults: {[ONNX]: ["corrupt", "corrupt", "truncate"]}});
    const env = testEnv(server, {BABELSCOPE_HUB_RETRIES: "3"});
    const error = await resolveModel("test-org/tiny-bert", env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toBe(
      `test-org/tiny-bert: download of ${ONNX} failed 3 times (transfer cut short at ${Math.floor(ONNX_BYTES.length / 2)} of ${ONNX_BYTES.length} bytes; BABELSCOPE_HUB_RETRIES); rerun to retry`
    );
    expect(requestsFor(server.cdn!, ONNX)).toHaveLength(3);
    const dir = join(env.cacheDir, "hub", "test-org", "tiny-bert", "main");
    expect(existsSync(join(dir, ONNX))).toBe(false);
    expect(existsSync(join(dir, ".complete.json"))).toBe(false);
  });

  it("two corrupt transfers, then a sound one: the third try is used", async () => {
    const server = await hub({cdn: true, faults: {[ONNX]: ["corrupt", "corrupt"]}});
    expect((await downloadedOnnx(testEnv(server, {BABELSCOPE_HUB_RETRIES: "3"}))).equals(ONNX_BYTES)).toBe(true);
  });

  it("with one try, a corrupt transfer names the checksum it failed", async () => {
    const server = await hub({cdn: true, faults: {[ONNX]: ["corrupt"]}});
    const error = await resolveModel("test-org/tiny-bert", testEnv(server, {BABELSCOPE_HUB_RETRIES: "1"})).catch((e: unknown) => e);
    expect((error as ModelError).message).toBe(
      `test-org/tiny-bert: download of ${ONNX} failed once (its content does not match the hub's checksum ${hubEtag(ONNX, ONNX_BYTES)}; BABELSCOPE_HUB_RETRIES); rerun to retry`
    );
  });
});

describe("gated models", () => {
  it("without HF_TOKEN: one line that names HF_TOKEN, and no Authorization header sent", async () => {
    const server = await hub({}, ["test-org/gated"]);
    const error = await resolveModel("test-org/gated", testEnv(server)).catch((e: unknown) => e);
    expect((error as ModelError).failure).toBe("unauthorized");
    expect((error as ModelError).message).toBe("test-org/gated: the hub refused config.json (HTTP 401): the model is gated or private; set HF_TOKEN to a hub token with access to it");
    expect(server.log[0].headers.authorization).toBeUndefined();
  });

  it("with an HF_TOKEN the hub refuses: one line that says the token was sent and refused", async () => {
    const server = await hub({}, ["test-org/gated"]);
    const error = await resolveModel("test-org/gated", testEnv(server, {HF_TOKEN: "wrong"})).catch((e: unknown) => e);
    expect((error as ModelError).message).toMatch(/^test-org\/gated: the hub refused config\.json \(HTTP 401\): HF_TOKEN was sent and refused: /);
    expect(server.log[0].headers.authorization).toBe("Bearer wrong");
  });
});

/** A repository with fp32 and fp16 weights (the same bytes: only the names matter here), and a data file that is no dtype. */
async function twoDtypesHub(): Promise<TestHub> {
  const repo = join(TMP, "two-dtypes");
  cpSync(TINY_BERT, repo, {recursive: true});
  cpSync(join(TINY_BERT, ONNX), join(repo, "onnx/model_fp16.onnx"));
  writeFileSync(join(repo, "onnx/model.onnx_data"), "");
  const server = await startHub({"test-org/two-dtypes": repo});
  hubs.push(server);
  return server;
}

describe("another dtype of a downloaded model", () => {
  it("downloads only its weights, and both dtypes stay recorded and usable offline", async () => {
    const server = await twoDtypesHub();
    const env = testEnv(server);
    await resolveModel("test-org/two-dtypes", env, "fp32");
    const fp16 = await resolveModel("test-org/two-dtypes", env, "fp16");
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", ONNX, "onnx/model_fp16.onnx"]) expect(requestsFor(server, file)).toHaveLength(1);
    const offline = {...env, hubHost: "http://127.0.0.1:9"};
    expect((await resolveModel("test-org/two-dtypes", offline, "fp32")).files[ONNX]).toBe(fp16.files[ONNX]);
    expect((await resolveModel("test-org/two-dtypes", offline, "fp16")).files["onnx/model_fp16.onnx"]).toBe(fp16.files[ONNX]);
  });
});

describe("a dtype the repository has no weights for", () => {
  it("names the dtype and lists the dtypes the hub's onnx/ folder has", async () => {
    const server = await twoDtypesHub();
    const error = await resolveModel("test-org/two-dtypes", testEnv(server), "q8").catch((e: unknown) => e);
    expect((error as ModelError).failure).toBe("not-found");
    expect((error as ModelError).message).toBe("test-org/two-dtypes: no ONNX weights for dtype q8 in test-org/two-dtypes (none of onnx/model_quantized.onnx, onnx/encoder_model_quantized.onnx, onnx/decoder_model_merged_quantized.onnx); these dtypes exist: fp32, fp16");
    expect(server.requests).toContain("/api/models/test-org/two-dtypes/tree/main/onnx");
  });

  it("on another revision, names it and lists that revision's folder", async () => {
    const server = await hub();
    const error = await resolveModel("test-org/tiny-bert@v2", testEnv(server), "q4").catch((e: unknown) => e);
    expect((error as ModelError).message).toBe("test-org/tiny-bert@v2: no ONNX weights for dtype q4 in test-org/tiny-bert@v2 (none of onnx/model_q4.onnx, onnx/encoder_model_q4.onnx, onnx/decoder_model_merged_q4.onnx); these dtypes exist: fp32");
  });
});

describe("downloads sharing the cache", () => {
  it("two resolutions of one model at once download each file once, and both get it", async () => {
    // Paced, so that the second asks while the first is still downloading.
    const server = await hub({pace: {bytes: 20_000, everyMs: 10}});
    const env = testEnv(server);
    const [first, second] = await Promise.all([resolveModel("test-org/tiny-bert", env), resolveModel("test-org/tiny-bert", env)]);
    expect(second.files).toEqual(first.files);
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", ONNX]) expect(requestsFor(server, file)).toHaveLength(1);
  });

  it("two processes sharing the cache download each file once and both get the model", async () => {
    // 100 kB/s: the weights take 2 s, longer than the two processes start apart.
    const server = await hub({pace: {bytes: 2000, everyMs: 20}});
    const env = testEnv(server);
    const vars = {...process.env, BABELSCOPE_CACHE: env.cacheDir, BABELSCOPE_HUB: server.url, BABELSCOPE_TRANSFORMERS_CACHE: env.transformersCacheDir};
    const resolveInChild = () => run(process.execPath, ["--import", "tsx", "tests/helpers/resolve-model.ts", "test-org/tiny-bert"], {env: vars});
    const [first, second] = await Promise.all([resolveInChild(), resolveInChild()]);
    expect(JSON.parse(first.stdout)[ONNX]).toBe(await sha256File(join(TINY_BERT, ONNX)));
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect([first.stderr, second.stderr].filter((stderr) => stderr.includes("waiting for the download of test-org/tiny-bert held by pid"))).toHaveLength(1);
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", ONNX]) expect(requestsFor(server, file)).toHaveLength(1);
  });
});

describe("a model already in transformers.js's cache", () => {
  /** transformers.js's file cache layout: `<cacheDir>/<owner>/<name>/<file>` for main, `<cacheDir>/<owner>/<name>/<revision>/<file>` otherwise. */
  function fillTransformersCache(env: Env, revision?: string): string {
    const dir = join(env.transformersCacheDir, "test-org", "tiny-bert", ...(revision ? [revision] : []));
    mkdirSync(dir, {recursive: true});
    cpSync(TINY_BERT, dir, {recursive: true});
    return dir;
  }

  it("is taken from there after the hub confirms each file's checksum (HEAD only), without downloading", async () => {
    const server = await hub({cdn: true});
    const env = testEnv(server);
    fillTransformersCache(env);
    expect((await downloadedOnnx(env)).equals(ONNX_BYTES)).toBe(true);
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", ONNX]) expect(requestsFor(server, file).map((request) => request.method)).toEqual(["HEAD"]);
    expect(server.cdn!.log).toEqual([]);
  });

  it("a copy there that does not match the hub's checksum is left alone and the file downloaded", async () => {
    const server = await hub({cdn: true});
    const env = testEnv(server);
    const dir = fillTransformersCache(env, "v2");
    const damaged = Buffer.from(ONNX_BYTES);
    damaged[1000] ^= 0xff;
    writeFileSync(join(dir, ONNX), damaged);
    const model = await resolveModel("test-org/tiny-bert@v2", env);
    expect(readFileSync(join(model.dir, ONNX)).equals(ONNX_BYTES)).toBe(true);
    expect(readFileSync(join(dir, ONNX)).equals(damaged)).toBe(true);
    expect(requestsFor(server.cdn!, ONNX).map((request) => request.method)).toEqual(["GET"]);
    expect(requestsFor(server, ONNX).map((request) => request.method)).toEqual(["HEAD", "GET"]);
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) expect(requestsFor(server, file).map((request) => request.method)).toEqual(["HEAD"]);
  });

  it("is used as it is when the hub cannot be reached", async () => {
    const server = await hub();
    const env = {...testEnv(server), hubHost: "http://127.0.0.1:9"};
    fillTransformersCache(env);
    expect((await downloadedOnnx(env)).equals(ONNX_BYTES)).toBe(true);
  });

  it("counts as cached for `babelscope models` (hubStatus), as a download does, for the dtype whose weights are there", async () => {
    const server = await hub();
    const env = {...testEnv(server), hubHost: "http://127.0.0.1:9"};
    const required = ["config.json", "tokenizer.json", "tokenizer_config.json"];
    expect(await hubStatus(env, "test-org/tiny-bert", "main", {required: [...required, ONNX]})).toMatch(/^cannot reach the model hub/);
    fillTransformersCache(env);
    expect(await hubStatus(env, "test-org/tiny-bert", "main", {required: [...required, ONNX]})).toBe("cached");
    expect(await hubStatus(env, "test-org/tiny-bert", "main", {required: [...required, "onnx/model_fp16.onnx"]})).toMatch(/^cannot reach the model hub/);
  });

  it("the default is transformers.js's own env.cacheDir", async () => {
    const {env: transformers} = await import("@huggingface/transformers");
    expect(envFrom({}).transformersCacheDir).toBe(resolve(transformers.cacheDir!));
  });
});
