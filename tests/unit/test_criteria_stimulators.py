"""Spinal cord and dorsal root ganglion stimulator criteria (stimulators.yaml): routing, and
whole-request decisions as a reviewer would see them (approve, deny and pend for trial,
implantation, replacement, revision/removal and DRG stimulation). Loader checks, YAML examples
and coverage checks are in tests/unit/test_criteria_sections.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.loader import CriteriaLibrary
from tests.criteria_cases import DecisionCase, plain_table, service_line, without

STIMULATOR_CODES = ("63650", "63655", "63663", "63664", "63685", "63688")


# --- routing ----------------------------------------------------------------------------------


def test_codes_route_to_the_request_set_and_devices_follow(library: CriteriaLibrary) -> None:
    routes = library.routing.routes
    for code in STIMULATOR_CODES:
        assert routes[code].sets == ["stimulators.request"]
    for entry in library.codes:
        if entry.section == "stimulators" and entry.code not in STIMULATOR_CODES:
            assert routes[entry.code].addon_of == list(STIMULATOR_CODES), entry.code


# --- whole-request decisions -------------------------------------------------------------------

FBSS_TRIAL: dict[str, Any] = {
    "planned.stimulator_action": "trial",
    "planned.stimulator_type": "conventional",
    "planned.lead_type": "percutaneous",
    "stimulator.neuropathic_pain": True,
    "stimulator.condition": "post_surgical_nerve_root_injury",
    "surgery.prior": [{"type": "fusion", "region": "lumbar", "levels": ["L4-L5"],
                       "date": dt.date(2021, 5, 1)}],
    "stimulator.objective_basis": True,
    "stimulator.multimodal_care_months": 9,
    "conservative.pt_formal": True,
    "conservative.adjunctive_medications": True,
    "conservative.completed": True,
    "conservative.no_significant_improvement": True,
    "stimulator.pain_specialist_evaluation": True,
    "stimulator.surgical_opinion": True,
    "stimulator.mental_health_eval_date": dt.date(2025, 12, 1),
    "stimulator.mental_health_cleared": True,
    "pain.score": 7,
    "pain.axial_predominant": False,
}  # fmt: skip
SURGICAL_ONLY = ("surgery.prior", "stimulator.surgical_opinion")
CRPS_TRIAL: dict[str, Any] = {
    **{k: v for k, v in FBSS_TRIAL.items() if k not in SURGICAL_ONLY},
    "stimulator.condition": "crps",
    "crps.limb": "lower",
    "pain.disproportionate": True,
    "crps.no_better_diagnosis": True,
    "crps.symptom_sensory": True,
    "crps.symptom_vasomotor": True,
    "crps.symptom_motor_trophic": True,
    "crps.sign_sensory": True,
    "crps.sign_sudomotor_edema": True,
    "stimulator.sympathetic_blocks_failed": True,
}  # fmt: skip
PDN_TRIAL: dict[str, Any] = {
    **{k: v for k, v in FBSS_TRIAL.items() if k not in SURGICAL_ONLY},
    "stimulator.condition": "pdn",
    "stimulator.pdn_months": 30,
    "stimulator.pdn_lower_limb_vas": 7,
    "stimulator.pdn_emg_ncs_moderate_severe": True,
    "stimulator.pdn_specialist_confirmation": True,
    "patient.bmi": 31,
    "patient.hba1c": 7.9,
    "patient.daily_mme": 30,
    "stimulator.medical_clearance": True,
    "stimulator.pdn_other_causes_ruled_out": True,
    "stimulator.pdn_medical_optimization": True,
    "stimulator.pdn_drug_categories_failed": 3,
}  # fmt: skip
GOOD_TRIAL_RESULT = {
    "stimulator.trial_days": 7,
    "stimulator.trial_relief_percent": 70,
    "stimulator.trial_functional_improvement": True,
}
IMPLANT = {**FBSS_TRIAL, **GOOD_TRIAL_RESULT, "planned.stimulator_action": "implant"}
DRG = {
    **CRPS_TRIAL,
    "planned.stimulator_type": "dorsal_root_ganglion",
    "stimulator.existing_functioning_scs": False,
    "stimulator.prior_scs_failed": False,
}
NO_COMPLICATION = {
    "stimulator.hardware_complication": False, "stimulator.response_complication": False,
    "neuro.new_neurologic_deficit": False, "stimulator.planned_contraindicating_procedure": False,
    "stimulator.generator_site_complication": False,
}  # fmt: skip


TABLE = plain_table(age=58)  # ``request.age`` in a row's facts overrides it
_decide = TABLE.decide


PERC = [service_line("63650")]
PADDLE = [service_line("63655")]
IPG = [service_line("63685")]

# (name, lines, facts, expected decision of the first line, criterion ids that decide it)
CASES: list[DecisionCase] = [
    # --- trial
    ("trial_fbss_approved", PERC, FBSS_TRIAL, "approved", set()),
    ("trial_crps_approved_without_surgical_opinion", PERC, CRPS_TRIAL, "approved", set()),
    ("trial_pdn_approved", PERC, PDN_TRIAL, "approved", set()),
    ("trial_other_condition", PERC, {**FBSS_TRIAL, "stimulator.condition": "other"},
     "denied", {"stimulators.trial.qualifying_condition"}),
    ("trial_surgical_opinion_missing", PERC, without(FBSS_TRIAL, "stimulator.surgical_opinion"),
     "pended", {"stimulators.trial.surgical_opinion"}),
    ("trial_mental_health_eval_8_months_old", PERC,
     {**FBSS_TRIAL, "stimulator.mental_health_eval_date": dt.date(2025, 5, 1)},
     "denied", {"stimulators.trial.mental_health_within_6_months"}),
    ("trial_mental_health_not_cleared", PERC,
     {**FBSS_TRIAL, "stimulator.mental_health_cleared": False},
     "denied", {"stimulators.trial.mental_health_cleared"}),
    ("trial_untreated_addiction", PERC, {**FBSS_TRIAL, "stimulator.untreated_addiction": True},
     "denied", {"stimulators.trial.no_untreated_addiction"}),
    ("trial_four_months_of_care", PERC, {**FBSS_TRIAL, "stimulator.multimodal_care_months": 4},
     "denied", {"stimulators.trial.six_months_multimodal_care"}),
    ("trial_crps_paddle_without_reason", PADDLE,
     {**CRPS_TRIAL, "planned.lead_type": "paddle"},
     "denied", {"stimulators.trial.percutaneous_leads"}),
    ("trial_crps_sympathetic_blocks_not_documented", PERC,
     without(CRPS_TRIAL, "stimulator.sympathetic_blocks_failed"),
     "pended", {"stimulators.trial.crps_sympathetic_blocks_failed"}),
    ("trial_crps_budapest_not_met", PERC, {**CRPS_TRIAL, "crps.no_better_diagnosis": False},
     "denied", {"stimulators.trial.crps_budapest"}),
    ("trial_pdn_hba1c_11", PERC, {**PDN_TRIAL, "patient.hba1c": 11.0},
     "denied", {"stimulators.pdn.hba1c"}),
    ("trial_pdn_bmi_not_documented", PERC, without(PDN_TRIAL, "patient.bmi"),
     "pended", {"stimulators.pdn.bmi"}),
    ("trial_pdn_upper_limb_pain", PERC, {**PDN_TRIAL, "stimulator.pdn_upper_limb_vas": 6},
     "denied", {"stimulators.pdn.no_upper_limb_pain"}),
    ("repeat_trial_after_failed_trial", PERC, {**FBSS_TRIAL, "stimulator.trial_failed": True},
     "denied", {"stimulators.exclusion.repeat_failed_trial"}),
    ("repeat_paddle_trial_after_anatomic_failure", PADDLE,
     {**CRPS_TRIAL, "planned.lead_type": "paddle", "stimulator.trial_failed": True,
      "stimulator.trial_failure_anatomic": True},
     "approved", set()),
    ("stimulation_for_cancer_pain", PERC,
     {**FBSS_TRIAL, "stimulator.excluded_indication": "cancer_pain"},
     "denied", {"stimulators.exclusion.excluded_indication"}),
    ("nonsurgical_low_back_pain", PERC,
     {**without(FBSS_TRIAL, "stimulator.condition"), "pain.axial_predominant": True,
      "surgery.prior": []},
     "denied", {"stimulators.trial.qualifying_condition",
                "stimulators.exclusion.nonsurgical_low_back_pain"}),
    ("nonsurgical_low_back_pain_other_condition", PERC,
     {**FBSS_TRIAL, "stimulator.condition": "other", "pain.axial_predominant": True,
      "surgery.prior": []},
     "denied", {"stimulators.trial.qualifying_condition",
                "stimulators.exclusion.nonsurgical_low_back_pain"}),
    # --- permanent implantation
    ("implant_after_good_trial", [*PERC, service_line("63685"), service_line("L8680")], IMPLANT,
     "approved", set()),
    ("implant_after_30_percent_trial", PERC,
     {**IMPLANT, "stimulator.trial_relief_percent": 30,
      "stimulator.trial_medication_reduction_percent": 0},
     "denied", {"stimulators.implant.trial_success"}),
    ("implant_after_30_percent_trial_analgesic_use_unstated", PERC,
     {**IMPLANT, "stimulator.trial_relief_percent": 30},
     "pended", {"stimulators.implant.trial_success"}),
    ("implant_trial_length_not_documented", PERC, without(IMPLANT, "stimulator.trial_days"),
     "pended", {"stimulators.implant.trial_three_days"}),
    ("implant_does_not_recheck_trial_timing", PERC,
     {**IMPLANT, "stimulator.mental_health_eval_date": dt.date(2025, 3, 1)}, "approved", set()),
    # --- replacement, revision, removal
    ("lead_revision_for_migration", [service_line("63663")],
     {"stimulator.hardware_complication": True}, "approved", set()),
    ("generator_removal_reason_not_documented", [service_line("63688")],
     {"planned.stimulator_action": "removal"},
     "pended", {"stimulators.revision.indication"}),
    ("generator_removal_without_indication", [service_line("63688")], NO_COMPLICATION,
     "denied", {"stimulators.revision.indication"}),
    # a painful generator site is the generator's indication, not a lead revision's
    ("pocket_revision_for_painful_generator_site", [service_line("63688")],
     {**NO_COMPLICATION, "planned.stimulator_action": "revision",
      "stimulator.generator_site_complication": True}, "approved", set()),
    ("lead_revision_with_only_a_painful_generator_site", [service_line("63663")],
     {**NO_COMPLICATION, "planned.stimulator_action": "revision",
      "stimulator.generator_site_complication": True},
     "denied", {"stimulators.revision.indication"}),
    ("generator_replacement_at_end_of_service", IPG,
     {**IMPLANT, "planned.stimulator_action": "replacement",
      "stimulator.response_complication": True},
     "approved", set()),
    ("replacement_with_high_frequency_without_indication", IPG,
     {**IMPLANT, **NO_COMPLICATION, "planned.stimulator_action": "replacement",
      "planned.stimulator_type": "high_frequency"},
     "denied", {"stimulators.revision.indication",
                "stimulators.exclusion.replacement_without_indication"}),
    # --- dorsal root ganglion stimulation
    ("drg_trial_crps_lower_limb", PERC, DRG, "approved", set()),
    ("drg_for_pdn", PERC,
     {**PDN_TRIAL, "planned.stimulator_type": "dorsal_root_ganglion", "crps.limb": "lower"},
     "denied", {"stimulators.drg.crps_lower_limb", "stimulators.exclusion.drg_non_crps"}),
    ("drg_crps_upper_limb", PERC, {**DRG, "crps.limb": "upper"},
     "denied", {"stimulators.drg.crps_lower_limb"}),
    ("drg_after_failed_scs", PERC, {**DRG, "stimulator.prior_scs_failed": True},
     "denied", {"stimulators.exclusion.drg_after_scs"}),
    ("drg_with_dorsal_column_same_session", PERC,
     {**DRG, "planned.same_session_procedures": ["dorsal_column_stimulator"]},
     "denied", {"stimulators.exclusion.simultaneous_dc_and_drg"}),
]  # fmt: skip


test_whole_request_decision = TABLE.test(CASES)


def test_device_lines_follow_the_implant_line() -> None:
    decisions = _decide([*PERC, service_line("L8680"), service_line("C1820")],
                        {**IMPLANT, "stimulator.trial_relief_percent": 30,
                         "stimulator.trial_medication_reduction_percent": 0})  # fmt: skip
    assert [d.decision for d in decisions] == ["denied"] * 3
    assert decisions[1].follows == decisions[2].follows == "63650"


def test_unstated_action_on_an_electrode_code_pends_for_the_action() -> None:
    decision = _decide(PERC, without(FBSS_TRIAL, "planned.stimulator_action"))[0]
    assert decision.decision == "pended"
    assert "planned.stimulator_action" in decision.missing


def test_removal_does_not_apply_trial_criteria() -> None:
    decision = _decide([service_line("63688")], {"stimulator.response_complication": True})[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert decision.decision == "approved"
    assert statuses["stimulators.trial.neuropathic_pain"] == "not_applicable"
    assert statuses["stimulators.revision.indication"] == "met"


def _described(description: str) -> list[Any]:
    line = service_line("63650")
    return [line.model_copy(update={"description": description})]


def test_the_request_lines_description_states_the_action_the_notes_leave_unsaid() -> None:
    unstated = without(FBSS_TRIAL, "planned.stimulator_action")
    trial = _decide(_described("Implantation of electrode array - SCS trial"), unstated)
    assert trial[0].decision == "approved"
    # a failed earlier trial excludes a repeat trial the request describes
    repeat = _decide(
        _described("spinal cord stimulator trial, lower extremities"),
        {**unstated, "stimulator.trial_failed": True},
    )[0]
    assert repeat.decision == "denied"
    assert "stimulators.exclusion.repeat_failed_trial" in {
        c.id for c in repeat.criteria if c.status == "not_met"
    }


def test_a_description_naming_no_action_or_two_pends_and_the_request_says_what_is_asked() -> None:
    unstated = without(FBSS_TRIAL, "planned.stimulator_action")
    for description in ("Percutaneous implantation of electrode array", "trial or permanent leads"):
        decision = _decide(_described(description), unstated)[0]
        assert decision.decision == "pended", description
        assert "planned.stimulator_action" in decision.missing
    # the request line names what is requested: notes that tell of a trial do not turn a
    # permanent implant into a trial (the implant's criteria, the trial's results, are asked for)
    described = _decide(_described("permanent implant"), FBSS_TRIAL)[0]
    assert described.decision == "pended"
    assert "stimulators.implant.trial_success" in {
        c.id for c in described.criteria if c.status == "not_documented"
    }
    # a description naming no action leaves the notes' plan to decide
    planned = _decide(_described("Percutaneous implantation of electrode array"), FBSS_TRIAL)[0]
    assert planned.decision == "approved"
