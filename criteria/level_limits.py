"""A session's level limit, line by line: the levels within it are decided, the add-on lines
beyond it are denied.

A request for three facet levels (64493 + 64494 + 64495) where the guideline allows two per
session is not a reason to deny the first two: a reviewer approves the levels within the limit
and denies the add-on line that goes beyond it ("64495: third and any additional level"). When a
primary line is denied only by limits on its session's level count (a criterion whose logic is
``{fact: line.level_count, op: '<=', value: N}``), the add-on lines that take the count past N
are set aside, the primary is decided again on the levels that remain, and each line set aside
is denied with the limit's own result (its quote and reason). Every other denial stands as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from criteria.line_facts import RequestLines
from criteria.loader import CriteriaLibrary
from criteria.logic import Test
from criteria.results import CriterionResult, LineDecision

_DENYING = ("not_met", "excluded")


def level_limit(library: CriteriaLibrary, criterion_id: str) -> int | None:
    """N when the criterion is exactly "at most N levels per session", else None."""
    criterion = library.criteria.get(criterion_id)
    logic = getattr(criterion, "logic", None)
    if not isinstance(logic, Test) or logic.on_event or logic.if_missing is not None:
        return None
    if logic.name != "line.level_count" or logic.op != "<=":
        return None
    return logic.value if isinstance(logic.value, int) else None


def _limit_only(library: CriteriaLibrary, decision: LineDecision) -> list[CriterionResult]:
    """The denying results, when every one of them is a level limit (else [])."""
    denying = [c for c in decision.criteria if c.status in _DENYING and c.effect == "deny"]
    if decision.decision != "denied" or not denying:
        return []
    if any(level_limit(library, c.id) is None for c in denying):
        return []
    return denying


def _levels_of(req: RequestLines, index: int) -> int:
    line = req.lines[index]
    return len(line.levels) if line.levels else max(1, line.units)


def excess_addons(req: RequestLines, index: int, limit: int) -> list[int]:
    """The add-on lines of primary `index` that take its session past `limit` levels."""
    count = _levels_of(req, index)
    excess: list[int] = []
    for follower in req.followers(index):
        if not req.is_addon[follower]:
            continue
        count += _levels_of(req, follower)
        if count > limit:
            excess.append(follower)
    return excess


def split_at_level_limit(
    req: RequestLines,
    index: int,
    decision: LineDecision,
    decide_again: Callable[[], LineDecision],
) -> tuple[LineDecision, dict[int, LineDecision]]:
    """The primary's decision on the levels within the limit, and a denial for each add-on line
    beyond it; (decision, {}) unchanged when the denial is not a level limit's alone."""
    denying = _limit_only(req.library, decision)
    if not denying:
        return decision, {}
    limit = min(level_limit(req.library, c.id) or 0 for c in denying)
    excess = excess_addons(req, index, limit)
    if not excess:
        return decision, {}
    req.excluded = frozenset(excess)
    try:
        within = decide_again()
    finally:
        req.excluded = frozenset()
    beyond: dict[int, LineDecision] = {}
    for line in excess:
        code = req.codes[line]
        reason = (
            f"Add-on code {code} is a level beyond the {limit} per session the guideline allows "
            f"for {req.codes[index]}: {denying[0].title}."
        )
        beyond[line] = LineDecision(
            code=code,
            decision="denied",
            reasons=[reason],
            sets=decision.sets,
            purpose=decision.purpose,
            criteria=denying,
            route=reason,
        )
    return within, beyond
