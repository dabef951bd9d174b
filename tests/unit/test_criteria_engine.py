"""Engine unit tests: Kleene logic, windows, counts, policy precedence, missing-fact reporting."""

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
    shift_date,
)
from criteria.engine import decide
from criteria.errors import LogicSyntaxError, UnknownReferenceError
from criteria.evaluator import CompiledSet, Evaluator
from criteria.fact_values import facts_from_compact, level_or_text
from criteria.facts import LineFacts
from criteria.logic import parse_logic
from criteria.model import CriteriaFile
from criteria.spine_ops import levels_overlap

TODAY = dt.date(2026, 1, 15)


def truth(raw: dict[str, Any], values: dict[str, Any], today: dt.date = TODAY) -> int:
    """Evaluate one logic tree on plain values."""
    compiler = Compiler()
    return compiler.fn(parse_logic(raw))(Context(values, today, {}), None)


A = {"fact": "neuro.radicular_pain", "is": True}
B = {"fact": "neuro.radiculopathy", "is": True}
VALUES = {TRUE: {"neuro.radicular_pain": True}, FALSE: {"neuro.radicular_pain": False}, UNKNOWN: {}}
VALUES_B = {TRUE: {"neuro.radiculopathy": True}, FALSE: {"neuro.radiculopathy": False}, UNKNOWN: {}}


@pytest.mark.parametrize("a", [TRUE, FALSE, UNKNOWN])
@pytest.mark.parametrize("b", [TRUE, FALSE, UNKNOWN])
def test_kleene_and_or_not(a: int, b: int) -> None:
    values = {**VALUES[a], **VALUES_B[b]}
    assert truth({"all": [A, B]}, values) == min(a, b)
    assert truth({"any": [A, B]}, values) == max(a, b)
    assert truth({"not": A}, values) == 2 - a


def test_unknown_is_never_true() -> None:
    assert truth({"all": [A, {"not": B}]}, {"neuro.radicular_pain": True}) == UNKNOWN
    assert truth({"any": [A, B]}, {"neuro.radicular_pain": False}) == UNKNOWN


def test_at_least_counts_unknowns_as_possible() -> None:
    tree = {"at_least": {"n": 2, "of": [A, B, {"fact": "neuro.reflex_change", "is": True}]}}
    assert truth(tree, {"neuro.radicular_pain": True, "neuro.radiculopathy": True}) == TRUE
    assert truth(tree, {"neuro.radicular_pain": True}) == UNKNOWN
    assert (
        truth(
            tree,
            {
                "neuro.radicular_pain": True,
                "neuro.radiculopathy": False,
                "neuro.reflex_change": False,
            },
        )
        == FALSE
    )


def test_if_missing_decides_silence() -> None:
    assert truth({"fact": "contra.cauda_equina", "is": True, "if_missing": False}, {}) == FALSE
    assert truth({"fact": "contra.cauda_equina", "is": True, "if_missing": True}, {}) == TRUE


@pytest.mark.parametrize(
    ("day", "amount", "unit", "expected"),
    [
        (dt.date(2026, 1, 15), 18, "months", dt.date(2024, 7, 15)),
        (dt.date(2026, 3, 31), 1, "months", dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 2, "weeks", dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 15), 12, "months", dt.date(2025, 1, 15)),
    ],
)
def test_shift_date(day: dt.date, amount: int, unit: str, expected: dt.date) -> None:
    assert shift_date(day, amount, unit) == expected


def test_windows_are_relative_to_the_request_date() -> None:
    within = {"fact": "imaging.latest_advanced_date", "within_months": 18}
    assert truth(within, {"imaging.latest_advanced_date": dt.date(2024, 8, 1)}) == TRUE
    assert truth(within, {"imaging.latest_advanced_date": dt.date(2024, 7, 15)}) == FALSE
    assert (
        truth(
            within, {"imaging.latest_advanced_date": dt.date(2024, 8, 1)}, today=dt.date(2026, 6, 1)
        )
        == FALSE
    )
    older = {"fact": "contra.spinal_fracture_date", "older_than_weeks": 6}
    assert truth(older, {"contra.spinal_fracture_date": dt.date(2025, 11, 1)}) == TRUE
    assert truth(older, {"contra.spinal_fracture_date": dt.date(2026, 1, 1)}) == FALSE


def _esi(day: dt.date | None, **extra: Any) -> dict[str, Any]:
    return {"type": "esi", "date": day, "region_group": "lumbosacral", **extra}


def test_count_in_rolling_window_with_filter() -> None:
    tree = {
        "count": "procedures.prior",
        "where": {"type": "esi"},
        "within_months": 12,
        "op": "<",
        "value": 2,
    }
    old, recent = _esi(dt.date(2024, 6, 1)), _esi(dt.date(2025, 6, 1))
    facet = {"type": "mbb", "date": dt.date(2025, 7, 1)}
    assert truth(tree, {"procedures.prior": [old, recent, facet]}) == TRUE
    assert truth(tree, {"procedures.prior": [recent, recent]}) == FALSE
    assert truth(tree, {"procedures.prior": [recent, _esi(None)]}) == UNKNOWN
    assert truth(tree, {"procedures.prior": [recent, {"type": "esi"}]}) == UNKNOWN
    assert truth(tree, {}) == UNKNOWN
    assert truth({**tree, "if_missing": True}, {}) == TRUE


def test_count_equality_with_unknown_members() -> None:
    tree = {"count": "procedures.prior", "op": "==", "value": 1}
    assert truth(tree, {"procedures.prior": [_esi(TODAY)]}) == TRUE
    assert truth(tree, {"procedures.prior": []}) == FALSE
    windowed = {**tree, "within_months": 1}
    assert truth(windowed, {"procedures.prior": [_esi(TODAY), _esi(None)]}) == UNKNOWN
    assert truth(windowed, {"procedures.prior": [_esi(TODAY), _esi(TODAY), _esi(None)]}) == FALSE


def test_latest_event_is_tested() -> None:
    tree = {
        "latest": "procedures.prior",
        "where": {"type": "esi"},
        "test": {"field": "relief_percent", "op": ">=", "value": 50},
    }
    events = [
        _esi(dt.date(2025, 1, 1), relief_percent=80),
        _esi(dt.date(2025, 6, 1), relief_percent=30),
    ]
    assert truth(tree, {"procedures.prior": events}) == FALSE
    assert truth(tree, {"procedures.prior": events[:1]}) == TRUE
    assert truth(tree, {"procedures.prior": [_esi(dt.date(2025, 6, 1))]}) == UNKNOWN
    assert truth(tree, {"procedures.prior": [{"type": "mbb", "date": TODAY}]}) == FALSE


def test_fact_references_and_level_matching() -> None:
    tree = {"exists": "imaging.findings", "where": {"level": {"levels_overlap": "$line.levels"}}}
    findings = [{"level": "L5-S1", "date": TODAY}]
    assert truth(tree, {"imaging.findings": findings, "line.levels": ["L5-S1"]}) == TRUE
    assert truth(tree, {"imaging.findings": findings, "line.levels": ["L3-L4"]}) == FALSE
    assert truth(tree, {"imaging.findings": findings}) == UNKNOWN
    assert level_or_text("l4/5") == "L4-L5" and level_or_text("L5–S1") == "L5-S1"
    assert levels_overlap("L5", ["L5-S1"]) and not levels_overlap("L4-L5", "L5-S1")


def test_latest_prefers_the_matches_its_preference_holds_for_else_takes_all() -> None:
    tree = parse_logic({
        "latest": "procedures.prior", "where": {"type": "esi"},
        "prefer": {"field": "side", "side_matches": "$line.side", "if_missing": True},
        "test": {"field": "relief_percent", "op": ">=", "value": 50},
    })  # fmt: skip
    left = {"type": "esi", "date": dt.date(2026, 5, 12), "side": "left", "relief_percent": 80}
    right = {"type": "esi", "date": dt.date(2026, 6, 16), "side": "right", "relief_percent": 20}
    events = {"procedures.prior": [left, right]}
    assert truth(tree, {**events, "line.side": "left"}) == TRUE  # its own side's, though older
    assert truth(tree, {**events, "line.side": "right"}) == FALSE
    assert truth(tree, events) == FALSE  # no side asked: the latest of all
    assert (
        truth(tree, {"procedures.prior": [left], "line.side": "right"}) == TRUE
    )  # none of its side
    with pytest.raises(LogicSyntaxError, match="unexpected keys"):
        parse_logic(
            {"count": "procedures.prior", "op": "==", "value": 1, "prefer": {"type": "esi"}}
        )


def test_a_count_takes_the_two_sides_of_one_bilateral_procedure_as_one_occasion() -> None:
    tree = parse_logic({"count": "procedures.prior", "where": {"type": "esi"}, "op": "<",
                        "value": 2})  # fmt: skip
    day = dt.date(2026, 5, 12)
    halves = [{"type": "esi", "date": day, "levels": ["L4-L5"], "side": side}
              for side in ("left", "right")]  # fmt: skip
    assert truth(tree, {"procedures.prior": halves}) == TRUE  # one session, reported by side
    other_level = {"type": "esi", "date": day, "levels": ["L5-S1"], "side": "right"}
    later = {"type": "esi", "date": dt.date(2026, 6, 16), "side": "right"}
    assert truth(tree, {"procedures.prior": [halves[0], later]}) == FALSE
    assert truth(tree, {"procedures.prior": [halves[0], other_level]}) == FALSE
    undated = [{"type": "esi", "side": "left"}, {"type": "esi", "side": "right"}]
    assert truth(tree, {"procedures.prior": undated}) == FALSE  # no date: two told apart


def test_parser_rejects_bad_trees() -> None:
    with pytest.raises(LogicSyntaxError, match="unknown operator"):
        parse_logic({"fact": "pain.score", "op": "=>", "value": 3})
    with pytest.raises(LogicSyntaxError, match="only allowed inside"):
        parse_logic({"field": "date", "is": 1})
    with pytest.raises(LogicSyntaxError, match="exactly one"):
        parse_logic({"all": [A], "any": [B]})


POLICY_YAML: dict[str, Any] = {
    "definitions": [
        {
            "id": "t.def",
            "title": "Def",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "pain.score", "op": ">=", "value": 3},
        },
    ],
    "criteria": [
        {
            "id": "t.req",
            "title": "Requirement",
            "passage": "p",
            "quote": "q",
            "requires": ["t.def"],
            "logic": {"fact": "neuro.radicular_pain", "is": True},
            "missing_info": "A note on radicular pain.",
        },
        {
            "id": "t.excl",
            "title": "Exclusion",
            "kind": "exclusion",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "contra.cauda_equina", "is": True},
        },
        {
            "id": "t.contra",
            "title": "Contra",
            "kind": "contraindication",
            "on_fail": "pend",
            "passage": "p",
            "quote": "q",
            "logic": {"fact": "contra.anticoagulant", "is": True},
        },
        {
            "id": "t.guarded",
            "title": "Guarded",
            "passage": "p",
            "quote": "q",
            "applies_when": {"fact": "line.approach", "is": "transforaminal"},
            "logic": {"fact": "line.injection_count", "op": "<=", "value": 2},
        },
    ],
}


def _decide(plain: dict[str, Any], line: LineFacts | None = None) -> Any:
    content = CriteriaFile.model_validate(POLICY_YAML)
    evaluator = Evaluator(content.definitions, content.criteria)
    crit_set = CompiledSet(["t"], [c.id for c in content.criteria], evaluator)
    line = line or LineFacts(code="64483", approach="interlaminar")
    return decide(line, facts_from_compact(plain), crit_set, TODAY)


COMPLETE = {"pain.score": 6, "neuro.radicular_pain": True}


def test_policy_approves_when_everything_is_met() -> None:
    decision = _decide(COMPLETE)
    assert decision.decision == "approved"
    status = {c.id: c.status for c in decision.criteria}
    assert status == {
        "t.req": "met",
        "t.excl": "not_applicable",
        "t.contra": "not_applicable",
        "t.guarded": "not_applicable",
    }
    assert [d.id for d in decision.definitions] == ["t.def"]


def test_policy_pends_listing_exactly_what_is_missing() -> None:
    decision = _decide({"neuro.radicular_pain": True})
    assert decision.decision == "pended"
    assert decision.missing == ["pain.score"]
    assert decision.missing_info == ["A note on radicular pain."]


def test_policy_exclusion_denies_even_when_something_is_missing() -> None:
    decision = _decide({"contra.cauda_equina": True})
    assert decision.decision == "denied"
    assert [c.id for c in decision.criteria if c.effect == "deny"] == ["t.excl"]


def test_policy_contraindication_with_pend_policy_pends() -> None:
    decision = _decide({**COMPLETE, "contra.anticoagulant": True})
    assert decision.decision == "pended"
    assert "further evaluation" in decision.reasons[0]


def test_policy_contradicted_requirement_denies() -> None:
    assert _decide({"pain.score": 6, "neuro.radicular_pain": False}).decision == "denied"
    assert _decide({"pain.score": 1, "neuro.radicular_pain": True}).decision == "denied"


def test_guard_and_evidence_in_trace() -> None:
    line = LineFacts(code="64483", approach="transforaminal", injection_count=4)
    plain = {
        "pain.score": {"value": 6, "quote": "pain 6/10", "document": 2},
        "neuro.radicular_pain": True,
    }
    decision = _decide(plain, line)
    assert decision.decision == "denied"
    req = next(c for c in decision.criteria if c.id == "t.req")
    assert req.facts == {"neuro.radicular_pain": True, "pain.score": 6.0}
    assert [(e.quote, e.document) for e in req.evidence] == [("pain 6/10", 2)]


def test_decide_is_pure() -> None:
    first = _decide({"neuro.radicular_pain": True}).model_dump()
    assert _decide({"neuro.radicular_pain": True}).model_dump() == first


def test_empty_set_pends() -> None:
    content = CriteriaFile.model_validate(POLICY_YAML)
    evaluator = Evaluator(content.definitions, content.criteria)
    decision = decide(
        LineFacts(code="x"), facts_from_compact({}), CompiledSet([], [], evaluator), TODAY
    )
    assert decision.decision == "pended"


def test_unknown_definition_is_reported() -> None:
    broken = {
        "criteria": [
            {"id": "t.x", "title": "X", "passage": "p", "quote": "q", "logic": {"ref": "t.nowhere"}}
        ]
    }
    content = CriteriaFile.model_validate(broken)
    with pytest.raises(UnknownReferenceError, match=r"t\.nowhere"):
        Evaluator(content.definitions, content.criteria)


# --- deny only on evidence ---------------------------------------------------------------------
