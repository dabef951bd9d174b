"""Operators that compare spinal levels and sides in criteria (`levels_overlap`, `levels_near`,
`roots_correlate`, `exiting_root_correlates`, `roots_treated_at`, `side_matches`): how a
finding's level and side are matched to a requested level and side, by segment, by neighbouring
segment, or by nerve root (criteria/nerve_roots.yaml).
"""

from __future__ import annotations

from typing import Any

from criteria.fact_values import level_or_text, level_vertebrae
from criteria.levels import exiting_root, root_treated, roots_at


def _levels(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def levels_overlap(actual: Any, expected: Any) -> bool:
    """True when a level equals another, or a single vertebra lies in a segment (L5 ~ L5-S1)."""
    for a in _levels(actual):
        for e in _levels(expected):
            na, ne = level_or_text(a), level_or_text(e)
            if na == ne:
                return True
            va, ve = level_vertebrae(na), level_vertebrae(ne)
            if (len(va) == 1 and va <= ve) or (len(ve) == 1 and ve <= va):
                return True
    return False


def levels_near(actual: Any, expected: Any) -> bool:
    """True when two levels share a vertebra: the same or an adjacent segment.

    Correlation by nerve root: a paracentral L4-L5 disc compresses the traversing L5 root, which
    exits at L5-S1 (where a transforaminal injection treats it), and an interlaminar entry one
    segment off the pathology reaches it. Levels two segments apart do not correlate.
    """
    for a in _levels(actual):
        for e in _levels(expected):
            if level_vertebrae(level_or_text(a)) & level_vertebrae(level_or_text(e)):
                return True
    return False


def roots_correlate(actual: Any, expected: Any) -> bool:
    """A finding at `actual` presses a root that a transforaminal injection at `expected` treats.

    By the segment anatomy in criteria/nerve_roots.yaml: a paracentral L4-L5 disc (roots L4, L5)
    correlates with an L5-S1 injection (treats L5); an L5-S1 disc (L5, S1) does not with an
    L4-L5 injection (treats L4).
    """
    for a in _levels(actual):
        for e in _levels(expected):
            if roots_at(a) & root_treated(e):
                return True
    return False


def exiting_root_correlates(actual: Any, expected: Any) -> bool:
    """A foraminal finding at `actual` presses the root exiting there, and a transforaminal
    injection at `expected` treats it: an L4-L5 foraminal stenosis (L4) correlates with an L4-L5
    injection, not with an L5-S1 one (L5)."""
    for a in _levels(actual):
        for e in _levels(expected):
            if exiting_root(a) & root_treated(e):
                return True
    return False


def roots_treated_at(actual: Any, expected: Any) -> bool:
    """A root the report names as pressed (`actual`, ["S1"]) is the one a transforaminal
    injection at a level of `expected` treats (S1 at the S1 foramen, L5 at L5-S1)."""
    roots = {str(r).upper() for r in (actual if isinstance(actual, list) else [actual]) if r}
    return any(roots & root_treated(level_or_text(e)) for e in _levels(expected))


def side_matches(actual: Any, expected: Any) -> bool:
    """Same side, or either side bilateral, or a central finding."""
    return actual == expected or "bilateral" in (actual, expected) or actual == "central"
