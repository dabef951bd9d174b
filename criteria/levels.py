"""Spinal levels: parse and normalise vertebrae and segments ('L4-5' -> 'L4-L5').

Shared by the case contract (requested levels), the extractors (levels named in notes) and the
engine (levels in facts, leniently: see `criteria.fact_values.level_or_text`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_REGIONS = (("C", 7), ("T", 12), ("L", 5), ("S", 5))
# C0 is the occiput: the guideline names the C0-C1 joint (facet exclusions).
_SPINE = ("C0", *(f"{letter}{n}" for letter, count in _REGIONS for n in range(1, count + 1)))
_OCCIPUT = re.compile(r"\b(?:OCCIPUT|OCC|OC)\s*(?=-|/|TO\b)", re.IGNORECASE)
_LEVEL_SHAPE = re.compile(
    r"([CTLS])(\d{1,2})(?:\s*(?:-|/|TO|\s)\s*([CTLS])?\s*(\d{1,2})|([CTLS])(\d{1,2}))?"
)
LEVEL_EXAMPLES = "such as L4-L5, L5-S1, C5-C6 or S1"


def _split_level(raw: str) -> tuple[int, int | None]:
    """Positions in _SPINE of the one or two vertebrae in `raw`; ValueError if unreadable."""
    text = _OCCIPUT.sub("C0", re.sub(r"[\u2010-\u2015\u2212]", "-", raw).strip().upper())
    match = _LEVEL_SHAPE.fullmatch(text)
    if not match:
        raise ValueError(f"{raw!r} is not a spinal level {LEVEL_EXAMPLES}")
    letter, number, letter2, number2, glued_letter, glued_number = match.groups()
    first = f"{letter}{int(number)}"
    if glued_letter:
        letter2, number2 = glued_letter, glued_number
    second = f"{letter2 or letter}{int(number2)}" if number2 else None
    for vertebra in (first, second):
        if vertebra is not None and vertebra not in _SPINE:
            raise ValueError(
                f"{raw!r}: {vertebra} is not a vertebra (C0 occiput, C1-C7, T1-T12, L1-L5, S1-S5)"
            )
    return _SPINE.index(first), (_SPINE.index(second) if second else None)


def normalize_level(raw: str) -> str:
    """Canonical form of one spinal level or segment: 'L4-5' -> 'L4-L5', 'l5/s1' -> 'L5-S1'.

    A single vertebra stays single ('s1' -> 'S1'); a reversed segment is put in order; a span of
    more than one segment raises ValueError (see `expand_level_range`).
    """
    first, second = _split_level(raw)
    if second is None:
        return _SPINE[first]
    low, high = sorted((first, second))
    if low == high:
        raise ValueError(
            f"{raw!r} names the same vertebra twice; write it once, e.g. {_SPINE[low]}"
        )
    if high - low != 1:
        segments = ", ".join(expand_level_range(raw))
        raise ValueError(f"{raw!r} spans more than one segment; list each one ({segments})")
    return f"{_SPINE[low]}-{_SPINE[high]}"


def expand_level_range(raw: str) -> list[str]:
    """The adjacent segments a span covers: 'L3-5' -> ['L3-L4', 'L4-L5']; one level -> [itself]."""
    first, second = _split_level(raw)
    if second is None:
        return [_SPINE[first]]
    low, high = sorted((first, second))
    return [f"{_SPINE[i]}-{_SPINE[i + 1]}" for i in range(low, high)] or [_SPINE[low]]


_ROOTS_FILE = Path(__file__).resolve().parent / "nerve_roots.yaml"


@cache
def _segment_roots() -> dict[str, tuple[str, str]]:
    data = yaml.safe_load(_ROOTS_FILE.read_text(encoding="utf-8"))
    return {seg: (roots["exiting"], roots["traversing"]) for seg, roots in data["segments"].items()}


def _roots(level: str, which: slice) -> set[str]:
    """The roots `which` picks from a segment's (exiting, traversing) pair at `level`; a single
    vertebra's own root; empty when the level is not a spinal level or its segment is unknown."""
    try:
        name = normalize_level(level)
    except ValueError:
        return set()
    if "-" not in name:
        return {name}
    return set(_segment_roots().get(name, ())[which])


def roots_at(level: str) -> set[str]:
    """The nerve roots a finding at `level` can press on: a segment's exiting and traversing
    roots (criteria/nerve_roots.yaml), a single vertebra's own root; empty when unknown."""
    return _roots(level, slice(None))


def exiting_root(level: str) -> set[str]:
    """The root leaving through the segment's foramen (what a foraminal finding presses)."""
    return _roots(level, slice(0, 1))


def root_treated(level: str) -> set[str]:
    """The root a transforaminal injection at `level` treats: the segment's exiting root (at a
    single vertebra named as the target, that vertebra's root)."""
    return _roots(level, slice(0, 1))
