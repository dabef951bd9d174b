"""CRPS as letters tell it (sympathetic block requests): the examination a paragraph opens on,
an intolerance whose "cannot" does not negate what follows, a clause set off by dashes, the
Budapest categories in other words, pain beyond what the injury explains, other diagnoses
excluded, a pain programme in British spelling, therapy running since a day of a month; and a
supervised home program told in plain words. Positive and negated (or open) forms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reader_facts import documents_facts, value


def _letter(body: str) -> Any:
    text = (
        "PAIN MANAGEMENT SERVICE - CLINIC LETTER\nClinic date: 10/21/2026\n\nDear Dr W,\n\n"
        "Re: Mr A, aged 44\n\n" + body
    )
    return documents_facts(("Clinic letter", "2026-09-01", text), code="64510")


def test_a_paragraph_that_opens_on_the_examination_holds_signs() -> None:
    found = _letter(
        "He describes burning pain in the left hand since a wrist fracture in June, with the "
        "hand swelling by the end of the day.\n\nOn examination today there is pitting oedema "
        "over the dorsum of the hand and allodynia to light brushing.\n\nHe has stopped work."
    )
    assert value(found, "crps.sign_sudomotor_edema") is True
    assert value(found, "crps.sign_sensory") is True
    assert value(found, "crps.symptom_sudomotor_edema") is True


@pytest.mark.parametrize(
    ("sentence", "vasomotor", "motor"),
    [
        # the "cannot" of an intolerance, or before a dash, negates nothing after it
        ("He cannot bear the bedsheet on the hand, the hand goes purple and blotchy, and the "
         "fingers have become stiff.", True, True),
        ("The hand is unbearable to touch - he cannot tolerate his cuff - and it turns blotchy "
         "and the nails grow faster.", True, True),
        # a real negation still negates
        ("He has not noticed any colour change or stiffness.", False, False),
    ],
)  # fmt: skip
def test_an_intolerance_does_not_negate_the_symptoms_after_it(
    sentence: str, vasomotor: bool, motor: bool
) -> None:
    found = _letter(f"HPI: burning pain in the left hand since a fracture. {sentence}")
    assert value(found, "crps.symptom_vasomotor") is vasomotor
    assert value(found, "crps.symptom_motor_trophic") is motor


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        ("The pain is out of all proportion to a fracture that healed.", "pain.disproportionate",
         True),
        ("The pain is far beyond what the fracture clinic expected.", "pain.disproportionate",
         True),
        ("The pain is what one expects after a fracture.", "pain.disproportionate", None),
        ("Neuropathy, DVT, infection and occult fracture have been excluded.",
         "crps.no_better_diagnosis", True),
        ("This is CRPS, with nothing that better explains it.", "crps.no_better_diagnosis", True),
        ("A DVT has not been excluded yet.", "crps.no_better_diagnosis", None),
        ("No other dx that better explains S/S ........ [x]", "crps.no_better_diagnosis", True),
        # a stated Budapest diagnosis holds its parts; not one left open or from an earlier episode
        ("Meets Budapest clinical criteria.", "crps.no_better_diagnosis", True),
        ("Budapest criteria met at initial eval.", "pain.disproportionate", True),
        ("Consistent with CRPS by Budapest criteria, pending exclusion of DVT.",
         "crps.no_better_diagnosis", None),
        ("Hx: CRPS of the foot in 2019, Budapest criteria met at the time.",
         "crps.no_better_diagnosis", None),
        ("Does not meet Budapest criteria.", "crps.no_better_diagnosis", None),
        # a comparison's "would be expected" is no supposition; a supposition still is one
        ("Her pain is far greater than would be expected from a healed fracture, and nothing "
         "else explains the picture.", "crps.no_better_diagnosis", True),
        ("If the EMG is normal, we would say nothing else explains the picture.",
         "crps.no_better_diagnosis", None),
        ("He attends our pain management programme weekly.",
         "conservative.comprehensive_pain_program", True),
        ("He is enrolled in our multidisciplinary CRPS programme.",
         "conservative.comprehensive_pain_program", True),
        ("He was offered a pain programme but declined it.",
         "conservative.comprehensive_pain_program", None),
        ("The block is part of an interdisciplinary plan (pain medicine, hand therapy, "
         "psychology).", "conservative.comprehensive_pain_program", True),
        ("He has had multimodal care for a year.", "conservative.comprehensive_pain_program",
         None),
    ],
)  # fmt: skip
def test_crps_concepts_in_other_words(sentence: str, name: str, expected: bool | None) -> None:
    found = _letter(f"HPI: burning pain in the left hand since a fracture. {sentence}")
    assert value(found, name) is expected


@pytest.mark.parametrize(
    ("sentence", "weeks"),
    [
        ("Hand therapy (physiotherapy and occupational therapy) twice weekly since 14 August.",
         pytest.approx(3.9, abs=0.2)),
        ("Physiotherapy twice weekly since early July, continuing.", pytest.approx(8.7, abs=0.2)),
        # a "since" of another clause is not the course's
        ("Physiotherapy and a TFESI on 06/18/2026 - the pain has been gone since August.", None),
    ],
)  # fmt: skip
def test_a_course_running_since_a_date_is_its_length(sentence: str, weeks: Any) -> None:
    found = documents_facts(
        ("Clinic letter", "2026-09-10", f"HPI: burning pain in the left hand. {sentence}"),
        code="64510",
    )
    assert value(found, "conservative.pt_weeks") == weeks


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        ("None of this has touched the pain.", "conservative.no_significant_improvement", True),
        ("On review today he is if anything worse.", "conservative.no_significant_improvement",
         True),
        ("Hand therapy since June, continuing twice weekly.", "conservative.ongoing", True),
        ("Four sessions with our pain psychologist, and these continue.", "conservative.ongoing",
         True),
        ("Plan: continue hand therapy 2x/wk and pain psychology.", "conservative.ongoing", True),
        ("Hand therapy since June helped a great deal.", "conservative.no_significant_improvement",
         None),
        ("Hand therapy ended in August.", "conservative.ongoing", None),
    ],
)  # fmt: skip
def test_care_that_goes_on_and_changed_nothing(
    sentence: str, name: str, expected: bool | None
) -> None:
    found = _letter(f"HPI: burning pain in the left hand since a fracture. {sentence}")
    assert value(found, name) is expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        ("He has never been to a physical therapist, so I went through a home program I put "
         "together for him.", "conservative.home_program_tailored", True),
        ("He did each exercise back for me and I corrected his form.",
         "conservative.home_program_instructed", True),
        ("He brought his log and has missed maybe five days in eleven weeks.",
         "conservative.home_program_compliant", True),
        ("He was given a generic exercise handout.", "conservative.home_program_tailored", None),
    ],
)  # fmt: skip
def test_a_supervised_home_program_in_plain_words(
    sentence: str, name: str, expected: bool | None
) -> None:
    found = _letter(f"HPI: right thigh pain from the back for 5 months. {sentence}")
    assert value(found, name) is expected


@pytest.mark.parametrize(
    ("psychology", "program"),
    [
        ("Pain psychology (CBT, pacing) every two weeks since August.", True),
        ("She declined pain psychology.", None),
    ],
)
def test_psychology_alongside_rehabilitation_is_a_comprehensive_program(
    psychology: str, program: bool | None
) -> None:
    found = _letter(
        f"HPI: burning pain in the left foot since a crush injury. Physical therapy twice weekly "
        f"since June. {psychology}"
    )
    assert value(found, "conservative.comprehensive_pain_program") is program


@pytest.mark.parametrize(
    ("exam", "name", "expected"),
    [
        ("Skin color, edema: not done -- foot covered.", "crps.sign_sudomotor_edema", None),
        ("ROM / strength L wrist: deferred d/t pain.", "crps.sign_motor_trophic", None),
        ("Signs (exam today): sensory Y | vasomotor - | sudomotor/edema - | motor/trophic -",
         "crps.sign_sudomotor_edema", None),
        ("Signs (exam today): sensory Y | vasomotor - | sudomotor/edema Y | motor/trophic -",
         "crps.sign_sudomotor_edema", True),
        ("Symptoms (pt report): sensory Y | motor/trophic Y (stiff, weak)",
         "crps.sign_motor_trophic", None),
    ],
)  # fmt: skip
def test_an_exam_item_left_undone_is_no_sign(exam: str, name: str, expected: bool | None) -> None:
    found = _letter(f"HPI: burning pain in the left hand since a fracture.\n\nExam:\n{exam}")
    assert value(found, name) is expected


@pytest.mark.parametrize(
    ("sentence", "limb"),
    [
        ("He has reflex sympathetic dystrophy of both lower extremities.", "lower"),
        ("CRPS type I of the left upper limb after a wrist fracture.", "upper"),
        ("Complex regional pain syndrome of the right foot.", "lower"),
    ],
)
def test_the_limb_a_crps_diagnosis_names(sentence: str, limb: str) -> None:
    found = documents_facts(("Pain clinic note", "2026-09-01", f"A: {sentence}"), code="64520")
    assert value(found, "crps.limb") == limb


def test_a_budapest_table_answers_each_categorys_symptom_and_sign() -> None:
    table = (
        "EXAM\nBUDAPEST - R upper extremity\n"
        "| Category        | Symptom (pt report) | Sign (exam today)          |\n"
        "|-----------------|---------------------|----------------------------|\n"
        "| Sensory         | YES                 | YES - allodynia dorsal hand |\n"
        "| Vasomotor       | YES                 | NO                          |\n"
        "| Sudomotor/edema | NO                  | YES - nonpitting edema      |\n"
        "| Motor/trophic   | YES                 | YES - nails ridged          |\n"
    )
    found = documents_facts(("Pain consultation", "2026-09-01", table), code="64510")
    assert value(found, "crps.symptom_vasomotor") is True
    assert value(found, "crps.sign_vasomotor") is False
    assert value(found, "crps.symptom_sudomotor_edema") is False
    assert value(found, "crps.sign_motor_trophic") is True
