"""Shared helpers of the criteria section tests (tests/unit/test_criteria_<section>.py).

Requests are built one of two ways:

- plain facts on `ServiceLine`s (`decide_lines`): the whole criteria folder (`load_library`),
  each fact set on a `CaseFacts` dated `REQUEST_DATE`;
- compact facts on service dicts (`decide_compact`): whichever library the test passes, usually
  the epidural files alone (`epidural_library`), read by `facts_from_compact`.

Each section file's whole-request table is a list of `DecisionCase` rows; its one parametrized
test is `DecisionTable.test(CASES)` (`plain_table(age)` for `ServiceLine` rows). (The YAML
example and coverage checks of the section files are one table in
tests/unit/test_criteria_sections.py.)

The `library` fixture (the whole criteria folder) is in tests/conftest.py.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from criteria.fact_values import facts_from_compact
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.loader import CriteriaLibrary, build_library, criteria_dir, load_library, read_files
from criteria.results import LineDecision
from criteria.routing import decide_request

REQUEST_DATE = dt.date(2026, 1, 15)
EPIDURAL_FILES = ("general.yaml", "epidural.yaml", "routing.yaml")

# (name, lines, facts, expected decision of the first line, criterion ids that decide it)
DecisionCase = tuple[str, list[ServiceLine], dict[str, Any], str, set[str]]


def epidural_library() -> CriteriaLibrary:
    """The epidural criteria with the general definitions and routing, without other sections."""
    files = {k: v for k, v in read_files(criteria_dir()).items() if k in EPIDURAL_FILES}
    return build_library(files)


# --- building and deciding requests -----------------------------------------------------------


def without(facts: dict[str, Any], *names: str) -> dict[str, Any]:
    """`facts` less the named ones (as if the record did not document them)."""
    return {k: v for k, v in facts.items() if k not in names}


def service_line(
    code: str, side: str | None = None, levels: list[str] | None = None
) -> ServiceLine:
    """One requested service line."""
    return ServiceLine(code=code, side=side, levels=levels or [])  # type: ignore[arg-type]


def sided_line(code: str, side: str | None = "left") -> ServiceLine:
    """One requested line without levels, on the left unless `side` says otherwise."""
    return service_line(code, side)


def case_facts(lines: list[ServiceLine], facts: dict[str, Any], age: int) -> CaseFacts:
    """A case from plain facts; a ``request.age`` entry overrides `age` (it goes to the request)."""
    facts = copy.deepcopy(facts)
    age = facts.pop("request.age", age)
    codes = [ln.code for ln in lines]
    case = CaseFacts(request=RequestFacts(date=REQUEST_DATE, age=age, codes=codes, lines=lines))
    for name, value in facts.items():
        case.set(name, value)
    return case


def decide_lines(lines: list[ServiceLine], facts: dict[str, Any], age: int) -> list[LineDecision]:
    """Every line's decision under the whole criteria folder."""
    return decide_request(case_facts(lines, facts, age), load_library(), REQUEST_DATE)


def decide_compact(
    library: CriteriaLibrary,
    services: list[dict[str, Any]],
    facts: dict[str, Any],
    diagnoses: tuple[str, ...] = ("M54.16",),
) -> list[LineDecision]:
    """Every line's decision for service dicts and compact facts, received on `REQUEST_DATE`."""
    request = {
        "date": REQUEST_DATE.isoformat(),
        "codes": [s["code"] for s in services],
        "diagnosis_codes": list(diagnoses),
        "lines": services,
    }
    return decide_request(facts_from_compact(facts, request=request), library)


def deciding_criteria(decision: LineDecision) -> set[str]:
    """The ids of the criteria that deny or pend the line."""
    return {c.id for c in decision.criteria if c.effect != "none"}


# --- whole-request tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionTable:
    """How one section's whole-request table is decided and checked; `test` is its one test.

    `decide` turns a row's lines and facts into every line's decision. With `exact`, a row's
    criterion ids are exactly those that deny or pend the first line; without, each is among them
    and an approved line has none.
    """

    decide: Callable[[list[Any], dict[str, Any]], list[LineDecision]]
    exact: bool = True

    def check(self, first: LineDecision, expected: str, deciding: set[str]) -> None:
        """The first line decides as expected, for the expected criteria."""
        assert first.decision == expected, (first.reasons, first.missing)
        found = deciding_criteria(first)
        if self.exact or expected == "approved":
            assert found == (deciding if self.exact else set()), first.reasons
        assert deciding <= found, (deciding, found)

    def check_missing(
        self, lines: list[Any], facts: dict[str, Any], missing: list[str], asks: str
    ) -> None:
        """Without the `missing` facts, the first line lists them as missing, and its missing
        information asks for `asks`."""
        decision = self.decide(lines, without(facts, *missing))[0]
        assert set(missing) <= set(decision.missing), decision.missing
        assert any(asks in info for info in decision.missing_info), decision.missing_info

    def test(self, cases: list[DecisionCase]) -> Callable[..., None]:
        """A test parametrized by `cases`, one named parameter per row."""
        params = [pytest.param(ln, facts, exp, ids, id=name) for name, ln, facts, exp, ids in cases]

        @pytest.mark.parametrize(("lines", "facts", "expected", "deciding"), params)
        def test_whole_request_decision(
            lines: list[Any], facts: dict[str, Any], expected: str, deciding: set[str]
        ) -> None:
            self.check(self.decide(lines, facts)[0], expected, deciding)

        return test_whole_request_decision


def plain_table(age: int) -> DecisionTable:
    """A table of `ServiceLine` rows decided by `decide_lines` (``request.age`` default `age`)."""
    return DecisionTable(lambda lines, facts: decide_lines(lines, facts, age))
