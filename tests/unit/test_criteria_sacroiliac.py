"""Sacroiliac joint injection criteria (sacroiliac.yaml): routing, and whole-request decisions
per procedure as a reviewer would see them. Loader checks, YAML examples and coverage: the
sections table in tests/unit/test_criteria_sections.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.loader import CriteriaLibrary
from tests.criteria_cases import DecisionCase, plain_table, without
from tests.criteria_cases import sided_line as _line

# --- routing ----------------------------------------------------------------------------------


def test_codes_route_to_sacroiliac_sets(library: CriteriaLibrary) -> None:
    routes = library.routing.routes
    for code in ("27096", "G0260"):
        assert routes[code].by_purpose == {
            "diagnostic": ["sacroiliac.diagnostic_ia"],
            "therapeutic": ["sacroiliac.therapeutic_ia"],
        }
    for code in ("64451", "64625"):
        assert routes[code].sets == ["sacroiliac.lateral_branch_exclusions"]


# --- whole-request decisions -------------------------------------------------------------------

GOOD_PATIENT: dict[str, Any] = {
    "pain.score": 6,
    "si.pain_below_l5": True,
    "si.pain_over_si_joint": True,
    "symptoms.duration_months": 7,
    "si.sulcus_tenderness": True,
    "si.provocative_tests_positive": ["faber", "thigh_thrust", "gaenslen"],
    "conservative.duration_weeks": 8,
    "conservative.pt_formal": True,
    "conservative.anti_inflammatory_analgesics": True,
    "conservative.completed": True,
    "conservative.no_significant_improvement": True,
    "conservative.ongoing": True,
    "planned.guidance": "fluoroscopy",
    "planned.contrast": True,
    "procedures.prior": [],
    "surgery.prior": [],
}
THERAPEUTIC = {"planned.injectate": ["steroid", "anesthetic"], "planned.volume_cc": 2}
DIAGNOSTIC = {
    "planned.injectate": ["anesthetic"],
    "planned.volume_cc": 1,
    "si.fusion_planned": True,
}
PRIOR_GOOD = {
    "type": "si_injection", "date": dt.date(2025, 7, 1), "purpose": "therapeutic", "side": "left",
    "relief_percent": 70, "relief_duration_months": 4, "functional_improvement": True,
}  # fmt: skip
REPEAT = {"procedures.prior": [PRIOR_GOOD], "symptoms.recurrent": True}
FIRST_DIAGNOSTIC = {
    "type": "si_injection", "date": dt.date(2025, 12, 10), "purpose": "diagnostic",
    "agent": "anesthetic_only", "relief_percent": 85, "relief_consistent_with_agent": True,
}  # fmt: skip


TABLE = plain_table(age=52)  # ``request.age`` in a row's facts overrides it
_decide = TABLE.decide


SI = [_line("27096")]
SI_ASC = [_line("G0260")]

# (name, lines, facts, expected decision of the first line, criterion ids that decide it)
CASES: list[DecisionCase] = [
    # --- therapeutic intra-articular injection
    ("therapeutic_initial_approved", SI, {**GOOD_PATIENT, **THERAPEUTIC}, "approved", set()),
    ("therapeutic_purpose_unstated_defaults_to_therapeutic", SI, GOOD_PATIENT, "approved", set()),
    ("therapeutic_g0260_with_fluoroscopy", SI_ASC, {**GOOD_PATIENT, **THERAPEUTIC},
     "approved", set()),
    ("therapeutic_g0260_guidance_unstated", SI_ASC,
     without({**GOOD_PATIENT, **THERAPEUTIC}, "planned.guidance"),
     "pended", {"sacroiliac.procedure.image_guidance"}),
    ("therapeutic_prp", SI, {**GOOD_PATIENT, "planned.purpose": "therapeutic",
                             "planned.injectate": ["prp"]},
     "denied", {"sacroiliac.exclusion.non_steroid_substance",
                "sacroiliac.therapeutic.corticosteroid"}),
    ("therapeutic_volume_5cc", SI, {**GOOD_PATIENT, **THERAPEUTIC, "planned.volume_cc": 5},
     "pended", {"sacroiliac.therapeutic.volume"}),  # a "should": pends (issue 12 item 13)
    ("therapeutic_fused_joint", SI,
     {**GOOD_PATIENT, **THERAPEUTIC,
      "surgery.prior": [{"type": "si_fusion", "date": dt.date(2022, 6, 1)}]},
     "denied", {"sacroiliac.exclusion.previously_fused_joint"}),
    ("same_request_as_medial_branch_block", [*SI, _line("64493")],
     {**GOOD_PATIENT, **THERAPEUTIC}, "denied", {"sacroiliac.exclusion.same_day_spine_injection"}),
    ("bilateral_si_lines_are_not_other_spine_injections", [*SI, _line("27096", "right")],
     {**GOOD_PATIENT, **THERAPEUTIC}, "approved", set()),
    ("pain_above_l5", SI, {**GOOD_PATIENT, **THERAPEUTIC, "si.pain_below_l5": False},
     "denied", {"sacroiliac.patient.pain_location"}),
    ("pain_two_months", SI, {**GOOD_PATIENT, **THERAPEUTIC, "symptoms.duration_months": 2},
     "denied", {"sacroiliac.patient.pain_duration"}),
    ("only_fadir_positive", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "si.provocative_tests_positive": ["fadir"]},
     "denied", {"sacroiliac.patient.provocative_test"}),
    ("provocative_tests_not_documented", SI,
     without({**GOOD_PATIENT, **THERAPEUTIC}, "si.provocative_tests_positive"),
     "pended", {"sacroiliac.patient.provocative_test"}),
    ("radiculopathy_not_optimized", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "neuro.radiculopathy": True,
      "neuro.radicular_optimized": False},
     "denied", {"sacroiliac.patient.no_active_radicular_condition"}),
    ("radicular_pain_status_unknown", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "neuro.radicular_pain": True},
     "pended", {"sacroiliac.patient.no_active_radicular_condition"}),
    ("four_weeks_conservative_care", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "conservative.duration_weeks": 4},
     "denied", {"sacroiliac.patient.conservative_six_weeks"}),
    ("no_conservative_care_documented", SI,
     {k: v for k, v in {**GOOD_PATIENT, **THERAPEUTIC}.items()
      if not k.startswith("conservative.")},
     "pended", {"sacroiliac.patient.conservative_six_weeks"}),
    ("contrast_not_stated", SI, without({**GOOD_PATIENT, **THERAPEUTIC}, "planned.contrast"),
     "pended", {"sacroiliac.procedure.contrast"}),
    ("no_contrast_with_allergy", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "planned.contrast": False, "contra.contrast_allergy": True},
     "approved", set()),
    ("pregnant_under_fluoroscopy", SI, {**GOOD_PATIENT, **THERAPEUTIC, "patient.pregnant": True},
     "denied", {"sacroiliac.procedure.image_guidance"}),
    ("pregnant_under_ultrasound", SI_ASC,
     {**GOOD_PATIENT, **THERAPEUTIC, "patient.pregnant": True, "planned.guidance": "ultrasound"},
     "approved", set()),
    # --- repeat therapeutic injection
    ("repeat_after_four_months_relief", SI, {**GOOD_PATIENT, **THERAPEUTIC, **REPEAT},
     "approved", set()),
    ("repeat_after_one_month_relief", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "symptoms.recurrent": True,
      "procedures.prior": [{**PRIOR_GOOD, "date": dt.date(2025, 11, 1),
                            "relief_duration_months": 1}]},
     "denied", {"sacroiliac.repeat.prior_relief"}),
    ("repeat_relief_not_documented", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "symptoms.recurrent": True,
      "procedures.prior": [{"type": "si_injection", "date": dt.date(2025, 7, 1)}]},
     "pended", {"sacroiliac.repeat.prior_relief"}),
    ("fifth_injection_in_a_year", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "symptoms.recurrent": True,
      "procedures.prior": [{**PRIOR_GOOD, "date": d} for d in
                           (dt.date(2025, 1, 20), dt.date(2025, 4, 25), dt.date(2025, 8, 1),
                            dt.date(2025, 10, 5))]},
     "denied", {"sacroiliac.repeat.max_four_per_12_months"}),
    ("injection_13_months_ago_is_initial", SI,
     {**GOOD_PATIENT, **THERAPEUTIC,
      "procedures.prior": [{**PRIOR_GOOD, "date": dt.date(2024, 12, 1), "relief_percent": 20}]},
     "approved", set()),
    ("repeat_without_biphasic_response", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, **REPEAT, "si.biphasic_response": False},
     "pended", {"sacroiliac.repeat.biphasic_response"}),
    # --- diagnostic intra-articular injection
    ("diagnostic_before_fusion_approved", SI, {**GOOD_PATIENT, **DIAGNOSTIC}, "approved", set()),
    ("diagnostic_no_fusion_planned", SI, {**GOOD_PATIENT, **DIAGNOSTIC, "si.fusion_planned": False},
     "denied", {"sacroiliac.diagnostic.fusion_planned"}),
    ("diagnostic_fusion_plan_unknown", SI, without({**GOOD_PATIENT, **DIAGNOSTIC},
                                                     "si.fusion_planned"),
     "pended", {"sacroiliac.diagnostic.fusion_planned"}),
    ("diagnostic_with_steroid", SI,
     {**GOOD_PATIENT, **DIAGNOSTIC, "planned.purpose": "diagnostic",
      "planned.injectate": ["anesthetic", "steroid"]},
     "denied", {"sacroiliac.exclusion.steroid_in_diagnostic",
                "sacroiliac.diagnostic.anesthetic_only"}),
    ("diagnostic_volume_3cc", SI, {**GOOD_PATIENT, **DIAGNOSTIC, "planned.volume_cc": 3},
     "denied", {"sacroiliac.diagnostic.volume"}),
    ("diagnostic_low_pain_today", SI, {**GOOD_PATIENT, **DIAGNOSTIC, "pain.score": 2},
     "pended", {"sacroiliac.diagnostic.pain_on_procedure_day"}),
    ("confirmatory_after_85_percent", SI,
     {**GOOD_PATIENT, **DIAGNOSTIC, "procedures.prior": [FIRST_DIAGNOSTIC]}, "approved", set()),
    ("confirmatory_after_50_percent", SI,
     {**GOOD_PATIENT, **DIAGNOSTIC,
      "procedures.prior": [{**FIRST_DIAGNOSTIC, "relief_percent": 50}]},
     "denied", {"sacroiliac.diagnostic.confirmatory_after_75_percent"}),
    ("third_diagnostic_injection", SI,
     {**GOOD_PATIENT, **DIAGNOSTIC,
      "procedures.prior": [FIRST_DIAGNOSTIC, {**FIRST_DIAGNOSTIC, "date": dt.date(2025, 12, 20)}]},
     "denied", {"sacroiliac.diagnostic.max_two"}),
    # --- sacral lateral branch procedures
    ("lateral_branch_block_64451", [_line("64451")], {**GOOD_PATIENT, **DIAGNOSTIC},
     "denied", {"sacroiliac.exclusion.lateral_branch_block",
                "sacroiliac.exclusion.lateral_branch_injection"}),
    ("lateral_branch_rfa_64625", [_line("64625")], GOOD_PATIENT,
     "denied", {"sacroiliac.exclusion.lateral_branch_radiofrequency"}),
    ("lateral_branch_block_billed_as_27096", SI,
     {**GOOD_PATIENT, **THERAPEUTIC, "planned.target": "sacral_lateral_branches"},
     "denied", {"sacroiliac.exclusion.lateral_branch_block",
                "sacroiliac.exclusion.lateral_branch_injection"}),
]  # fmt: skip


test_whole_request_decision = TABLE.test(CASES)


def test_pended_line_says_what_is_missing() -> None:
    facts = {**GOOD_PATIENT, **THERAPEUTIC}
    TABLE.check_missing(SI, facts, ["si.provocative_tests_positive"], "provocative")


def test_denied_lateral_branch_rfa_cites_the_exclusion_passage() -> None:
    decision = _decide([_line("64625")], GOOD_PATIENT)[0]
    assert decision.passages == ["sacroiliac/exclusions/1"]
    assert any("by any method" in c.quote for c in decision.criteria if c.effect == "deny")


def test_diagnostic_and_therapeutic_sets_differ_by_purpose() -> None:
    diagnostic = _decide(SI, {**GOOD_PATIENT, **DIAGNOSTIC})[0]
    therapeutic = _decide(SI, {**GOOD_PATIENT, **THERAPEUTIC})[0]
    assert diagnostic.purpose == "diagnostic" and therapeutic.purpose == "therapeutic"
    assert "sacroiliac.diagnostic.fusion_planned" in {c.id for c in diagnostic.criteria}
    assert "sacroiliac.diagnostic.fusion_planned" not in {c.id for c in therapeutic.criteria}
