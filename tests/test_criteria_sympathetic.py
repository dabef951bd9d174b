"""Regional sympathetic nerve block criteria (sympathetic.yaml): loader checks, YAML examples,
routing, and whole-request decisions as a reviewer would see them (approve, deny and pend).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from criteria.engine import LineDecision
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.loader import CriteriaLibrary, load_library
from criteria.model import Criterion, Definition
from criteria.routing import decide_request

FILE = "sympathetic.yaml"
REQUEST_DATE = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def library() -> CriteriaLibrary:
    return load_library()


def _items(library: CriteriaLibrary) -> list[Definition | Criterion]:
    content = library.files[FILE]
    return [*content.definitions, *content.criteria]


def _example_params() -> list[Any]:
    return [
        pytest.param(item.id, n, id=f"{item.id}[{n}]")
        for item in _items(load_library())
        for n in range(len(item.examples))
    ]


# --- loader, examples, coverage ----------------------------------------------------------------


def test_loader_checks_pass_and_file_is_loaded(library: CriteriaLibrary) -> None:
    assert library.files[FILE].section == "sympathetic"
    assert library.set_criteria("sympathetic.crps_block")


@pytest.mark.parametrize(("item_id", "index"), _example_params())
def test_yaml_example(library: CriteriaLibrary, item_id: str, index: int) -> None:
    example = library.item(item_id).examples[index]
    result = library.evaluator.run_example(item_id, example)
    assert result.status == example.expect, (result.reason, result.missing)


def test_every_criterion_has_a_passing_and_a_failing_example(library: CriteriaLibrary) -> None:
    for item in library.files[FILE].criteria:
        statuses = {e.expect for e in item.examples}
        assert statuses & {"met", "not_applicable"}, item.id
        assert statuses & {"not_met", "not_documented"}, item.id


def test_every_criterion_is_used_by_the_block_set(library: CriteriaLibrary) -> None:
    used = set(library.set_criteria("sympathetic.crps_block"))
    for crit in library.files[FILE].criteria:
        assert crit.id in used, crit.id


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
}  # fmt: skip


def _without(facts: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if k not in names}


def _line(code: str, side: str | None = "left") -> ServiceLine:
    return ServiceLine(code=code, side=side)  # type: ignore[arg-type]


def _case(lines: list[ServiceLine], facts: dict[str, Any]) -> CaseFacts:
    codes = [ln.code for ln in lines]
    case = CaseFacts(request=RequestFacts(date=REQUEST_DATE, age=38, codes=codes, lines=lines))
    for name, value in copy.deepcopy(facts).items():
        case.set(name, value)
    return case


def _decide(lines: list[ServiceLine], facts: dict[str, Any]) -> list[LineDecision]:
    return decide_request(_case(lines, facts), load_library(), REQUEST_DATE)


def _deciding(decision: LineDecision) -> set[str]:
    return {c.id for c in decision.criteria if c.effect != "none"}


SGB = [_line("64510")]
LSB = [_line("64520", "right")]
BLOCKS = [{**POSITIVE_BLOCK, "date": dt.date(2025, 12, 1) + dt.timedelta(days=4 * n)}
          for n in range(6)]  # fmt: skip

# (name, lines, facts, expected decision of the first line, criterion ids that decide it)
CASES: list[tuple[str, list[ServiceLine], dict[str, Any], str, set[str]]] = [
    # --- initial diagnostic block
    ("initial_stellate_approved", SGB, {**CRPS_PATIENT, **STELLATE}, "approved", set()),
    ("initial_lumbar_approved", LSB, {**CRPS_PATIENT, **LUMBAR}, "approved", set()),
    ("symptoms_in_two_categories", SGB,
     {**CRPS_PATIENT, **STELLATE, "crps.symptom_sudomotor_edema": False,
      "crps.symptom_motor_trophic": False},
     "denied", {"sympathetic.crps.symptoms_three_categories"}),
    ("signs_not_documented", SGB,
     _without({**CRPS_PATIENT, **STELLATE}, "crps.sign_sensory", "crps.sign_vasomotor"),
     "pended", {"sympathetic.crps.signs_two_categories"}),
    ("better_diagnosis_exists", SGB,
     {**CRPS_PATIENT, **STELLATE, "crps.no_better_diagnosis": False},
     "denied", {"sympathetic.crps.no_better_diagnosis"}),
    ("mild_pain", SGB, {**CRPS_PATIENT, **STELLATE, "pain.score": 3},
     "denied", {"sympathetic.crps.moderate_to_severe"}),
    ("one_week_of_conservative_care", SGB,
     {**CRPS_PATIENT, **STELLATE, "conservative.duration_weeks": 1},
     "denied", {"sympathetic.crps.conservative_two_weeks"}),
    ("pain_program_not_documented", SGB,
     _without({**CRPS_PATIENT, **STELLATE}, "conservative.comprehensive_pain_program"),
     "pended", {"sympathetic.crps.comprehensive_program"}),
    ("bilateral_block", [_line("64520", "bilateral")], {**CRPS_PATIENT, **LUMBAR},
     "denied", {"sympathetic.crps.unilateral", "sympathetic.exclusion.bilateral"}),
    ("guidance_not_stated", SGB, _without({**CRPS_PATIENT, **STELLATE}, "planned.guidance"),
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
    # --- additional therapeutic blocks
    ("second_block_after_positive_first", SGB,
     {**CRPS_PATIENT, **STELLATE, "procedures.prior": [POSITIVE_BLOCK]}, "approved", set()),
    ("second_block_after_50_percent_relief", SGB,
     {**CRPS_PATIENT, **STELLATE, "procedures.prior": [{**POSITIVE_BLOCK, "relief_percent": 50}]},
     "denied", {"sympathetic.additional.positive_diagnostic_response",
                "sympathetic.additional.pain_reduction_80"}),
    ("second_block_temperature_not_recorded", SGB,
     {**CRPS_PATIENT, **STELLATE,
      "procedures.prior": [_without(POSITIVE_BLOCK, "temperature_rise_c")]},
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


@pytest.mark.parametrize(
    ("lines", "facts", "expected", "deciding"),
    [pytest.param(lines, facts, exp, ids, id=name) for name, lines, facts, exp, ids in CASES],
)
def test_whole_request_decision(
    lines: list[ServiceLine], facts: dict[str, Any], expected: str, deciding: set[str]
) -> None:
    first = _decide(lines, facts)[0]
    assert first.decision == expected, (first.reasons, first.missing)
    assert _deciding(first) == deciding, first.reasons


def test_initial_block_does_not_apply_the_additional_block_criteria() -> None:
    decision = _decide(SGB, {**CRPS_PATIENT, **STELLATE})[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert statuses["sympathetic.additional.temperature_rise"] == "not_applicable"
    assert statuses["sympathetic.limit.six_per_lifetime"] == "met"


def test_pended_line_names_the_missing_budapest_signs() -> None:
    facts = _without({**CRPS_PATIENT, **STELLATE}, "crps.sign_sensory", "crps.sign_vasomotor")
    decision = _decide(SGB, facts)[0]
    assert {"crps.sign_sensory", "crps.sign_vasomotor"} <= set(decision.missing)
    assert any("physical examination" in info for info in decision.missing_info)
