"""What a stimulator request asks for is the request's to say (criteria.line_facts,
criteria.engine): a line whose description names the action ("permanent") decides it over notes
that tell of the trial, the generator line of the same request takes that action, and the
generator's standard "insertion or replacement" words name no replacement."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.facts import CaseFacts, ServiceLine
from criteria.line_facts import RequestLines, build_line_facts
from criteria.loader import load_library

_LEADS = "Percutaneous implantation of neurostimulator electrode array, epidural"
_IPG = "Insertion or replacement of spinal neurostimulator pulse generator or receiver"


def _actions(lead_words: str, ipg_words: str = "") -> list[str | None]:
    facts = CaseFacts()
    facts.request.date = dt.date(2026, 11, 2)
    facts.request.lines = [
        ServiceLine(code="63650", description=f"{_LEADS} - {lead_words}", units=2),
        ServiceLine(code="63685", description=f"{_IPG}{ipg_words}", units=1),
    ]
    facts.request.codes = ["63650", "63685"]
    req = RequestLines(facts, load_library())
    return [build_line_facts(req, i, {}).stimulator_action for i in range(2)]


@pytest.mark.parametrize(
    ("lead_words", "ipg_words", "actions"),
    [
        ("permanent, 2 percutaneous leads", "", ["implant", "implant"]),
        ("trial, 2 leads", "", ["trial", "trial"]),
        ("2 percutaneous leads", " - replacement of depleted IPG", ["replacement", "replacement"]),
        # nothing named: left to the notes
        ("2 percutaneous leads", "", [None, None]),
    ],
)
def test_the_request_lines_name_the_stimulator_action(
    lead_words: str, ipg_words: str, actions: list[str | None]
) -> None:
    assert _actions(lead_words, ipg_words) == actions


def test_a_revision_codes_standard_words_name_a_revision() -> None:
    facts = CaseFacts()
    facts.request.date = dt.date(2026, 11, 2)
    facts.request.lines = [
        ServiceLine(
            code="63663",
            description="Revision including replacement, when performed, of spinal "
            "neurostimulator electrode percutaneous array(s) - right lead",
            units=1,
        ),
        ServiceLine(
            code="63688",
            description="Revision or removal of implanted spinal neurostimulator pulse generator",
            units=1,
        ),
    ]
    facts.request.codes = ["63663", "63688"]
    req = RequestLines(facts, load_library())
    # the lead's "including replacement, when performed" is no replacement; the generator line's
    # "revision or removal" names two, so it takes the lead line's
    assert [build_line_facts(req, i, {}).stimulator_action for i in range(2)] == [
        "revision",
        "revision",
    ]
