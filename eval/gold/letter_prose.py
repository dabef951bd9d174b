"""Plain words for the gold letters: the adjudicators' record shorthand spelled out.

`plain_reason` turns a label's `why` (terse clinical shorthand with record quotes in single
quotes) into a sentence a provider and member can read: record quotes become “…” and are kept
verbatim, shorthand outside quotes is spelled out (the record shorthand of `shorthand.yaml`,
then the acronyms of `letter_words.json`), request codes get their description, and a sentence
quoting text found in neither the record nor the guideline is left out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from eval.gold.render import expand_acronyms
from eval.text import CURLY, comparable, quote_parts

_SHORTHAND_FILE = Path(__file__).with_name("shorthand.yaml")
_PLUS_RUN = re.compile(r"[^,;:()“”]+?(?: \+ [^,;:()“”]+?)+(?=[,;:()“”]|$)")
_RECORD_QUOTE = re.compile(r"(?<![\w’])'(.+?)'(?![\w])")


def plain_reason(why: str, sources: list[str], codes: dict[str, str] | None = None) -> str:
    """The adjudicator's `why` in plain words: record quotes kept, shorthand spelled out.

    A sentence quoting text found in neither the record nor the guideline (`sources`, compared
    with `comparable`) is adjudication commentary, not a reason a provider can check: it is left
    out.
    """
    text = _RECORD_QUOTE.sub(lambda m: f"“{m.group(1)}”", " ".join(why.split()))
    kept = [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if _quotes_verified(s, sources)]
    text = " ".join(kept)
    out: list[str] = []
    last = 0
    for match in CURLY.finditer(text):
        out += [plain_prose(text[last : match.start()]), match.group()]
        last = match.end()
    out.append(plain_prose(text[last:]))
    joined = "".join(out).strip().rstrip(".")
    for code, description in (codes or {}).items():
        pattern = rf"(?<![\w.-]){re.escape(code)}(?![\w-])(?! \()"
        joined = re.sub(pattern, f"{code} ({description})", joined, count=1)
    return joined[:1].upper() + joined[1:]


def _quotes_verified(sentence: str, sources: list[str]) -> bool:
    return all(
        any(comparable(part) in source for source in sources)
        for match in CURLY.finditer(sentence)
        for part in quote_parts(match.group()[1:-1])
    )


@cache
def _shorthand() -> dict[str, str]:
    """Record shorthand -> plain words (`shorthand.yaml`), in the order they are applied."""
    loaded = yaml.safe_load(_SHORTHAND_FILE.read_text(encoding="utf-8"))
    return {str(pattern): str(words) for pattern, words in loaded.items()}


def plain_prose(text: str) -> str:
    text = re.sub(r"\bSLR \+", "positive straight leg raise test", text)
    text = _PLUS_RUN.sub(lambda m: _and_list(m.group().split(" + ")), text)
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\2/\3/\1", text)
    for pattern, replacement in _shorthand().items():
        text = re.sub(pattern, replacement, text)
    return expand_acronyms(text)


def _and_list(items: list[str]) -> str:
    """'a, b and c' for the items of an 'a + b + c' run."""
    lead = items[0][: len(items[0]) - len(items[0].lstrip())]
    items = [item.strip() for item in items]
    return lead + ", ".join(items[:-1]) + " and " + items[-1]
