/** The site step's guard for BABELSCOPE_DIST: it replaces only what a site build wrote. */
import {mkdirSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {buildSite} from "../../loaders/project/site.js";
import {tempDir} from "../helpers/tmp.js";

describe("buildSite", () => {
  test("refuses to replace a BABELSCOPE_DIST folder that holds other files, in one line, touching nothing", async () => {
    const dir = tempDir("site");
    const dist = join(dir, "my-folder");
    mkdirSync(dist);
    writeFileSync(join(dist, "notes.txt"), "mine");
    const env = envFrom({BABELSCOPE_WORK: join(dir, "work"), BABELSCOPE_DIST: dist});
    const outcome = await buildSite(env, "babelscope.config.ts", {}, () => {});
    expect(outcome).toMatchObject({status: "failed", reason: `${dist} holds files that no site build wrote; not replacing it (set BABELSCOPE_DIST to an empty or new folder)`});
    expect(readdirSync(dist)).toEqual(["notes.txt"]);
    expect(readdirSync(dir).sort()).toEqual(["my-folder", "work"]);
  });
});
