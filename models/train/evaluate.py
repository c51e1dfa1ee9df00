"""Evaluate the shipped model folder: held-out translation retrieval per layer against three
baselines, held-out next-token loss per language, and greedy completion of facts.

    /usr/bin/python3 models/train/evaluate.py --max-langs 100 [--model models/babelscope-tiny] [--out FILE]
    /usr/bin/python3 models/train/evaluate.py --max-langs 100 --work models/train/.work   # after training

The weights come from the folder's onnx/model.onnx (with config.json and tokenizer.json), so a
fresh clone re-derives evaluation.json, which `card.py` turns into the model card, without the
training checkpoint. Phase 1's weights are not shipped: `--work` measures fact completion on the
phase1.pt a training run left there and records it in the folder as facts-phase1.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import sys
import time
import unicodedata
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import one_thread  # noqa: E402,F401  (before torch)
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from onnx import numpy_helper  # noqa: E402

from corpus import REPO_FILES, cldr_names, read_jsonl, true_statements, udhr_units  # noqa: E402
from model import REPO, build_model, parameter_count  # noqa: E402
from objectives import forward_states, padded  # noqa: E402
from retrieval import (center, char_tfidf, length_matched_candidates, regress_out,  # noqa: E402
                       retrieval_accuracy, surface_features)
from tokenizer import BPETokenizer  # noqa: E402
from tiny_modeling import LlamaConfig, LlamaForCausalLM  # noqa: E402

ENGLISH = "eng"
CANDIDATES = 10  # the true translation plus 9 length-matched distractors: chance 0.10
NEW_TOKENS = 10  # greedy continuation length of the fact questions
PHASE1_FACTS = "facts-phase1.json"
# Stored floats are rounded to this many decimals. The model runs in float64, where CPUs that sum
# in a different order (ATen's default vs AVX2 kernels, OpenBLAS core types) differ around the 15th
# digit; 6 decimals keep the card's 3 and make evaluation.json the same bytes on every machine.
DECIMALS = 6


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(REPO, "models", "babelscope-tiny"), help="the shipped model folder")
    p.add_argument("--out", default=None, help="default: <model>/evaluation.json")
    p.add_argument("--work", default=None, help="a training run's folder: also record fact completion on its phase1.pt")
    p.add_argument("--max-langs", type=int, default=0, help="evaluate a seeded sample of languages (0 = all)")
    p.add_argument("--loss-all", action="store_true", help="held-out loss for every language, not only the sample")
    p.add_argument("--min-units", type=int, default=15, help="languages need this many held-out units")
    p.add_argument("--seed", type=int, default=1234, help="samples the languages and the fact entities")
    p.add_argument("--fact-entities", type=int, default=20, help="real and fabricated entities to question")
    return p.parse_args(argv)


def onnx_state_dict(path: str) -> dict[str, torch.Tensor]:
    """Parameters from the initializers of an `export_llama_onnx` file. The embedding and the norms
    keep their parameter names; the exporter renames each Linear weight (onnx::MatMul_N) and stores
    it transposed, so it is named after the node that multiplies by it (/model/layers.0/mlp/up_proj/MatMul)."""
    graph = onnx.load(path).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state, used = {}, set()
    for node in graph.node:
        for name in node.input:
            if name in arrays:
                used.add(name)
                if node.op_type == "MatMul":
                    state[node.name.strip("/").rsplit("/", 1)[0].replace("/", ".") + ".weight"] = torch.from_numpy(arrays[name].T.copy())
                else:
                    state[name] = torch.from_numpy(arrays[name].copy())
    # An initializer no node reads is reported as unexpected rather than silently dropped.
    state.update({name: torch.from_numpy(arrays[name].copy()) for name in arrays if name not in used})
    return state


def load_shipped(folder: str):
    """The model of a shipped folder in float64 (see DECIMALS), its config and tokenizer."""
    hf = json.load(open(os.path.join(folder, "config.json"), encoding="utf-8"))
    config = LlamaConfig(**{f.name: hf[f.name] for f in dataclasses.fields(LlamaConfig)})
    model = LlamaForCausalLM(config)
    path = os.path.join(folder, "onnx", "model.onnx")
    state, expected = onnx_state_dict(path), model.state_dict()
    problems = [f"missing {n} {list(t.shape)}" for n, t in expected.items() if n not in state]
    problems += [f"unexpected {n} {list(t.shape)}" for n, t in state.items() if n not in expected]
    problems += [f"{n}: {list(t.shape)} in the file, {list(expected[n].shape)} in the model"
                 for n, t in state.items() if n in expected and t.shape != expected[n].shape]
    if problems:
        raise SystemExit(f"{path} does not match the architecture of config.json: " + "; ".join(problems))
    model.load_state_dict(state)
    tok = BPETokenizer.from_tokenizer_json(json.load(open(os.path.join(folder, "tokenizer.json"), encoding="utf-8")))
    return model.double().eval(), config, tok


def load_checkpoint(work: str, weights: str = "model.pt"):
    ckpt = torch.load(os.path.join(work, weights))
    config = LlamaConfig(**ckpt["config"])
    model = build_model(config, ckpt["args"]["seed"])
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    tok = BPETokenizer.from_tokenizer_json(json.load(open(os.path.join(work, "tokenizer.json"), encoding="utf-8")))
    return model, config, tok, ckpt["args"]


@torch.no_grad()
def run_texts(model, tok: BPETokenizer, texts: list[str], max_len: int, loss: bool, batch: int = 4):
    """Mean-pooled states per layer [L+1][n, d], and if `loss` (summed NLL nats, predicted tokens)
    per text. The output layer over the whole vocabulary costs more than the layers: it runs only
    for `loss`, one text at a time, so its [tokens, vocabulary] logits stay small enough for the cache;
    small batches do the same for the float64 attention scores (4 texts ran faster here than 1 or 16)."""
    seqs = [tok.encode(t)[:max_len] for t in texts]
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    pooled: list[np.ndarray] = []
    nll = np.zeros(len(seqs))
    counts = np.array([len(s) - 1 for s in seqs])
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        ids, mask = padded([seqs[i] for i in idx], tok.pad_id)
        states = forward_states(model, ids, mask)
        m = mask[..., None].to(states[0].dtype)
        for layer, h in enumerate(states):
            if not pooled:
                pooled = [np.zeros((len(seqs), h.shape[-1])) for _ in states]
            pooled[layer][idx] = ((h * m).sum(1) / m.sum(1)).numpy()
        for row, i in enumerate(idx if loss else []):
            n = len(seqs[i])
            logits = model.lm_head(states[-1][row, :n - 1])
            nll[i] = (torch.logsumexp(logits, -1) - logits.gather(-1, ids[row, 1:n, None])[:, 0]).sum().item()
    return pooled, nll, counts


def heldout_items(max_langs: int, min_units: int, seed: int):
    """English units, the evaluated languages' units (a seeded sample if max_langs), every
    language's units (for the held-out loss), and each language's script."""
    rows = [r for r in read_jsonl(os.path.join(REPO, REPO_FILES["udhr"])) if r["split"] == "heldout"]
    by_lang: dict[str, dict[str, str]] = defaultdict(dict)
    script = {}
    for r in rows:
        by_lang[r["lang"]][r["unit"]] = r["text"]
        script[r["lang"]] = r.get("script", "")
    english = by_lang[ENGLISH]
    langs = sorted(l for l, u in by_lang.items() if l != ENGLISH and len(u) >= min_units)
    if max_langs:
        langs = sorted(random.Random(seed).sample(langs, min(max_langs, len(langs))))
    return english, {l: by_lang[l] for l in langs}, dict(by_lang), script


def score_layers(vectors: dict[str, list[np.ndarray]], items, english_units, candidates, script) -> dict:
    """Mean retrieval accuracy over languages per layer, for each control and preprocessing."""
    langs = sorted(l for l in vectors if l != ENGLISH)
    num_layers = len(vectors[ENGLISH])
    out = {}
    for control in ("matched_raw", "matched_centered", "length_regressed"):
        per_layer = []
        for layer in range(num_layers):
            accs = {}
            for lang in langs:
                units = [u for u in english_units if u in items[lang]]
                rows = [english_units.index(u) for u in units]
                q = vectors[lang][layer]
                e = vectors[ENGLISH][layer][rows]
                if control == "matched_centered":
                    q, e = center(q), center(e)
                if control == "length_regressed":
                    q = regress_out(q, np.log([len(items[lang][u]) for u in units]))
                    e = regress_out(e, np.log([len(items[ENGLISH][u]) for u in units]))
                accs[lang] = retrieval_accuracy(q, e, units, None if control == "length_regressed" else candidates)
            nonlatin = [a for l, a in accs.items() if script.get(l) != "Latn"]
            per_layer.append({"all": float(np.mean(list(accs.values()))),
                              "non_latin": float(np.mean(nonlatin)) if nonlatin else None,
                              "per_language": accs})
        out[control] = per_layer
    return out


def model_vectors(model, tok, english, langs_items, max_len, loss: bool = True):
    """Pooled vectors per language (English first) and, if `loss`, each language's held-out loss."""
    vectors, losses = {}, {}
    for lang, units in [(ENGLISH, english)] + sorted(langs_items.items()):
        keys = sorted(units)
        texts = [units[u] for u in keys]
        pooled, nll, counts = run_texts(model, tok, texts, max_len, loss)
        vectors[lang] = pooled
        if loss:
            chars = sum(len(t) for t in texts)
            losses[lang] = {"nats_per_token": float(nll.sum() / counts.sum()),
                            "bits_per_char": float(nll.sum() / math.log(2) / chars)}
    return vectors, losses


@torch.no_grad()
def greedy_batch(model, tok: BPETokenizer, prompts: list[list[int]], new_tokens: int) -> list[list[int]]:
    """Greedy continuation of equally long prompts, with the key/value cache."""
    ids = torch.tensor(prompts, dtype=torch.int64)
    positions = torch.arange(ids.shape[1]).expand_as(ids)
    logits, past = last_logits(model, ids, torch.ones_like(ids), positions, None)
    out = []
    for _ in range(new_tokens):
        nxt = logits.argmax(-1, keepdim=True)
        out.append(nxt)
        total = past[0][0].shape[2] + 1
        mask = torch.ones(ids.shape[0], total, dtype=torch.int64)
        logits, past = last_logits(model, nxt, mask, torch.full_like(nxt, total - 1), past)
    return torch.cat(out, 1).tolist()


def last_logits(model, ids, mask, positions, past):
    """Next-token logits of the last position only (the output layer is the costly part), and the cache."""
    states, presents = model.model(ids, mask, positions, past)
    return model.lm_head(states[-1][:, -1]), presents


def completions(model, tok: BPETokenizer, questions: list[dict], new_tokens: int = NEW_TOKENS) -> list[str]:
    """Greedy continuation text of each question (prompts grouped by token length, no padding)."""
    encoded = [tok.encode(q["text"]) for q in questions]
    groups: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(encoded):
        groups[len(e)].append(i)
    texts = [""] * len(questions)
    for _, idx in sorted(groups.items()):
        for start in range(0, len(idx), 64):
            part = idx[start:start + 64]
            for i, cont in zip(part, greedy_batch(model, tok, [encoded[i] for i in part], new_tokens)):
                texts[i] = tok.decode(cont)
    return texts


def _starts_with(completion: str, answer: str) -> bool:
    return unicodedata.normalize("NFC", completion).strip().casefold().startswith(
        unicodedata.normalize("NFC", answer).strip().casefold())


def cross_lingual_agreement(table: dict[str, dict[str, str | None]]) -> dict[str, float]:
    """table: entity -> language -> canonical answer (None: not a known answer).

    `same_entity`: chance that two languages name the same answer for one entity; `other_entity`:
    the same for two different entities (what default answers alone give); `entity_specific`:
    their difference, the part of the agreement that is knowledge about the entity.
    """
    hits = {True: [0, 0], False: [0, 0]}
    for e1, by_lang1 in table.items():
        for e2, by_lang2 in table.items():
            for l1, k1 in by_lang1.items():
                for l2, k2 in by_lang2.items():
                    if l1 != l2:
                        hits[e1 == e2][0] += k1 is not None and k1 == k2
                        hits[e1 == e2][1] += 1
    same = hits[True][0] / max(1, hits[True][1])
    other = hits[False][0] / max(1, hits[False][1])
    return {"same_entity": same, "other_entity": other, "entity_specific": same - other}


def fact_completion(model, tok: BPETokenizer, max_entities: int, seed: int) -> dict:
    """Greedy answers to questions about trained (real) and fabricated entities.

    Real: share of questions whose completion starts with the trained answer, per language.
    Agreement: see cross_lingual_agreement (answers mapped across languages through the trained
    statements). A model that knows an entity names the same answer for it in every language; for
    a fabricated entity it can only fall back on a default answer, the same for every entity.
    """
    questions = read_jsonl(os.path.join(REPO, REPO_FILES["questions"]))
    statements = [r for r in read_jsonl(os.path.join(REPO, REPO_FILES["statements"])) if r["label"] == "true"]
    rng = random.Random(seed)
    pick = {}
    for label in ("known", "unknown"):
        ents = sorted({q["entity"] for q in questions if q["label"] == label})
        pick[label] = set(rng.sample(ents, min(max_entities, len(ents))))
    chosen = [q for q in questions if q["entity"] in pick[q["label"]]]
    texts = completions(model, tok, chosen)
    # canonical answer key: (relation, answer in English) of the trained statement with that answer
    english_answer = {(s["relation"], s["entity"]): s["answer"] for s in statements if s["lang"] == ENGLISH}
    answer_keys: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for s in statements:
        answer_keys[(s["lang"], s["relation"])].append((s["answer"], english_answer[(s["relation"], s["entity"])]))

    def canonical(q, text):
        hits = [(len(a), key) for a, key in answer_keys[(q["lang"], q["relation"])] if _starts_with(text, a)]
        return max(hits)[1] if hits else None

    correct: dict[str, list[bool]] = defaultdict(list)
    answers: dict[tuple[str, str], dict[str, dict[str, str | None]]] = defaultdict(lambda: defaultdict(dict))
    examples = []
    for q, text in zip(chosen, texts):
        if q["label"] == "known":
            correct[q["lang"]].append(_starts_with(text, q["answer"]))
        answers[(q["label"], q["relation"])][q["entity"]][q["lang"]] = canonical(q, text)
        if len(examples) < 40 and q["lang"] in ("eng", "rus", "jpn", "hin") and q["relation"] == "capital":
            examples.append({"label": q["label"], "question": q["text"], "completion": text})
    agreement: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (label, _), table in sorted(answers.items()):
        for kind, value in cross_lingual_agreement(table).items():
            agreement[label][kind].append(value)
    return {
        "entities": {k: len(v) for k, v in pick.items()},
        "new_tokens": NEW_TOKENS,
        "known_accuracy": {lang: float(np.mean(v)) for lang, v in sorted(correct.items())},
        "agreement": {label: {k: float(np.mean(v)) for k, v in kinds.items()} for label, kinds in agreement.items()},
        "examples": examples,
    }


def fabricated_in_training() -> int:
    """Occurrences of any fabricated entity name (every script form) in the training text."""
    forms = {f for e in json.load(open(os.path.join(REPO, REPO_FILES["fabricated"]), encoding="utf-8"))["fabricated"]
             for f in e["forms"].values()}
    texts = (udhr_units(os.path.join(REPO, REPO_FILES["udhr"]), "train") + cldr_names(REPO)
             + true_statements(os.path.join(REPO, REPO_FILES["statements"])))
    joined = "\n".join(t.text for t in texts)
    return sum(joined.count(f) for f in forms)


def rounded(value):
    """`value` with every float rounded to DECIMALS (dicts and lists walked)."""
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def write_json(path: str, data) -> None:
    # One value per line, so a changed number shows as a changed line in a diff.
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rounded(data), f, ensure_ascii=False, indent=1)
        f.write("\n")


def record_phase1_facts(args, tok: BPETokenizer) -> None:
    """Fact completion on a training run's phase-1 weights, tied to its curve by the loss of
    phase 1's last step, so card.py can tell a record of another run."""
    model = load_checkpoint(args.work, "phase1.pt")[0].double()
    curve = json.load(open(os.path.join(args.work, "curve.json"), encoding="utf-8"))
    last = curve["steps"][curve["phase1"]["steps"] - 1]
    facts = fact_completion(model, tok, args.fact_entities, args.seed)
    write_json(os.path.join(args.model, PHASE1_FACTS),
               {"phase1_last_step": {"step": last["step"], "loss": last["loss"]},
                **{k: facts[k] for k in ("entities", "new_tokens", "known_accuracy", "agreement")}})


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(1)
    started = time.time()
    model, config, tok = load_shipped(args.model)
    seed = json.load(open(os.path.join(args.model, "training-curve.json"), encoding="utf-8"))["seed"]
    max_len = config.max_position_embeddings
    english, langs_items, every_lang, script = heldout_items(args.max_langs, args.min_units, args.seed)
    items = {ENGLISH: english, **langs_items}
    english_units = sorted(english)
    candidates = length_matched_candidates({u: len(english[u]) for u in english_units}, CANDIDATES - 1)
    # Vectors are stored per language in sorted-unit order; score_layers indexes English by unit.
    trained, heldout_loss = model_vectors(model, tok, english, langs_items, max_len)
    if args.loss_all:
        rest = {l: u for l, u in every_lang.items() if l not in heldout_loss}
        heldout_loss.update(model_vectors(model, tok, english, rest, max_len)[1])
    # The untrained baseline is the training run's initialisation (same seed).
    untrained, _ = model_vectors(build_model(config, seed).double().eval(), tok, english, langs_items, max_len, loss=False)
    print(f"vectors done {time.time() - started:.0f}s", file=sys.stderr)
    surface = {l: [surface_features([u[k] for k in sorted(u)])] for l, u in items.items()}
    tfidf_sparse = char_tfidf({l: [u[k] for k in sorted(u)] for l, u in items.items()})
    tfidf = {l: [m.toarray()] for l, m in tfidf_sparse.items()}
    results = {"languages": len(langs_items), "candidates": CANDIDATES, "heldout_units": len(english_units),
               "heldout_loss": heldout_loss, "retrieval": {}}
    for name, vecs in [("trained", trained), ("untrained", untrained), ("surface", surface), ("tfidf", tfidf)]:
        results["retrieval"][name] = score_layers(vecs, items, english_units, candidates, script)
        summary = {c: [round(x["all"], 3) for x in v] for c, v in results["retrieval"][name].items()}
        print(name, json.dumps(summary), file=sys.stderr)
    results["facts"] = fact_completion(model, tok, args.fact_entities, args.seed)
    results["parameters"] = parameter_count(model)
    results["fabricated_in_training"] = fabricated_in_training()
    print("facts", json.dumps({k: v for k, v in results["facts"].items() if k != "examples"}), file=sys.stderr)
    out = args.out or os.path.join(args.model, "evaluation.json")
    write_json(out, results)
    if args.work:
        record_phase1_facts(args, tok)
    print(f"wrote {out} after {time.time() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
