/**
 * The plans as their schedulers run them: each task's shell command with the scheduler's index
 * variable set (babelscope replaced by a stub that prints its arguments) runs model k div n,
 * shard k mod n; and the YAML that plan prints reads back, with PyYAML (an independent parser),
 * as the manifest it was made from.
 */
import {spawnSync} from "node:child_process";
import {chmodSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {actionsMatrix, kubernetesJob, type ShardPlan, taskCommand, toYaml} from "../../loaders/shard/plan.js";
import {missingPython, PYTHON} from "../helpers/python.js";
import {tempDir} from "../helpers/tmp.js";

const plan: ShardPlan = {models: ["embedded:babelscope-tiny", "owner/it's a model"], shards: 3, extractArgs: ["--input", "my data.jsonl", "--langs", "eng,fra"], out: "/shared/stores"};
const bin = join(tempDir("plan-run"), "bin");
mkdirSync(bin);
// npx as a stub: prints each argument on its own line.
writeFileSync(join(bin, "npx"), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
chmodSync(join(bin, "npx"), 0o755);

/** The arguments babelscope gets from `command` (run with `sh -c`) for task `index` in variable `variable`. */
function taskArgs(command: string, variable: string, index: number): string[] {
  const run = spawnSync("sh", ["-c", command], {env: {PATH: `${bin}:/usr/bin:/bin`, [variable]: String(index)}, encoding: "utf8"});
  expect(run.stderr).toBe("");
  return run.stdout.trim().split("\n");
}

describe("every scheduler's task command", () => {
  const job = kubernetesJob(plan, {image: "babelscope", claim: "shared", mount: "/shared", name: "babelscope-extract"}) as any;
  const commands = {
    k8s: {command: job.spec.template.spec.containers[0].command[2], variable: "JOB_COMPLETION_INDEX"},
    matrix: {command: (actionsMatrix(plan) as any).jobs.extract.steps.find((s: any) => s.env?.TASK).run, variable: "TASK"},
    slurm: {command: taskCommand(plan, "SLURM_ARRAY_TASK_ID"), variable: "SLURM_ARRAY_TASK_ID"}
  };

  it.each(Object.entries(commands))("%s: task k extracts model k div 3, shard k mod 3, into the shared folder", (_, {command, variable}) => {
    for (let k = 0; k < 6; k++) {
      expect(taskArgs(command, variable, k)).toEqual([
        "babelscope", "extract", "--model", plan.models[Math.floor(k / 3)], "--input", "my data.jsonl", "--langs", "eng,fra", "--shard", `${k % 3}/3`, "--out", "/shared/stores"
      ]);
    }
  });

  it("fails, naming the variable, when the scheduler did not set it", () => {
    const run = spawnSync("sh", ["-c", commands.k8s.command], {env: {PATH: `${bin}:/usr/bin:/bin`}, encoding: "utf8"});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("JOB_COMPLETION_INDEX is not set");
  });
});

const noYaml = missingPython(["yaml"]);

describe("YAML", () => {
  it.skipIf(noYaml)(`the Job and the workflow read back as written${noYaml ? ` (skipped: ${noYaml})` : ""}`, () => {
    for (const manifest of [kubernetesJob(plan, {image: "b", claim: "c", mount: "/m", name: "n"}), actionsMatrix(plan)]) {
      const run = spawnSync(PYTHON, ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"], {input: toYaml(manifest), encoding: "utf8"});
      expect(run.stderr).toBe("");
      // The workflow's `on` is quoted: YAML 1.1 (PyYAML) would read a bare one as true.
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(manifest)));
    }
  });
});
