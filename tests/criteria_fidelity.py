"""Helpers of the criteria-fidelity tests (issue 12 items and missing requirements)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.fact_values import values_from_plain
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.line_facts import RequestLines, build_line_facts
from criteria.loader import CriteriaLibrary
from criteria.model import DEFAULT_EXAMPLE_DATE
from criteria.results import LineDecision
from tests.criteria_cases import REQUEST_DATE, decide_lines
from tests.epidural_facts import COMPLETE


def status(library: CriteriaLibrary, item_id: str, facts: dict[str, Any]) -> str:
    """The status of one criterion (or definition) on plain facts, dated 2026-01-15."""
    values = values_from_plain(facts)
    evaluator = library.evaluator
    ctx = evaluator.context(values.values, DEFAULT_EXAMPLE_DATE)
    return evaluator.evaluate(item_id, ctx, {}).status


def decide_plain(
    lines: list[ServiceLine], facts: dict[str, Any], age: int = 55
) -> list[LineDecision]:
    return decide_lines(lines, facts, age)


def line_facts(library: CriteriaLibrary, lines: list[ServiceLine], index: int = 0) -> Any:
    case = CaseFacts(
        request=RequestFacts(
            date=REQUEST_DATE, age=50, codes=[ln.code for ln in lines], lines=lines
        )
    )
    return build_line_facts(RequestLines(case, library), index, {})


def id_of(decision: LineDecision, status_: str) -> set[str]:
    return {c.id for c in decision.criteria if c.status == status_ and c.effect != "none"}


MRI_L45_LEFT = {
    "modality": "mri",
    "date": dt.date(2025, 11, 20),
    "independent_radiologist": True,
    "region": "lumbar",
    "findings": [{"level": "L4-L5", "side": "left", "herniation": True, "root_compression": True}],
}
ESI_FACTS: dict[str, Any] = {
    **{k: v for k, v in COMPLETE.items() if k != "imaging.studies"},
    "pain.score": 7,
    "imaging.studies": [MRI_L45_LEFT],
    "imaging.correlates_with_clinical": True,
}
