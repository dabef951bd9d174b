"""What is true of the patient now, when the record also tells of then: the latest BMI and
HbA1c across notes, a "poorly controlled" carried forward from an older note, a fever that has
resolved, a trauma dated long before the note, a stimulator complication only suspected or
ruled out by the report, and "no new weakness" (positive and negated forms)."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("At referral his HbA1c was 10.6% and BMI 36.2. Vitals 09/02/2026: BMI 33.8.",
         "patient.bmi", 33.8),
        ("HbA1c 9.6% (02/2024). Labs 09/12/2026: A1c 6.9%.", "patient.hba1c", 6.9),
        ("A1c drawn 9/16/2026: 11.8% (was 8.1% in 02/2025).", "patient.hba1c", 11.8),
        ("[Carried forward from 02/2024 note] DM2 - poorly controlled, A1c 9.6% (02/2024). "
         "Labs 09/12/2026: A1c 6.9%, DM2 now well controlled.", "contra.uncontrolled_diabetes",
         False),
        ("DM2 poorly controlled, A1c 9.6% on 09/12/2026.", "contra.uncontrolled_diabetes", True),
        # a value's own time told later in its clause, and said to be the first one
        ("Weight 253 lb with a BMI of 35.3 when I first met him (08/2025). With semaglutide he is "
         "now 232 lb, BMI 32.4 (measured here 10/06/2026).", "patient.bmi", 32.4),
        ("BMI 35.3 when I first met him. Now BMI 32.4.", "patient.bmi", 32.4),
        ("BMI 36.1 today; was 33.0 in 2024.", "patient.bmi", 36.1),
    ],
)  # fmt: skip
def test_the_latest_reading_stands(text: str, name: str, expected: object) -> None:
    assert value(facts(f"HPI: low back pain.\n{text}", code="62323"), name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Recent illness: flu 9/24-9/29 w/ fever to 102.1. Fever resolved 9/29, feels back to "
         "baseline. Afebrile today.", "contra.systemic_infection", False),
        ("Fever to 101 last night, febrile today.", "contra.systemic_infection", True),
        ("C-spine MRI from 03/2025 (neck strain after MVA), not related.", "contra.acute_trauma",
         None),
        ("Back pain since an MVA on 08/28/2026.", "contra.acute_trauma", True),
        ("Medication list (imported from EHR 11/2024 - not reconciled): rivaroxaban 20 mg daily. "
         "Not on any anticoagulant or antiplatelet agent.", "contra.anticoagulant", False),
        ("Medication list: rivaroxaban 20 mg daily. Not on any antiplatelet agent.",
         "contra.anticoagulant", True),
        ("He finished his course of rivaroxaban in August 2025 and has been off all "
         "anticoagulants since.", "contra.anticoagulant", False),
        ("There was talk of putting her on Eliquis, but it was never started.",
         "contra.anticoagulant", False),
        ("Anticoagulant / antiplatelet:  [ ] Yes - hold plan attached   [X] No",
         "contra.anticoagulant", False),
        ("Anticoagulant / antiplatelet:  [X] Yes - hold plan attached   [ ] No",
         "contra.anticoagulant", True),
        ("No new weakness or numbness.", "neuro.new_neurologic_deficit", False),
        ("New weakness of ankle dorsiflexion since last week.", "neuro.new_neurologic_deficit",
         True),
    ],
)  # fmt: skip
def test_a_passing_state_is_read_as_of_today(text: str, name: str, expected: object) -> None:
    found = documents_facts(("Office note", "2026-10-08", f"HPI: low back pain.\n{text}"),
                            code="62323")  # fmt: skip
    assert value(found, name) == expected


_SCS = "HPI: SCS implanted 2024, leg pain controlled until spring.\n"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Loss of L foot coverage - suspect L lead migration; x-ray ordered.",
         "stimulator.hardware_complication", None),
        ("X-ray: No lead migration. Leads unchanged.", "stimulator.hardware_complication", False),
        ("X-ray: the left lead has migrated two levels caudally.",
         "stimulator.hardware_complication", True),
        ("CT: solid fusion, no hardware failure.", "stimulator.hardware_complication", None),
        ("IPG site: pain over the generator; device flips in the pocket.",
         "stimulator.generator_site_complication", True),
    ],
)  # fmt: skip
def test_a_stimulator_complication_as_found(text: str, name: str, expected: object) -> None:
    assert value(facts(_SCS + text, code="63688"), name) == expected


@pytest.mark.parametrize(
    ("assessment", "radiculopathy"),
    [
        # a radiculopathy the note says resolved outranks the history that names it
        ("3. L L5 radiculopathy (M54.16) - RESOLVED after TFESI 6/16; neuro exam normal today.",
         False),
        ("3. L L5 radiculopathy (M54.16) - resolved after TFESI 6/16, now recurred.", True),
        ("3. L L5 radiculopathy (M54.16) - improving after TFESI 6/16.", True),
    ],
)  # fmt: skip
def test_a_resolution_in_the_assessment_outranks_the_history(
    assessment: str, radiculopathy: bool
) -> None:
    note = (
        "HPI: 44 yo followed since April for L L5 radiculopathy from a L4-5 disc.\n"
        f"ASSESSMENT:\n1. Axial low back pain.\n{assessment}"
    )
    assert value(facts(note), "neuro.radiculopathy") is radiculopathy


@pytest.mark.parametrize(
    ("history", "radicular"),
    [
        # a condition told as what led to an operation years back is the state then
        ("Had bilateral leg pain with walking in 2018-19 -> L4-5 laminectomy 04/2019.", None),
        ("Bilateral leg pain with walking since the spring, worse this month.", True),
    ],
)
def test_a_condition_that_led_to_an_operation_is_then(history: str, radicular: bool | None) -> None:
    note = f"HPI: central low back pain.\n{history}"
    assert value(facts(note), "neuro.radicular_pain") is radicular
