"""A session's level limit decides line by line: the levels within it are decided on their own
merits and only the add-on lines beyond it are denied (criteria.level_limits)."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.facts import CaseFacts, Fact, ServiceLine
from criteria.level_limits import level_limit
from criteria.loader import load_library
from criteria.routing import decide_request


def _request(codes_levels: list[tuple[str, str]], axial: bool = True) -> CaseFacts:
    facts = CaseFacts()
    facts.request.date = dt.date(2026, 9, 14)
    facts.request.lines = [
        ServiceLine(code=code, side="bilateral", levels=[level], units=1)
        for code, level in codes_levels
    ]
    facts.request.codes = [code for code, _ in codes_levels]
    facts.pain.axial_predominant = Fact[bool](value=axial)
    return facts


def test_only_level_count_limits_split() -> None:
    library = load_library()
    assert level_limit(library, "facet.mbb.max_two_levels") == 2
    assert level_limit(library, "facet.patient.predominant_axial_pain") is None


def test_the_third_level_alone_is_denied_for_the_limit() -> None:
    three = _request([("64493", "L3-L4"), ("64494", "L4-L5"), ("64495", "L5-S1")])
    first, second, third = decide_request(three)
    assert third.decision == "denied"
    assert [c.id for c in third.criteria if c.effect == "deny"] == ["facet.mbb.max_two_levels"]
    for line in (first, second):
        assert line.decision != "denied"
        assert all(c.id != "facet.mbb.max_two_levels" or c.status == "met" for c in line.criteria)


def test_two_levels_are_decided_as_they_are() -> None:
    two = _request([("64493", "L3-L4"), ("64494", "L4-L5")])
    assert all(line.decision != "denied" for line in decide_request(two))


@pytest.mark.parametrize("axial", [False])
def test_another_denial_still_denies_every_line(axial: bool) -> None:
    three = _request([("64493", "L3-L4"), ("64494", "L4-L5"), ("64495", "L5-S1")], axial=axial)
    assert [line.decision for line in decide_request(three)] == ["denied"] * 3
