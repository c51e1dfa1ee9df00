"""Losses of the embedded model: next-token prediction plus a cross-lingual alignment term.

Plain next-token training on UDHR did not align languages (docs/embedded-model-history.md), so translations are
also pulled together explicitly: InfoNCE between mean-pooled hidden states of parallel units at
one middle layer, with every other unit in the batch as a negative.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def padded(seqs: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids and attention mask, both int64 [B, max_len]."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.int64)
    mask = torch.zeros((len(seqs), width), dtype=torch.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.int64)
        mask[i, : len(s)] = 1
    return ids, mask


def forward_states(model, ids: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
    """Hidden states as HF output_hidden_states (index 0 = embeddings, last = after final norm)."""
    positions = torch.arange(ids.shape[1])[None].expand(ids.shape[0], -1)
    return model.model(ids, mask, positions, None)[0]


def next_token_nll(model, states: list[torch.Tensor], ids: torch.Tensor, mask: torch.Tensor,
                   keep: torch.Tensor | None = None) -> tuple[torch.Tensor, int]:
    """(summed cross-entropy, count) of the real (non-pad) next tokens, only where `keep`
    [B, S-1] is true if given: the output layer over the whole vocabulary is the costliest part."""
    valid = mask[:, 1:] > 0
    if keep is not None:
        valid = valid & keep
    logits = model.lm_head(states[-1][:, :-1][valid])
    return F.cross_entropy(logits, ids[:, 1:][valid], reduction="sum"), int(valid.sum())


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens (BOS included, as the project's mean pooling does)."""
    m = mask[..., None].to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1)


def info_nce(a: torch.Tensor, b: torch.Tensor, temperature: float) -> torch.Tensor:
    """Symmetric InfoNCE: row i of `a` must pick row i of `b` (and back) among all rows."""
    a, b = F.normalize(a, dim=-1), F.normalize(b, dim=-1)
    logits = a @ b.T / temperature
    labels = torch.arange(a.shape[0])
    return 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels))


def pair_alignment_loss(pooled: torch.Tensor, temperature: float) -> torch.Tensor:
    """Rows 2i and 2i+1 are translations of each other."""
    return info_nce(pooled[0::2], pooled[1::2], temperature)


def embedding_bags(model, seqs: list[list[int]], pad_id: int) -> torch.Tensor:
    """Mean input embedding of each sequence: hidden state 0 mean-pooled, without running a layer,
    so the embedding-level objective can afford batches of hundreds of pairs."""
    ids, mask = padded(seqs, pad_id)
    return mean_pool(model.model.embed_tokens(ids), mask)


def run_in_chunks(model, seqs: list[list[int]], pad_id: int, pool_layer: int, lm_fraction: float,
                  gen: torch.Generator, chunk: int = 8, lm_start: list[int] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean next-token loss over the sequences, and each one's mean-pooled state at `pool_layer`.

    The loss covers a random `lm_fraction` of positions, or, with `lm_start`, only the tokens from
    index lm_start[i] on in sequence i.
    Sequences run in chunks of similar length (sorted), which wastes far less on padding than one
    batch padded to the longest window; the pooled rows come back in the original order.
    """
    order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i]), i))
    nll, count, pooled = torch.zeros(()), 0, [None] * len(seqs)
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        ids, mask = padded([seqs[i] for i in idx], pad_id)
        states = forward_states(model, ids, mask)
        if lm_start is not None:
            first = torch.tensor([lm_start[i] - 1 for i in idx])[:, None]
            keep = torch.arange(ids.shape[1] - 1)[None] >= first
        elif lm_fraction < 1.0:
            keep = torch.rand(ids.shape[0], ids.shape[1] - 1, generator=gen) < lm_fraction
        else:
            keep = None
        chunk_nll, chunk_count = next_token_nll(model, states, ids, mask, keep)
        nll, count = nll + chunk_nll, count + chunk_count
        for i, row in zip(idx, mean_pool(states[pool_layer], mask)):
            pooled[i] = row
    return nll / max(count, 1), torch.stack(pooled)
