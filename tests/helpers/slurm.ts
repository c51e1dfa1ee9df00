/**
 * A single-node Slurm cluster for a test, in a temp folder: munged, slurmctld and slurmd as this
 * process's children (in the foreground), on free ports, with their own key, socket, spool, state
 * and logs. It needs root (the daemons run as root) and Debian's slurm-wlm and munge; where either
 * is missing, `startSlurm` says why instead.
 */
import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {chmodSync, existsSync, mkdirSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {cpus, freemem, hostname} from "node:os";
import {join} from "node:path";
import {randomBytes} from "node:crypto";

export interface Slurm {
  /** Environment for sbatch, squeue, scontrol: SLURM_CONF pointing at this cluster. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const BINARIES = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"];

/** Why Slurm cannot run here, or undefined when it can. */
export function slurmUnavailable(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return "not root: a single-node Slurm runs its daemons as root";
  const missing = BINARIES.filter((bin) => spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0);
  return missing.length ? `${missing.join(", ")} not installed (Debian: apt-get install slurm-wlm munge; see .ci/system-deps)` : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    }).on("error", reject);
  });
}

export async function startSlurm(dir: string): Promise<Slurm> {
  for (const sub of ["spool", "state", "log"]) mkdirSync(join(dir, sub), {recursive: true});
  const key = join(dir, "munge.key");
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = join(dir, "munge.socket");
  const node = hostname().split(".")[0];
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, "slurm.conf");
  writeFileSync(conf, [
    "ClusterName=babelscope-test", `SlurmctldHost=${node}`, "AuthType=auth/munge", `AuthInfo=socket=${socket}`, "CredType=cred/munge",
    "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "SlurmUser=root", "SlurmdUser=root", "SelectType=select/cons_tres",
    "AccountingStorageType=accounting_storage/none", "JobCompType=jobcomp/none", "ReturnToService=2", "MpiDefault=none",
    `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`, `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmdSpoolDir=${dir}/spool`, `StateSaveLocation=${dir}/state`, `SlurmctldLogFile=${dir}/log/slurmctld.log`, `SlurmdLogFile=${dir}/log/slurmd.log`,
    `NodeName=${node} CPUs=${cpus().length} RealMemory=${Math.floor((freemem() / 2 ** 20) * 0.5)} State=UNKNOWN`,
    `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`
  ].join("\n") + "\n");
  const env = {SLURM_CONF: conf};
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[]) => children.push(spawn(command, args, {stdio: "ignore", env: {...process.env, ...env}}));
  const stop = async () => {
    // Stopped by their own pids, in reverse order: slurmd, slurmctld, munged.
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  };
  try {
    start("munged", ["--foreground", "--force", `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${dir}/munged.pid`, `--log-file=${dir}/log/munged.log`, `--seed-file=${dir}/munge.seed`]);
    await waitFor(() => existsSync(socket), "munged's socket", dir);
    start("slurmctld", ["-D", "-f", conf]);
    start("slurmd", ["-D", "-f", conf]);
    await waitFor(() => /\bidle\b/.test(spawnSync("sinfo", ["-h", "-o", "%T"], {env: {...process.env, ...env}, encoding: "utf8"}).stdout ?? ""), "an idle node", dir);
  } catch (error) {
    await stop();
    throw error;
  }
  return {env, stop};
}

async function waitFor(ready: () => boolean, what: string, dir: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`single-node Slurm: no ${what} after ${ms / 1000} s (logs in ${join(dir, "log")})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Submits a job script, its tasks getting this process's environment and `env`; returns its job id. */
export function sbatch(slurm: Slurm, script: string, args: string[] = [], env: Record<string, string> = {}): string {
  const result = spawnSync("sbatch", ["--parsable", ...args, script], {env: {...process.env, ...env, ...slurm.env}, encoding: "utf8"});
  if (result.status !== 0) throw new Error(`sbatch failed: ${result.stderr.trim()}`);
  return result.stdout.trim().split(";")[0];
}

/** Waits until no task of job `id` is pending or running. */
export async function waitForJob(slurm: Slurm, id: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (spawnSync("squeue", ["-h", "-j", id], {env: {...process.env, ...slurm.env}, encoding: "utf8"}).stdout.trim() !== "") {
    if (Date.now() > until) throw new Error(`Slurm job ${id} still running after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
