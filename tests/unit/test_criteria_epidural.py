"""Table-driven epidural decisions: complete, missing and contradicting fact sets per request."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from criteria.loader import CriteriaLibrary
from tests.criteria_cases import DecisionTable, decide_compact, epidural_library, without
from tests.epidural_facts import CAUDA_EQUINA, COMPLETE, ISOLATED_AXIAL_PAIN, MRI, TFESI

_library = functools.cache(epidural_library)


@pytest.fixture(scope="module")
def library() -> CriteriaLibrary:
    return _library()


def _without(*names: str) -> dict[str, Any]:
    return without(COMPLETE, *names)


def _prior(*events: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "esi", "region": "lumbar", **e} for e in events]


GOOD_RELIEF = {"relief_percent": 70, "relief_duration_months": 4, "functional_improvement": True}

# (name, services, facts, expected decision, a criterion that must explain it)
CASES: list[tuple[str, list[dict[str, Any]], dict[str, Any], str, str | None]] = [
    ("complete initial TFESI", TFESI, COMPLETE, "approved", None),
    (
        "no imaging in the record",
        TFESI,
        _without("imaging.studies"),
        "pended",
        "epidural.esi.imaging",
    ),
    (
        "no conservative care documented",
        TFESI,
        _without(
            "conservative.pt_formal",
            "conservative.anti_inflammatory_analgesics",
            "conservative.duration_weeks",
        ),
        "pended",
        "epidural.esi.conservative_care",
    ),
    (
        "ADLs not documented",
        TFESI,
        _without("function.adls_impaired"),
        "pended",
        "epidural.esi.radicular_pain",
    ),
    (
        "imaging finding at another level",
        [{"code": "64483", "side": "left", "levels": ["L2-L3"]}],
        COMPLETE,
        "pended",
        "epidural.esi.imaging",
    ),
    (
        "only 2 weeks of care without clear radiculopathy",
        TFESI,
        {
            **COMPLETE,
            "conservative.duration_weeks": 2,
            "neuro.dermatomal_sensory_change": False,
            "neuro.myotomal_weakness": False,
            "neuro.reflex_change": False,
        },
        "denied",
        "epidural.esi.conservative_care",
    ),
    (
        "only 2 weeks of care, exam findings not documented",
        TFESI,
        {**_without("neuro.dermatomal_sensory_change"), "conservative.duration_weeks": 2},
        "pended",
        "epidural.esi.conservative_care",
    ),
    (
        "2 weeks of care with clear radiculopathy",
        TFESI,
        {**COMPLETE, "conservative.duration_weeks": 2},
        "approved",
        None,
    ),
    (
        "isolated axial pain",
        TFESI,
        {**COMPLETE, **ISOLATED_AXIAL_PAIN},
        "denied",
        "epidural.exclusion.isolated_axial_pain",
    ),
    (
        "cauda equina syndrome",
        TFESI,
        {**COMPLETE, **CAUDA_EQUINA},
        "denied",
        "epidural.contra.cauda_equina",
    ),
    (
        "anticoagulated: further evaluation",
        TFESI,
        {**COMPLETE, "contra.anticoagulant": True},
        "pended",
        "epidural.contra.bleeding_risk",
    ),
    (
        "two levels bilaterally",
        [
            {"code": "64483", "side": "bilateral", "levels": ["L4-L5"]},
            {"code": "64484", "side": "bilateral", "levels": ["L5-S1"]},
        ],
        COMPLETE,
        "denied",
        "epidural.limit.transforaminal_two",
    ),
    (
        "fifth session in 12 months",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "procedures.prior": _prior(
                *(
                    {"date": d, **GOOD_RELIEF}
                    for d in ("2025-02-01", "2025-05-01", "2025-08-01", "2025-11-01")
                )
            ),
        },
        "denied",
        "epidural.limit.four_sessions",
    ),
    (
        "repeat after a good response",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "procedures.prior": _prior({"date": "2025-07-01", **GOOD_RELIEF}),
        },
        "approved",
        None,
    ),
    (
        "repeat after a poor response",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "procedures.prior": _prior(
                {"date": "2025-03-01", **GOOD_RELIEF},
                {
                    "date": "2025-08-01",
                    "relief_percent": 20,
                    "relief_duration_months": 0.5,
                    "functional_improvement": False,
                },
            ),
        },
        "denied",
        "epidural.repeat.prior_response",
    ),
    (
        "repeat with relief not documented",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "procedures.prior": _prior({"date": "2025-07-01"}),
        },
        "pended",
        None,
    ),
    (
        "one-time second injection, documented",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "planned.differs_from_prior": True,
            "planned.second_injection_rationale": True,
            "procedures.prior": _prior({"date": "2025-12-10", "relief_percent": 20}),
        },
        "approved",
        None,
    ),
    (
        "second injection without its rationale",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "planned.differs_from_prior": True,
            "procedures.prior": _prior({"date": "2025-12-10", "relief_percent": 20}),
        },
        "pended",
        "epidural.second.rationale",
    ),
    (
        "second injection too soon",
        TFESI,
        {
            **COMPLETE,
            "conservative.ongoing": True,
            "planned.differs_from_prior": True,
            "planned.second_injection_rationale": True,
            "procedures.prior": _prior({"date": "2026-01-08", "relief_percent": 20}),
        },
        "denied",
        "epidural.second.timing",
    ),
    (
        "lumbar interlaminar without imaging, clear radiculopathy",
        [{"code": "62323", "levels": ["L4-L5"]}],
        _without("imaging.studies"),
        "approved",
        None,
    ),
    (
        "transforaminal without imaging, clear radiculopathy",
        TFESI,
        _without("imaging.studies"),
        "pended",
        "epidural.esi.imaging",
    ),
    (
        "interlaminar without guidance",
        [{"code": "62322", "levels": ["L4-L5"]}],
        COMPLETE,
        "denied",
        "epidural.limit.guidance",
    ),
    (
        "planned under ultrasound",
        TFESI,
        {**COMPLETE, "planned.guidance": "ultrasound"},
        "denied",
        "epidural.limit.guidance",
    ),
    (
        "ESI combined with a facet injection",
        [*TFESI, {"code": "64493", "levels": ["L3-L4"]}],
        COMPLETE,
        "denied",
        "epidural.exclusion.combined_spinal_injections",
    ),
    (
        "postoperative pain without steroid",
        TFESI,
        {
            **COMPLETE,
            "planned.postoperative_pain": True,
            "planned.purpose": "therapeutic",
            "planned.injectate": ["anesthetic"],
        },
        "pended",
        "epidural.scope.postoperative",
    ),
    (
        "neurolytic substance code",
        [{"code": "62282"}],
        COMPLETE,
        "denied",
        "epidural.exclusion.neurolytic_substance",
    ),
    (
        "lysis of adhesions code",
        [{"code": "62264"}],
        {},
        "denied",
        "epidural.exclusion.lysis_of_adhesions",
    ),
    (
        "old herniation imaging",
        TFESI,
        {
            **COMPLETE,
            "imaging.studies": [{**MRI, "date": "2024-01-10", "findings": MRI["findings"][:1]}],
        },
        "pended",
        "epidural.esi.imaging",
    ),
]


TABLE = DecisionTable(lambda services, facts: decide_compact(_library(), services, facts), False)
test_epidural_decision = TABLE.test(
    [
        (name, services, facts, exp, {why} if why else set())
        for name, services, facts, exp, why in CASES
    ]
)


def test_pend_lists_missing_facts_and_documents(library: CriteriaLibrary) -> None:
    line = decide_compact(library, TFESI, _without("imaging.studies", "function.adls_impaired"))[0]
    assert line.decision == "pended"
    assert "imaging.findings" in line.missing and "function.adls_impaired" in line.missing
    assert any("radiologist" in info for info in line.missing_info)


def test_approved_trace_carries_evidence_and_passages(library: CriteriaLibrary) -> None:
    line = decide_compact(library, TFESI, COMPLETE)[0]
    significant = next(d for d in line.definitions if d.id == "general.significant_pain")
    assert significant.status == "met"
    assert significant.passage == "epidural/clinical-indications/general-information/3"
    radicular = next(c for c in line.criteria if c.id == "epidural.esi.radicular_pain")
    assert ("Current pain 7/10", 1) in [(e.quote, e.document) for e in radicular.evidence]
    assert all(c.passage and c.quote for c in line.criteria)


def test_snrb_with_surgical_consult(library: CriteriaLibrary) -> None:
    facts = {
        **COMPLETE,
        "planned.purpose": "diagnostic",
        "planned.injectate": ["anesthetic"],
        "surgery.consult": True,
        "surgery.considered": True,
    }
    line = decide_compact(library, TFESI, facts)[0]
    assert line.decision == "approved" and line.purpose == "diagnostic"
    assert "epidural.diagnostic_snrb" in line.sets
    without_consult = {k: v for k, v in facts.items() if k != "surgery.consult"}
    assert decide_compact(library, TFESI, without_consult)[0].decision == "pended"
    refused = {**facts, "surgery.considered": False}  # stated without a quote: cannot deny
    assert decide_compact(library, TFESI, refused)[0].decision == "pended"
    quoted = {**facts, "surgery.considered": {"value": False, "quote": "Declines surgery."}}
    assert decide_compact(library, TFESI, quoted)[0].decision == "denied"
    two_levels = [{"code": "64483", "side": "left", "levels": ["L4-L5", "L5-S1"]}]
    line = decide_compact(library, two_levels, facts)[0]
    assert line.decision == "denied"
    assert "epidural.exclusion.snrb_more_than_one_level" in {
        c.id for c in line.criteria if c.effect == "deny"
    }
