"""The training material of the embedded model, read from files the project installs offline.

- UDHR paragraphs of the `train` split of data/udhr/parallel.jsonl (held-out units never enter);
- Unicode CLDR display names of territories, languages and currencies in every locale, grouped by
  code, so one code's names across locales are a word-level parallel unit;
- TRUE statements about REAL entities from data/questions/statements.jsonl (statements about
  fabricated entities, and false statements, never enter).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

REPO_FILES = {
    "udhr": "data/udhr/parallel.jsonl",
    "statements": "data/questions/statements.jsonl",
    "questions": "data/questions/questions.jsonl",
    "fabricated": "data/questions/fabricated.json",
}
CLDR_NAMES = "node_modules/cldr-localenames-full/main"
CLDR_CURRENCIES = "node_modules/cldr-numbers-full/main"


class CorpusError(Exception):
    pass


@dataclass(frozen=True)
class Text:
    unit: str
    lang: str
    text: str
    answer_at: int = -1  # statements: character offset of the answer in `text`


def read_jsonl(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise CorpusError(f"{path}:{n}: invalid JSON ({e.msg})") from None
    return rows


def _field(row: dict, name: str, path: str, n: int):
    if name not in row or row[name] in (None, ""):
        raise CorpusError(f'{path}:{n}: missing field "{name}"')
    return row[name]


def udhr_units(path: str, split: str) -> list[Text]:
    """Paragraphs of one split; `unit` ties translations together."""
    out = []
    for n, row in enumerate(read_jsonl(path), 1):
        if _field(row, "split", path, n) == split:
            out.append(Text(_field(row, "unit", path, n), _field(row, "lang", path, n), _field(row, "text", path, n)))
    if not out:
        raise CorpusError(f'{path}: no rows with split "{split}"')
    return out


def _base_locales(root: str) -> list[str]:
    # Regional variants (fr-CA) mostly repeat their base locale; script variants (sr-Latn) do not.
    return sorted(loc for loc in os.listdir(root) if "-" not in loc or loc.split("-")[1][:1].isupper() and len(loc.split("-")[1]) == 4)


def cldr_names(repo: str) -> list[Text]:
    """Display names per (kind, code) across locales, one Text per distinct localized name.

    Names equal to the English one are dropped: a pair of identical strings teaches no alignment.
    """
    names: dict[tuple[str, str], dict[str, str]] = {}
    root = os.path.join(repo, CLDR_NAMES)
    for loc in _base_locales(root):
        for kind in ("territories", "languages"):
            path = os.path.join(root, loc, f"{kind}.json")
            if not os.path.exists(path):  # sparse locales ship only some files
                continue
            data = json.load(open(path, encoding="utf-8"))
            for code, name in data["main"][loc]["localeDisplayNames"][kind].items():
                if "-alt-" not in code:
                    names.setdefault((kind, code), {})[loc] = name
    croot = os.path.join(repo, CLDR_CURRENCIES)
    for loc in _base_locales(croot):
        path = os.path.join(croot, loc, "currencies.json")
        if not os.path.exists(path):
            continue
        data = json.load(open(path, encoding="utf-8"))
        for code, entry in data["main"][loc]["numbers"]["currencies"].items():
            if "displayName" in entry:
                names.setdefault(("currencies", code), {})[loc] = entry["displayName"]
    out = []
    for (kind, code), by_loc in sorted(names.items()):
        english = by_loc.get("en")
        if english is None:
            continue
        seen = set()
        for loc, name in sorted(by_loc.items()):
            if (loc == "en" or name != english) and name not in seen:
                seen.add(name)
                out.append(Text(f"cldr:{kind}:{code}", loc, name))
    return out


def true_statements(path: str) -> list[Text]:
    """Statements labelled `true` (all about real entities: the fabricated ones only appear in
    questions); the unit is the statement id across languages."""
    out = []
    for n, row in enumerate(read_jsonl(path), 1):
        label = _field(row, "label", path, n)
        if label not in ("true", "false"):
            raise CorpusError(f'{path}:{n}: field "label": expected "true" or "false", got "{label}"')
        if label == "true":
            text, answer = _field(row, "text", path, n), _field(row, "answer", path, n)
            at = text.rfind(answer)
            if at <= 0:
                raise CorpusError(f'{path}:{n}: field "answer": "{answer}" does not occur after the question in "text"')
            out.append(Text(_field(row, "unit", path, n), _field(row, "lang", path, n), text, at))
    return out
