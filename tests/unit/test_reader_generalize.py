"""Reader concepts found on independent notes (session of 2026-12-05), each tested on phrasings
not taken from the case that prompted it, in positive and negated (or open) form."""

from __future__ import annotations

import pytest

from tests.reader_facts import facts, value


@pytest.mark.parametrize(
    "sentence",
    [
        "Pt c/o low back pain x 5 mo.",
        "pt reports neck pain x 5 months, worse with sitting.",
    ],
)
def test_pt_meaning_the_patient_does_not_hide_a_symptom_duration(sentence: str) -> None:
    assert value(facts(f"HPI: {sentence}"), "symptoms.duration_months") == 5.0


def test_a_physical_therapy_duration_is_still_not_a_symptom_duration() -> None:
    assert value(facts("HPI: low back pain. PT x 5 mo."), "symptoms.duration_months") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "She had ten weeks of physical therapy; none of this made a meaningful difference.",
        "Physical therapy for ten weeks made no real difference.",
        "Ten weeks of physical therapy didn't make any difference to her pain.",
        "After ten weeks of physical therapy she was back to where she started.",
    ],
)
def test_care_that_changed_nothing_is_no_significant_improvement(sentence: str) -> None:
    found = facts(f"HPI: axial low back pain for a year. {sentence}")
    assert value(found, "conservative.no_significant_improvement") is True


def test_care_that_made_a_big_difference_is_improvement() -> None:
    found = facts(
        "HPI: axial low back pain for a year. Ten weeks of physical therapy made a big difference."
    )
    assert value(found, "conservative.no_significant_improvement") is False


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Formal PT was not possible because of her pain.", True),
        ("Formal PT was possible and she attended six visits.", None),
    ],
)
def test_a_negation_the_concept_spells_out_does_not_negate_it(
    sentence: str, expected: bool | None
) -> None:
    assert value(facts(f"HPI: low back pain. {sentence}"), "conservative.pt_exception") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("The SI joints are not fused.", False), ("The left SI joint is fused.", True)],
)
def test_an_unfused_sacroiliac_joint_is_stated_absent(sentence: str, expected: bool) -> None:
    found = facts(f"HPI: buttock pain for a year. CT: {sentence}", code="27096")
    assert value(found, "si.joint_previously_fused") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Conservative: PT 8 wks 01/2026-03/2026 + HEP (still doing), ibuprofen.", True),
        ("Conservative: PT 8 wks 01/2026-present + HEP, ibuprofen.", None),
    ],
)
def test_a_closed_course_joined_to_an_ongoing_home_program_is_completed(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: axial low back pain for a year. {sentence}")
    assert value(found, "conservative.completed") is expected
