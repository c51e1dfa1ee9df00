/**
 * What a user submits to a scheduler to extract in shards: every task runs the same command,
 * `babelscope extract ... --shard <s>/<n>`, with the model and shard taken from the task's index
 * (task k: model k div n, shard k mod n), writing into one stores folder that every task sees.
 * The scheduler's own index variable picks the task: SLURM_ARRAY_TASK_ID (Slurm array job),
 * JOB_COMPLETION_INDEX (Kubernetes Indexed Job), a matrix value (GitHub Actions).
 */
import {shellWord} from "../shell-word.js";

export const SCHEDULERS = ["slurm", "k8s", "matrix"] as const;
export type Scheduler = (typeof SCHEDULERS)[number];

export interface ShardPlan {
  models: string[];
  shards: number;
  /** `babelscope extract` options other than --model, --shard and --out (e.g. --input x --langs a,b). */
  extractArgs: string[];
  /** The stores folder every task writes to (shared storage). */
  out: string;
}

/** The model and shard of task `index`. */
export function taskOf(index: number, plan: Pick<ShardPlan, "models" | "shards">): {model: string; shard: number} {
  return {model: plan.models[Math.floor(index / plan.shards)], shard: index % plan.shards};
}

export const taskCount = (plan: Pick<ShardPlan, "models" | "shards">): number => plan.models.length * plan.shards;

/** The POSIX shell command of a task whose index is in `$indexVar`: what every scheduler runs. */
export function taskCommand(plan: ShardPlan, indexVar: string, babelscope = "npx babelscope"): string {
  const n = plan.shards;
  return [
    `set -- ${plan.models.map(shellWord).join(" ")}`,
    `task=\${${indexVar}:?${indexVar} is not set}`,
    `shift $((task / ${n}))`,
    `exec ${babelscope} extract --model "$1" ${plan.extractArgs.map(shellWord).join(" ")} --shard "$((task % ${n}))/${n}" --out ${shellWord(plan.out)}`
  ].join("; ");
}

/** The merge, once every task ended (the task that completes a split already merged it: this checks, or merges shards copied from elsewhere). */
const mergeLine = (out: string, babelscope = "npx babelscope"): string => `${babelscope} merge --out ${shellWord(out)}`;

/** The CLI in the project folder without npx: nodes need only node, and each task starts faster. */
const NODE_BIN = "node bin/babelscope.js";

/** A Slurm array job script: `sbatch <file>` runs one task per array index, in the project folder `root`. */
export function slurmScript(plan: ShardPlan, root: string): string {
  const last = taskCount(plan) - 1;
  return `#!/bin/bash
# Babelscope: ${plan.models.length} model(s) x ${plan.shards} shards, one array task each, into ${plan.out}.
# Submit:  sbatch <this file>
# Merge:   the task that finishes a model's last shard merges its store; to check (or merge later):
#          sbatch --dependency=afterany:<job id> --wrap ${shellWord(`cd ${shellWord(root)} && ${mergeLine(plan.out, NODE_BIN)}`)}
#SBATCH --job-name=babelscope-extract
#SBATCH --array=0-${last}
#SBATCH --chdir=${root}
#SBATCH --output=babelscope-extract-%A_%a.log
set -eu
cd ${shellWord(root)}
${taskCommand(plan, "SLURM_ARRAY_TASK_ID", NODE_BIN)}
`;
}

export interface KubernetesOptions {
  image: string;
  claim: string;
  /** Where the claim is mounted in the container. */
  mount: string;
  name: string;
}

/** A Kubernetes Indexed Job (batch/v1): one pod per task, all mounting the shared volume. */
export function kubernetesJob(plan: ShardPlan, k8s: KubernetesOptions): Record<string, unknown> {
  const tasks = taskCount(plan);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {name: k8s.name, labels: {app: "babelscope"}},
    spec: {
      completionMode: "Indexed",
      completions: tasks,
      parallelism: tasks,
      backoffLimitPerIndex: 2,
      template: {
        metadata: {labels: {app: "babelscope"}},
        spec: {
          restartPolicy: "Never",
          containers: [{
            name: "extract",
            image: k8s.image,
            command: ["sh", "-c", taskCommand(plan, "JOB_COMPLETION_INDEX")],
            volumeMounts: [{name: "shared", mountPath: k8s.mount}]
          }],
          volumes: [{name: "shared", persistentVolumeClaim: {claimName: k8s.claim}}]
        }
      }
    }
  };
}

/** A GitHub Actions workflow: a matrix job per task (each uploads its shard), then a merge job. */
export function actionsMatrix(plan: ShardPlan): Record<string, unknown> {
  const setup = [{uses: "actions/checkout@v4"}, {uses: "actions/setup-node@v4", with: {"node-version": 20}}, {run: "npm ci"}];
  return {
    name: "babelscope-extract",
    on: {workflow_dispatch: {}},
    jobs: {
      extract: {
        "runs-on": "ubuntu-latest",
        strategy: {"fail-fast": false, matrix: {task: Array.from({length: taskCount(plan)}, (_, i) => i)}},
        steps: [
          ...setup,
          {run: taskCommand(plan, "TASK"), env: {TASK: "${{ matrix.task }}"}},
          {uses: "actions/upload-artifact@v4", with: {name: "shard-${{ matrix.task }}", path: `${plan.out}/.shards/`, "include-hidden-files": true}}
        ]
      },
      merge: {
        needs: "extract",
        "runs-on": "ubuntu-latest",
        steps: [
          ...setup,
          {uses: "actions/download-artifact@v4", with: {pattern: "shard-*", path: `${plan.out}/.shards`, "merge-multiple": true}},
          {run: mergeLine(plan.out)},
          {uses: "actions/upload-artifact@v4", with: {name: "stores", path: `${plan.out}/`}}
        ]
      }
    }
  };
}

/**
 * YAML for plain data: objects, arrays, strings, numbers, booleans. Strings are written as JSON
 * strings, which YAML reads as double-quoted scalars, so no value is ever read as another type.
 * (Babelscope has no YAML library; this is all the plans need.)
 */
export function toYaml(value: unknown, indent = ""): string {
  // Words YAML 1.1 reads as booleans (a workflow's `on`) are quoted too.
  const key = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) && !/^(y|n|yes|no|on|off|true|false)$/i.test(k) ? k : JSON.stringify(k));
  const scalar = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  const isEmpty = (v: unknown) => typeof v === "object" && v !== null && Object.keys(v).length === 0;
  const nested = (v: unknown) => typeof v === "object" && v !== null && !isEmpty(v);
  if (Array.isArray(value))
    return value.map((item) => (nested(item) ? `${indent}- ${toYaml(item, `${indent}  `).trimStart()}` : `${indent}- ${isEmpty(item) ? "{}" : scalar(item)}\n`)).join("");
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => (nested(v) ? `${indent}${key(k)}:\n${toYaml(v, `${indent}  `)}` : `${indent}${key(k)}: ${isEmpty(v) ? (Array.isArray(v) ? "[]" : "{}") : scalar(v)}\n`))
    .join("");
}
