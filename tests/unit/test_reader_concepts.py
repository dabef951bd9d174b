"""Reader concepts added for notes this project did not write: each tested on phrasings that are
not taken from the case that prompted it, in positive and negated (or open) form.

- radicular pain stated as absent when the pain is said to stay in the spine;
- facet-mediated pain on exam: tenderness over the facet joints, pain reproduced by loading them;
- a finished physical-therapy course: "completed", "discharged from", or a past course of stated
  length outside the plan (an open course is not finished).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from criteria.facts import CaseFacts
from drafting.case.loaders import parse_case_json
from drafting.extraction.rules import extract_facts


def _facts(text: str, code: str = "64493") -> CaseFacts:
    data: dict[str, Any] = {
        "case_id": "T2",
        "received": "2026-09-14",
        "patient": {"age": 60, "sex": "M"},
        "request": {
            "services": [{"code": code, "description": "test", "side": "left", "levels": []}],
            "diagnoses": [{"code": "M47.816", "description": "test"}],
        },
        "documents": [{"title": "Office note", "date": "2026-09-01", "text": text}],
    }
    return extract_facts(parse_case_json(json.dumps(data)))


def _value(facts: CaseFacts, name: str) -> Any:
    fact = facts.get(name)
    return None if fact is None else fact.value


@pytest.mark.parametrize(
    "sentence",
    [
        "Her back pain never spreads to the legs.",
        "The ache is confined to the lower back.",
        "He has no radiating symptoms.",
        "Pain remains localised to the neck; it doesn't shoot into his arms.",
    ],
)
def test_pain_kept_in_the_spine_is_radicular_pain_absent(sentence: str) -> None:
    assert (
        _value(_facts(f"HPI: 3 years of low back pain. {sentence}"), "neuro.radicular_pain")
        is False
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Pain travels into the left leg to the ankle.",
        "Back pain radiating down the posterior thigh.",
    ],
)
def test_pain_reaching_a_limb_is_radicular_pain(sentence: str) -> None:
    assert _value(_facts(f"HPI: low back pain. {sentence}"), "neuro.radicular_pain") is True


@pytest.mark.parametrize(
    "exam",
    [
        "Exam: marked tenderness at the right L3-4 facet joints.",
        "Exam: zygapophyseal joint tenderness bilaterally at L5-S1.",
        "Exam: symptoms are reproduced by oblique extension to the left.",
    ],
)
def test_facet_exam_findings(exam: str) -> None:
    facts = _facts(f"HPI: axial low back pain for a year.\n{exam}")
    assert _value(facts, "facet.exam_consistent") is True


def test_a_tender_spinous_process_is_not_a_facet_finding() -> None:
    facts = _facts("HPI: axial low back pain for a year.\nExam: tenderness over the coccyx.")
    assert _value(facts, "facet.exam_consistent") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "She completed a course of physical therapy with no lasting benefit.",
        "Physical therapy for six weeks in the spring did not help.",
        "Discharged from physical therapy last month without improvement.",
    ],
)
def test_finished_physical_therapy_course(sentence: str) -> None:
    facts = _facts(f"HPI: axial low back pain. {sentence} Takes ibuprofen.")
    assert _value(facts, "conservative.completed") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Currently attending physical therapy for four weeks so far.",
        "We will start physical therapy for six weeks.",
        "Referred to physical therapy for eight weeks.",
    ],
)
def test_open_or_planned_physical_therapy_is_not_finished(sentence: str) -> None:
    facts = _facts(f"HPI: axial low back pain. {sentence} Takes ibuprofen.")
    assert _value(facts, "conservative.completed") is not True
