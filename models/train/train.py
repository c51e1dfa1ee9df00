"""Train the embedded model `babelscope-tiny` from scratch (plain torch, one CPU thread).

    /usr/bin/python3 models/train/train.py                      # full run: tokenizer, both phases, checkpoint
    /usr/bin/python3 models/train/train.py --check models/babelscope-tiny/loss-first-100.json
    /usr/bin/python3 models/train/train.py --from-phase1 models/train/.work --work /tmp/p2   # phase 2 only

Phase 1 is the main schedule (all objectives); phase 2 (`consolidate`) is a short second schedule
from the phase-1 weights that consolidates the fact statements while rehearsing the rest.
Writes to --work (default models/train/.work, not committed): tokenizer.json, phase1.pt (the
weights at the end of phase 1), model.pt (final), curve.json (both phases).
`export.py` then writes the shipped folder. --check reruns the first CHECK_STEPS steps of phase 1
twice with the recorded arguments (which must still be the defaults) and the committed tokenizer:
the two runs must give identical losses, and every loss must be within CHECK_RTOL (relative) of the
committed curve.
Phase 2 depends only on the phase-1 weights and the seed, so --from-phase1 reproduces it exactly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import one_thread  # noqa: E402,F401  (before torch)
import torch  # noqa: E402

from batches import BatchSampler, BatchShape  # noqa: E402
from corpus import REPO_FILES, cldr_names, true_statements, udhr_units  # noqa: E402
from model import REPO, Dims, build_model, llama_config, parameter_count  # noqa: E402
from objectives import embedding_bags, pair_alignment_loss, run_in_chunks  # noqa: E402
from tokenizer import BPETokenizer, train_bpe, word_counts  # noqa: E402

# --check. One process repeats itself bit for bit, but float32 results on CPU depend on the kernels
# torch and OpenBLAS pick for the CPU. check_spread.py measured the drift from the record over the
# kernel sets this machine can run (SPREAD_FILE): at most 4e-7 relative over the first 15 steps and
# 4e-6 over the 50 warmup steps, then 2e-3 by step 60. 15 steps of about 2 s, run twice,
# keep the check near 90 s on a shared 2-core machine. CHECK_RTOL is 5 times the largest drift over
# them, and 50 times below what a 1% higher learning rate does by step 1.
CHECK_STEPS = 15
CHECK_RTOL = 2e-6
SPREAD_FILE = os.path.join("models", "babelscope-tiny", "check-spread.json")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", default=os.path.join(REPO, "models", "train", ".work"))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--steps", type=int, default=1300, help="optimizer steps (sets the LR schedule)")
    p.add_argument("--total-steps", type=int, default=None, help="schedule length if --steps stops early")
    p.add_argument("--vocab", type=int, default=8192)
    p.add_argument("--hidden", type=int, default=Dims.hidden)
    p.add_argument("--layers", type=int, default=Dims.layers)
    p.add_argument("--intermediate", type=int, default=Dims.intermediate)
    p.add_argument("--facts-per-step", type=int, default=BatchShape.facts)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--align-layer", type=int, default=2)
    p.add_argument("--align-weight", type=float, default=1.0)
    p.add_argument("--temperature", type=float, default=0.1)
    p.add_argument("--bag-weight", type=float, default=1.0, help="weight of the embedding-level alignment")
    p.add_argument("--bag-temperature", type=float, default=0.1)
    p.add_argument("--bag-repeats", type=int, default=8, help="embedding-level UDHR batches per step")
    p.add_argument("--max-minutes", type=float, default=0, help="stop early after this wall time (0: never)")
    p.add_argument("--lm-fraction", type=float, default=0.25, help="share of UDHR positions with next-token loss")
    p.add_argument("--tokenizer", default=None, help="use this tokenizer.json instead of training one")
    p.add_argument("--check", default=None, help="compare the logged losses with this curve file and exit")
    p.add_argument("--save-every", type=int, default=100, help="checkpoint every N steps (0: only at the end)")
    p.add_argument("--no-facts", action="store_true", help="train without the fact statements")
    p.add_argument("--consolidate-steps", type=int, default=300,
                   help="fact-consolidation phase after the main schedule (0: none)")
    p.add_argument("--consolidate-facts", type=int, default=512, help="fact statements per consolidation step")
    p.add_argument("--consolidate-lr", type=float, default=2e-3)
    p.add_argument("--consolidate-warmup", type=int, default=10)
    p.add_argument("--consolidate-fact-weight", type=float, default=10.0, help="weight of lm_facts in consolidation")
    p.add_argument("--consolidate-bag-repeats", type=int, default=8)
    p.add_argument("--from-phase1", default=None,
                   help="skip the main schedule: consolidate the phase1.pt that a full run left in this folder")
    return p.parse_args(argv)


def by_unit(texts) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for t in texts:
        out[t.unit][t.lang] = t.text
    return dict(out)


# Optimizer settings that are not arguments; card.py reads them from here.
LR_FLOOR = 0.1  # the cosine schedule ends at this share of the peak learning rate
WEIGHT_DECAY = 0.01
GRAD_CLIP = 1.0  # gradient norm


def lr_at(step: int, args) -> float:
    """Linear warmup, then cosine decay to LR_FLOOR over the whole schedule."""
    total = args.total_steps or args.steps
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, total - args.warmup))
    return args.lr * (LR_FLOOR + (1.0 - LR_FLOOR) / 2 * (1.0 + math.cos(math.pi * progress)))


def train_step(model, sampler: BatchSampler, pad_id: int, args, gen: torch.Generator,
               consolidating: bool = False) -> dict[str, torch.Tensor]:
    losses = {}
    lm, pooled = run_in_chunks(model, sampler.udhr_pairs(), pad_id, args.align_layer, args.lm_fraction, gen)
    losses["lm_udhr"], losses["align_udhr"] = lm, pair_alignment_loss(pooled, args.temperature)
    lm, pooled = run_in_chunks(model, sampler.name_pairs(), pad_id, args.align_layer, args.lm_fraction, gen, chunk=32)
    losses["lm_names"], losses["align_names"] = lm, pair_alignment_loss(pooled, args.temperature)
    if args.bag_weight > 0:
        # Embedding-level batches cost almost nothing next to the layers, so several run per step.
        udhr_bags = [pair_alignment_loss(embedding_bags(model, sampler.segment_pairs(), pad_id), args.bag_temperature)
                     for _ in range(args.bag_repeats)]
        losses["bag_udhr"] = sum(udhr_bags) / args.bag_repeats
        names = embedding_bags(model, sampler.name_pairs(sampler.shape.bag_names), pad_id)
        losses["bag_names"] = pair_alignment_loss(names, args.bag_temperature)
    facts, answer_starts = sampler.fact_epoch_batch() if consolidating else sampler.fact_batch()
    if facts:
        losses["lm_facts"] = run_in_chunks(model, facts, pad_id, args.align_layer, 1.0, gen, chunk=24,
                                           lm_start=answer_starts)[0]
    return losses


def total_loss(losses: dict[str, torch.Tensor], args, fact_weight: float = 1.0) -> torch.Tensor:
    weight = {"align": args.align_weight, "bag": args.bag_weight, "lm": 1.0, "lm_facts": fact_weight}
    return sum(v * weight.get(k, weight[k.split("_")[0]]) for k, v in losses.items())


def sampler_for(tok: BPETokenizer, udhr_by_unit, names_by_unit, facts, facts_per_step: int, seed: int) -> BatchSampler:
    return BatchSampler(udhr_by_unit, names_by_unit, [(t.text, t.answer_at) for t in facts], BatchShape(facts=facts_per_step),
                        lambda text: tok.encode(text, add_bos=False), tok.bos_id, seed)


def adamw(model, lr: float) -> torch.optim.AdamW:
    return torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=WEIGHT_DECAY)


def apply_step(model, optimizer, loss: torch.Tensor, lr: float) -> None:
    """One optimizer step at `lr`, with gradients clipped to norm GRAD_CLIP."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    optimizer.step()


def curve_row(step: int, loss: torch.Tensor, losses: dict[str, torch.Tensor]) -> dict:
    return {"step": step, "loss": loss.item(), **{k: v.item() for k, v in losses.items()}}


def describe(row: dict) -> str:
    return f"loss {row['loss']:.4f} (" + " ".join(f"{k} {v:.3f}" for k, v in row.items() if k not in ("step", "loss")) + ")"


def load_material(args):
    udhr = udhr_units(os.path.join(REPO, REPO_FILES["udhr"]), "train")
    names = cldr_names(REPO)
    facts_path = os.path.join(REPO, REPO_FILES["statements"])
    facts = [] if args.no_facts or not os.path.exists(facts_path) else true_statements(facts_path)
    return udhr, names, facts


def make_tokenizer(args, texts) -> BPETokenizer:
    if args.tokenizer:
        return BPETokenizer.from_tokenizer_json(json.load(open(args.tokenizer, encoding="utf-8")))
    return BPETokenizer(train_bpe(word_counts(t.text for t in texts), args.vocab))


def relative_difference(got: float, reference: float) -> float:
    return abs(got - reference) / abs(reference)


def compare_runs(first: list[dict], second: list[dict], reference: list[dict]) -> tuple[list[str], float]:
    """What --check objects to in two runs from one process: any loss that differs between them, or
    that differs from the reference by more than CHECK_RTOL; and the largest relative difference."""
    bad, largest = [], 0.0
    for a, b in zip(first, second):
        bad += [f"step {a['step']} {key}: first run {a[key]!r}, second run {b[key]!r} in the same process"
                for key in a if a[key] != b[key]]
    for ref, got in zip(reference, first):
        if ref.keys() != got.keys():
            bad.append(f"step {ref['step']}: this run logs {sorted(got)}, the reference {sorted(ref)}")
            continue
        for key in ref.keys() - {"step"}:
            diff = relative_difference(got[key], ref[key])
            largest = max(largest, diff)
            if not diff <= CHECK_RTOL:  # also catches NaN
                bad.append(f"step {ref['step']} {key}: reference {ref[key]:.7g}, this run {got[key]:.7g}, "
                           f"relative difference {diff:.1e} > tolerance {CHECK_RTOL:.0e}")
    return bad, largest


def save(args, tok: BPETokenizer, config, model, curve: list[dict], started: float, material: str,
         phase1: dict | None = None, weights: str = "model.pt") -> None:
    """Tokenizer, weights and loss curve to --work (each file replaced atomically). `phase1`
    (steps, seconds) marks a curve whose steps after phase1["steps"] are the consolidation phase."""
    os.makedirs(args.work, exist_ok=True)

    def atomic(name, write):
        tmp = os.path.join(args.work, name + ".tmp")
        write(tmp)
        os.replace(tmp, os.path.join(args.work, name))

    atomic("tokenizer.json", lambda p: json.dump(tok.tokenizer_json(), open(p, "w", encoding="utf-8"), ensure_ascii=False))
    atomic(weights, lambda p: torch.save({"config": config.__dict__, "state_dict": model.state_dict(),
                                          "args": vars(args), "steps": len(curve)}, p))
    seconds = time.time() - started + (phase1["seconds"] if phase1 and "resumed" in phase1 else 0)
    atomic("curve.json", lambda p: json.dump({"seed": args.seed, "torch": torch.__version__,
                                              "seconds": seconds, "args": vars(args), "material": material,
                                              **({"phase1": {k: phase1[k] for k in ("steps", "seconds")}} if phase1 else {}),
                                              "steps": curve}, open(p, "w", encoding="utf-8")))


def check_args(args):
    """The recorded run's arguments, cut to its first CHECK_STEPS steps (fewer if it records fewer),
    with the tokenizer shipped beside the curve file, so the rerun follows the same schedule (the LR
    depends on the total steps)."""
    recorded = json.load(open(args.check, encoding="utf-8"))
    merged = {**vars(parse_args([])), **recorded["args"], "check": args.check, "save_every": 0,
              "steps": min(CHECK_STEPS, len(recorded["steps"])),
              "total_steps": recorded["args"]["total_steps"] or recorded["args"]["steps"],
              "tokenizer": args.tokenizer or os.path.join(os.path.dirname(os.path.abspath(args.check)), "tokenizer.json")}
    return argparse.Namespace(**merged)


def prepare(args, started: float):
    """The tokenizer, model config and training material that `args` name."""
    udhr, names, facts = load_material(args)
    tok = make_tokenizer(args, udhr + names + facts)
    udhr_by_unit, names_by_unit = by_unit(udhr), by_unit(names)
    material = (f"{len(udhr)} UDHR paragraphs in {len({t.lang for t in udhr})} languages, "
                f"{len(names)} CLDR names of {len(names_by_unit)} codes in {len({t.lang for t in names})} locales, "
                f"{len(facts)} true statements in {len({t.lang for t in facts})} languages")
    print(f"material: {material}; vocab {len(tok.vocab)}; {time.time() - started:.0f}s", file=sys.stderr)
    dims = Dims(hidden=args.hidden, layers=args.layers, intermediate=args.intermediate)
    config = llama_config(dims, len(tok.vocab), tok.bos_id, tok.eos_id, tok.pad_id)
    return tok, config, udhr_by_unit, names_by_unit, facts, material


def run_phase1(args, model, tok: BPETokenizer, udhr_by_unit, names_by_unit, facts):
    """The main schedule from `model` as build_model made it, yielding each step's curve row. The
    sampler, optimizer and generator are made here from --seed, so a second call repeats the first."""
    sampler = sampler_for(tok, udhr_by_unit, names_by_unit, facts, args.facts_per_step, args.seed)
    optimizer = adamw(model, args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    model.train()
    for step in range(args.steps):
        losses = train_step(model, sampler, tok.pad_id, args, gen)
        loss = total_loss(losses, args)
        apply_step(model, optimizer, loss, lr_at(step, args))
        yield curve_row(step, loss, losses)


def changed_defaults(recorded_args: dict) -> list[str]:
    """The recorded run's arguments that train.py's defaults no longer give (paths aside), so a
    changed default fails the check although the rerun uses the recorded value."""
    defaults = vars(parse_args([]))
    return [f"argument {key}: the record was made with {value!r}, train.py's default is now {defaults[key]!r}"
            for key, value in recorded_args.items()
            if key not in ("work", "tokenizer", "check", "from_phase1") and key in defaults and defaults[key] != value]


def check(args, config, data, started: float) -> int:
    """--check: the recorded arguments against the defaults, then phase 1's first steps twice in
    this process, against each other and the record."""
    recorded = json.load(open(args.check, encoding="utf-8"))
    changed = changed_defaults(recorded["args"])
    if changed:
        print("\n".join(changed))
        return 1
    runs = []
    for run in (1, 2):
        runs.append(list(run_phase1(args, build_model(config, args.seed), *data)))
        print(f"check run {run}: {args.steps} steps; {time.time() - started:.0f}s", file=sys.stderr)
    bad, largest = compare_runs(*runs, recorded["steps"])
    print("\n".join(bad) if bad else
          f"determinism check passed: {args.steps} steps identical twice in one process and within relative "
          f"{CHECK_RTOL:.0e} of {args.check} (largest difference {largest:.1e})")
    return 1 if bad else 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.check:
        args = check_args(args)
    if args.from_phase1 and not args.tokenizer:
        args.tokenizer = os.path.join(args.from_phase1, "tokenizer.json")
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    started = time.time()
    tok, config, udhr_by_unit, names_by_unit, facts, material = prepare(args, started)
    data = (tok, udhr_by_unit, names_by_unit, facts)
    if args.check:
        return check(args, config, data, started)

    model = build_model(config, args.seed)
    print(f"parameters: {parameter_count(model):,}", file=sys.stderr)
    if args.from_phase1:
        return consolidate_from(args, tok, config, model, udhr_by_unit, names_by_unit, facts, material, started)
    curve = []
    for row in run_phase1(args, model, *data):
        curve.append(row)
        step = row["step"]
        if step % 25 == 0 or step == args.steps - 1:
            print(f"step {step} {describe(row)} {time.time() - started:.0f}s", file=sys.stderr)
        if args.save_every and (step + 1) % args.save_every == 0:
            save(args, tok, config, model, curve, started, material)
        if args.max_minutes and time.time() - started > 60 * args.max_minutes:
            print(f"stopping at step {step}: wall budget of {args.max_minutes} minutes reached", file=sys.stderr)
            break

    save(args, tok, config, model, curve, started, material)
    if args.consolidate_steps and facts:
        phase1 = {"steps": len(curve), "seconds": time.time() - started}
        save(args, tok, config, model, curve, started, material, phase1, weights="phase1.pt")
        consolidate(args, tok, model, udhr_by_unit, names_by_unit, facts, curve)
        save(args, tok, config, model, curve, started, material, phase1)
    print(f"saved to {args.work} after {time.time() - started:.0f}s", file=sys.stderr)
    return 0


def consolidate(args, tok: BPETokenizer, model, udhr_by_unit, names_by_unit, facts, curve: list[dict]) -> None:
    """Phase 2, fact consolidation: a second short schedule from the phase-1 weights, with a fresh
    optimizer, sampler and generator (seeded from --seed), so it depends only on the phase-1 weights
    (and `--from-phase1` reproduces it from a saved phase1.pt). Many more statements per step, each
    pass over all of them in a new shuffled order, and a lower learning rate; the UDHR and CLDR
    losses (next-token and both alignments) stay, so what phase 1 learnt is rehearsed, not forgotten."""
    seed = args.seed + 1
    sampler = sampler_for(tok, udhr_by_unit, names_by_unit, facts, args.consolidate_facts, seed)
    step_args = argparse.Namespace(**{**vars(args), "bag_repeats": args.consolidate_bag_repeats})
    schedule = argparse.Namespace(lr=args.consolidate_lr, warmup=args.consolidate_warmup,
                                  steps=args.consolidate_steps, total_steps=None)
    optimizer = adamw(model, args.consolidate_lr)
    gen = torch.Generator().manual_seed(seed)
    started, first = time.time(), len(curve)
    model.train()
    for i in range(args.consolidate_steps):
        losses = train_step(model, sampler, tok.pad_id, step_args, gen, consolidating=True)
        loss = total_loss(losses, step_args, args.consolidate_fact_weight)
        apply_step(model, optimizer, loss, lr_at(i, schedule))
        curve.append(curve_row(first + i, loss, losses))
        if i % 10 == 0 or i == args.consolidate_steps - 1:
            print(f"consolidation step {i} {describe(curve[-1])} {time.time() - started:.0f}s", file=sys.stderr)


def consolidate_from(args, tok, config, model, udhr_by_unit, names_by_unit, facts, material, started) -> int:
    """--from-phase1: phase 2 only, from the phase-1 weights and curve a full run saved."""
    ckpt = torch.load(os.path.join(args.from_phase1, "phase1.pt"))
    model.load_state_dict(ckpt["state_dict"])
    recorded = json.load(open(os.path.join(args.from_phase1, "curve.json"), encoding="utf-8"))
    phase1 = {**recorded.get("phase1", {"steps": len(recorded["steps"]), "seconds": recorded["seconds"]}), "resumed": True}
    curve = recorded["steps"][:phase1["steps"]]
    if len(curve) != ckpt["steps"]:
        raise SystemExit(f"{args.from_phase1}: phase1.pt has {ckpt['steps']} steps, the curve {len(curve)}")
    phase1_args = {k: v for k, v in ckpt["args"].items() if not k.startswith("consolidate") and k not in ("work", "from_phase1")}
    args = argparse.Namespace(**{**vars(args), **phase1_args})
    consolidate(args, tok, model, udhr_by_unit, names_by_unit, facts, curve)
    os.makedirs(args.work, exist_ok=True)
    if os.path.abspath(args.work) != os.path.abspath(args.from_phase1):
        shutil.copyfile(os.path.join(args.from_phase1, "phase1.pt"), os.path.join(args.work, "phase1.pt"))
    save(args, tok, config, model, curve, started, material, phase1)
    print(f"saved to {args.work} after {time.time() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
