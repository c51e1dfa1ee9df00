"""Measure what train.py --check must tolerate and what it must catch.

    /usr/bin/python3 models/train/check_spread.py      # writes models/babelscope-tiny/check-spread.json

Platforms: phase 1 rerun from the committed record (loss-first-100.json) with other CPU kernels:
torch's (ATEN_CPU_CAPABILITY: default is plain C++, avx2 what this machine picks by itself; avx512
needs a CPU that has it) and OpenBLAS's matrix products (OPENBLAS_CORETYPE: older kernel sets than
the Haswell ones this machine picks), and with two torch threads. Each setting runs in its own
process, since both libraries choose their kernels when they load. For every step and logged loss
it keeps the relative difference to the record.
Changes: the first CHECK_STEPS steps with a training argument changed slightly; the check must
reject them, so their differences from the record must rise far above CHECK_RTOL.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import train  # noqa: E402  (sets the one-thread OpenBLAS variable before torch loads)
import torch  # noqa: E402

REPO = train.REPO
RECORD = os.path.join(REPO, "models", "babelscope-tiny", "loss-first-100.json")

PLATFORMS = [  # (name, environment, torch threads)
    ("torch avx2, OpenBLAS Haswell, 1 thread (what this machine picks)", {}, 1),
    ("torch default (no SIMD), 1 thread", {"ATEN_CPU_CAPABILITY": "default"}, 1),
    ("OpenBLAS Sandybridge (AVX) kernels, 1 thread", {"OPENBLAS_CORETYPE": "Sandybridge"}, 1),
    ("OpenBLAS Prescott (SSE3) kernels, 1 thread", {"OPENBLAS_CORETYPE": "Prescott"}, 1),
    ("torch default and OpenBLAS Prescott, 1 thread", {"ATEN_CPU_CAPABILITY": "default", "OPENBLAS_CORETYPE": "Prescott"}, 1),
    ("torch avx2, 2 threads", {}, 2),
]

CHANGES = [  # (name, argument overrides) of the recorded run
    ("learning rate 1% higher", {"lr": 0.00303}),
    ("alignment temperature 0.1 -> 0.101", {"temperature": 0.101}),
    ("seed 1234 -> 1235", {"seed": 1235}),
]


def worker(spec: dict) -> None:
    """Phase 1 of the record, `spec["steps"]` steps with `spec["overrides"]`; rows and seconds per
    step as JSON on stdout. The caller set the kernel variables before this process loaded torch."""
    args = train.check_args(train.parse_args(["--check", RECORD]))
    vars(args).update(spec["overrides"], steps=spec["steps"])
    torch.set_num_threads(spec["threads"])
    tok, config, udhr_by_unit, names_by_unit, facts, _ = train.prepare(args, time.time())
    model = train.build_model(config, args.seed)
    started = time.time()
    rows = list(train.run_phase1(args, model, tok, udhr_by_unit, names_by_unit, facts))
    json.dump({"rows": rows, "seconds_per_step": (time.time() - started) / len(rows)}, sys.stdout)


def run(name: str, env: dict, threads: int, steps: int, overrides: dict | None = None) -> dict:
    spec = {"steps": steps, "threads": threads, "overrides": overrides or {}}
    print(f"{name}: {steps} steps", file=sys.stderr)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(spec)],
                         env={**os.environ, **env}, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(out.stdout)


def differences(rows: list[dict], reference: list[dict]) -> dict[str, list[float]]:
    """Relative difference to the reference per logged loss, one value per step."""
    return {key: [train.relative_difference(got[key], ref[key]) for got, ref in zip(rows, reference)]
            for key in reference[0] if key != "step"}


def summary(diffs: dict[str, list[float]], windows: list[int]) -> dict:
    """Largest difference over the first n steps for each window n, overall and per loss, and per step."""
    def largest(values):
        return {f"first {n} steps": float(f"{max(values[:n]):.2g}") for n in windows}
    per_step = [max(d[i] for d in diffs.values()) for i in range(len(next(iter(diffs.values()))))]
    return {"largest": largest(per_step), "per_loss": {k: largest(v) for k, v in diffs.items()},
            "per_step": [float(f"{d:.2g}") for d in per_step]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--out", default=None, help="default: train.SPREAD_FILE")
    args = p.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return 0

    reference = json.load(open(RECORD, encoding="utf-8"))["steps"]
    recorded_args = json.load(open(RECORD, encoding="utf-8"))["args"]
    k = train.CHECK_STEPS
    windows = sorted({k, recorded_args["warmup"], len(reference)})  # the drift grows fast once warmup ends
    out = {"record": os.path.relpath(RECORD, REPO), "check_steps": k, "check_rtol": train.CHECK_RTOL,
           "cpu_flags": sorted({f for f in open("/proc/cpuinfo").read().split() if f.startswith(("avx", "fma", "sse"))}),
           "platforms": [], "changes": []}
    for name, env, threads in PLATFORMS:
        result = run(name, env, threads, len(reference))
        out["platforms"].append({"name": name, "environment": env, "threads": threads,
                                 "seconds_per_step": round(result["seconds_per_step"], 2),
                                 **summary(differences(result["rows"], reference), windows)})
    for name, overrides in CHANGES:
        result = run(name, {}, 1, k, overrides)
        per_step = summary(differences(result["rows"], reference), [k])["per_step"]
        out["changes"].append({"name": name, "arguments": overrides, "largest": max(per_step),
                               "first_step_over_tolerance": next((i for i, d in enumerate(per_step) if d > train.CHECK_RTOL), None),
                               "per_step": per_step})
    path = args.out or os.path.join(REPO, train.SPREAD_FILE)
    with open(path, "w", encoding="utf-8") as f:  # each list on one line
        f.write(re.sub(r"\[([^\[\]{}]*)\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", json.dumps(out, indent=1)) + "\n")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
