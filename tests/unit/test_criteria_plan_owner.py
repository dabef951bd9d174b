"""Whose plan the `planned.*` facts describe when a request lists procedures of several guideline
sections (criteria.plan_owner): another section's line is decided without them and never
approved on a plan nobody read; the session's facts stay; a plan sentence that names the line's
own procedure too stays with it."""

from __future__ import annotations

from criteria.fact_values import FactValues
from criteria.facts import Evidence
from criteria.plan_owner import plan_for_line, without_own_plan
from criteria.results import LineDecision


def _base(quote: str = "Plan: R L5-S1 transforaminal ESI, dexamethasone 10 mg.") -> FactValues:
    evidence = Evidence(quote=quote, document=0)
    return FactValues(
        {
            "planned.procedure_type": "esi",
            "planned.injectate": ["steroid"],
            "planned.same_session_procedures": [],
            "neuro.radicular_pain": True,
        },
        {"planned.procedure_type": [evidence]},
    )


def test_another_sections_line_is_decided_without_the_plan() -> None:
    own = plan_for_line(_base(), "facet", {"epidural"})
    assert "planned.injectate" not in own.values  # the epidural's steroid is not the block's
    assert own.values["planned.same_session_procedures"] == []  # the session's fact stays
    assert own.values["neuro.radicular_pain"] is True


def test_the_plans_own_line_and_a_lone_line_keep_it() -> None:
    base = _base()
    assert plan_for_line(base, "epidural", {"facet"}) is base
    assert plan_for_line(base, "facet", set()) is base  # no epidural line: the plan is loose


def test_a_plan_sentence_naming_both_procedures_stays_with_both() -> None:
    base = _base("Same session: R L5 TFESI and R L4-5 facet injection with cyst aspiration.")
    assert plan_for_line(base, "facet", {"epidural"}) is base


def test_an_approval_without_the_lines_own_plan_pends() -> None:
    approved = LineDecision(code="64493", decision="approved")
    pended = without_own_plan(approved, _base())
    assert pended.decision == "pended" and "another requested procedure" in pended.reasons[0]
    denied = LineDecision(code="64493", decision="denied")
    assert without_own_plan(denied, _base()).decision == "denied"
