"""Surface-form probe: how well the label of a question dataset can be read off its spelling alone.

A probe that sees only character n-grams (TF-IDF over character 1-3-grams within words, scikit-learn's
`char_wb` analyzer) of the entity name, or of the whole question, with a logistic regression, is
cross-validated per language with GroupKFold(5) grouped by entity, so no entity is in both the
training and the test fold (items about one entity share its name). If it beats chance, a
hidden-state probe's accuracy on the same labels can come from the spelling, not from knowledge.

Run with Debian's Python (numpy, scikit-learn 1.2):

    /usr/bin/python3 loaders/datasets/surface_probe.py            # -> data/questions/surface-probe.json
    /usr/bin/python3 loaders/datasets/surface_probe.py --out x.json --questions old-questions.jsonl
    /usr/bin/python3 loaders/datasets/surface_probe.py --fixture tests/fixtures/datasets/surface.jsonl

`--fixture` fits the same pipeline on a small file whose rows carry a `fold` number (the test fold
of that row) and writes each row's out-of-fold probability, the reference for loaders/analyses/surface.ts.
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, PredefinedSplit, cross_val_predict
from sklearn.pipeline import make_pipeline

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDS = 5
DECIMALS = 4
# Positive label of each dataset; the other label is the negative class.
POSITIVE = {"questions": "known", "statements": "true", "false-premise": "true-premise"}
# Fields probed per dataset. Statements and false-premise items name real countries under both
# labels, so only their text (the stated answer, the premise) can carry a surface cue.
FIELDS = {"questions": ["name", "text"], "statements": ["text"], "false-premise": ["text"]}
FILES = {
    "questions": "data/questions/questions.jsonl",
    "statements": "data/questions/statements.jsonl",
    "false-premise": "data/questions/false-premise.jsonl",
}


def pipeline():
    """TF-IDF of character 1-3-grams within words, then L2 logistic regression (C = 1). Solved by
    Newton-CG to a tight tolerance, so the probabilities are the optimum's (what surface.ts
    computes): lbfgs stops on its relative-decrease test first, even at tol=1e-10, 6e-6 away from
    the optimum on the fixture. The solver does not change the optimum, only how close it gets."""
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)),
        LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=10_000),
    )


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def probe_language(rows, field, positive):
    texts = [r[field] for r in rows]
    y = np.array([r["label"] == positive for r in rows], dtype=int)
    groups = [r["entity"] for r in rows]
    p = cross_val_predict(pipeline(), texts, y, groups=groups, cv=GroupKFold(FOLDS), method="predict_proba")[:, 1]
    return {"accuracy": round(float(np.mean((p > 0.5) == y)), DECIMALS), "auroc": round(float(roc_auc_score(y, p)), DECIMALS)}


def probe_dataset(rows, fields, positive):
    out = {}
    langs = sorted({r["lang"] for r in rows})
    for field in fields:
        per = {lang: probe_language([r for r in rows if r["lang"] == lang], field, positive) for lang in langs}
        accuracies = [v["accuracy"] for v in per.values()]
        out[field] = {
            "mean": {k: round(float(np.mean([v[k] for v in per.values()])), DECIMALS) for k in ("accuracy", "auroc")},
            "range": [min(accuracies), max(accuracies)],
            "languages": per,
        }
    return out


def measure(paths):
    datasets = {}
    for name, path in paths.items():
        if not os.path.exists(path):
            continue
        datasets[name] = {"file": os.path.relpath(path, REPO), **probe_dataset(read_jsonl(path), FIELDS[name], POSITIVE[name])}
    return {
        "method": "per language: TfidfVectorizer(analyzer='char_wb', ngram_range=(1, 3)) + LogisticRegression(C=1), "
                  f"out-of-fold predictions of GroupKFold({FOLDS}) grouped by entity; accuracy at 0.5 and AUROC, "
                  "then the mean over languages",
        "sklearn": sklearn.__version__,
        "datasets": datasets,
    }


def fixture(path):
    """Out-of-fold probabilities for rows with a given test fold (PredefinedSplit), and the
    vocabulary and idf of the vectorizer fitted on all rows."""
    rows = read_jsonl(path)
    texts = [r["text"] for r in rows]
    y = np.array([r["label"] for r in rows], dtype=int)
    p = cross_val_predict(pipeline(), texts, y, cv=PredefinedSplit([r["fold"] for r in rows]), method="predict_proba")[:, 1]
    vectorizer = pipeline().steps[0][1].fit(texts)
    return {
        "sklearn": sklearn.__version__,
        "probability": [round(float(v), 10) for v in p],
        "idf": {term: round(float(vectorizer.idf_[column]), 10) for term, column in sorted(vectorizer.vocabulary_.items())},
    }


def main():
    # Newton-CG's line search gives up, with a warning, once no step lowers the loss in float64:
    # at the optimum, which is where tol=1e-8 asks it to go on these separable-looking fits.
    warnings.filterwarnings("ignore", message="Line Search failed")
    warnings.filterwarnings("ignore", module="scipy.optimize._linesearch")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="output JSON (default: data/questions/surface-probe.json, or stdout with --fixture)")
    for name in FILES:
        parser.add_argument(f"--{name}", help=f"{name} file (default: {FILES[name]})")
    parser.add_argument("--fixture", help="a JSONL of {text, label 0/1, fold}: print out-of-fold probabilities")
    args = parser.parse_args()
    if args.fixture:
        result = fixture(args.fixture)
        out = args.out
    else:
        paths = {name: getattr(args, name.replace("-", "_")) or os.path.join(REPO, FILES[name]) for name in FILES}
        result = measure(paths)
        out = args.out or os.path.join(REPO, "data/questions/surface-probe.json")
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
