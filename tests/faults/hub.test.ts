/**
 * A hub that trickles: bytes keep coming, so the silence bound never fires, but too slowly (or for
 * too long) to ever finish. The download must be given up with one line within the configured
 * limits and leave nothing in the cache that a rerun could take for a finished download (only a
 * partial file that it resumes); a download paced above the minimum must still finish; a download
 * killed outright leaves a partial file that the next download resumes.
 */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {envFrom, type Env} from "../../loaders/config.js";
import {ModelError} from "../../loaders/models/errors.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {startCli} from "../helpers/cli.js";
import {startHub, type Pace, type TestHub} from "../helpers/hub-server.js";
import {testItems, writeItems} from "../helpers/items.js";
import {tempDir} from "../helpers/tmp.js";

const TINY_BERT = resolve("tests/fixtures/models/tiny-bert");
const TMP = tempDir("faults-hub");
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

async function pacedHub(pace: Pace): Promise<TestHub> {
  const hub = await startHub({"test-org/tiny-bert": TINY_BERT}, [], {pace});
  hubs.push(hub);
  return hub;
}

let caches = 0;
function testEnv(hub: TestHub, vars: Record<string, string> = {}): Env {
  return envFrom({BABELSCOPE_CACHE: join(TMP, `cache-${caches++}`), BABELSCOPE_HUB: hub.url, ...vars});
}

/** Files under the model's cache folder that a download in progress or a finished one leaves. */
function leftovers(env: Env): string[] {
  const dir = join(env.cacheDir, "hub", "test-org", "tiny-bert", "main");
  const names = existsSync(dir) ? readdirSync(dir, {recursive: true}).map(String) : [];
  return names.filter((name) => name.endsWith(".tmp") || name.endsWith(".incomplete") || name === ".complete.json");
}

describe("hub downloads that trickle", () => {
  // Bounds are ten times the limits: they catch a hang, not a slow machine.
  it("a hub sending one byte every 100 ms is given up once the rate over the window is below the minimum, in one line, keeping the partial file for a rerun to resume and marking nothing complete", async () => {
    const hub = await pacedHub({bytes: 1, everyMs: 100});
    const env = testEnv(hub, {BABELSCOPE_HUB_MIN_RATE: "1000", BABELSCOPE_HUB_RATE_WINDOW_MS: "1000"});
    const started = Date.now();
    const error = await resolveModel("test-org/tiny-bert", env).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ModelError);
    const message = (error as ModelError).message;
    expect(message).toMatch(/^test-org\/tiny-bert: download of config\.json too slow \(\d+ B\/s over 1 s, minimum 1000 B\/s: BABELSCOPE_HUB_MIN_RATE\); rerun to retry$/);
    expect(Number(/\((\d+) B\/s/.exec(message)![1])).toBeLessThan(1000);
    expect(leftovers(env)).toEqual(["config.json.incomplete"]);
  });

  it("a download that keeps above the minimum rate but outlasts BABELSCOPE_HUB_DEADLINE_MS is given up at the deadline", async () => {
    // 80 kB/s: the small files arrive in a few ticks, onnx/model.onnx (200 kB) would take 2.5 s.
    const hub = await pacedHub({bytes: 4000, everyMs: 50});
    const env = testEnv(hub, {BABELSCOPE_HUB_MIN_RATE: "1000", BABELSCOPE_HUB_RATE_WINDOW_MS: "500", BABELSCOPE_HUB_DEADLINE_MS: "2000"});
    const started = Date.now();
    const error = await resolveModel("test-org/tiny-bert", env).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((error as ModelError).failure).toBe("offline");
    expect((error as ModelError).message).toBe("test-org/tiny-bert: download of onnx/model.onnx did not finish within 2 s (BABELSCOPE_HUB_DEADLINE_MS); rerun to retry");
    expect(leftovers(env)).toEqual([join("onnx", "model.onnx.incomplete")]);
  });

  it("a download paced above the minimum rate for longer than the window finishes with every byte", async () => {
    // 100 kB/s: onnx/model.onnx takes 2 s, so the rate is checked over full windows while it comes.
    const hub = await pacedHub({bytes: 2000, everyMs: 20});
    const env = testEnv(hub, {BABELSCOPE_HUB_MIN_RATE: "1000", BABELSCOPE_HUB_RATE_WINDOW_MS: "1000"});
    const model = await resolveModel("test-org/tiny-bert", env);
    expect(readFileSync(join(model.dir, "onnx/model.onnx")).equals(readFileSync(join(TINY_BERT, "onnx/model.onnx")))).toBe(true);
    expect(leftovers(env)).toEqual([".complete.json"]);
  });

  it("a download killed outright leaves its partial file; the next download resumes it with a Range request and ends with the same bytes", async () => {
    const hub = await pacedHub({bytes: 1, everyMs: 100});
    const env = testEnv(hub);
    const input = writeItems(join(TMP, "items.jsonl"), testItems(3));
    const {child, done} = startCli(["extract", "--model", "test-org/tiny-bert", "--input", input, "--out", join(TMP, "stores")], {BABELSCOPE_CACHE: env.cacheDir, BABELSCOPE_HUB: hub.url});
    const partial = join(env.cacheDir, "hub", "test-org", "tiny-bert", "main", "config.json.incomplete");
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(partial) && statSync(partial).size >= 3) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill("SIGKILL");
    await done;
    expect(leftovers(env)).toEqual(["config.json.incomplete"]);
    const kept = statSync(partial).size;

    const full = await startHub({"test-org/tiny-bert": TINY_BERT});
    hubs.push(full);
    const model = await resolveModel("test-org/tiny-bert", {...env, hubHost: full.url});
    expect(full.log.find((request) => request.url.endsWith("/config.json"))?.headers.range).toBe(`bytes=${kept}-`);
    expect(readFileSync(join(model.dir, "config.json")).equals(readFileSync(join(TINY_BERT, "config.json")))).toBe(true);
    expect(leftovers(env)).toEqual([".complete.json"]);
  });
});

describe("a damaged hub download in the cache", () => {
  it("a cached file whose content no longer matches its recorded sha256 is never used: one warning line, downloaded again, the same bytes", async () => {
    const hub = await startHub({"test-org/tiny-bert": TINY_BERT});
    hubs.push(hub);
    const env = testEnv(hub);
    const first = await resolveModel("test-org/tiny-bert", env);
    const onnx = join(first.dir, "onnx/model.onnx");
    const good = readFileSync(onnx);
    const damaged = Buffer.from(good);
    for (let i = 5000; i < 5064; i++) damaged[i] ^= 0xff;
    writeFileSync(onnx, damaged);
    const requests = hub.requests.length;
    const warnings: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((line: string) => (warnings.push(String(line)), true)) as typeof process.stderr.write;
    const again = await resolveModel("test-org/tiny-bert", env).finally(() => (process.stderr.write = write));
    expect(warnings).toEqual(["warning: cached onnx/model.onnx of test-org/tiny-bert does not match the checksum recorded at download; downloading again\n"]);
    // Only the damaged file is fetched again (and the optional files the hub did not have).
    expect(hub.requests.slice(requests).filter((url) => /\/(config|tokenizer|tokenizer_config)\.json$/.test(url))).toEqual([]);
    expect(hub.requests.slice(requests).filter((url) => url.endsWith("/onnx/model.onnx"))).toHaveLength(1);
    expect(readFileSync(onnx).equals(good)).toBe(true);
    expect(again.files).toEqual(first.files);
  });
});
