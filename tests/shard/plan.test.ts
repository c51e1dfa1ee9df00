/**
 * What `babelscope plan` writes: task k is model k div n, shard k mod n, for every scheduler; the
 * Kubernetes Job validates against the batch/v1 Job schema (kubernetes-models, generated from the
 * Kubernetes OpenAPI spec) and follows the API reference's rules that a schema cannot state; YAML
 * strings are quoted so none reads as another type.
 */
import {Job} from "kubernetes-models/batch/v1/Job";
import {describe, expect, it} from "vitest";
import {actionsMatrix, kubernetesJob, type ShardPlan, slurmScript, taskOf, toYaml} from "../../loaders/shard/plan.js";

const plan: ShardPlan = {models: ["embedded:babelscope-tiny", "Xenova/multilingual-e5-small"], shards: 3, extractArgs: ["--input", "udhr-heldout", "--langs", "eng,fra"], out: "/shared/stores"};
const k8s = {image: "registry.example/babelscope:1", claim: "shared", mount: "/shared", name: "babelscope-extract"};

describe("task index -> model and shard", () => {
  it("tasks 0..n-1 are the first model's shards, n..2n-1 the second's", () => {
    expect(Array.from({length: 6}, (_, k) => taskOf(k, plan))).toEqual([
      {model: plan.models[0], shard: 0}, {model: plan.models[0], shard: 1}, {model: plan.models[0], shard: 2},
      {model: plan.models[1], shard: 0}, {model: plan.models[1], shard: 1}, {model: plan.models[1], shard: 2}
    ]);
  });
});

describe("Slurm", () => {
  it("an array of one task per model and shard, each reading SLURM_ARRAY_TASK_ID", () => {
    const script = slurmScript(plan, "/home/lab/babelscope");
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("\n#SBATCH --array=0-5\n");
    expect(script).toContain("\n#SBATCH --chdir=/home/lab/babelscope\n");
    expect(script).toContain("${SLURM_ARRAY_TASK_ID:?");
    expect(script).toContain("--out /shared/stores");
  });
});

describe("Kubernetes Indexed Job", () => {
  const job = kubernetesJob(plan, k8s) as any;
  const pod = job.spec.template.spec;
  const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

  it("validates against the batch/v1 Job schema, which rejects a misspelt field value", () => {
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new Job({...job, spec: {...job.spec, completionMode: "Indexd"}}).validate()).toThrow(/completionMode/);
  });

  it("is a batch/v1 Job in Indexed completion mode, one completion per task", () => {
    expect(job).toMatchObject({apiVersion: "batch/v1", kind: "Job", spec: {completionMode: "Indexed", completions: 6, parallelism: 6}});
    // The API reference: Indexed mode needs completions; backoffLimitPerIndex only in Indexed mode;
    // a Job's pods restart Never or OnFailure; names are DNS labels (a Job's at most 63 characters).
    expect(Number.isInteger(job.spec.backoffLimitPerIndex)).toBe(true);
    expect(["Never", "OnFailure"]).toContain(pod.restartPolicy);
    expect(job.metadata.name).toMatch(dnsLabel);
    expect(job.metadata.name.length).toBeLessThanOrEqual(63);
    for (const container of pod.containers) expect(container.name).toMatch(dnsLabel);
  });

  it("mounts the shared volume claim where the tasks write, and runs the task command with JOB_COMPLETION_INDEX", () => {
    const [container] = pod.containers;
    expect(container.image).toBe(k8s.image);
    expect(container.volumeMounts).toEqual([{name: "shared", mountPath: "/shared"}]);
    expect(pod.volumes).toEqual([{name: "shared", persistentVolumeClaim: {claimName: "shared"}}]);
    expect(container.command.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(container.command[2]).toContain("${JOB_COMPLETION_INDEX:?");
  });
});

describe("GitHub Actions matrix", () => {
  it("one matrix job per task, each uploading its shard, then a merge job that needs them", () => {
    const workflow = actionsMatrix({...plan, out: "stores"}) as any;
    expect(workflow.jobs.extract.strategy.matrix.task).toEqual([0, 1, 2, 3, 4, 5]);
    const upload = workflow.jobs.extract.steps.find((step: any) => step.uses?.startsWith("actions/upload-artifact"));
    expect(upload.with).toMatchObject({name: "shard-${{ matrix.task }}", path: "stores/.shards/", "include-hidden-files": true});
    expect(workflow.jobs.merge.needs).toBe("extract");
    expect(workflow.jobs.merge.steps.map((step: any) => step.run).filter(Boolean)).toEqual(["npm ci", "npx babelscope merge --out stores"]);
  });
});

describe("toYaml", () => {
  it("writes nested maps and lists with every string quoted (a worked example)", () => {
    expect(toYaml({a: {b: ["x", 1, true, {c: "yes", d: []}]}, "e f": {}, on: 1})).toBe(
      'a:\n  b:\n    - "x"\n    - 1\n    - true\n    - c: "yes"\n      d: []\n"e f": {}\n"on": 1\n'
    );
  });
});
