"""Words of real dictations the reader now knows (the real-note labels): analgesics by generic
and brand name, a surgeon's "no indication for surgical intervention" and a surgery date, image
guidance named by its equipment (positive and negated forms)."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("sentence", "fact", "expected"),
    [
        ("Medications: Darvocet N100.", "conservative.anti_inflammatory_analgesics", True),
        ("He takes methadone and Dilaudid for the pain.",
         "conservative.anti_inflammatory_analgesics", True),
        ("He is taking multiple other pain medications.",
         "conservative.anti_inflammatory_analgesics", True),
        ("Paracetamol and co-codamol have not helped.",
         "conservative.anti_inflammatory_analgesics", True),
        ("There is no indication for surgical intervention.", "surgery.considered", False),
        ("The patient does not wish to proceed with any neurosurgical intervention.",
         "surgery.considered", False),
        ("I do not think that they are severe enough for him to undergo surgery at this point.",
         "surgery.considered", False),
        ("Our tentative date for the surgery is 08/01/2026.", "surgery.considered", True),
        ("Surgery was mentioned by a friend.", "surgery.considered", None),
    ],
)  # fmt: skip
def test_words_of_real_dictations(sentence: str, fact: str, expected: bool | None) -> None:
    found = facts(f"HISTORY: low back and right leg pain for a year. {sentence}", code="62323")
    assert value(found, fact) is expected


@pytest.mark.parametrize(
    ("plan", "guidance"),
    [
        ("Plan: right L5-S1 transforaminal epidural steroid injection; the C-arm will be used.",
         "fluoroscopy"),
        ("Plan: right L5-S1 transforaminal epidural steroid injection under image intensifier "
         "control.", "fluoroscopy"),
        ("Plan: right L5-S1 transforaminal epidural steroid injection.", None),
    ],
)  # fmt: skip
def test_guidance_named_by_its_equipment(plan: str, guidance: str | None) -> None:
    found = facts(f"HPI: right leg pain for a year.\n{plan}", code="64483")
    assert value(found, "planned.guidance") == guidance


_RECORD = (
    "PROCEDURE: Left L5 transforaminal epidural steroid injection with 40 mg of Kenalog.\n\n"
    "INDICATIONS: The patient is a 78-year-old female with back pain referring into the left "
    "side.\n\nPROCEDURE DETAILS: The patient was placed prone on the table."
)


def test_a_record_that_is_one_procedure_note_tells_of_the_pain() -> None:
    found = documents_facts(("Procedure note", "2026-09-01", _RECORD), code="64483")
    assert value(found, "pain.side") == "left"
    assert value(found, "pain.axial") is True


def test_with_an_office_note_the_procedure_note_does_not_tell_of_the_pain() -> None:
    office = ("Office note", "2026-09-05", "HPI: right buttock pain for 6 months.")
    found = documents_facts(("Procedure note", "2026-08-01", _RECORD), office, code="64483")
    assert value(found, "pain.side") == "right"


@pytest.mark.parametrize(
    ("sentence", "weeks", "completed"),
    [
        ("Despite 8 weeks of this, pain is unchanged.", 8.0, True),
        ("No meaningful improvement after more than 4 months of this program.", 17.4, True),
        ("After 8 weeks of this she is much better.", 8.0, None),
        ("Despite 3 weeks of this, pain is unchanged.", 3.0, None),  # too short to have run
    ],
)
def test_the_length_of_the_care_just_described(
    sentence: str, weeks: float, completed: bool | None
) -> None:
    text = (
        "HPI: right buttock pain for a year. She does a home program from her physiotherapist "
        f"daily and takes naproxen.\n{sentence}"
    )
    found = facts(text, code="27096")
    assert round(value(found, "conservative.duration_weeks"), 1) == weeks
    assert value(found, "conservative.completed") is completed
