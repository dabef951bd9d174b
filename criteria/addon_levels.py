"""An add-on level decided at its own level: each requested level stands on its own evidence.

A request for two transforaminal levels (64479 at C5-C6 + 64480 at C6-C7) is decided on the
session's levels together, so imaging that correlates at one level carries the other. A
reviewer looks at each level: when the MRI finds the C6-C7 foramina "widely patent" and the
radicular pain is in the C6 dermatome, the C6-C7 add-on is not approved with C5-C6; and a fusion
at the add-on's level denies that level, not the primary's. So a primary line denied on the
session's levels is decided again on its own levels (`primary_at_own_levels`), and after the
primary is decided (and not denied), each of its add-on lines that names levels of its own is
decided again on those levels alone. A denial there denies the add-on line with the criteria
that deny it (their quotes and reasons); a pend there, under an approved primary, pends the
add-on line and asks for what its level lacks. Otherwise the add-on follows its primary line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from criteria.line_facts import RequestLines
from criteria.results import LineDecision

_DENYING = ("not_met", "excluded")


def primary_at_own_levels(
    req: RequestLines,
    index: int,
    decision: LineDecision,
    decide_at: Callable[[list[str]], LineDecision],
) -> LineDecision:
    """A primary line denied on the session's levels is decided again on its own levels when
    an add-on line names other levels: a fusion at the add-on's C6-C7 denies that level, not the
    C5-C6 primary. The primary's own decision stands when it is no denial; otherwise the denial."""
    own_levels = list(req.lines[index].levels or [])
    if decision.decision != "denied" or not own_levels:
        return decision
    others = [
        f for f in req.followers(index)
        if req.is_addon[f] and set(req.lines[f].levels or []) - set(own_levels)
    ]  # fmt: skip
    if not others:
        return decision
    own = decide_at(own_levels)
    if own.decision == "denied":
        return decision
    own.route = f"{req.codes[index]} decided at its own level ({', '.join(own_levels)})."
    return own


def own_level_decisions(
    req: RequestLines,
    index: int,
    decision: LineDecision,
    decide_at: Callable[[list[str]], LineDecision],
    set_aside: frozenset[int] = frozenset(),
) -> dict[int, LineDecision]:
    """Decisions of the add-on lines of primary `index` that their own levels change; the lines
    `set_aside` (already denied beyond a level limit) stay out of the session."""
    if decision.decision == "denied":
        return {}
    primary_levels = set(req.lines[index].levels or [])
    changed: dict[int, LineDecision] = {}
    req.excluded = set_aside
    try:
        for follower in req.followers(index):
            levels = list(req.lines[follower].levels or [])
            if not req.is_addon[follower] or not levels or set(levels) <= primary_levels:
                continue
            own = _own(req, follower, levels, decision, decide_at(levels))
            if own is not None:
                changed[follower] = own
    finally:
        req.excluded = frozenset()
    return changed


def _own(
    req: RequestLines,
    follower: int,
    levels: list[str],
    decision: LineDecision,
    own: LineDecision,
) -> LineDecision | None:
    """The add-on's own decision when its level changes what it would follow, else None."""
    denying = [c for c in own.criteria if c.status in _DENYING and c.effect == "deny"]
    pending = [c for c in own.criteria if c.status == "not_documented"]
    outcome: Literal["denied", "pended"]
    if own.decision == "denied" and denying:
        deciding, outcome = denying, "denied"
    elif own.decision == "pended" and decision.decision == "approved" and pending:
        deciding, outcome = pending, "pended"
    else:
        return None
    code = req.codes[follower]
    reason = (
        f"Add-on code {code} decided at its own level ({', '.join(levels)}): {deciding[0].title}."
    )
    return LineDecision(
        code=code,
        decision=outcome,
        reasons=[reason, *own.reasons],
        sets=own.sets,
        purpose=own.purpose,
        criteria=deciding,
        definitions=own.definitions,
        missing=own.missing if outcome == "pended" else [],
        missing_info=own.missing_info if outcome == "pended" else [],
        route=reason,
    )
