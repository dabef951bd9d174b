"""What a note tells of then, or rules out, is not today's finding: a condition named as the
reason for an operation years back, a clinician's low suspicion of a red flag, and a fusion named
only as the neighbour of the level a finding is at (positive and negated forms)."""

from __future__ import annotations

import pytest

from drafting.extraction.rules import extract_facts
from tests.reader_facts import documents_facts, facts, note_case, value


@pytest.mark.parametrize(
    ("text", "radiculopathy"),
    [
        # the reason for an operation years back: then, not now
        ("HPI: axial neck pain for a year. I performed a C5-C6 ACDF on her in 08/2021 for a left "
         "C6 radiculopathy.", None),
        ("HPI: low back pain. S/p L5-S1 microdiscectomy 2019 for right S1 radiculopathy.", None),
        ("HPI: axial LBP. S/p L5-S1 ALIF + pedicle screw fixation (12/2023) for isthmic "
         "spondylolisthesis L5-S1 w/ L5 radiculopathy.", None),
        # the same operation, with the radiculopathy back: today's
        ("HPI: s/p ACDF C5-6 in 2021 for C6 radiculopathy, which has now recurred over 2 months.",
         True),
        # today's radiculopathy, with no operation named as its reason
        ("HPI: neck pain with left C6 radiculopathy for 3 months.", True),
    ],
)  # fmt: skip
def test_a_condition_named_as_an_old_operations_reason(
    text: str, radiculopathy: bool | None
) -> None:
    assert value(facts(text, code="62321"), "neuro.radiculopathy") is radiculopathy


@pytest.mark.parametrize(
    ("text", "abscess"),
    [
        ("A: lumbar radiculopathy. Low suspicion for cauda equina / epidural abscess.", False),
        ("A: lumbar radiculopathy, not concerning for epidural abscess.", False),
        # a concern is no low suspicion: the contraindication rules count a suspected one
        ("A: lumbar radiculopathy. Concern for epidural abscess; MRI with contrast today.", True),
    ],
)
def test_a_clinicians_low_suspicion_is_no_finding(text: str, abscess: bool | None) -> None:
    assert value(facts(text, code="62323"), "contra.epidural_abscess") is abscess


def _fused_levels(sentence: str) -> list[str | None]:
    case = note_case(
        ("Spine surgery letter", "2026-05-01", f"Radiographs today show the C5-6 fusion to be "
         f"solid with bridging bone. {sentence}"),
        code="64490",
    )  # fmt: skip
    studies = extract_facts(case).imaging.studies or []
    return sorted(f.level or "" for s in studies for f in s.findings if f.fusion)


@pytest.mark.parametrize(
    ("sentence", "fused"),
    [
        ("There is some facet degeneration at C4-5, the level above the fusion.", ["C5-C6"]),
        ("Facet arthropathy at C6-7, adjacent segment below the fusion.", ["C5-C6"]),
        ("There is also a solid fusion at C3-4 from 1998.", ["C3-C4", "C5-C6"]),
    ],
)
def test_a_fusion_named_as_a_levels_neighbour_is_not_at_that_level(
    sentence: str, fused: list[str]
) -> None:
    assert _fused_levels(sentence) == fused


def _trauma(*documents: tuple[str, str, str]) -> bool | None:
    return value(documents_facts(*documents, code="62323"), "contra.acute_trauma")


def test_a_fall_months_before_the_request_is_no_acute_trauma() -> None:
    # the emergency note of the fall, three and a half months before the request (2026-09-14)
    ed = (
        "Emergency department note",
        "2026-05-30",
        "CC: fall from a step stool.\nA: back contusion.",
    )
    assert _trauma(ed) is None


def test_a_fall_days_before_the_request_is_acute_trauma() -> None:
    ed = (
        "Emergency department note",
        "2026-09-08",
        "CC: fall from a step stool.\nA: back contusion.",
    )
    assert _trauma(ed) is True


@pytest.mark.parametrize(
    ("sentence", "trauma"),
    [
        ("Interval: fall last week, ED CT no fx, back bruise resolved in ~1 wk.", None),
        ("Interval: fall last week, ED CT no fx, back still bruised and sore.", True),
    ],
)
def test_a_trauma_said_to_have_resolved_is_over(sentence: str, trauma: bool | None) -> None:
    assert (
        _trauma(("Pain clinic follow-up", "2026-09-10", f"HPI: lumbar radiculopathy. {sentence}"))
        is trauma
    )
