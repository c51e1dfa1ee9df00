"""Translation retrieval under length control, and the no-model baselines it is judged against.

For each held-out unit u in language X, the candidates are English u plus the k English held-out
paragraphs closest to English u in character length, so length alone cannot pick the answer
(among 10 candidates not matched in length, punctuation counts and length alone picked it 0.48 of
the time, more than the first, next-token-only model: docs/embedded-model-history.md). A second
control regresses log character length out of every vector and uses all units as candidates.
"""

from __future__ import annotations

import string

import numpy as np

PUNCTUATION = sorted(set(string.punctuation) | set("«»“”„‘’、。，；：！？（）「」『』《》،؛؟।॥።፣፤჻·–—…"))


def length_matched_candidates(lengths: dict[str, int], k: int) -> dict[str, list[str]]:
    """unit -> [unit, k units nearest in (English) character length]; ties broken by unit id."""
    units = sorted(lengths)
    out = {}
    for u in units:
        others = sorted((abs(lengths[v] - lengths[u]), v) for v in units if v != u)
        out[u] = [u] + [v for _, v in others[:k]]
    return out


def center(x: np.ndarray) -> np.ndarray:
    return x - x.mean(axis=0, keepdims=True)


def regress_out(x: np.ndarray, covariate: np.ndarray) -> np.ndarray:
    """Residuals of x after least squares on [1, covariate] (fitted within one language)."""
    design = np.stack([np.ones_like(covariate), covariate], axis=1)
    coef, *_ = np.linalg.lstsq(design, x, rcond=None)
    return x - design @ coef


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def retrieval_accuracy(query: np.ndarray, english: np.ndarray, units: list[str],
                       candidates: dict[str, list[str]] | None) -> float:
    """Share of query rows whose most cosine-similar candidate is their own unit.

    Rows of `query` and `english` are both ordered by `units`; `candidates` None means all units.
    """
    sims = _unit_rows(query) @ _unit_rows(english).T
    index = {u: i for i, u in enumerate(units)}
    hits = 0
    for i, u in enumerate(units):
        pool = [index[v] for v in (candidates[u] if candidates else units) if v in index]
        best = max(pool, key=lambda j: (sims[i, j], -j))
        hits += best == i
    return hits / len(units)


def surface_features(texts: list[str]) -> np.ndarray:
    """Character length, word count and the count of each punctuation mark, z-scored within the
    list (one language), so scale differences between languages do not matter."""
    rows = [[len(t), len(t.split())] + [t.count(p) for p in PUNCTUATION] for t in texts]
    x = np.asarray(rows, dtype=np.float64)
    x = np.log1p(x)
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std == 0, 1.0, std)


def char_tfidf(texts_by_lang: dict[str, list[str]]) -> dict:
    """Character 1-3-gram TF-IDF (scikit-learn), fitted on all the texts given; sparse rows per language."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    langs = sorted(texts_by_lang)
    flat = [t for lang in langs for t in texts_by_lang[lang]]
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(flat)
    out, start = {}, 0
    for lang in langs:
        n = len(texts_by_lang[lang])
        out[lang] = matrix[start:start + n]
        start += n
    return out
