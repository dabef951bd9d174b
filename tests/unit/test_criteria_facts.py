"""The facts vocabulary: names, tri-state values with evidence, compact form, derived facts."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.fact_values import compact_facts, fact_values, facts_from_compact, values_from_plain
from criteria.facts import CaseFacts, Evidence, Fact, RequestFacts, event_fields, fact_names


def test_names_cover_the_groups_the_guideline_asks_about() -> None:
    names = set(fact_names())
    for name in (
        "pain.score",
        "function.adls_impaired",
        "symptoms.duration_months",
        "neuro.reflex_change",
        "neuro.myelopathy_severity",
        "imaging.studies",
        "conservative.pt_formal",
        "conservative.home_program_compliant",
        "procedures.prior",
        "surgery.consult",
        "contra.uncontrolled_diabetes",
        "bvn.skeletally_mature",
        "crps.sign_vasomotor",
        "stimulator.trial_days",
        "si.provocative_tests_positive",
        "planned.technique",
        "request.date",
        "line.injection_count",
        "imaging.findings",
    ):
        assert name in names, name
    assert {"relief_percent", "date", "region_group"} <= event_fields("procedures.prior")
    assert "list_evidence.x" not in names


def test_fact_is_tri_state_and_carries_evidence() -> None:
    facts = CaseFacts()
    assert facts.get("neuro.radicular_pain") is None
    facts.set("neuro.radicular_pain", {"value": False, "quote": "No leg pain", "document": 2})
    stored = facts.get("neuro.radicular_pain")
    assert isinstance(stored, Fact) and stored.value is False
    assert stored.evidence == [Evidence(quote="No leg pain", document=2)]
    with pytest.raises(KeyError):
        facts.get("neuro")
    with pytest.raises(ValueError):
        facts.set("pain.severity", "unbearable")


def test_compact_form_round_trips() -> None:
    facts = facts_from_compact(
        {
            "pain.score": {"value": 7, "quote": "7/10", "document": 1},
            "procedures.prior": {"value": [], "quote": "No prior spinal injections", "document": 1},
            "imaging.studies": [
                {
                    "modality": "mri",
                    "date": "2025-09-12",
                    "quote": "MRI",
                    "document": 0,
                    "findings": [{"level": "l4-5", "herniation": True}],
                }
            ],
        },
        request={"date": "2025-11-03", "codes": ["64483"]},
    )
    compact = compact_facts(facts)
    assert compact["pain.score"] == {"value": 7.0, "quote": "7/10", "document": 1}
    assert compact["procedures.prior"]["quote"] == "No prior spinal injections"
    again = facts_from_compact(compact, request=facts.request.model_dump())
    assert again == facts


def test_flattening_derives_imaging_facts_and_normalises_levels() -> None:
    facts = facts_from_compact(
        {
            "imaging.studies": [
                {"modality": "xray", "date": "2025-01-01"},
                {
                    "modality": "mri",
                    "date": "2025-09-12",
                    "independent_radiologist": True,
                    "findings": [{"level": "L4/5", "herniation": True}],
                },
            ]
        }
    )
    values = fact_values(facts).values
    assert values["imaging.latest_advanced_date"] == dt.date(2025, 9, 12)
    assert values["imaging.advanced_completed"] is True
    (finding,) = values["imaging.findings"]
    assert finding["level"] == "L4-L5" and finding["modality"] == "mri"
    assert finding["independent_radiologist"] is True
    silent = fact_values(CaseFacts()).values
    assert "imaging.advanced_completed" not in silent and "procedures.prior" not in silent


def test_plain_values_reject_unknown_names_and_event_fields() -> None:
    with pytest.raises(KeyError, match=r"pain\.scor"):
        values_from_plain({"pain.scor": 3})
    with pytest.raises(ValueError):
        values_from_plain({"procedures.prior": [{"type": "esi", "relief": 50}]})


def test_request_facts_are_not_in_the_compact_map() -> None:
    facts = CaseFacts(request=RequestFacts(date=dt.date(2025, 1, 1), codes=["64483"]))
    assert compact_facts(facts) == {}
