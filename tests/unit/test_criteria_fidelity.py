"""Criteria fidelity (issue 12): the guideline's alternatives, exceptions and level/region logic.

One test (or table) per item of the issue, each failing before its fix; the closing note of the
issue lists them by name. Criteria are read from the whole criteria folder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.engine import LineDecision
from criteria.fact_values import values_from_plain
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.loader import CriteriaLibrary
from criteria.model import DEFAULT_EXAMPLE_DATE
from criteria.routing import _Request, build_line_facts
from tests.criteria_cases import REQUEST_DATE, decide_lines, service_line
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
    return build_line_facts(_Request(case, library), index, {})


def _id_of(decision: LineDecision, status_: str) -> set[str]:
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


# --- 1. a single level bilaterally is two transforaminal injections, not combined injections ----


def test_item01_one_level_bilaterally_on_two_lines_is_not_a_combined_injection() -> None:
    lines = [service_line("64483", "left", ["L4-L5"]), service_line("64483", "right", ["L4-L5"])]
    decisions = decide_plain(lines, ESI_FACTS)
    for decision in decisions:
        assert "epidural.exclusion.combined_spinal_injections" not in _id_of(decision, "not_met")
        assert decision.decision == "approved", decision.reasons


def test_item01_three_transforaminal_injections_over_lines_exceed_the_limit() -> None:
    lines = [
        service_line("64483", "left", ["L4-L5"]),
        service_line("64483", "right", ["L4-L5"]),
        service_line("64483", "left", ["L5-S1"]),
    ]
    decision = decide_plain(lines, ESI_FACTS)[0]
    assert decision.decision == "denied"
    assert _id_of(decision, "not_met") == {"epidural.limit.transforaminal_two"}


def test_item01_an_epidural_with_a_facet_line_is_still_combined() -> None:
    lines = [service_line("64483", "left", ["L4-L5"]), service_line("64493", "left", ["L4-L5"])]
    decision = decide_plain(lines, ESI_FACTS)[0]
    assert "epidural.exclusion.combined_spinal_injections" in _id_of(decision, "not_met")


# --- 9. a code "without imaging guidance" stays without it -------------------------------------


def test_item09_the_code_without_guidance_is_not_overridden_by_the_plan(
    library: CriteriaLibrary,
) -> None:
    lines = [service_line("62322", None, ["L4-L5"])]
    decision = decide_plain(lines, {**ESI_FACTS, "planned.guidance": "fluoroscopy"})[0]
    assert decision.decision == "denied"
    assert "epidural.limit.guidance" in _id_of(decision, "not_met")
    assert line_facts(library, lines).guidance == "none"
    fluoro = [service_line("62323", None, ["L4-L5"])]
    case = CaseFacts(request=RequestFacts(date=REQUEST_DATE, age=50, codes=["62323"], lines=fluoro))
    planned = build_line_facts(_Request(case, library), 0, {"planned.guidance": "ct"})
    assert planned.guidance == "ct"  # the plan picks one of the code's two


# --- 14. the route's region reaches the line --------------------------------------------------


def test_item14_the_route_region_is_the_line_region_when_no_level_says(
    library: CriteriaLibrary,
) -> None:
    assert line_facts(library, [service_line("64493")]).region == "lumbar"
    assert line_facts(library, [service_line("27096")]).region == "sacral"
    assert line_facts(library, [service_line("64490", None, ["T2-T3"])]).region == "thoracic"
