"""Deny only on evidence: a criterion is not met only when documented, quoted facts contradict it
under the strict reading (no silence defaults, no shortfall in a count of things found); otherwise
it pends. The engine's logic and policy are tests/unit/test_criteria_engine.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from criteria.compile import (
    FALSE,
    TRUE,
    UNKNOWN,
    Compiler,
    Context,
)
from criteria.engine import decide
from criteria.evaluator import CompiledSet, Evaluator
from criteria.fact_values import facts_from_compact
from criteria.facts import LineFacts
from criteria.logic import parse_logic
from criteria.model import CriteriaFile
from criteria.spine_ops import levels_near

TODAY = dt.date(2026, 1, 15)

EVIDENCE_YAML: dict[str, Any] = {
    "criteria": [
        {
            "id": "t.two_activities",
            "title": "Two activities limited",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "function.adls_impaired", "op": "len>=", "value": 2},
        },
        {
            "id": "t.pt_done",
            "title": "Physical therapy done",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "conservative.pt_formal", "is": True, "if_missing": False},
        },
        {
            "id": "t.contrast",
            "title": "Contrast unless allergic",
            "passage": "p",
            "quote": "q",
            "logic": {
                "any": [
                    {"fact": "planned.contrast", "is": True},
                    {
                        "fact": "contra.contrast_allergy",
                        "is": True,
                        "if_missing": False,
                        "read_silence": True,
                    },
                ]
            },
        },
    ]
}


EXCLUSION_YAML: dict[str, Any] = {
    "criteria": [
        {
            "id": "t.no_infection",
            "title": "No systemic infection",
            "kind": "contraindication",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "contra.systemic_infection", "is": True},
        },
    ]
}


def _statuses(compact: dict[str, Any], source: dict[str, Any] = EVIDENCE_YAML) -> dict[str, str]:
    content = CriteriaFile.model_validate(source)
    evaluator = Evaluator(content.definitions, content.criteria)
    ids = [c.id for c in content.criteria]
    decision = decide(
        LineFacts(code="x"), facts_from_compact(compact), CompiledSet([], ids, evaluator), TODAY
    )
    return {c.id: c.status for c in decision.criteria}


def _quoted(value: Any, quote: str) -> dict[str, Any]:
    return {"value": value, "quote": quote, "document": 0}


def test_a_shortfall_in_activities_found_pends_but_a_stated_list_of_none_denies() -> None:
    one = _statuses({"function.adls_impaired": _quoted(["walking"], "cannot walk a block")})
    assert one["t.two_activities"] == "not_documented"
    two = _statuses({"function.adls_impaired": _quoted(["walking", "dressing"], "walk, dress")})
    assert two["t.two_activities"] == "met"


def test_silence_never_denies_even_where_the_yaml_defaults_it_to_false() -> None:
    silent = _statuses({"pain.score": _quoted(6, "pain 6/10")})
    assert silent["t.pt_done"] == "not_documented"
    stated = _statuses({"conservative.pt_formal": _quoted(False, "PT not started")})
    assert stated["t.pt_done"] == "not_met"


def test_an_unquoted_contradiction_pends_and_a_quoted_one_denies() -> None:
    base = {"pain.score": _quoted(6, "pain 6/10")}
    unquoted = _statuses({**base, "conservative.pt_formal": False})
    assert unquoted["t.pt_done"] == "not_documented"
    quoted = _statuses({**base, "conservative.pt_formal": _quoted(False, "Has not done PT.")})
    assert quoted["t.pt_done"] == "not_met"


def test_an_exception_the_record_must_state_keeps_its_default() -> None:
    no_contrast = _statuses({"planned.contrast": _quoted(False, "without contrast")})
    assert no_contrast["t.contrast"] == "not_met"  # allergy unstated: the exception is absent
    allergic = _statuses(
        {
            "planned.contrast": _quoted(False, "without contrast"),
            "contra.contrast_allergy": _quoted(True, "contrast allergy (anaphylaxis)"),
        }
    )
    assert allergic["t.contrast"] == "met"


def test_strict_context_reads_the_inside_of_a_not_with_its_defaults() -> None:
    node = parse_logic({"not": {"fact": "x.y", "is": True, "if_missing": False}})
    compiler = Compiler()
    strict = Context({}, TODAY, {}).strict_twin()
    assert compiler.fn(node)(strict, None) == TRUE
    plain = parse_logic({"fact": "x.y", "is": True, "if_missing": False})
    assert compiler.fn(plain)(strict, None) == UNKNOWN
    assert compiler.fn(plain)(Context({}, TODAY, {}), None) == FALSE


@pytest.mark.parametrize(
    ("finding", "requested", "near"),
    [("L4-L5", "L5-S1", True), ("L5-S1", "L5-S1", True), ("L3-L4", "L5-S1", False),
     ("C5-C6", "C6-C7", True), ("C4-C5", "C6-C7", False)],
)  # fmt: skip
def test_levels_near_correlates_by_shared_root(finding: str, requested: str, near: bool) -> None:
    assert levels_near(finding, [requested]) is near


@pytest.mark.parametrize(
    ("finding", "requested", "correlates"),
    [
        ("L4-L5", "L5-S1", True),  # paracentral L4-5 presses the traversing L5, treated at L5-S1
        ("L5-S1", "L5-S1", True),
        ("L5-S1", "L4-L5", False),  # L5/S1 roots; an L4-L5 transforaminal injection treats L4
        ("C5-C6", "C5-C6", True),  # cervical: C6 exits at C5-C6
        ("C4-C5", "C6-C7", False),
        ("L5", "L5-S1", True),
    ],
)
def test_roots_correlate_by_segment_anatomy(finding: str, requested: str, correlates: bool) -> None:
    from criteria.spine_ops import roots_correlate

    assert roots_correlate(finding, [requested]) is correlates


def test_the_root_table_names_every_segment_from_c1_to_s1() -> None:
    from criteria.levels import roots_at

    assert roots_at("L4-L5") == {"L4", "L5"}
    assert roots_at("C7-T1") == {"C8"}  # a cervical disc: the root exiting at its segment
    assert roots_at("not a level") == set()


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("Febrile to 39.2 C with rigors; blood cultures pending.", "not_met"),
        # a quote that may state the absence: the reviewer confirms, the engine does not deny
        ("ROS: Specifically neg: incontinence, retention, fever, night sweats.", "not_documented"),
        ("ROS (-) fever, chills.", "not_documented"),
        ("ROS: Fever - N, Chills - N", "not_documented"),
        ("He denies fever.", "not_documented"),
    ],
)
def test_a_contraindication_denies_only_on_a_quote_that_states_it(quote: str, status: str) -> None:
    found = _statuses({"contra.systemic_infection": _quoted(True, quote)}, EXCLUSION_YAML)
    assert found["t.no_infection"] == status
