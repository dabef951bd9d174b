"""Regional sympathetic nerve block criteria (sympathetic.yaml): routing, and whole-request
decisions (approve, deny and pend) as a reviewer would see them. Loader checks, YAML examples
and coverage: tests/unit/test_criteria_sections.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.loader import CriteriaLibrary
from tests.criteria_cases import DecisionCase, plain_table, without
from tests.criteria_cases import sided_line as _line

# --- routing ----------------------------------------------------------------------------------


def test_codes_route_to_the_block_set(library: CriteriaLibrary) -> None:
    for code in ("64510", "64520"):
        assert library.routing.routes[code].sets == ["sympathetic.crps_block"]


# --- whole-request decisions -------------------------------------------------------------------

CRPS_PATIENT: dict[str, Any] = {
    "pain.disproportionate": True,
    "crps.no_better_diagnosis": True,
    "crps.symptom_sensory": True,
    "crps.symptom_vasomotor": True,
    "crps.symptom_sudomotor_edema": True,
    "crps.sign_sensory": True,
    "crps.sign_vasomotor": True,
    "pain.score": 7,
    "function.adls_impaired": ["dressing", "carrying groceries"],
    "conservative.duration_weeks": 4,
    "conservative.pt_formal": True,
    "conservative.adjunctive_medications": True,
    "conservative.completed": True,
    "conservative.no_significant_improvement": True,
    "conservative.comprehensive_pain_program": True,
    "planned.guidance": "fluoroscopy",
    "procedures.prior": [],
}
STELLATE = {"planned.target": "stellate_ganglion"}
LUMBAR = {"planned.target": "lumbar_sympathetic", "planned.region": "lumbar"}
POSITIVE_BLOCK = {
    "type": "sympathetic_block", "date": dt.date(2026, 1, 5), "target": "stellate_ganglion",
    "purpose": "diagnostic", "relief_percent": 85, "relief_consistent_with_agent": True,
    "medication_reduced": True, "functional_improvement": True, "objective_improvement": True,
    "temperature_rise_c": 2.5,
    "somatic_spread_excluded": True,
}  # fmt: skip


TABLE = plain_table(age=38)  # ``request.age`` in a row's facts overrides it
_decide = TABLE.decide


SGB = [_line("64510")]
LSB = [_line("64520", "right")]
BLOCKS = [{**POSITIVE_BLOCK, "date": dt.date(2025, 12, 1) + dt.timedelta(days=4 * n)}
          for n in range(6)]  # fmt: skip

# (name, lines, facts, expected decision of the first line, criterion ids that decide it)
CASES: list[DecisionCase] = [
    # --- initial diagnostic block
    ("initial_stellate_approved", SGB, {**CRPS_PATIENT, **STELLATE}, "approved", set()),
    ("initial_lumbar_approved", LSB, {**CRPS_PATIENT, **LUMBAR}, "approved", set()),
    ("symptoms_in_two_categories", SGB,
     {**CRPS_PATIENT, **STELLATE, "crps.symptom_sudomotor_edema": False,
      "crps.symptom_motor_trophic": False},
     "denied", {"sympathetic.crps.symptoms_three_categories"}),
    ("signs_not_documented", SGB,
     without({**CRPS_PATIENT, **STELLATE}, "crps.sign_sensory", "crps.sign_vasomotor"),
     "pended", {"sympathetic.crps.signs_two_categories"}),
    ("better_diagnosis_exists", SGB,
     {**CRPS_PATIENT, **STELLATE, "crps.no_better_diagnosis": False},
     "denied", {"sympathetic.crps.no_better_diagnosis"}),
    ("mild_pain", SGB, {**CRPS_PATIENT, **STELLATE, "pain.score": 2},
     "denied", {"sympathetic.crps.moderate_to_severe"}),
    ("pain_score_three_pends", SGB, {**CRPS_PATIENT, **STELLATE, "pain.score": 3},
     "pended", {"sympathetic.crps.moderate_to_severe"}),
    ("one_activity_found_pends", SGB,
     {**CRPS_PATIENT, **STELLATE, "function.adls_impaired": ["dressing"]},
     "pended", {"sympathetic.crps.moderate_to_severe"}),
    ("one_week_of_conservative_care", SGB,
     {**CRPS_PATIENT, **STELLATE, "conservative.duration_weeks": 1},
     "denied", {"sympathetic.crps.conservative_two_weeks"}),
    ("pain_program_not_documented", SGB,
     without({**CRPS_PATIENT, **STELLATE}, "conservative.comprehensive_pain_program"),
     "pended", {"sympathetic.crps.comprehensive_program"}),
    ("bilateral_block", [_line("64520", "bilateral")], {**CRPS_PATIENT, **LUMBAR},
     "denied", {"sympathetic.crps.unilateral", "sympathetic.exclusion.bilateral"}),
    ("guidance_not_stated", SGB, without({**CRPS_PATIENT, **STELLATE}, "planned.guidance"),
     "pended", {"sympathetic.procedure.image_guidance"}),
    ("ganglion_impar_billed_as_64520", LSB,
     {**CRPS_PATIENT, "planned.target": "ganglion_impar"},
     "denied", {"sympathetic.exclusion.other_block_type"}),
    ("thoracic_sympathetic_block", LSB,
     {**CRPS_PATIENT, "planned.target": "other", "planned.region": "thoracic"},
     "denied", {"sympathetic.exclusion.other_block_type"}),
    ("stellate_and_lumbar_same_day", [*SGB, _line("64520")], {**CRPS_PATIENT, **STELLATE},
     "denied", {"sympathetic.exclusion.more_than_one_block_per_session",
                "sympathetic.exclusion.more_than_one_region"}),
    # the plan puts the two blocks on separate dates: not one session
    ("stellate_and_lumbar_on_separate_dates", [*SGB, _line("64520")],
     {**CRPS_PATIENT, **STELLATE, "planned.same_session_procedures": []}, "approved", set()),
    # the second line's own description names a ganglion impar block
    ("ganglion_impar_line_beside_a_stellate_plan",
     [_line("64520").model_copy(update={"description": "64520 - submitted for ganglion "
                                              "impar (coccygeal sympathetic) block"}), *SGB],
     {**CRPS_PATIENT, **STELLATE, "planned.same_session_procedures": []},
     "denied", {"sympathetic.exclusion.other_block_type"}),
    # --- additional therapeutic blocks
    ("second_block_after_positive_first", SGB,
     {**CRPS_PATIENT, **STELLATE, "procedures.prior": [POSITIVE_BLOCK]}, "approved", set()),
    ("second_block_after_50_percent_relief", SGB,
     {**CRPS_PATIENT, **STELLATE, "procedures.prior": [{**POSITIVE_BLOCK, "relief_percent": 50}]},
     "denied", {"sympathetic.additional.positive_diagnostic_response",
                "sympathetic.additional.pain_reduction_80"}),
    ("second_block_temperature_not_recorded", SGB,
     {**CRPS_PATIENT, **STELLATE,
      "procedures.prior": [without(POSITIVE_BLOCK, "temperature_rise_c")]},
     "pended", {"sympathetic.additional.positive_diagnostic_response",
                "sympathetic.additional.temperature_rise"}),
    ("second_block_medication_not_reduced", SGB,
     {**CRPS_PATIENT, **STELLATE,
      "procedures.prior": [{**POSITIVE_BLOCK, "medication_reduced": False}]},
     "denied", {"sympathetic.additional.medication_decreased"}),
    ("second_block_allodynia_unchanged", SGB,
     {**CRPS_PATIENT, **STELLATE,
      "procedures.prior": [{**POSITIVE_BLOCK, "objective_improvement": False}]},
     "denied", {"sympathetic.additional.touch_tolerance"}),
    ("seventh_block", SGB, {**CRPS_PATIENT, **STELLATE, "procedures.prior": BLOCKS},
     "denied", {"sympathetic.limit.six_per_lifetime"}),
    ("third_block_this_week", SGB,
     {**CRPS_PATIENT, **STELLATE,
      "procedures.prior": [{**POSITIVE_BLOCK, "date": dt.date(2026, 1, 9)},
                           {**POSITIVE_BLOCK, "date": dt.date(2026, 1, 12)}]},
     "denied", {"sympathetic.limit.two_per_week"}),
]  # fmt: skip


test_whole_request_decision = TABLE.test(CASES)


def test_initial_block_does_not_apply_the_additional_block_criteria() -> None:
    decision = _decide(SGB, {**CRPS_PATIENT, **STELLATE})[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert statuses["sympathetic.additional.temperature_rise"] == "not_applicable"
    assert statuses["sympathetic.limit.six_per_lifetime"] == "met"


def test_pended_line_names_the_missing_budapest_signs() -> None:
    signs = ["crps.sign_sensory", "crps.sign_vasomotor"]
    TABLE.check_missing(SGB, {**CRPS_PATIENT, **STELLATE}, signs, "physical examination")
