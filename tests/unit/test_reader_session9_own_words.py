"""This session's concepts on phrasings of our own, not the words of the blind cases that prompted
them, each with a form that must not be read so (positive and negated)."""

from __future__ import annotations

import pytest

from drafting.extraction.quantities.activities import find_impaired_adls
from drafting.extraction.rules import extract_facts
from drafting.extraction.rules.pain_diary import read_diary
from tests.reader_facts import documents_facts, facts, note_case, value


@pytest.mark.parametrize(
    ("text", "abscess"),
    [
        ("A: L5 radiculopathy; doubt spinal infection, no concern for an epidural abscess.", False),
        (
            "A: L5 radiculopathy. Low index of suspicion for epidural abscess given normal labs.",
            False,
        ),
        ("A: L5 radiculopathy with an epidural abscess on today's MRI.", True),
    ],
)
def test_low_suspicion_in_other_words(text: str, abscess: bool) -> None:
    assert value(facts(text, code="62323"), "contra.epidural_abscess") is abscess


@pytest.mark.parametrize(
    ("text", "radiculopathy"),
    [
        ("HPI: neck ache. He had a C6-7 discectomy and fusion in 2017 for right C7 "
         "radiculopathy.", None),
        ("HPI: neck ache with right C7 radiculopathy for 2 months; C6-7 fusion 2017 "
         "elsewhere.", True),
    ],
)  # fmt: skip
def test_an_old_operations_reason_in_other_words(text: str, radiculopathy: bool | None) -> None:
    assert value(facts(text, code="62321"), "neuro.radiculopathy") is radiculopathy


def _fused(sentence: str) -> list[str]:
    case = note_case(
        ("Spine letter", "2026-05-01", f"X-rays show a solid L4-5 fusion. {sentence}"), code="64493"
    )
    studies = extract_facts(case).imaging.studies or []
    return sorted(f.level or "" for s in studies for f in s.findings if f.fusion)


@pytest.mark.parametrize(
    ("sentence", "fused"),
    [
        ("L3-4 shows facet hypertrophy, the segment above the fusion.", ["L4-L5"]),
        ("There is also a solid fusion at L3-4.", ["L3-L4", "L4-L5"]),
    ],
)
def test_a_fusions_neighbour_in_other_words(sentence: str, fused: list[str]) -> None:
    assert _fused(sentence) == fused


@pytest.mark.parametrize(
    ("line", "fracture"),
    [
        ("Fracture / infection excluded on CT.", None),
        ("CT shows an acute fracture at L1.", True),
    ],
)
def test_an_excluded_label_in_other_words(line: str, fracture: bool | None) -> None:
    found = documents_facts(("Office note", "2026-09-10", f"HPI: LBP.\n{line}\n"), code="64628")
    assert value(found, "contra.spinal_fracture") is fracture


@pytest.mark.parametrize(
    ("text", "activities"),
    [
        ("Function: relies on her son to carry the laundry.", ["lifting"]),
        ("Function: her son helps her for fun at weekends.", []),
    ],
)
def test_help_needed_in_other_words(text: str, activities: list[str]) -> None:
    assert [m.name for m in find_impaired_adls(text)] == activities


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("HPI: stenosis. Calves 8/10 after twenty minutes of standing, 2/10 lying down.", 8.0),
        ("HPI: stenosis. Calves 8/10 after the ESI, 5/10 today.", 5.0),
    ],
)
def test_activity_pain_in_other_words(text: str, score: float) -> None:
    assert value(facts(text, code="62323"), "pain.score") == score


@pytest.mark.parametrize(
    ("diary", "hours"),
    [
        ("Diary:\n Baseline 6\n 10 min 0\n 1 hr 1\n 4 hr 2\n 7 hr 5\n", 4.0),
        ("Diary:\n Baseline 6\n 10 min 4\n 1 hr 4\n 4 hr 5\n", None),
    ],
)
def test_a_diary_in_other_words(diary: str, hours: float | None) -> None:
    reading = read_diary(diary)
    assert reading is not None
    assert reading.relief_hours == hours
