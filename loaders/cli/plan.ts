/**
 * `babelscope plan --scheduler slurm|k8s|matrix --shards <n> --model <ref>... --input <src>`:
 * prints what to submit to a scheduler to extract in shards (see loaders/shard/plan.ts), and on
 * stderr how to submit it.
 */
import {resolve} from "node:path";
import {envFrom} from "../config.js";
import {actionsMatrix, kubernetesJob, type Scheduler, SCHEDULERS, slurmScript, taskCount, toYaml, type ShardPlan} from "../shard/plan.js";
import {integerOption, parseOptions} from "./options.js";
import {UsageError} from "./usage.js";

/** extract's options that a plan passes on to every task as given. */
const PASSED = ["input", "langs", "pooling", "max-length", "batch-size", "dtype", "threads", "device", "max-items-per-language"] as const;
const MOUNT = "/shared";

export async function plan(args: string[]): Promise<void> {
  const {values} = parseOptions({
    args,
    options: {
      scheduler: {type: "string"},
      shards: {type: "string"},
      model: {type: "string", multiple: true},
      out: {type: "string"},
      image: {type: "string", default: "babelscope"},
      claim: {type: "string", default: "babelscope-shared"},
      name: {type: "string", default: "babelscope-extract"},
      ...Object.fromEntries(PASSED.map((name) => [name, {type: "string"}])) as Record<(typeof PASSED)[number], {type: "string"}>
    },
    strict: true
  });
  const scheduler = values.scheduler as Scheduler;
  if (!SCHEDULERS.includes(scheduler)) throw new UsageError(`plan needs --scheduler ${SCHEDULERS.join("|")}${values.scheduler ? `, got "${values.scheduler}"` : ""}`);
  const shards = integerOption("shards", values.shards);
  if (shards === undefined) throw new UsageError("plan needs --shards <n>");
  if (!values.model?.length) throw new UsageError("plan needs --model <ref> (repeat it for several models)");
  if (!values.input) throw new UsageError("plan needs --input <file|dataset>");
  const defaultOut = scheduler === "k8s" ? `${MOUNT}/stores` : scheduler === "matrix" ? "stores" : envFrom().storesDir;
  const extractArgs = PASSED.flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, values[name]!]));
  const shardPlan: ShardPlan = {models: values.model, shards, extractArgs, out: scheduler === "slurm" ? resolve(values.out ?? defaultOut) : values.out ?? defaultOut};
  const tasks = taskCount(shardPlan);
  if (scheduler === "slurm") {
    process.stdout.write(slurmScript(shardPlan, process.cwd()));
    process.stderr.write(`${tasks} tasks; save this as extract.sbatch and run: sbatch extract.sbatch (${shardPlan.out} must be on storage every node sees)\n`);
  } else if (scheduler === "k8s") {
    process.stdout.write(toYaml(kubernetesJob(shardPlan, {image: values.image, claim: values.claim, mount: MOUNT, name: values.name})));
    process.stderr.write(`${tasks} pods; save this as job.yaml and run: kubectl apply -f job.yaml (the image must hold Babelscope in its working directory; claim ${values.claim} is mounted at ${MOUNT}, ReadWriteMany)\n`);
  } else {
    process.stdout.write(toYaml(actionsMatrix(shardPlan)));
    process.stderr.write(`${tasks} matrix jobs and a merge job; save this as .github/workflows/babelscope-extract.yml\n`);
  }
}
