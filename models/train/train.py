"""Train the embedded model `babelscope-tiny` from scratch (plain torch, one CPU thread).

    /usr/bin/python3 models/train/train.py                      # full run: tokenizer, training, checkpoint
    /usr/bin/python3 models/train/train.py --steps 100 --check models/babelscope-tiny/loss-first-100.json

Writes to --work (default models/train/.work, not committed): tokenizer.json, model.pt, curve.json.
`export.py` then writes the shipped folder. --check reruns the first steps with the committed
tokenizer and compares every logged loss to the committed curve to 3 significant figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import defaultdict

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from batches import BatchSampler, BatchShape  # noqa: E402
from corpus import REPO_FILES, cldr_names, true_statements, udhr_units  # noqa: E402
from model import REPO, Dims, build_model, llama_config, parameter_count  # noqa: E402
from objectives import embedding_bags, pair_alignment_loss, run_in_chunks  # noqa: E402
from tokenizer import BPETokenizer, train_bpe, word_counts  # noqa: E402


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
    return p.parse_args(argv)


def by_unit(texts) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for t in texts:
        out[t.unit][t.lang] = t.text
    return dict(out)


def lr_at(step: int, args) -> float:
    """Linear warmup, then cosine decay to 10% over the whole schedule."""
    total = args.total_steps or args.steps
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, total - args.warmup))
    return args.lr * (0.1 + 0.45 * (1.0 + math.cos(math.pi * progress)))


def train_step(model, sampler: BatchSampler, pad_id: int, args, gen: torch.Generator) -> dict[str, torch.Tensor]:
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
    facts, answer_starts = sampler.fact_batch()
    if facts:
        losses["lm_facts"] = run_in_chunks(model, facts, pad_id, args.align_layer, 1.0, gen, chunk=24,
                                           lm_start=answer_starts)[0]
    return losses


def total_loss(losses: dict[str, torch.Tensor], args) -> torch.Tensor:
    weight = {"align": args.align_weight, "bag": args.bag_weight, "lm": 1.0}
    return sum(v * weight[k.split("_")[0]] for k, v in losses.items())


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


def compare_curves(logged: list[dict], path: str) -> list[str]:
    """Steps whose losses differ from the reference at 3 significant figures."""
    reference = json.load(open(path, encoding="utf-8"))["steps"]
    bad = []
    for ref, got in zip(reference, logged):
        for key, value in ref.items():
            if key != "step" and f"{value:.3g}" != f"{got[key]:.3g}":
                bad.append(f"step {ref['step']} {key}: reference {value:.3g}, this run {got[key]:.3g}")
    if len(logged) < len(reference):
        bad.append(f"this run logged {len(logged)} steps, the reference has {len(reference)}")
    return bad


def save(args, tok: BPETokenizer, config, model, curve: list[dict], started: float, material: str) -> None:
    """Tokenizer, weights and loss curve to --work (each file replaced atomically)."""
    os.makedirs(args.work, exist_ok=True)

    def atomic(name, write):
        tmp = os.path.join(args.work, name + ".tmp")
        write(tmp)
        os.replace(tmp, os.path.join(args.work, name))

    atomic("tokenizer.json", lambda p: json.dump(tok.tokenizer_json(), open(p, "w", encoding="utf-8"), ensure_ascii=False))
    atomic("model.pt", lambda p: torch.save({"config": config.__dict__, "state_dict": model.state_dict(),
                                             "args": vars(args), "steps": len(curve)}, p))
    atomic("curve.json", lambda p: json.dump({"seed": args.seed, "torch": torch.__version__,
                                              "seconds": time.time() - started, "args": vars(args), "material": material,
                                              "steps": curve}, open(p, "w", encoding="utf-8")))


def check_args(args):
    """The recorded run's arguments, cut to the recorded steps, with the tokenizer shipped beside
    the curve file, so the rerun follows the same schedule (the LR depends on the total steps)."""
    recorded = json.load(open(args.check, encoding="utf-8"))
    merged = {**recorded["args"], "check": args.check, "save_every": 0,
              "steps": len(recorded["steps"]), "total_steps": recorded["args"]["total_steps"] or recorded["args"]["steps"],
              "tokenizer": args.tokenizer or os.path.join(os.path.dirname(os.path.abspath(args.check)), "tokenizer.json")}
    return argparse.Namespace(**merged)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.check:
        args = check_args(args)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    started = time.time()
    udhr, names, facts = load_material(args)
    tok = make_tokenizer(args, udhr + names + facts)
    udhr_by_unit, names_by_unit = by_unit(udhr), by_unit(names)
    material = (f"{len(udhr)} UDHR paragraphs in {len({t.lang for t in udhr})} languages, "
                f"{len(names)} CLDR names of {len(names_by_unit)} codes in {len({t.lang for t in names})} locales, "
                f"{len(facts)} true statements in {len({t.lang for t in facts})} languages")
    print(f"material: {material}; vocab {len(tok.vocab)}; {time.time() - started:.0f}s", file=sys.stderr)

    dims = Dims(hidden=args.hidden, layers=args.layers, intermediate=args.intermediate)
    config = llama_config(dims, len(tok.vocab), tok.bos_id, tok.eos_id, tok.pad_id)
    model = build_model(config, args.seed)
    print(f"parameters: {parameter_count(model):,}", file=sys.stderr)
    sampler = BatchSampler(udhr_by_unit, names_by_unit, [(t.text, t.answer_at) for t in facts],
                           BatchShape(facts=args.facts_per_step),
                           lambda text: tok.encode(text, add_bos=False), tok.bos_id, args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)

    gen = torch.Generator().manual_seed(args.seed)
    curve = []
    model.train()
    for step in range(args.steps):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        losses = train_step(model, sampler, tok.pad_id, args, gen)
        loss = total_loss(losses, args)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        curve.append({"step": step, "loss": loss.item(), **{k: v.item() for k, v in losses.items()}})
        if step % 25 == 0 or step == args.steps - 1:
            parts = " ".join(f"{k} {v.item():.3f}" for k, v in losses.items())
            print(f"step {step} loss {loss.item():.4f} ({parts}) {time.time() - started:.0f}s", file=sys.stderr)
        if args.save_every and not args.check and (step + 1) % args.save_every == 0:
            save(args, tok, config, model, curve, started, material)
        if args.max_minutes and time.time() - started > 60 * args.max_minutes:
            print(f"stopping at step {step}: wall budget of {args.max_minutes} minutes reached", file=sys.stderr)
            break

    if args.check:
        bad = compare_curves(curve, args.check)
        print("\n".join(bad) if bad else f"determinism check passed: {len(curve)} steps match {args.check}")
        return 1 if bad else 0

    save(args, tok, config, model, curve, started, material)
    print(f"saved to {args.work} after {time.time() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
