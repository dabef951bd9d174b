"""A request line for a later block of a series (criteria.line_facts `follow_on`) and what the
engine does with it: before the first block is given the later line pends for its response; an
add-on's "second level" or "each additional facet joint" is no series."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.facts import CaseFacts, ServiceLine
from criteria.line_facts import RequestLines, build_line_facts
from criteria.loader import load_library

_LSB = "Injection, anesthetic agent; lumbar or thoracic (paravertebral sympathetic)"


def _follow_on(lines: list[tuple[str, str]]) -> list[bool | None]:
    facts = CaseFacts()
    facts.request.date = dt.date(2026, 11, 2)
    facts.request.lines = [ServiceLine(code=c, description=d, units=1) for c, d in lines]
    facts.request.codes = [c for c, _ in lines]
    req = RequestLines(facts, load_library())
    return [build_line_facts(req, i, {}).follow_on for i in range(len(lines))]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("right block L2, second (therapeutic) block about two weeks later, only if the "
         "diagnostic block is positive", True),
        ("left lumbar sympathetic blocks #2 and #3 (therapeutic series)", True),
        ("repeat block", True),
        # the same code again with no series named: a second side or level, not a later block
        ("left L3", None),
    ],
)  # fmt: skip
def test_a_later_block_of_a_series_on_the_same_request(second: str, expected: bool | None) -> None:
    lines = [
        ("64520", f"{_LSB} - right block L2, initial diagnostic"),
        ("64520", f"{_LSB} - {second}"),
    ]
    assert _follow_on(lines) == [None, expected]


def test_an_add_ons_level_words_are_no_series() -> None:
    lines = [
        ("64490", "Injection, facet joint, cervical or thoracic; single level - C4-C5"),
        ("64491", "cervical or thoracic; second level - C5-C6"),
        ("64491", "cervical or thoracic; third and any additional level(s) - C6-C7"),
    ]
    assert _follow_on(lines) == [None, None, None]
