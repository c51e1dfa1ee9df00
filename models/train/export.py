"""Write the shipped model folder from a training checkpoint, in the hub text-generation layout.

    /usr/bin/python3 models/train/export.py [--work models/train/.work] [--out models/babelscope-tiny]

config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx
(export_llama_onnx of tests/fixtures/tiny_modeling.py: inputs input_ids, attention_mask,
position_ids, past_key_values.N.key/value; outputs logits, present.N.key/value), training-curve.json
and loss-first-100.json (the reference of the determinism check).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import one_thread  # noqa: E402,F401  (before torch)
import torch  # noqa: E402

from evaluate import load_checkpoint  # noqa: E402
from model import REPO, hf_config  # noqa: E402
from tiny_modeling import export_llama_onnx  # noqa: E402

CHECK_STEPS = 100


def write_json(path: str, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2 if path.endswith("config.json") else None)
        f.write("\n")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", default=os.path.join(REPO, "models", "train", ".work"))
    p.add_argument("--out", default=os.path.join(REPO, "models", "babelscope-tiny"))
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    model, config, tok, _ = load_checkpoint(args.work)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    onnx_path = os.path.join(args.out, "onnx", "model.onnx")
    export_llama_onnx(model, onnx_path)
    write_json(os.path.join(args.out, "config.json"), hf_config(config))
    write_json(os.path.join(args.out, "generation_config.json"),
               {"bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id,
                "do_sample": False, "max_new_tokens": 16})
    write_json(os.path.join(args.out, "tokenizer.json"), tok.tokenizer_json())
    write_json(os.path.join(args.out, "tokenizer_config.json"), tok.tokenizer_config_json())
    curve = json.load(open(os.path.join(args.work, "curve.json"), encoding="utf-8"))
    write_json(os.path.join(args.out, "training-curve.json"), curve)
    write_json(os.path.join(args.out, "loss-first-100.json"),
               {"seed": curve["seed"], "torch": curve["torch"], "args": curve["args"],
                "steps": curve["steps"][:CHECK_STEPS]})
    size = os.path.getsize(onnx_path)
    print(f"exported {onnx_path}: {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
