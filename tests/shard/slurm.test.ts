/**
 * The plan's Slurm array job, run for real: a single-node Slurm on this machine (root, with
 * Debian's slurm-wlm and munge) runs its 4 tasks, each extracting a shard of the embedded model
 * on udhr-heldout into one stores folder; the store they merge must equal one machine's byte for
 * byte. Where Slurm cannot run, that test is skipped with the reason, and the second test runs
 * the same script's tasks here, as Slurm would (SLURM_ARRAY_TASK_ID set), so the shard and merge
 * path is tested everywhere.
 */
import {spawn} from "node:child_process";
import {existsSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {envFrom} from "../../loaders/config.js";
import {loadDataset} from "../../loaders/datasets/index.js";
import {DEFAULT_SETTINGS} from "../../loaders/extract/settings.js";
import {extractToStore} from "../../loaders/extract/to-store.js";
import {resolveModel} from "../../loaders/models/resolve.js";
import {runCli} from "../helpers/cli.js";
import {sbatch, type Slurm, slurmUnavailable, startSlurm, waitForJob} from "../helpers/slurm.js";
import {storeFiles} from "../helpers/store-files.js";
import {tempDir} from "../helpers/tmp.js";

const MODEL = "embedded:babelscope-tiny";
const LANGS = "eng,fra,arb,hin";
const BATCH = 8;
const TASKS = 4;
/** Small resume chunks, so that 4 shards get several batches each, and so does the single run. */
const CHUNK = {BABELSCOPE_CHUNK_ITEMS: "16"};
const root = tempDir("slurm");
let single: Record<string, string>;

/** The plan's Slurm script for stores folder `out`, written to a file. */
async function planScript(out: string): Promise<string> {
  const plan = await runCli(["plan", "--scheduler", "slurm", "--shards", String(TASKS), "--model", MODEL, "--input", "udhr-heldout", "--langs", LANGS, "--batch-size", String(BATCH), "--out", out]);
  expect(plan.stderr).toContain(`${TASKS} tasks`);
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain(`#SBATCH --array=0-${TASKS - 1}`);
  const file = join(root, `${out.split("/").at(-1)}.sbatch`);
  writeFileSync(file, plan.stdout);
  return file;
}

/** The merge step: reports the store (merged by the last task already) and prints its folder. */
async function merged(out: string): Promise<Record<string, string>> {
  const merge = await runCli(["merge", "--out", out]);
  const dir = merge.stdout.trim();
  if (merge.code === 0) return storeFiles(dir);
  // Every task merged what it could: the last one wrote the store and removed the shards.
  expect(merge.stderr).toMatch(/no shards under/);
  const [store] = readdirSync(out).filter((name) => !name.startsWith("."));
  return storeFiles(join(out, store));
}

beforeAll(async () => {
  const env = envFrom({...process.env, ...CHUNK, BABELSCOPE_STORES: join(root, "single")});
  const dataset = await loadDataset("udhr-heldout", {langs: LANGS.split(",")});
  const {store} = await extractToStore(await resolveModel(MODEL, env), dataset, {...DEFAULT_SETTINGS, batchSize: BATCH}, env);
  single = storeFiles(store.dir);
});

const unavailable = slurmUnavailable();

describe("the plan's Slurm array job on a single-node Slurm", () => {
  let slurm: Slurm | undefined;
  afterAll(async () => slurm?.stop());

  it.skipIf(unavailable)(`runs ${TASKS} shard tasks whose merge is byte-identical to one machine's store${unavailable ? ` (skipped: ${unavailable})` : ""}`, async () => {
    slurm = await startSlurm(join(root, "cluster"));
    const out = join(root, "slurm-stores");
    const script = await planScript(out);
    // sbatch passes its environment on to the tasks, the small chunks included.
    const job = sbatch(slurm, script, [`--output=${root}/task-%a.log`], CHUNK);
    await waitForJob(slurm, job);
    for (let i = 0; i < TASKS; i++) expect(existsSync(join(root, `task-${i}.log`))).toBe(true);
    expect(await merged(out)).toEqual(single);
  }, 180_000);
});

describe("the same array's tasks run here, as Slurm runs them", () => {
  it("every task (out of order, two at a time) and the merge give the single machine's store", async () => {
    const out = join(root, "local-stores");
    const script = await planScript(out);
    const task = (id: number) => new Promise<number | null>((resolve) => {
      spawn("bash", [script], {env: {...process.env, ...CHUNK, CI: "1", SLURM_ARRAY_TASK_ID: String(id)}, stdio: "ignore"}).on("close", resolve);
    });
    expect(await Promise.all([task(3), task(1)])).toEqual([0, 0]);
    expect(await Promise.all([task(0), task(2)])).toEqual([0, 0]);
    expect(await merged(out)).toEqual(single);
  }, 120_000);
});
