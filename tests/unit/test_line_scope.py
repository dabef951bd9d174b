"""A line is denied only on evidence of its own region and side (criteria.quote_scope and the
evaluator's strict reading): a quote that tells only of another region or the other side
contradicts nothing about the line, and pends; one of the line's own region and side denies."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.facts import DERIVED_FACTS, Evidence
from criteria.loader import load_library
from criteria.quote_scope import limb_region_group, of_another_scope, region_groups, sides
from drafting.extraction.llm import groups_for


@pytest.mark.parametrize(
    ("quote", "groups", "named_sides"),
    [
        ("Pain shoots down the left leg to the big toe.", {"lumbosacral"}, {"left"}),
        ("R arm 7-8/10, numb thumb tip.", {"cervicothoracic"}, {"right"}),
        ("Neck ache and low back ache, both sides.", {"cervicothoracic", "lumbosacral"},
         {"bilateral"}),
        ("L4-5 disc protrusion, lateral recess narrowing.", set(), set()),
        ("the patient rates it 7/10 today", set(), set()),
    ],
)  # fmt: skip
def test_what_a_quote_names(quote: str, groups: set[str], named_sides: set[str]) -> None:
    assert (region_groups(quote), sides(quote)) == (groups, named_sides)


@pytest.mark.parametrize(
    ("quote", "other"),
    [
        ("R arm pain and thumb numbness since May 2026.", True),  # another region
        ("R side low back is 1-2/10 now, not bothering him.", True),  # the other side
        ("L-sided low back ache at the belt line, 7/10.", False),
        ("Low back ache across both sides, 2/10.", False),
        ("Pain 2/10 today.", False),  # names neither: it may be the line's
    ],
)
def test_a_quote_of_another_scope(quote: str, other: bool) -> None:
    assert of_another_scope(quote, "lumbosacral", "left") is other


def test_the_limb_radicular_pain_is_told_in() -> None:
    assert limb_region_group(["pain shot down the L leg", "calf numbness"]) == "lumbosacral"
    assert limb_region_group(["down the arm", "and the leg"]) is None
    assert limb_region_group(["neck pain"]) is None  # the spine, not a limb


def _pain_criterion(score_quote: str, side: str = "left") -> tuple[str, str]:
    library = load_library()
    evaluator = library.evaluator
    values = {
        "pain.score": 1.0,
        "function.impairment": True,
        "symptoms.duration_months": 8.0,
        "line.region_group": "lumbosacral",
        "line.side": side,
    }
    evidence = {
        "pain.score": [Evidence(quote=score_quote, document=0)],
        "function.impairment": [Evidence(quote="can't stand to cook, quit golf", document=0)],
        "symptoms.duration_months": [Evidence(quote="low back pain for 8 months", document=0)],
    }
    ctx = evaluator.context(values, dt.date(2026, 9, 1))
    result = evaluator.evaluate("facet.patient.pain_with_impairment_3_months", ctx, evidence)
    return result.status, result.effect


def test_a_score_of_the_other_side_does_not_deny_this_side() -> None:
    assert _pain_criterion("R side low back is 1-2/10 now, not bothering him.") == (
        "not_documented",
        "pend",
    )


def test_a_score_of_the_lines_own_side_denies() -> None:
    assert _pain_criterion("L low back 1-2/10 now, hardly bothers him.") == ("not_met", "deny")


def test_a_criterion_comparing_sides_itself_keeps_the_other_sides_evidence() -> None:
    library = load_library()
    evaluator = library.evaluator
    values = {
        "line.side": "left",
        "neuro.radicular_side": "right",
        "line.region_group": "lumbosacral",
    }
    evidence = {"neuro.radicular_side": [Evidence(quote="R leg pain to the foot", document=0)]}
    ctx = evaluator.context(values, dt.date(2026, 9, 1))
    result = evaluator.evaluate("epidural.esi.requested_side", ctx, evidence)
    assert result.status == "not_met"  # it reads line.side: the right leg is its contradiction


def test_every_derived_fact_is_asked_of_an_llm_through_a_stored_one() -> None:
    for name in DERIVED_FACTS:
        assert groups_for([name])  # raises KeyError for a derived name it cannot map


@pytest.mark.parametrize(
    ("quote", "group"),
    [
        # a radiculopathy named by its region, with no dermatome, is that region's
        ("Dx: M54.12 Radiculopathy, cervical region", "cervicothoracic"),
        ("Assessment: lumbar radiculopathy, L > R.", "lumbosacral"),
        ("Assessment: radiculopathy.", None),
        ("Cervical and lumbar radiculopathy.", None),  # both named: no one region
    ],
)
def test_a_radiculopathy_named_by_its_region(quote: str, group: str | None) -> None:
    from criteria.fact_values import fact_values
    from criteria.facts import CaseFacts, Fact

    facts = CaseFacts()
    facts.neuro.radiculopathy = Fact[bool](value=True, evidence=[Evidence(quote=quote, document=0)])
    assert fact_values(facts).values.get("neuro.radicular_region_group") == group
