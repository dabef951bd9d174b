"""Requirements of the guideline that were not encoded before: the sympathetic sensory exam, RFA
blocks a week apart, the initial ESI failing in its first two weeks, radiologist-read imaging
for an SNRB, compliance with therapy, and procedures never administered (issue 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from criteria.fact_values import values_from_plain
from criteria.loader import CriteriaLibrary
from tests.criteria_cases import service_line
from tests.criteria_fidelity import ESI_FACTS, decide_plain, id_of, status
from tests.unit.test_criteria_facet import GOOD_PATIENT

# --- missing requirements -----------------------------------------------------------------------


def test_myelopathy_of_undocumented_severity_pends(library: CriteriaLibrary) -> None:
    cid = "epidural.exclusion.myelopathy_moderate_severe"
    assert status(library, cid, {"neuro.myelopathy": True}) == "not_documented"
    assert status(library, cid, {"neuro.myelopathy": True, "neuro.myelopathy_severity": "mild"})
    assert status(library, cid, {"neuro.myelopathy_severity": "severe"}) == "not_met"
    assert status(library, cid, {}) in ("met", "not_applicable")


def test_missing_sympathetic_sensory_exam_rules_out_somatic_spread(
    library: CriteriaLibrary,
) -> None:
    from tests.unit.test_criteria_sympathetic import CRPS_PATIENT, POSITIVE_BLOCK, STELLATE

    cid = "sympathetic.additional.no_somatic_spread"
    block = {k: v for k, v in POSITIVE_BLOCK.items() if k != "somatic_spread_excluded"}
    assert status(library, cid, {"procedures.prior": [block]}) == "not_documented"
    spread = {**block, "somatic_spread_excluded": False}
    assert status(library, cid, {"procedures.prior": [spread]}) == "not_met"
    assert status(library, cid, {}) == "not_applicable"  # the initial diagnostic block
    lines = [service_line("64510", "left")]
    base = {**CRPS_PATIENT, **STELLATE}
    assert decide_plain(lines, {**base, "procedures.prior": [block]})[0].decision == "pended"
    denied = decide_plain(lines, {**base, "procedures.prior": [spread]})[0]
    assert denied.decision == "denied" and id_of(denied, "not_met") == {cid}


def test_missing_facet_rfa_dual_blocks_at_least_one_week_apart() -> None:
    from tests.unit.test_criteria_facet import DUAL_BLOCKS, LUMBAR_RFA, RFA_PLAN

    first = DUAL_BLOCKS[0]
    five_days = {**DUAL_BLOCKS[1], "date": first["date"] + dt.timedelta(days=5)}
    facts = {**GOOD_PATIENT, **RFA_PLAN, "procedures.prior": [first, five_days]}
    decision = decide_plain(LUMBAR_RFA, facts)[0]
    assert decision.decision == "denied"
    assert id_of(decision, "not_met") == {"facet.rfa.dual_blocks_positive"}
    ten_days = {**DUAL_BLOCKS[1], "date": first["date"] + dt.timedelta(days=10)}
    facts = {**facts, "procedures.prior": [first, ten_days]}
    assert decide_plain(LUMBAR_RFA, facts)[0].decision == "approved"
    values = values_from_plain({"procedures.prior": [first, ten_days]}).values
    assert [e["days_after_first_positive_block"] for e in values["procedures.prior"]] == [0, 10]


def test_missing_initial_esi_fails_within_the_first_two_weeks(library: CriteriaLibrary) -> None:
    faded = {"type": "esi", "date": dt.date(2025, 12, 1), "region": "lumbar", "relief_percent": 20}
    facts = {"line.region_group": "lumbosacral", "procedures.prior": [faded]}
    assert status(library, "epidural.second_injection_case", facts) == "met"
    early = {**faded, "relief_50_first_two_weeks": True}  # 60% for ten days, 20% by week six
    facts = {**facts, "procedures.prior": [early]}
    assert status(library, "epidural.second_injection_case", facts) == "not_met"
    assert status(library, "epidural.second.timing", facts) == "not_applicable"
    decision = decide_plain(
        [service_line("64483", "left", ["L4-L5"])], {**ESI_FACTS, "procedures.prior": [early]}
    )[0]
    assert decision.decision == "denied"
    assert "epidural.repeat.prior_response" in id_of(decision, "not_met")


def test_missing_snrb_imaging_read_by_an_independent_radiologist(
    library: CriteriaLibrary,
) -> None:
    cid = "epidural.snrb.imaging_completed"
    clinic_note = {"modality": "mri", "date": dt.date(2025, 11, 20)}
    assert status(library, cid, {"imaging.studies": [clinic_note]}) == "not_documented"
    treating = {**clinic_note, "independent_radiologist": False}
    assert status(library, cid, {"imaging.studies": [treating]}) == "not_documented"
    report = {**clinic_note, "independent_radiologist": True}
    assert status(library, cid, {"imaging.studies": [report]}) == "met"
    assert status(library, cid, {"imaging.studies": []}) == "not_met"


def test_missing_compliance_with_a_plan_of_therapy(library: CriteriaLibrary) -> None:
    course = {"conservative.pt_formal": True, "conservative.anti_inflammatory_analgesics": True}
    cid = "general.conservative_management"
    assert status(library, cid, course) == "met"  # the therapy records are the documentation
    noncompliant = {**course, "conservative.compliance_documented": False}
    assert status(library, cid, noncompliant) == "not_documented"  # the reviewer weighs it
    decision = decide_plain(
        [service_line("64483", "left", ["L4-L5"])],
        {**ESI_FACTS, "conservative.compliance_documented": False},
    )[0]
    assert decision.decision == "pended"
    assert "epidural.esi.conservative_care" in id_of(decision, "not_documented")


NEVER_GIVEN: list[tuple[str, dict[str, Any], str]] = [
    ("epidural.repeat_injection",
     {"line.region_group": "lumbosacral",
      "procedures.prior": [{"type": "esi", "date": dt.date(2025, 12, 1), "region": "lumbar"}]},
     "not_met"),
    ("epidural.limit.four_sessions",
     {"line.region_group": "lumbosacral",
      "procedures.prior": [{"type": "esi", "date": dt.date(2025, m, 1), "region": "lumbar"}
                           for m in (3, 5, 8, 11)]},
     "met"),
    ("facet.rfa.twice_annually_per_level",
     {"line.levels": ["L4-L5"],
      "procedures.prior": [{"type": "rfa_medial_branch", "levels": ["L4-L5"],
                            "date": dt.date(2025, m, 1)} for m in (2, 8)]},
     "met"),
    ("facet.mbb.region_sessions_12_months",
     {"line.region": "lumbar",
      "procedures.prior": [{"type": "mbb", "region": "lumbar", "date": dt.date(2025, m, 1)}
                           for m in (3, 4, 9, 10)]},
     "met"),
    ("facet.bvn.exclusion.repeat_same_level",
     {"line.levels": ["L4", "L5"],
      "procedures.prior": [{"type": "bvn_ablation", "levels": ["L5", "S1"],
                            "date": dt.date(2024, 3, 1)}]},
     "met"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("cid", "facts", "expect"), NEVER_GIVEN, ids=[c for c, _, _ in NEVER_GIVEN]
)
def test_missing_a_prior_procedure_never_administered_is_not_counted(
    library: CriteriaLibrary, cid: str, facts: dict[str, Any], expect: str
) -> None:
    assert status(library, cid, facts) != expect  # counted as given
    priors = facts["procedures.prior"]
    cancelled = [*priors[:-1], {**priors[-1], "administered": False}]
    assert status(library, cid, {**facts, "procedures.prior": cancelled}) == expect
