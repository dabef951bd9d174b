"""Screens, judgments and plans as offices write them (blind F831-F850): a red-flag row answered
after dot leaders, a clinician's "I consider ... contraindicated", a scheduling sheet's procedure
that is still to be done, a pregnancy screen answered by the patient's state, a clinician's own
read of outside images, and therapy that has not begun (positive and negated forms)."""

from __future__ import annotations

import pytest

from drafting.extraction.rules import extract_facts
from tests.reader_facts import documents_facts, facts, note_case, value


@pytest.mark.parametrize(
    ("row", "fact", "expected"),
    [
        ("Fever/chills ....... N      Hx cancer ........... N      IVDU ...... N",
         "contra.malignancy", False),
        ("Fever/chills ....... N      Hx cancer ........... Y      IVDU ...... N",
         "contra.malignancy", True),
        ("Saddle numbness .... N      Urinary retention ... N", "contra.cauda_equina", False),
        ("Trauma (fall/MVC) .. Y", "contra.acute_trauma", True),
    ],
)  # fmt: skip
def test_a_screen_row_answered_after_dot_leaders(row: str, fact: str, expected: bool) -> None:
    found = facts(
        f"HPI: L leg pain for 2 months.\nRED FLAG SCREEN\n{row}\nPlan: L5 TFESI.", "64483"
    )
    assert value(found, fact) is expected


@pytest.mark.parametrize(
    ("sentence", "contraindicated"),
    [
        (
            "For her I consider medial branch denervation contraindicated (multifidus atrophy).",
            True,
        ),
        ("We consider radiofrequency neurotomy contraindicated given her age.", True),
        # a plan to think about it, or a question, is not a judgment made
        ("Would consider whether denervation is contraindicated after imaging.", None),
        ("Consider RFA later if the blocks are positive.", None),
    ],
)
def test_a_clinicians_judgment_is_not_a_hypothesis(
    sentence: str, contraindicated: bool | None
) -> None:
    found = facts(f"HPI: axial low back pain.\nA/P: {sentence}", code="64493")
    assert value(found, "facet.denervation_contraindicated") is contraindicated


@pytest.mark.parametrize(
    ("title", "header", "events"),
    [
        # a scheduling sheet's procedure still to be done
        ("Procedure scheduling sheet",
         "Procedure: bilat L4-5 IA facet injections\nRequested DOS: 11/02/2026 (pending auth)", 0),
        ("Pre-procedure screen",
         "Procedure: bilat L4-5 IA facet injections\nStatus: pending authorization", 0),
        # a form's procedure row, dot leaders and code, is the request
        ("Pre-cert checklist", "Procedure ............ IA facet injections, bilat L4-5 (64493)", 0),
        # a procedure record's procedure was done
        ("Procedure note",
         "Procedure: bilat L4-5 IA facet injections\nDOS: 08/02/2026. Tolerated well.", 1),
    ],
)  # fmt: skip
def test_a_procedure_still_pending_is_not_one_done(title: str, header: str, events: int) -> None:
    sheet = (title, "2026-10-07", f"{header}\nAllergies: none.")
    visit = ("Office note", "2026-09-16", "HPI: axial low back pain.\nPlan: IA facet injections.")
    found = documents_facts(visit, sheet, code="64493")
    assert len([e for e in found.procedures.prior or [] if e.type == "facet_ia"]) == events


@pytest.mark.parametrize(
    ("line", "pregnant"),
    [
        ("Pregnancy screen: post-menopausal - N/A", False),
        ("Pregnancy test: N/A (s/p hysterectomy)", False),
        ("She is 24 weeks pregnant, followed by OB.", True),
        ("Currently pregnant (G2P1, 20 wks).", True),
    ],
)
def test_a_pregnancy_screen_answered_by_the_patients_state(line: str, pregnant: bool) -> None:
    assert value(facts(f"HPI: R buttock pain.\n{line}\nPlan: SI injection.", "27096"),
                 "patient.pregnant") is pregnant  # fmt: skip


@pytest.mark.parametrize(
    ("citation", "radiologist"),
    [
        # a clinician's review of an outside center's images is no radiologist's report
        ("MRI L-spine 08/09/2026, Lakeshore Open MRI: per Dr. Osei's review of the images, "
         "severe R L4-5 foraminal stenosis.", None),
        ("MRI L-spine 08/09/2026 at Lakeshore Open MRI: severe R L4-5 foraminal stenosis.", True),
    ],
)  # fmt: skip
def test_a_clinicians_read_of_outside_images(citation: str, radiologist: bool | None) -> None:
    case = note_case(("Spine surgery consult", "2026-09-01", f"HPI: R leg pain.\n{citation}"),
                     code="64483")  # fmt: skip
    [study] = extract_facts(case).imaging.studies or []
    assert study.independent_radiologist is radiologist


@pytest.mark.parametrize(
    ("line", "pt"),
    [
        # therapy not begun, or only booked, is not care given
        ("PT: referral placed 9/29 - has NOT started.", False),
        ("First eval scheduled 10/20 at Coastal PT.", None),
        ("Will start PT next week.", None),
        # therapy that has begun
        ("PT started 9/29, 4 visits so far.", True),
        ("PT x 6 wks; the home program has not started.", True),
    ],
)
def test_therapy_not_begun_is_not_care_given(line: str, pt: bool | None) -> None:
    found = facts(f"HPI: L leg pain for 6 weeks.\n{line}\nPlan: L4-5 ILESI.", code="62323")
    assert value(found, "conservative.pt_formal") is pt


@pytest.mark.parametrize(
    ("paragraph", "prior_rfa"),
    [
        # a letter's paragraph opened by "Proposal." is the plan
        ("Proposal. Right C4/5 and C5/6 medial branch radiofrequency neurotomy, using thermal "
         "lesioning at 80 degrees Celsius.", 0),
        ("Plan. Right C4/5 medial branch radiofrequency neurotomy under fluoroscopy.", 0),
        # a paragraph that tells of one done
        ("History. Right C4/5 medial branch radiofrequency neurotomy in 03/2024 gave a year of "
         "relief.", 1),
    ],
)  # fmt: skip
def test_a_letters_paragraph_heading(paragraph: str, prior_rfa: int) -> None:
    letter = ("Letter of support", "2026-09-01",
              f"Dear Dr. Amadi,\n\nThank you for seeing Ms. Ruiz with neck pain.\n\n{paragraph}\n\n"
              "Yours sincerely,\nDr. Lee")  # fmt: skip
    found = documents_facts(letter, code="64633")
    events = [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert len(events) == prior_rfa
