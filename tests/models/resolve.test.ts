import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {envFrom, type Env} from "../../loaders/config.js";
import {ModelError} from "../../loaders/models/errors.js";
import {onnxFile, parseModelRef, resolveModel} from "../../loaders/models/resolve.js";
import {sha256File} from "../../loaders/store/checksum.js";
import {startHub, startSilentHub, TEST_TOKEN, type TestHub} from "../helpers/hub-server.js";

const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");

const TMP = mkdtempSync(join(tmpdir(), "babelscope-resolve-"));
afterAll(() => rmSync(TMP, {recursive: true, force: true}));

function testEnv(vars: Record<string, string> = {}): Env {
  const cache = mkdtempSync(join(TMP, "cache-"));
  return envFrom({BABELSCOPE_CACHE: cache, BABELSCOPE_STORES: join(cache, "stores"), ...vars});
}

describe("parseModelRef", () => {
  const env = testEnv();
  it("parseModelRef('owner/name') is a hub id on revision main", () => {
    expect(parseModelRef("Xenova/multilingual-e5-small", env)).toMatchObject({source: "hub", id: "Xenova/multilingual-e5-small", revision: "main"});
  });
  it("parseModelRef('owner/name@rev') keeps the revision", () => {
    expect(parseModelRef("onnx-community/Qwen2.5-0.5B-Instruct@v1.0", env)).toMatchObject({source: "hub", revision: "v1.0"});
  });
  it("parseModelRef('embedded:name') is an embedded model", () => {
    expect(parseModelRef("embedded:babelscope-tiny", env)).toMatchObject({source: "embedded", id: "babelscope-tiny"});
  });
  it("parseModelRef(existing folder) is local, even when spelled like a hub id", () => {
    expect(parseModelRef("tests/fixtures", env)).toMatchObject({source: "local", id: resolve("tests/fixtures")});
    expect(parseModelRef("./nowhere/at-all", env)).toMatchObject({source: "local"});
  });
  it("parseModelRef(nonsense) fails in one line listing the accepted forms", () => {
    expect(() => parseModelRef("not a model", env)).toThrow("not a model: not a model reference: expected owner/name[@revision], a folder, or embedded:<name>");
    expect(() => parseModelRef("a/b@x@y", env)).toThrow(ModelError);
  });
  it("onnxFile(dtype) follows the transformers.js suffixes", () => {
    expect(onnxFile("fp32")).toBe("onnx/model.onnx");
    expect(onnxFile("q8")).toBe("onnx/model_quantized.onnx");
    expect(() => onnxFile("fp64" as never)).toThrow('unknown dtype "fp64"');
  });
});

describe("resolveModel: folders", () => {
  it("resolveModel(folder) fingerprints the model files", async () => {
    const model = await resolveModel(TINY_BERT, testEnv());
    expect(model.source).toBe("local");
    expect(model.onnxPath).toBe(join(TINY_BERT, "onnx/model.onnx"));
    expect(model.files["onnx/model.onnx"]).toBe(await sha256File(join(TINY_BERT, "onnx/model.onnx")));
    expect(Object.keys(model.files)).toEqual(expect.arrayContaining(["config.json", "tokenizer.json", "tokenizer_config.json"]));
  });
  it("resolveModel(folder without a dtype's weights) names the missing file", async () => {
    await expect(resolveModel(TINY_BERT, testEnv(), "bnb4")).rejects.toThrow(`missing onnx/model_bnb4.onnx in ${TINY_BERT}`);
  });
  it("resolveModel('embedded:absent') says which folder it looked for", async () => {
    const env = testEnv();
    await expect(resolveModel("embedded:absent", env)).rejects.toThrow(`embedded:absent: no folder ${join(env.modelsDir, "absent")}`);
  });
});

describe("resolveModel: hub", () => {
  let hub: TestHub;
  let silent: TestHub;
  beforeAll(async () => {
    hub = await startHub({"test-org/tiny-bert": TINY_BERT, "test-org/gated": TINY_BERT}, ["test-org/gated"]);
    silent = await startSilentHub();
  });
  afterAll(async () => {
    await hub.close();
    await silent.close();
  });

  it("resolveModel(hub id) downloads into the documented cache layout, then works without the hub", async () => {
    const env = testEnv({BABELSCOPE_HUB: hub.url});
    const model = await resolveModel("test-org/tiny-bert", env);
    expect(model.dir).toBe(join(env.cacheDir, "hub", "test-org", "tiny-bert", "main"));
    expect(readFileSync(join(model.dir, "onnx/model.onnx"))).toEqual(readFileSync(join(TINY_BERT, "onnx/model.onnx")));
    expect(model.files["onnx/model.onnx"]).toBe(await sha256File(join(TINY_BERT, "onnx/model.onnx")));

    const before = hub.requests.length;
    const again = await resolveModel("test-org/tiny-bert", {...env, hubHost: "http://127.0.0.1:9"});
    expect(again.files).toEqual(model.files);
    expect(hub.requests.length).toBe(before);
  });

  it("resolveModel(hub id@revision) asks for that revision", async () => {
    const env = testEnv({BABELSCOPE_HUB: hub.url});
    const model = await resolveModel("test-org/tiny-bert@abc123", env);
    expect(model.dir.endsWith(join("tiny-bert", "abc123"))).toBe(true);
    expect(hub.requests.some((url) => url.startsWith("/test-org/tiny-bert/resolve/abc123/"))).toBe(true);
  });

  it("resolveModel(unknown hub id) is not-found in one line", async () => {
    const error = await resolveModel("test-org/nothing", testEnv({BABELSCOPE_HUB: hub.url})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).failure).toBe("not-found");
    expect((error as ModelError).message).toBe("test-org/nothing: the hub has no config.json for this model (HTTP 404): check the id, revision and dtype");
  });

  it("resolveModel(gated hub id) asks for HF_TOKEN", async () => {
    await expect(resolveModel("test-org/gated", testEnv({BABELSCOPE_HUB: hub.url}))).rejects.toThrow("gated or private; set HF_TOKEN");
  });

  it("resolveModel(gated hub id) with HF_TOKEN sends it and downloads", async () => {
    const model = await resolveModel("test-org/gated", testEnv({BABELSCOPE_HUB: hub.url, HF_TOKEN: TEST_TOKEN}));
    expect(model.files["onnx/model.onnx"]).toBe(await sha256File(join(TINY_BERT, "onnx/model.onnx")));
  });

  // Time bounds here are ten times the 1 s hub bound: they catch a hang, not a slow machine.
  it("resolveModel(hub id) against a hub that never answers gives up within the bound", async () => {
    const started = Date.now();
    const error = await resolveModel("test-org/tiny-bert", testEnv({BABELSCOPE_HUB: silent.url, BABELSCOPE_HUB_TIMEOUT_MS: "1000"})).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((error as ModelError).failure).toBe("offline");
    expect((error as ModelError).message).toBe(`test-org/tiny-bert: cannot reach the model hub at ${silent.url} (no answer within 1 s); skipped`);
  });

  // `.invalid` never resolves (RFC 2606): the offline case on every machine, online ones included.
  it("resolveModel(hub id) with an unresolvable hub fails in one line, without hanging", async () => {
    const started = Date.now();
    const error = await resolveModel("Xenova/multilingual-e5-small", testEnv({BABELSCOPE_HUB: "https://hub.invalid", BABELSCOPE_HUB_TIMEOUT_MS: "1000"})).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((error as ModelError).failure).toBe("offline");
    expect((error as ModelError).message).toMatch(/^Xenova\/multilingual-e5-small: cannot reach the model hub at https:\/\/hub\.invalid \(.+\); skipped$/);
  });
});

