"""A work-up under way for another cause of the pain (rules/workup.py, contra.workup_pending): a
cause the notes set out to rule out with its study still ordered or pending, and the forms that
are no open work-up (the cause stated absent, a study already in the record, a study with no
question, a concern about a relative)."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

_PCP = (
    "HPI: chronic axial low back pain, now night pain and 9 lb weight loss.\n"
    "A/P: 1. Low back pain with red flags in pt w/ hx prostate ca - {question}\n"
    " - {study}\n"
)


def _pending(question: str, study: str, *later: tuple[str, str, str]) -> bool | None:
    found = documents_facts(
        ("Pain consult", "2026-03-05", "HPI: axial LBP x 1 yr.\nPlan: bilateral L4-5 MBB."),
        ("Family practice note", "2026-03-18", _PCP.format(question=question, study=study)),
        *later,
        code="64493",
    )
    return value(found, "contra.workup_pending")


@pytest.mark.parametrize(
    ("question", "study", "pending"),
    [
        ("r/o osseous metastasis", "MRI L-spine w/wo contrast ordered, scheduled 3/27/26", True),
        ("r/o osseous metastasis", "holding the blocks until this workup is back", True),
        ("evaluate for vertebral osteomyelitis", "ESR/CRP drawn today - pending", True),
        # the cause is not in question, or no study is open
        ("no concern for metastasis", "MRI L-spine ordered, scheduled 3/27/26", None),
        ("r/o osseous metastasis", "MRI L-spine reviewed with the patient today", None),
        ("mechanical back pain", "MRI L-spine ordered, scheduled 3/27/26", None),
    ],
)  # fmt: skip
def test_an_open_work_up_for_another_cause(question: str, study: str, pending: bool | None) -> None:
    assert _pending(question, study) is pending


def test_a_later_study_closes_the_work_up() -> None:
    report = (
        "MRI lumbar spine report",
        "2026-03-27",
        "MRI L-SPINE W/WO\nIMPRESSION: No osseous metastatic disease. Facet arthropathy L4-5.",
    )
    assert _pending("r/o osseous metastasis", "MRI ordered, scheduled 3/27/26", report) is None


def test_a_later_note_stating_the_cause_absent_closes_it() -> None:
    note = ("Family practice note", "2026-04-02", "A/P: MRI 3/27 shows no metastasis. PSA stable.")
    assert _pending("r/o osseous metastasis", "MRI ordered, scheduled 3/27/26", note) is None


@pytest.mark.parametrize(
    ("assessment", "infection", "pending"),
    [
        # a cause still open while its work-up is under way is no finding to deny on
        ("Hx bacteremia 12/2025 - infectious spondylodiscitis not yet excluded. ESR, CRP "
         "ordered today.", None, True),
        ("Radiology raised early discitis as a differential; ESR and CRP are pending.", None,
         True),
        # a radiologist's question with the study still ordered
        ("MRI: radiologist questions a nondisplaced C2 fracture; CT recommended. CT ordered "
         "today - pending authorization.", None, True),
        # one found is a finding
        ("L4-5 discitis on MRI; ID following, on IV antibiotics.", True, None),
    ],
)  # fmt: skip
def test_a_cause_raised_while_its_work_up_is_open_is_not_present(
    assessment: str, infection: bool | None, pending: bool | None
) -> None:
    found = documents_facts(
        ("Pain consult", "2026-09-01", f"HPI: axial LBP, Modic 1 L5-S1.\nAssessment: {assessment}"),
        code="64628",
    )
    cause = "contra.spinal_fracture" if "fracture" in assessment else "contra.spine_infection"
    assert value(found, cause) is infection
    assert value(found, "contra.workup_pending") is pending
