"""Byte-level BPE tokenizer for the embedded model: training, encoding and `tokenizer.json`.

Byte-level (as GPT-2/Qwen2): every text maps to the 256 byte symbols first, so no script in the
corpus can become unknown tokens; merges then learn subwords shared across languages.

The pre-tokenizer is the regex PRE_TOKENIZE_PATTERN, which transformers.js runs from
`tokenizer.json`; `pre_tokenize` is the same regex written out over Unicode categories, because the
Debian Python has no `regex` module with `\\p{..}` classes. Letters and combining marks stay in one
piece (unlike GPT-2's pattern, which cuts Indic words at every vowel sign).
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter

PAD, BOS, EOS = "<pad>", "<s>", "</s>"
SPECIAL_TOKENS = (PAD, BOS, EOS)

PRE_TOKENIZE_PATTERN = r" ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+(?!\S)|\s+"

# JavaScript's `\s` (ECMAScript WhiteSpace + LineTerminator), so both sides split alike.
JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def _char_class(ch: str) -> str:
    """'s' whitespace, 'l' letter or mark, 'n' number, 'o' anything else."""
    if ch in JS_WHITESPACE:
        return "s"
    major = unicodedata.category(ch)[0]
    if major in "LM":
        return "l"
    return "n" if major == "N" else "o"


def pre_tokenize(text: str) -> list[str]:
    """Split NFC text exactly as PRE_TOKENIZE_PATTERN does (leftmost alternative wins)."""
    classes = [_char_class(c) for c in text]
    n, i, pieces = len(text), 0, []
    while i < n:
        cls = classes[i]
        if cls != "s" or (text[i] == " " and i + 1 < n and classes[i + 1] != "s"):
            start = i
            if cls == "s":  # the optional leading space of ` ?X+`
                i += 1
            run = classes[i]
            while i < n and classes[i] == run:
                i += 1
            pieces.append(text[start:i])
            continue
        end = i
        while end < n and classes[end] == "s":
            end += 1
        # `\s+(?!\S)` leaves the last space to the next word; a single space falls through to `\s+`.
        if end < n and end - i >= 2:
            end -= 1
        pieces.append(text[i:end])
        i = end
    return pieces


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from bytes to printable characters (what ByteLevel uses)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars, extra = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return chars


BYTE_CHARS = _bytes_to_unicode()


def to_byte_symbols(piece: str) -> tuple[str, ...]:
    return tuple(BYTE_CHARS[b] for b in piece.encode("utf-8"))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def word_counts(texts) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        counts.update(pre_tokenize(normalize(text)))
    return counts


def train_bpe(counts: Counter, vocab_size: int) -> list[tuple[str, str]]:
    """Learn merges until the vocabulary (specials + 256 bytes + merges) reaches vocab_size.

    Classic BPE with incremental pair counts and a lazy max-heap; ties go to the
    lexicographically smallest pair so the result is deterministic.
    """
    num_merges = vocab_size - len(SPECIAL_TOKENS) - 256
    ordered = sorted(counts.items())
    words = [list(to_byte_symbols(w)) for w, _ in ordered]
    freqs = [c for _, c in ordered]
    pair_counts: Counter = Counter()
    where: dict[tuple[str, str], set[int]] = {}
    for idx, syms in enumerate(words):
        for pair in zip(syms, syms[1:]):
            pair_counts[pair] += freqs[idx]
            where.setdefault(pair, set()).add(idx)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges: list[tuple[str, str]] = []
    while len(merges) < num_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg or -neg <= 0:
            continue  # stale heap entry
        merges.append(pair)
        merged = pair[0] + pair[1]
        touched: set[tuple[str, str]] = set()
        for idx in sorted(where.pop(pair, ())):
            syms, f = words[idx], freqs[idx]
            for old in zip(syms, syms[1:]):
                pair_counts[old] -= f
                touched.add(old)
            out, j = [], 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == pair[0] and syms[j + 1] == pair[1]:
                    out.append(merged)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            words[idx] = out
            for new in zip(out, out[1:]):
                pair_counts[new] += f
                where.setdefault(new, set()).add(idx)
                touched.add(new)
        pair_counts.pop(pair, None)
        for p in touched:
            if pair_counts.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
    return merges


class BPETokenizer:
    """Encodes text like transformers.js does with the tokenizer.json this class writes."""

    def __init__(self, merges: list[tuple[str, str]]):
        self.merges = merges
        self.ranks = {pair: r for r, pair in enumerate(merges)}
        self.vocab: dict[str, int] = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
        for b in range(256):
            self.vocab[BYTE_CHARS[b]] = len(self.vocab)
        for a, b in merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.byte_of_char = {c: b for b, c in BYTE_CHARS.items()}
        self._cache: dict[str, list[int]] = {}

    @property
    def bos_id(self) -> int:
        return self.vocab[BOS]

    @property
    def eos_id(self) -> int:
        return self.vocab[EOS]

    @property
    def pad_id(self) -> int:
        return self.vocab[PAD]

    def _encode_piece(self, piece: str) -> list[int]:
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        syms = list(to_byte_symbols(piece))
        while len(syms) > 1:
            best = min(zip(syms, syms[1:]), key=lambda p: self.ranks.get(p, 1 << 30))
            if best not in self.ranks:
                break
            out, j = [], 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == best[0] and syms[j + 1] == best[1]:
                    out.append(best[0] + best[1])
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            syms = out
        ids = [self.vocab[s] for s in syms]
        self._cache[piece] = ids
        return ids

    def encode(self, text: str, add_bos: bool = True) -> list[int]:
        ids = [self.bos_id] if add_bos else []
        for piece in pre_tokenize(normalize(text)):
            ids.extend(self._encode_piece(piece))
        return ids

    def decode(self, ids) -> str:
        data = bytearray()
        for i in ids:
            tok = self.id_to_token[int(i)]
            if tok not in SPECIAL_TOKENS:
                data.extend(self.byte_of_char[c] for c in tok)
        return data.decode("utf-8", errors="replace")

    def tokenizer_json(self) -> dict:
        """The `tokenizer.json` (HF tokenizers format) that transformers.js loads."""
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True}
                for t in SPECIAL_TOKENS
            ],
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PRE_TOKENIZE_PATTERN}, "behavior": "Isolated", "invert": False},
                byte_level,
            ]},
            # Every sequence starts with <s>, as in training (and as Llama tokenizers do).
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": BOS, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {BOS: {"id": BOS, "ids": [self.bos_id], "tokens": [BOS]}},
            },
            "decoder": byte_level,
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": self.vocab,
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    @staticmethod
    def tokenizer_config_json() -> dict:
        return {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": BOS, "eos_token": EOS, "pad_token": PAD, "unk_token": None,
            "add_bos_token": True, "add_eos_token": False,
            "model_max_length": 512, "padding_side": "right", "clean_up_tokenization_spaces": False,
        }

    @classmethod
    def from_tokenizer_json(cls, data: dict) -> "BPETokenizer":
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in data["model"]["merges"]]
        return cls(merges)


def _main() -> None:
    """`tokenizer.py TOKENIZER_JSON`: reads JSON strings, one per line, prints their ids (with <s>)."""
    import json
    import sys

    tok = BPETokenizer.from_tokenizer_json(json.load(open(sys.argv[1], encoding="utf-8")))
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(tok.encode(json.loads(line))))


if __name__ == "__main__":
    _main()
