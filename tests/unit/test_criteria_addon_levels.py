"""Each requested level stands on its own evidence (criteria.addon_levels): an add-on line whose
own level the record contradicts is denied, one whose own level is undocumented under an
approved primary pends, and otherwise the add-on follows its primary; and the anatomy levels are
correlated by (a cervical disc presses the root that exits at its segment)."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.addon_levels import own_level_decisions
from criteria.facts import CaseFacts, ServiceLine
from criteria.levels import root_treated, roots_at
from criteria.line_facts import RequestLines
from criteria.loader import load_library
from criteria.results import CriterionResult, LineDecision


def _request(addon_levels: list[str]) -> RequestLines:
    facts = CaseFacts()
    facts.request.date = dt.date(2026, 11, 24)
    facts.request.lines = [
        ServiceLine(code="64479", side="right", levels=["C5-C6"], units=1),
        ServiceLine(code="64480", side="right", levels=addon_levels, units=1),
    ]
    facts.request.codes = ["64479", "64480"]
    return RequestLines(facts, load_library())


def _decision(outcome: str, status: str = "met") -> LineDecision:
    row = CriterionResult(
        id="epidural.esi.imaging",
        title="Advanced imaging correlates at the requested level",
        kind="requirement",
        status=status,  # type: ignore[arg-type]
        effect="deny" if status == "not_met" else "pend" if status == "not_documented" else "none",
        passage="epidural/1",
        quote="Evidence of EITHER of the following is seen on an advanced imaging study",
        reason="",
    )
    return LineDecision(code="64479", decision=outcome, criteria=[row])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("primary", "own", "expected"),
    [
        ("approved", _decision("denied", "not_met"), "denied"),
        ("approved", _decision("pended", "not_documented"), "pended"),
        ("pended", _decision("denied", "not_met"), "denied"),
        # the add-on's own level holds, or the primary is itself only pended: it follows
        ("approved", _decision("approved"), None),
        ("pended", _decision("pended", "not_documented"), None),
    ],
)
def test_an_add_on_is_decided_at_its_own_level(
    primary: str, own: LineDecision, expected: str | None
) -> None:
    asked: list[list[str]] = []

    def decide_at(levels: list[str]) -> LineDecision:
        asked.append(levels)
        return own

    changed = own_level_decisions(_request(["C6-C7"]), 0, _decision(primary), decide_at)
    assert asked == [["C6-C7"]]
    assert (changed[1].decision if 1 in changed else None) == expected


def test_a_denied_primary_or_an_add_on_without_its_own_level_is_left_to_follow() -> None:
    never = lambda levels: pytest.fail(f"decided again at {levels}")  # noqa: E731
    assert own_level_decisions(_request(["C6-C7"]), 0, _decision("denied", "not_met"), never) == {}
    assert own_level_decisions(_request([]), 0, _decision("approved"), never) == {}
    assert own_level_decisions(_request(["C5-C6"]), 0, _decision("approved"), never) == {}


def test_a_cervical_disc_presses_the_root_that_exits_at_its_segment() -> None:
    assert roots_at("C5-C6") == {"C6"}
    assert not roots_at("C5-C6") & root_treated("C6-C7")  # a C6-7 injection treats C7
    assert roots_at("L4-L5") & root_treated("L5-S1")  # a lumbar disc's traversing L5 root


@pytest.mark.parametrize(
    ("op", "actual", "expected", "correlates"),
    [
        # a foraminal finding presses the root exiting there
        ("exiting", "L4-L5", ["L4-L5"], True),
        ("exiting", "L4-L5", ["L5-S1"], False),
        # roots the report names: the injection must treat one of them
        ("named", ["L4"], ["L5-S1"], False),
        ("named", ["L4", "L5"], ["L5-S1"], True),
        ("named", ["S1"], ["S1"], True),
    ],
)
def test_roots_a_finding_presses_and_the_root_an_injection_treats(
    op: str, actual: object, expected: list[str], correlates: bool
) -> None:
    from criteria.spine_ops import exiting_root_correlates, roots_treated_at

    check = exiting_root_correlates if op == "exiting" else roots_treated_at
    assert check(actual, expected) is correlates


@pytest.mark.parametrize(
    ("own", "expected"),
    [
        # denied only through the add-on's level (a fusion at C6-C7): the primary's own level holds
        ("approved", "approved"),
        # denied at its own level too: the denial stands
        ("denied", "denied"),
    ],
)
def test_a_primary_denied_through_its_add_ons_level_is_decided_at_its_own(
    own: str, expected: str
) -> None:
    from criteria.addon_levels import primary_at_own_levels

    asked: list[list[str]] = []

    def decide_at(levels: list[str]) -> LineDecision:
        asked.append(levels)
        return _decision(own, "met" if own == "approved" else "not_met")

    decided = primary_at_own_levels(
        _request(["C6-C7"]), 0, _decision("denied", "not_met"), decide_at
    )
    assert asked == [["C5-C6"]]
    assert decided.decision == expected
