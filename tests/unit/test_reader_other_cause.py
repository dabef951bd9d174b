"""Limb pain that is not a root's (put down to an artery, or a joint's referred pain that stops
above the knee), and a form's ticked box against the clinician's own word: what the reader takes
as radicular pain and neurogenic claudication."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

VASCULAR = (
    "Vascular surgery consultation",
    "2026-07-21",
    "CHIEF COMPLAINT: Right calf pain with walking.\n"
    "HPI: Cramping right calf pain after a block and a half, gone when he stands still.\n"
    "ASSESSMENT:\n1. {assessment}\n2. Chronic low back pain - separate problem.",
)
SPINE = (
    "Pain clinic note",
    "2026-08-26",
    "HPI: Low back pain across the belt line. {hpi}\nEXAM: SLR negative bilaterally.",
)


def _facts(assessment: str, hpi: str) -> object:
    title, day, text = VASCULAR
    vascular = (title, day, text.format(assessment=assessment))
    spine = (SPINE[0], SPINE[1], SPINE[2].format(hpi=hpi))
    return documents_facts(vascular, spine, code="62323")


@pytest.mark.parametrize(
    ("assessment", "hpi", "expected"),
    [
        # the vascular surgeon's calf pain is arterial; the spine note says the pain stays put
        ("Peripheral arterial disease of the right leg with intermittent claudication of the "
         "right calf due to a mid-SFA occlusion.",
         "Pain does not go into his buttocks or legs.", False),
        ("Right calf vascular claudication, ABI 0.58.", "No leg symptoms.", False),
        # a spinal cause named beside it: the calf pain may be the root's
        ("Calf claudication: PAD versus neurogenic claudication from L4-5 stenosis.",
         "Pain does not go into his buttocks or legs.", True),
        # no cause outside the spine named: the calf pain counts
        ("Calf pain with walking, cause unclear; refer to spine.",
         "Pain does not go into his buttocks or legs.", True),
    ],
)  # fmt: skip
def test_limb_pain_a_note_puts_down_to_an_artery_is_not_radicular(
    assessment: str, hpi: str, expected: bool
) -> None:
    assert value(_facts(assessment, hpi), "neuro.radicular_pain") is expected


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        ("A: lumbar stenosis; no radicular symptoms and no neurogenic claudication on history or "
         "exam.", False),
        ("A: lumbar stenosis with neurogenic claudication.", True),
    ],
)  # fmt: skip
def test_the_clinicians_word_on_claudication_outranks_a_forms_ticked_box(
    assessment: str, expected: bool
) -> None:
    note = ("Pain clinic note", "2026-08-26", f"HPI: Low back pain.\n{assessment}")
    form = (
        "Precertification request form",
        "2026-09-04",
        "PRECERTIFICATION REQUEST\nProcedure: 62323 - Interlaminar ESI\n"
        "Indication (check one):  [ ] Radiculopathy   [X] Neurogenic claudication   [ ] Other",
    )
    found = documents_facts(note, form, code="62323")
    assert value(found, "neuro.neurogenic_claudication") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It radiates occasionally into the right posterolateral thigh but never below the knee.",
         False),
        ("On further questioning the pain goes into the back of the R thigh only and stops well "
         "above the knee.", False),
        ("Occ radiates into the posterior R thigh, stops above the knee.", False),
        # below the knee, or the front of the thigh: a root's pain
        ("Pain radiates down the back of the R thigh and calf to the outer foot.", True),
        ("Pain radiates into the anterior R thigh, stops above the knee.", True),
    ],
)  # fmt: skip
def test_buttock_and_thigh_pain_that_stops_above_the_knee_is_referred(
    sentence: str, expected: bool
) -> None:
    note = ("Pain clinic note", "2026-08-26", f"HPI: Low back and R buttock pain. {sentence}")
    assert value(documents_facts(note, code="27096"), "neuro.radicular_pain") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('She calls it "radiating" but it stops at the shoulder blade / top of shoulder. Nothing '
         "goes down the arm, no pain past the shoulder.", False),
        ("A: axial neck pain with referred periscapular pain - referred facet pain, NOT "
         "radicular.", False),
        ("Pain radiates down the R arm to the thumb and index finger.", True),
    ],
)  # fmt: skip
def test_neck_pain_that_stops_at_the_shoulder_blade_is_referred(
    sentence: str, expected: bool
) -> None:
    note = (
        "Spine consultation",
        "2026-08-26",
        f"HPI: R neck pain after a car accident. {sentence}",
    )
    assert value(documents_facts(note, code="64490"), "neuro.radicular_pain") is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("EMG/NCS report, right upper extremity", False),  # the question the test was asked
        ("Neurology consultation with NCS/EMG", True),  # a consultation's own history
    ],
)
def test_the_question_an_emg_was_asked_is_no_finding(title: str, expected: bool) -> None:
    report = (
        title,
        "2026-08-01",
        "Indication: R neck pain into R scapula. Evaluate for R cervical radiculopathy vs "
        "plexopathy.\nIMPRESSION: Normal study. No electrodiagnostic evidence of R cervical "
        "radiculopathy.",
    )
    found = documents_facts(report, code="64490")
    assert value(found, "neuro.radiculopathy") is expected
