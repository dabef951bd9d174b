"""Criteria fidelity (issue 12): the guideline's alternatives, exceptions and level/region logic.

One test (or table) per item of the issue, each failing before its fix; the closing note of the
issue lists them by name. Criteria are read from the whole criteria folder.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from criteria.fact_values import values_from_plain
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.levels import normalize_level
from criteria.line_facts import RequestLines, build_line_facts
from criteria.loader import CriteriaLibrary
from criteria.model import DEFAULT_EXAMPLE_DATE
from criteria.routing import guideline_date_warning
from tests.criteria_cases import REQUEST_DATE, service_line, without
from tests.criteria_fidelity import ESI_FACTS, MRI_L45_LEFT, decide_plain, id_of, line_facts, status
from tests.unit.test_criteria_facet import GOOD_PATIENT, MBB_PLAN

# --- 1. a single level bilaterally is two transforaminal injections, not combined injections ----


def test_item01_one_level_bilaterally_on_two_lines_is_not_a_combined_injection() -> None:
    lines = [service_line("64483", "left", ["L4-L5"]), service_line("64483", "right", ["L4-L5"])]
    decisions = decide_plain(lines, {**ESI_FACTS, "neuro.radicular_side": "bilateral"})
    for decision in decisions:
        assert "epidural.exclusion.combined_spinal_injections" not in id_of(decision, "not_met")
        assert decision.decision == "approved", decision.reasons


def test_item01_three_transforaminal_injections_over_lines_exceed_the_limit() -> None:
    lines = [
        service_line("64483", "left", ["L4-L5"]),
        service_line("64483", "right", ["L4-L5"]),
        service_line("64483", "left", ["L5-S1"]),
    ]
    decision = decide_plain(lines, ESI_FACTS)[0]
    assert decision.decision == "denied"
    assert id_of(decision, "not_met") == {"epidural.limit.transforaminal_two"}


def test_item01_an_epidural_with_a_facet_line_is_still_combined() -> None:
    lines = [service_line("64483", "left", ["L4-L5"]), service_line("64493", "left", ["L4-L5"])]
    decision = decide_plain(lines, ESI_FACTS)[0]
    assert "epidural.exclusion.combined_spinal_injections" in id_of(decision, "not_met")


# --- 9. a code "without imaging guidance" stays without it -------------------------------------


def test_item09_the_code_without_guidance_is_not_overridden_by_the_plan(
    library: CriteriaLibrary,
) -> None:
    lines = [service_line("62322", None, ["L4-L5"])]
    decision = decide_plain(lines, {**ESI_FACTS, "planned.guidance": "fluoroscopy"})[0]
    assert decision.decision == "denied"
    assert "epidural.limit.guidance" in id_of(decision, "not_met")
    assert line_facts(library, lines).guidance == "none"
    fluoro = [service_line("62323", None, ["L4-L5"])]
    case = CaseFacts(request=RequestFacts(date=REQUEST_DATE, age=50, codes=["62323"], lines=fluoro))
    planned = build_line_facts(RequestLines(case, library), 0, {"planned.guidance": "ct"})
    assert planned.guidance == "ct"  # the plan picks one of the code's two


# --- 14. the route's region reaches the line --------------------------------------------------


def test_item14_the_route_region_is_the_line_region_when_no_level_says(
    library: CriteriaLibrary,
) -> None:
    assert line_facts(library, [service_line("64493")]).region == "lumbar"
    assert line_facts(library, [service_line("27096")]).region == "sacral"
    assert line_facts(library, [service_line("64490", None, ["T2-T3"])]).region == "thoracic"


# --- 3, 4, 5. stimulators: the guideline's alternatives ---------------------------------------


def test_item03_implant_success_by_a_halved_analgesic_use(library: CriteriaLibrary) -> None:
    base = {
        "planned.stimulator_action": "implant",
        "stimulator.trial_relief_percent": 30,
        "stimulator.trial_functional_improvement": True,
    }
    cid = "stimulators.implant.trial_success"
    assert status(library, cid, {**base, "stimulator.trial_medication_reduction_percent": 60}) == (
        "met"
    )
    assert status(library, cid, {**base, "stimulator.trial_medication_reduction_percent": 20}) == (
        "not_met"
    )
    assert status(library, cid, base) == "not_documented"  # analgesic use not stated


def test_item04_stimulator_conservative_care_may_be_an_interventional_modality(
    library: CriteriaLibrary,
) -> None:
    facts = {
        "planned.stimulator_action": "trial",
        "stimulator.multimodal_care_months": 9,
        "conservative.pt_formal": True,
        "conservative.anti_inflammatory_analgesics": False,
        "conservative.adjunctive_medications": False,
        "conservative.alternative_therapies": False,
        "conservative.interventional_modalities": True,
        "conservative.completed": True,
        "conservative.no_significant_improvement": True,
    }
    assert status(library, "stimulators.trial.six_months_multimodal_care", facts) == "met"
    prior_esi = {
        **without(facts, "conservative.interventional_modalities"),
        "procedures.prior": [{"type": "esi", "date": dt.date(2025, 6, 1), "region": "lumbar"}],
    }
    assert status(library, "stimulators.trial.six_months_multimodal_care", prior_esi) == "met"


def test_item05_arachnoiditis_by_cerebrospinal_fluid_protein(library: CriteriaLibrary) -> None:
    facts = {
        "planned.stimulator_action": "trial",
        "stimulator.condition": "arachnoiditis",
        "stimulator.csf_protein_elevated": True,
    }
    assert status(library, "stimulators.trial.arachnoiditis_documented", facts) == "met"


# --- 7. a line whose criteria need a level and has none pends ---------------------------------


def test_item07_a_lumbar_line_without_a_level_does_not_match_a_cervical_finding(
    library: CriteriaLibrary,
) -> None:
    cervical = {
        "modality": "mri",
        "date": dt.date(2025, 11, 20),
        "independent_radiologist": True,
        "findings": [{"level": "C5-C6", "herniation": True, "root_compression": True}],
    }
    facts = {  # no clear radiculopathy: the lumbar interlaminar exception does not apply
        **without(ESI_FACTS, "neuro.dermatomal_sensory_change"),
        "imaging.studies": [cervical],
    }
    decision = decide_plain([service_line("62323")], facts)[0]
    assert decision.decision == "pended"
    assert "line.levels" in decision.missing
    assert status(
        library,
        "epidural.esi.imaging",
        {"line.approach": "transforaminal", "imaging.studies": [cervical]},
    ) == ("not_documented")


def test_item07_a_facet_line_without_a_level_pends_and_asks_for_it() -> None:
    facts = {**GOOD_PATIENT, **MBB_PLAN, "surgery.prior": [{"type": "fusion", "region": "lumbar",
             "levels": ["L4-L5"], "date": dt.date(2020, 1, 1)}]}  # fmt: skip
    decision = decide_plain([service_line("64493", "bilateral")], facts)[0]
    assert decision.decision == "pended"
    assert "line.levels" in decision.missing


# --- 8. correlation with the clinical findings is shown, not assumed --------------------------


def test_item08_imaging_correlation_is_not_assumed_on_silence(library: CriteriaLibrary) -> None:
    facts = {
        "line.levels": ["L4-L5"],
        "line.side": "left",
        "line.approach": "transforaminal",
        "imaging.studies": [MRI_L45_LEFT],
    }
    assert status(library, "epidural.esi.imaging", facts) == "not_documented"
    assert status(library, "epidural.esi.imaging", {**facts, "neuro.radicular_side": "left"}) == (
        "met"
    )
    assert status(
        library, "epidural.esi.imaging", {**facts, "neuro.radicular_dermatome": "L5"}
    ) == ("met")
    stated = {**facts, "imaging.correlates_with_clinical": True}
    assert status(library, "epidural.esi.imaging", stated) == "met"
    contradicted = {**facts, "imaging.correlates_with_clinical": False}
    assert status(library, "epidural.esi.imaging", contradicted) == "not_met"


# --- 10. pacemaker dependence unless the cardiologist was consulted ----------------------------


def test_item10_a_cardiologist_consult_lifts_the_pacemaker_contraindication(
    library: CriteriaLibrary,
) -> None:
    cid = "facet.ia.condition_denervation_contraindicated"
    paced = {"patient.pacemaker_dependent": True}
    assert status(library, cid, {**paced, "facet.cardiologist_consulted": False}) == "met"
    assert status(library, cid, {**paced, "facet.cardiologist_consulted": True}) == "not_met"
    assert status(library, cid, paced) == "not_documented"


# --- 11. a request implying earlier procedures that it does not list pends --------------------


@pytest.mark.parametrize(
    "cid",
    [
        "sympathetic.limit.six_per_lifetime",
        "epidural.limit.four_sessions",
        "facet.mbb.region_sessions_12_months",
        "facet.ia.region_sessions_12_months",
        "sacroiliac.repeat.max_four_per_12_months",
    ],
)
def test_item11_limits_on_prior_procedures_pend_when_earlier_ones_are_implied(
    library: CriteriaLibrary, cid: str
) -> None:
    base = {
        "line.region_group": "lumbosacral",
        "line.region": "lumbar",
        "line.levels": ["L4-L5"],
        "line.purpose": "therapeutic",
        "planned.injectate": ["steroid"],
        "symptoms.recurrent": True,
    }
    silent = status(library, cid, base)
    assert silent in ("met", "not_applicable")  # nothing says there were any
    assert status(library, cid, {**base, "procedures.prior_mentioned": True}) == "not_documented"


# --- 12. an initial injection with a silent history is not a second injection ------------------


def test_item12_silent_history_is_not_a_one_time_second_injection(
    library: CriteriaLibrary,
) -> None:
    facts = {"line.region_group": "lumbosacral"}
    assert status(library, "epidural.second_injection_case", facts) == "not_met"
    assert status(library, "epidural.second.timing", facts) == "not_applicable"
    decision = decide_plain(
        [service_line("64483", "left", ["L4-L5"])], without(ESI_FACTS, "procedures.prior")
    )[0]
    assert not any("initial injection" in info for info in decision.missing_info)


# --- 13. every "should" pends, never denies -----------------------------------------------------


@pytest.mark.parametrize(
    ("cid", "facts"),
    [
        ("sacroiliac.therapeutic.active_rehabilitation", {"conservative.ongoing": False}),
        ("sacroiliac.therapeutic.volume", {"planned.volume_cc": 5}),
    ],
)  # fmt: skip
def test_item13_a_should_that_is_not_followed_pends(
    library: CriteriaLibrary, cid: str, facts: dict[str, Any]
) -> None:
    criterion = library.criteria[cid]
    assert "should" in criterion.quote
    assert criterion.on_fail == "pend"
    values = values_from_plain(facts)
    ctx = library.evaluator.context(values.values, DEFAULT_EXAMPLE_DATE)
    result = library.evaluator.evaluate(cid, ctx, {})
    assert result.status == "not_met" and result.effect == "pend"


def test_item13_a_plan_repeating_the_same_technique_is_a_repeat_injection(
    library: CriteriaLibrary,
) -> None:
    """ "This one-time second injection should also use a different approach, level, or steroid":
    silence pends (a should); a plan that says "same approach and medication" after an injection
    that failed is not the allowance but a repeat injection, and the prior response decides."""
    prior = [{"type": "esi", "date": dt.date(2025, 12, 1), "region": "lumbar", "relief_percent": 40,
              "relief_duration_months": 1.2}]  # fmt: skip
    facts = {"line.region_group": "lumbosacral", "procedures.prior": prior}

    def result(cid: str, extra: dict[str, Any]) -> tuple[str, str]:
        values = values_from_plain({**facts, **extra})
        ctx = library.evaluator.context(values.values, DEFAULT_EXAMPLE_DATE)
        outcome = library.evaluator.evaluate(cid, ctx, {})
        return outcome.status, outcome.effect

    assert library.criteria["epidural.second.different_technique"].on_fail == "pend"
    assert result("epidural.second.different_technique", {})[0] == "not_documented"
    assert result("epidural.repeat.prior_response", {})[0] == "not_applicable"
    same = {"planned.differs_from_prior": False}
    assert result("epidural.second.different_technique", same)[0] == "not_applicable"
    assert result("epidural.repeat.prior_response", same) == ("not_met", "deny")


# --- 15. quotes and the C0-C1 level -------------------------------------------------------------


def test_item15_quotes_name_the_sentence_the_logic_encodes(library: CriteriaLibrary) -> None:
    assert "may be considered medically necessary when" in (
        library.criteria["facet.ia.qualifying_condition"].quote
    )
    assert "by any method" in (
        library.criteria["sacroiliac.exclusion.lateral_branch_other_denervation"].quote
    )


def test_item15_c0_c1_is_a_level() -> None:
    assert normalize_level("c0-1") == "C0-C1"
    assert normalize_level("occiput-C1") == "C0-C1"
    decision = decide_plain(
        [service_line("64490", "left", ["C0-C1"])], {**GOOD_PATIENT, **MBB_PLAN}
    )[0]
    assert decision.decision == "denied"
    assert "facet.exclusion.c0_c2_levels" in id_of(decision, "not_met")


# --- the guideline version's effective date ---------------------------------------------------


def test_a_request_received_before_the_effective_date_is_warned(library: CriteriaLibrary) -> None:
    effective = dt.date.fromisoformat(library.effective_date)
    before = guideline_date_warning(library, effective - dt.timedelta(days=1))
    assert before is not None and library.effective_date in before
    assert guideline_date_warning(library, effective) is None


def test_the_pipeline_result_carries_the_effective_date_warning() -> None:
    from drafting.case.loaders import parse_case_json
    from drafting.pipeline import determine

    raw = json.loads(Path("eval/gold/cases/G01.json").read_text(encoding="utf-8"))
    raw["received"] = "2026-01-05"
    for document in raw["documents"]:  # a request before the guideline, with notes before it
        document["date"] = "2025-12-15"
    result = determine(parse_case_json(json.dumps(raw)), today=dt.date(2026, 1, 10))
    assert any("effective" in flag for flag in result.flags)


# --- a DRG stimulator billed with the spinal cord stimulator codes ----------------------------


def test_a_drg_trial_on_a_spinal_cord_stimulator_code_is_decided_as_drg() -> None:
    from tests.unit.test_criteria_stimulators import DRG

    facts = without(DRG, "planned.stimulator_type")
    line = ServiceLine(code="63650", description="Dorsal root ganglion (DRG) stimulator trial, L4")
    decision = decide_plain([line], facts, age=58)[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert statuses["stimulators.drg.crps_lower_limb"] == "met"
    upper = {**facts, "crps.limb": "upper"}
    assert decide_plain([line], upper, age=58)[0].decision == "denied"
    plain = decide_plain([service_line("63650")], upper, age=58)[0]
    assert {c.id: c.status for c in plain.criteria}["stimulators.drg.crps_lower_limb"] == (
        "not_applicable"
    )


# --- a one-sided injection on the other side from the documented radicular pain -------------


@pytest.mark.parametrize(
    ("requested", "radicular", "decision"),
    [
        ("left", "left", "approved"),
        ("left", "bilateral", "approved"),
        ("right", "left", "pended"),  # the office resolves the side; never approve the wrong one
    ],
)
def test_the_requested_side_must_be_the_side_of_the_radicular_pain(
    requested: str, radicular: str, decision: str
) -> None:
    facts = {**ESI_FACTS, "neuro.radicular_side": radicular}
    (result,) = decide_plain([service_line("64483", requested, ["L4-L5"])], facts)
    assert result.decision == decision, result.reasons
    if decision == "pended":
        assert "epidural.esi.requested_side" in id_of(result, "not_met")


# --- a stand-in that is only a lower bound never denies ---------------------------------------


@pytest.mark.parametrize(
    ("conservative", "decision"),
    [
        # therapy of 3.4 weeks inside a course of unknown length: at least 3.4 weeks, no shortfall
        ({"conservative.pt_weeks": 3.4}, "pended"),
        # a course the record says lasted 3.4 weeks is short
        ({"conservative.duration_weeks": 3.4}, "denied"),
        ({"conservative.pt_weeks": 8}, "approved"),
    ],
)
def test_physical_therapy_weeks_are_a_lower_bound_of_the_course(
    conservative: dict[str, Any], decision: str
) -> None:
    facts = {**without(GOOD_PATIENT, "conservative.duration_weeks"), **MBB_PLAN, **conservative}
    (result, _) = decide_plain(
        [
            service_line("64493", "bilateral", ["L4-L5"]),
            service_line("64494", "bilateral", ["L5-S1"]),
        ],
        facts,
    )
    assert result.decision == decision, result.reasons
