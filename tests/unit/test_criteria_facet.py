"""Facet section criteria (facet.yaml, facet_bvn.yaml): routing and whole-request decisions per
procedure (approve, deny, pend). Loader checks, YAML examples and coverage for every section
file are one table in tests/unit/test_criteria_sections.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.facts import ServiceLine
from criteria.loader import CriteriaLibrary
from tests.criteria_cases import DecisionCase, plain_table, service_line, without

# --- routing ----------------------------------------------------------------------------------


def test_facet_codes_route_to_facet_sets(library: CriteriaLibrary) -> None:
    routes = library.routing.routes
    assert routes["64490"].by_purpose == {
        "diagnostic": ["facet.diagnostic_mbb"],
        "therapeutic": ["facet.therapeutic_ia"],
    }
    assert routes["64635"].sets == ["facet.rfa"]
    assert routes["64628"].sets == ["facet.bvn"]
    addons = {"64492": "64490", "64495": "64493", "64636": "64635", "64629": "64628"}
    for addon, primary in addons.items():
        assert routes[addon].addon_of == [primary]


# --- whole-request decisions -------------------------------------------------------------------

GOOD_PATIENT: dict[str, Any] = {
    "pain.score": 7,
    "function.impairment": True,
    "function.adls_impaired": ["bending", "prolonged standing"],
    "symptoms.duration_months": 10,
    "pain.axial_predominant": True,
    "facet.exam_consistent": True,
    "conservative.duration_weeks": 10,
    "conservative.pt_formal": True,
    "conservative.anti_inflammatory_analgesics": True,
    "conservative.completed": True,
    "conservative.no_significant_improvement": True,
    "surgery.prior": [],
    "procedures.prior": [],
}
MBB_PLAN = {"planned.injectate": ["anesthetic"], "planned.target": "medial_branch"}
RFA_PLAN = {
    "planned.technique": ["thermal"],
    "planned.temperature_c": 90,
    "planned.target": "medial_branch",
}
DUAL_BLOCKS = [
    {"type": "mbb", "date": dt.date(2025, 10, 1), "levels": ["L4-L5"], "region": "lumbar",
     "agent": "anesthetic_only", "relief_percent": 90, "relief_consistent_with_agent": True},
    {"type": "mbb", "date": dt.date(2025, 10, 15), "levels": ["L4-L5"], "region": "lumbar",
     "agent": "anesthetic_only", "relief_percent": 85, "relief_consistent_with_agent": True},
]  # fmt: skip
CYST_MRI = [
    {"modality": "mri", "date": dt.date(2025, 11, 2), "region": "lumbar",
     "independent_radiologist": True,
     "findings": [{"level": "L4-L5", "synovial_cyst": True, "root_compression": True,
                   "side": "left"}]},
]  # fmt: skip
BVN_PATIENT: dict[str, Any] = {
    "pain.score": 6,
    "symptoms.duration_months": 24,
    "bvn.supervised_care_months": 9,
    "conservative.no_significant_improvement": True,
    "bvn.other_sources_ruled_out": True,
    "imaging.studies": [
        {"modality": "mri", "date": dt.date(2025, 9, 1), "independent_radiologist": True,
         "findings": [{"level": "L4-L5", "modic_type": 1}]},
    ],
    "procedures.prior": [],
    "surgery.prior": [],
}  # fmt: skip


def _line(code: str, levels: list[str] | None = None, side: str | None = None) -> ServiceLine:
    return service_line(code, side, levels)


TABLE = plain_table(age=55)  # ``request.age`` in a row's facts overrides it
_decide = TABLE.decide


LUMBAR_MBB = [_line("64493", ["L4-L5"], "bilateral"), _line("64494", ["L5-S1"], "bilateral")]
LUMBAR_RFA = [_line("64635", ["L4-L5"], "bilateral")]
LUMBAR_IA = [_line("64493", ["L4-L5"], "left")]
BVN = [_line("64628", ["L4", "L5"])]

# (name, lines, facts, expected decision of the first line, criterion ids that must decide it)
CASES: list[DecisionCase] = [
    # --- diagnostic medial branch blocks
    ("mbb_first_block_approved", LUMBAR_MBB, {**GOOD_PATIENT, **MBB_PLAN}, "approved", set()),
    ("mbb_confirmatory_after_positive_first", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "procedures.prior": DUAL_BLOCKS[:1]}, "approved", set()),
    ("mbb_confirmatory_after_negative_first", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN,
      "procedures.prior": [{**DUAL_BLOCKS[0], "relief_percent": 40}]},
     "denied", {"facet.mbb.confirmatory_after_positive_first"}),
    ("mbb_confirmatory_relief_unknown", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN,
      "procedures.prior": [{"type": "mbb", "date": dt.date(2025, 12, 1), "levels": ["L4-L5"]}]},
     "pended", {"facet.mbb.confirmatory_after_positive_first"}),
    ("mbb_three_levels_in_one_line", [_line("64493", ["L3-L4", "L4-L5", "L5-S1"], "bilateral")],
     {**GOOD_PATIENT, **MBB_PLAN}, "denied", {"facet.mbb.max_two_levels"}),
    ("mbb_third_session_at_level", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "procedures.prior": DUAL_BLOCKS},
     "denied", {"facet.mbb.level_sessions_12_months"}),
    ("mbb_after_successful_rfa", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN,
      "procedures.prior": [{"type": "rfa_medial_branch", "date": dt.date(2025, 2, 1),
                            "levels": ["L4-L5"], "relief_percent": 80}]},
     "denied", {"facet.exclusion.mbb_after_successful_rfa"}),
    ("mbb_with_steroid_is_therapeutic_mbb", LUMBAR_MBB,
     {**GOOD_PATIENT, "planned.injectate": ["anesthetic", "steroid"],
      "planned.target": "medial_branch"},
     "denied", {"facet.exclusion.therapeutic_mbb"}),
    ("mbb_prior_fusion_at_level", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN,
      "surgery.prior": [{"type": "fusion", "levels": ["L4-L5"], "date": dt.date(2019, 3, 1)}]},
     "denied", {"facet.exclusion.prior_fusion_level"}),
    ("mbb_ultrasound", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "planned.guidance": "ultrasound"},
     "denied", {"facet.exclusion.ultrasound_guidance"}),
    ("mbb_mid_thoracic", [_line("64490", ["T6-T7"], "bilateral")],
     {**GOOD_PATIENT, **MBB_PLAN}, "denied", {"facet.exclusion.thoracic_region"}),
    ("mbb_c1_c2", [_line("64490", ["C1-C2"], "right")],
     {**GOOD_PATIENT, **MBB_PLAN}, "denied", {"facet.exclusion.c0_c2_levels"}),
    ("mbb_radicular_not_axial", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "pain.axial_predominant": False, "neuro.radiculopathy": True},
     "denied", {"facet.patient.predominant_axial_pain"}),
    ("mbb_dynamic_instability", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "facet.dynamic_instability": True,
      "facet.spondylolisthesis_moderate_severe": True},
     "denied", {"facet.exclusion.dynamic_instability"}),
    ("mbb_with_epidural_same_request", [*LUMBAR_MBB, _line("62323", ["L4-L5"])],
     {**GOOD_PATIENT, **MBB_PLAN}, "denied", {"facet.exclusion.combined_spinal_injections"}),
    ("mbb_cervical_and_lumbar", [*LUMBAR_MBB, _line("64490", ["C5-C6"], "bilateral")],
     {**GOOD_PATIENT, **MBB_PLAN}, "denied", {"facet.exclusion.more_than_one_region"}),
    ("mbb_no_conservative_care_documented", LUMBAR_MBB,
     {k: v for k, v in {**GOOD_PATIENT, **MBB_PLAN}.items() if not k.startswith("conservative.")},
     "pended", {"facet.patient.conservative_management_6_weeks"}),
    ("mbb_exam_not_documented", LUMBAR_MBB,
     without({**GOOD_PATIENT, **MBB_PLAN}, "facet.exam_consistent"),
     "pended", {"facet.patient.exam_consistent"}),
    ("mbb_pars_defect_without_surgical_plan", LUMBAR_MBB,
     {**GOOD_PATIENT, **MBB_PLAN, "facet.pars_defect_pain_generator": True},
     "pended", {"facet.mbb.pars_defect_surgical_plan"}),
    # --- radiofrequency neurotomy
    ("rfa_after_dual_blocks", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN, "procedures.prior": DUAL_BLOCKS}, "approved", set()),
    # one positive block read: the confirmatory one is asked for (the reader may have missed it)
    ("rfa_single_block", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN, "procedures.prior": DUAL_BLOCKS[:1]},
     "pended", {"facet.rfa.dual_blocks_positive"}),
    ("rfa_single_failed_block", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [{**DUAL_BLOCKS[0], "relief_percent": 60}]},
     "denied", {"facet.rfa.dual_blocks_positive"}),
    ("rfa_blocks_with_steroid", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [{**b, "agent": "steroid"} for b in DUAL_BLOCKS]},
     "denied", {"facet.rfa.dual_blocks_positive"}),
    ("rfa_block_duration_not_documented", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [without(b, "relief_consistent_with_agent")
                           for b in DUAL_BLOCKS]},
     "pended", {"facet.rfa.dual_blocks_positive"}),
    ("rfa_pulsed", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN, "planned.technique": ["pulsed"], "procedures.prior": DUAL_BLOCKS},
     "denied", {"facet.exclusion.pulsed_rf"}),
    ("rfa_cooled_60_degrees", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN, "planned.temperature_c": 60, "procedures.prior": DUAL_BLOCKS},
     "denied", {"facet.exclusion.low_temperature_rf"}),
    ("rfa_cryo", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN, "planned.technique": ["cryo"], "procedures.prior": DUAL_BLOCKS},
     "denied", {"facet.exclusion.cryoablation"}),
    ("rfa_repeat_after_lasting_relief", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [{"type": "rfa_medial_branch", "date": dt.date(2025, 3, 1),
                            "levels": ["L4-L5"], "region": "lumbar", "relief_percent": 70,
                            "relief_duration_months": 8, "functional_improvement": True}]},
     "approved", set()),
    ("rfa_repeat_after_short_relief", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [{"type": "rfa_medial_branch", "date": dt.date(2025, 3, 1),
                            "levels": ["L4-L5"], "region": "lumbar", "relief_percent": 70,
                            "relief_duration_months": 2, "functional_improvement": True}]},
     "denied", {"facet.rfa.repeat_prior_success"}),
    ("rfa_third_in_a_year", LUMBAR_RFA,
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [
          {"type": "rfa_medial_branch", "date": d, "levels": ["L4-L5"], "region": "lumbar",
           "relief_percent": 70, "relief_duration_months": 6, "functional_improvement": True}
          for d in (dt.date(2025, 2, 1), dt.date(2025, 8, 1))]},
     "denied", {"facet.rfa.twice_annually_per_level", "facet.rfa.region_sessions_12_months"}),
    ("rfa_c1_c2", [_line("64633", ["C1-C2"], "right")],
     {**GOOD_PATIENT, **RFA_PLAN,
      "procedures.prior": [{**b, "levels": ["C1-C2"], "region": "cervical"} for b in DUAL_BLOCKS]},
     "denied", {"facet.rfa.not_c0_c2"}),
    ("rfa_blocks_not_documented", LUMBAR_RFA,
     without({**GOOD_PATIENT, **RFA_PLAN}, "procedures.prior"),
     "pended", {"facet.rfa.dual_blocks_positive"}),
    # --- therapeutic intraarticular injections
    ("ia_synovial_cyst", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["anesthetic", "steroid"],
      "planned.target": "facet_synovial_cyst", "imaging.studies": CYST_MRI,
      "imaging.correlates_with_clinical": True, "neuro.radicular_pain": True,
      "neuro.radiculopathy": True},
     "approved", set()),
    ("ia_rheumatoid_arthritis", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["steroid"], "planned.target": "facet_joint",
      "facet.inflammatory_arthropathy": True},
     "approved", set()),
    ("ia_plain_facet_arthropathy", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["steroid"], "planned.target": "facet_joint",
      "imaging.studies": [{"modality": "mri", "date": dt.date(2025, 11, 2),
                           "independent_radiologist": True,
                           "findings": [{"level": "L4-L5", "facet_arthrosis": True}]}]},
     "denied", {"facet.ia.qualifying_condition", "facet.exclusion.ia_other_indication"}),
    ("ia_no_imaging_no_condition_documented", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["steroid"], "planned.target": "facet_joint"},
     "pended", {"facet.ia.qualifying_condition"}),
    ("ia_cyst_third_aspiration_in_a_year", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["steroid"], "planned.target": "facet_synovial_cyst",
      "imaging.studies": CYST_MRI, "imaging.correlates_with_clinical": True,
      "neuro.radicular_pain": True,
      "procedures.prior": [
          {"type": "facet_cyst_aspiration", "date": d, "levels": ["L4-L5"], "relief_percent": 60,
           "relief_duration_months": 3}
          for d in (dt.date(2025, 3, 1), dt.date(2025, 8, 1))]},
     "denied", {"facet.ia.cyst_repeat_once"}),
    ("ia_repeat_after_short_relief", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["steroid"], "planned.target": "facet_joint",
      "facet.inflammatory_arthropathy": True,
      "procedures.prior": [{"type": "facet_ia", "date": dt.date(2025, 9, 1), "levels": ["L4-L5"],
                            "region": "lumbar", "relief_percent": 60,
                            "relief_duration_months": 1, "functional_improvement": True}]},
     "denied", {"facet.ia.repeat_same_site"}),
    ("facet_prp", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.purpose": "therapeutic", "planned.injectate": ["prp"],
      "planned.target": "facet_joint", "facet.inflammatory_arthropathy": True},
     "denied", {"facet.exclusion.prolotherapy_prp"}),
    ("diagnostic_intraarticular", LUMBAR_IA,
     {**GOOD_PATIENT, "planned.injectate": ["anesthetic"], "planned.target": "facet_joint"},
     "denied", {"facet.exclusion.diagnostic_intraarticular"}),
    # --- basivertebral nerve ablation
    ("bvn_approved", BVN, BVN_PATIENT, "approved", set()),
    ("bvn_bmi_over_40", BVN, {**BVN_PATIENT, "patient.bmi": 43}, "denied",
     {"facet.bvn.exclusion.bmi_over_40"}),
    ("bvn_modic_type_3_only", BVN,
     {**BVN_PATIENT,
      "imaging.studies": [{"modality": "mri", "date": dt.date(2025, 9, 1),
                           "independent_radiologist": True,
                           "findings": [{"level": "L4-L5", "modic_type": 3}]}]},
     "denied", {"facet.bvn.modic_l3_s1"}),
    ("bvn_spondylolisthesis", BVN,
     {**BVN_PATIENT,
      "imaging.studies": [{"modality": "mri", "date": dt.date(2025, 9, 1),
                           "independent_radiologist": True,
                           "findings": [{"level": "L4-L5", "modic_type": 1,
                                         "spondylolisthesis_mm": 4}]}]},
     "denied", {"facet.bvn.exclusion.spondylolisthesis_over_2mm"}),
    ("bvn_repeat_level", BVN,
     {**BVN_PATIENT, "procedures.prior": [{"type": "bvn_ablation", "date": dt.date(2024, 5, 1),
                                           "levels": ["L5", "S1"]}]},
     "denied", {"facet.bvn.exclusion.repeat_same_level"}),
    ("bvn_with_facet_block_same_request", [*BVN, _line("64493", ["L4-L5"])], BVN_PATIENT,
     "denied", {"facet.bvn.exclusion.same_day_spine_procedure"}),
    ("bvn_minor", BVN, {**BVN_PATIENT, "request.age": 16}, "denied",
     {"facet.bvn.skeletally_mature", "facet.bvn.exclusion.skeletally_immature"}),
    ("bvn_supervised_care_not_documented", BVN,
     without(BVN_PATIENT, "bvn.supervised_care_months"),
     "pended", {"facet.bvn.failed_6_months_supervised_care"}),
    ("bvn_prior_discectomy_radicular_unknown", BVN,
     {**BVN_PATIENT, "surgery.prior": [{"type": "discectomy", "levels": ["L4-L5"],
                                        "date": dt.date(2023, 4, 1)}]},
     "pended", {"facet.bvn.exclusion.prior_surgery_level"}),
]  # fmt: skip


test_whole_request_decision = TABLE.test(CASES)


def test_addon_lines_follow_the_primary_decision_but_a_level_beyond_the_limit() -> None:
    decisions = _decide(
        [*LUMBAR_MBB, _line("64495", ["L3-L4"], "bilateral")], {**GOOD_PATIENT, **MBB_PLAN}
    )
    assert [d.decision for d in decisions] == ["approved", "approved", "denied"]
    assert decisions[1].follows == "64493"
    assert [c.id for c in decisions[2].criteria] == ["facet.mbb.max_two_levels"]


def test_pended_line_says_what_is_missing() -> None:
    facts = {**GOOD_PATIENT, **MBB_PLAN}
    TABLE.check_missing(LUMBAR_MBB, facts, ["facet.exam_consistent"], "physical examination")


def test_unstated_purpose_on_a_facet_code_is_read_as_a_diagnostic_block() -> None:
    facts = without({**GOOD_PATIENT, **MBB_PLAN}, "planned.injectate")
    decision = _decide(LUMBAR_MBB, facts)[0]
    assert decision.purpose == "diagnostic"
    assert "facet.mbb.max_two_levels" in {c.id for c in decision.criteria}
