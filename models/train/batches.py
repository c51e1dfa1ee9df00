"""Seeded sampling of training batches from parallel units.

A UDHR batch holds K distinct units, each in two languages (rows 2i, 2i+1), cut to the same
fraction of the paragraph in both languages. The window is drawn per batch as a character budget
relative to each unit's median length, so all units in a batch are about equally long: the
alignment objective cannot separate units by length (a shortcut that works: docs/measurements.md),
and random windows give far more distinct "meanings" than the 29 training units.
Texts are tokenized on first use (and cached), so a short run does not tokenize the corpus.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class BatchShape:
    units: int = 12             # UDHR units per batch (each in two languages)
    names: int = 32             # CLDR name pairs per batch
    facts: int = 128            # fact statements per batch (next-token loss only)
    min_window: int = 40        # window length range in characters of the unit's median text
    max_window: int = 300
    max_len: int = 160          # cap per sequence in tokens (BOS included)
    max_name_len: int = 16
    max_segments: int = 8       # embedding-level pairs: each unit cut into 1..max_segments segments
    bag_names: int = 256        # CLDR name pairs per batch for the embedding-level objective
    english_share: float = 0.5  # share of pairs with English on one side (English is the retrieval pivot)


Parallel = dict[str, dict[str, str]]  # unit -> lang -> text


class BatchSampler:
    def __init__(self, udhr: Parallel, names: Parallel, facts: list[tuple[str, int]], shape: BatchShape,
                 encode: Callable[[str], list[int]], bos_id: int, seed: int, english=("eng", "en")):
        self.udhr = {u: v for u, v in udhr.items() if len(v) >= 2}
        self.names = {u: v for u, v in names.items() if len(v) >= 2}
        self.facts = facts
        self.shape = shape
        self.bos = bos_id
        self.english = english
        self.rng = random.Random(seed)
        self.unit_ids = sorted(self.udhr)
        self.name_ids = sorted(self.names)
        self.median_chars = {u: statistics.median(len(t) for t in v.values()) for u, v in self.udhr.items()}
        self._encode = encode
        self._cache: dict[str, list[int]] = {}
        self._fact_queue: list[int] = []  # fact_epoch_batch's unvisited statements of the current pass

    def encode(self, text: str) -> list[int]:
        ids = self._cache.get(text)
        if ids is None:
            ids = self._cache[text] = self._encode(text)
        return ids

    def _two_langs(self, by_lang: dict) -> tuple[str, str]:
        langs = sorted(by_lang)
        pivot = next((e for e in self.english if e in by_lang), None)
        if pivot is not None and self.rng.random() < self.shape.english_share:
            other = self.rng.choice([l for l in langs if l != pivot])
            return (pivot, other) if self.rng.random() < 0.5 else (other, pivot)
        a, b = self.rng.sample(langs, 2)
        return a, b

    def _window(self, text: str, start: float, frac: float) -> list[int]:
        ids = self.encode(text)
        n = len(ids)
        i0 = int(start * n)
        i1 = max(i0 + 1, round((start + frac) * n))
        return [self.bos] + ids[i0:i1][: self.shape.max_len - 1]

    def udhr_pairs(self) -> list[list[int]]:
        s = self.shape
        target = self.rng.randint(s.min_window, s.max_window)
        seqs = []
        for unit in self.rng.sample(self.unit_ids, min(s.units, len(self.unit_ids))):
            a, b = self._two_langs(self.udhr[unit])
            frac = min(1.0, target / self.median_chars[unit])
            start = self.rng.random() * (1.0 - frac)
            seqs += [self._window(self.udhr[unit][a], start, frac), self._window(self.udhr[unit][b], start, frac)]
        return seqs

    def segment_pairs(self) -> list[list[int]]:
        """Every unit cut into k consecutive segments (k drawn per batch, same cut points in both
        languages), each segment in two languages: many more distinct pairs than units, and no
        two pairs of a batch share text, so in-batch negatives are true negatives."""
        k = self.rng.randint(1, self.shape.max_segments)
        seqs = []
        for unit in self.unit_ids:
            cuts = [0.0] + sorted(self.rng.random() for _ in range(k - 1)) + [1.0]
            for lo, hi in zip(cuts, cuts[1:]):
                a, b = self._two_langs(self.udhr[unit])
                seqs += [self._window(self.udhr[unit][a], lo, hi - lo), self._window(self.udhr[unit][b], lo, hi - lo)]
        return seqs

    def name_pairs(self, count: int | None = None) -> list[list[int]]:
        seqs = []
        cap = self.shape.max_name_len - 1
        for unit in self.rng.sample(self.name_ids, min(count or self.shape.names, len(self.name_ids))):
            a, b = self._two_langs(self.names[unit])
            seqs += [[self.bos] + self.encode(self.names[unit][a])[:cap], [self.bos] + self.encode(self.names[unit][b])[:cap]]
        return seqs

    def _statement(self, text: str, answer_at: int) -> tuple[list[int], int]:
        question = self.encode(text[:answer_at].rstrip(" "))
        return [self.bos] + question + self.encode(text[len(text[:answer_at].rstrip(" ")):]), 1 + len(question)

    def fact_batch(self) -> tuple[list[list[int]], list[int]]:
        """Statements, and where each one's answer starts (token index, BOS included): only the
        answer is scored, since the question part is the same template for every entity."""
        if not self.facts:
            return [], []
        seqs, starts = [], []
        for text, answer_at in self.rng.sample(self.facts, min(self.shape.facts, len(self.facts))):
            seq, start = self._statement(text, answer_at)
            seqs.append(seq)
            starts.append(start)
        return seqs, starts

    def fact_epoch_batch(self) -> tuple[list[list[int]], list[int]]:
        """As fact_batch, but walking through shuffled passes over all statements, so every
        statement is seen equally often (the consolidation phase memorises all of them)."""
        if not self.facts:
            return [], []
        seqs, starts = [], []
        while len(seqs) < min(self.shape.facts, len(self.facts)):
            if not self._fact_queue:
                self._fact_queue = self.rng.sample(range(len(self.facts)), len(self.facts))
            seq, start = self._statement(*self.facts[self._fact_queue.pop()])
            seqs.append(seq)
            starts.append(start)
        return seqs, starts
