/**
 * `babelscope serve`: a plain static server, as python's http.server or S3 serve a folder (a path is
 * a file, `/dir/` is its index.html, nothing else is rewritten), run as a user runs it.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {get} from "node:http";
import {join} from "node:path";
import {beforeAll, describe, expect, test} from "vitest";
import {staticServer} from "../../loaders/cli/serve.js";
import {runCli, startCli} from "../helpers/cli.js";
import {tempDir} from "../helpers/tmp.js";

let site: string;

/** The status of a GET of `path` exactly as written, not normalised by a URL parser. */
function rawStatus(origin: string, path: string): Promise<number | undefined> {
  const {hostname, port} = new URL(origin);
  return new Promise((resolve, reject) => {
    get({host: hostname, port, path}, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on("error", reject);
  });
}

beforeAll(() => {
  const dir = tempDir("serve");
  site = join(dir, "site");
  mkdirSync(join(site, "models", "a"), {recursive: true});
  writeFileSync(join(site, "index.html"), "<h1>home</h1>");
  writeFileSync(join(site, "compare.html"), "<h1>compare</h1>");
  writeFileSync(join(site, "models", "a", "index.html"), "<h1>a</h1>");
  writeFileSync(join(dir, "secret.txt"), "outside");
});

describe("staticServer", () => {
  test("serves files as they are named: no .html added, a folder's index only with its slash, nothing outside", async () => {
    const server = await staticServer(site);
    try {
      const get = (path: string) => fetch(`${server.url}${path}`, {redirect: "manual"});
      const page = await get("/compare.html");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toBe("<h1>compare</h1>");
      expect((await get("/compare")).status).toBe(404);
      expect(await (await get("/")).text()).toBe("<h1>home</h1>");
      expect(await (await get("/models/a/")).text()).toBe("<h1>a</h1>");
      const redirect = await get("/models/a?x=1");
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get("location")).toBe("/models/a/?x=1");
      expect((await get("/models/")).status).toBe(404);
      // Sent as written (fetch would resolve the dots first); an encoded slash survives URL parsing: the folder above is never served.
      for (const path of ["/../secret.txt", "/..%2Fsecret.txt", "/models/..%2F..%2Fsecret.txt"]) expect(await rawStatus(server.url, path), path).toBe(404);
      expect((await get("/%E0%A4%A")).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe("babelscope serve", () => {
  test("prints its address, serves the folder there, and stops on SIGTERM", async () => {
    const {child, done} = startCli(["serve", site, "--port", "0"]);
    const url = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout!.on("data", (chunk) => {
        out += chunk;
        const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (found) resolve(found[1]);
      });
    });
    expect(await (await fetch(`${url}compare.html`)).text()).toBe("<h1>compare</h1>");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^babelscope: serving .*site at http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C stops\)\n$/);
  });

  test("a folder with no built site, or a port in use, is one line and exit code 1 or 2", async () => {
    const empty = tempDir("serve-empty");
    const none = await runCli(["serve", empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`babelscope: ${empty}: no index.html there; build the site first (npx babelscope build)\n`);
    const taken = await staticServer(site);
    try {
      const port = new URL(taken.url).port;
      const busy = await runCli(["serve", site, "--port", port]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(`babelscope: port ${port} is in use: pass another with --port <n> (0: any free port)\n`);
    } finally {
      await taken.close();
    }
  });
});
