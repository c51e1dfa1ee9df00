"""The embedded model's architecture: the test fixtures' plain-torch Llama modules
(tests/fixtures/tiny_modeling.py, whose ONNX export has the hub text-generation layout the
project's surgery expects).

The output head is NOT tied to the input embeddings: the embedding-level alignment objective pulls
translations together in the input embeddings, while the output head must keep languages apart
to predict the next token."""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "fixtures"))

from tiny_modeling import LlamaConfig, LlamaForCausalLM  # noqa: E402


@dataclass(frozen=True)
class Dims:
    hidden: int = 128
    layers: int = 4
    heads: int = 4
    kv_heads: int = 2
    intermediate: int = 384
    max_positions: int = 256


def llama_config(dims: Dims, vocab_size: int, bos_id: int, eos_id: int, pad_id: int) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=vocab_size, hidden_size=dims.hidden, num_hidden_layers=dims.layers,
        num_attention_heads=dims.heads, num_key_value_heads=dims.kv_heads, intermediate_size=dims.intermediate,
        rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=dims.max_positions,
        bos_token_id=bos_id, eos_token_id=eos_id, pad_token_id=pad_id,
    )


def hf_config(config: LlamaConfig) -> dict:
    return {**config.to_hf_dict(), "torch_dtype": "float32"}


def build_model(config: LlamaConfig, seed: int) -> LlamaForCausalLM:
    """Seeded GPT-2-style init: N(0, 0.02), residual outputs scaled by 1/sqrt(2 * layers), norms 1."""
    model = LlamaForCausalLM(config)
    gen = torch.Generator().manual_seed(seed)
    residual_std = 0.02 / math.sqrt(2 * config.num_hidden_layers)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.fill_(1.0)
            else:
                std = residual_std if name.endswith(("o_proj.weight", "down_proj.weight")) else 0.02
                p.copy_(std * torch.randn(p.shape, generator=gen))
    return model


def parameter_count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
