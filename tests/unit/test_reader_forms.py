"""Reader concepts of forms, letters and numbers: request-form checkboxes, review-of-systems
negatives, relief time points and stated totals, the patient's words against the clinician's,
contrast and improvement on forms, booking language, day-first dates, weekly habits.
"""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts
from tests.reader_facts import facts as _facts
from tests.reader_facts import si_facts as _si_facts
from tests.reader_facts import value as _value

# --- request-form checkboxes (drafting.extraction.clinical_nlp.checkboxes) ------------------


def _verdicts(text: str, category: str) -> list[tuple[bool, bool]]:
    from drafting.extraction.clinical_nlp import annotate

    return [
        (m.negated, m.hypothetical) for s in annotate(text).sentences for m in s.mentions(category)
    ]


@pytest.mark.parametrize(
    ("line", "verdict"),
    [
        ("History of cancer?   Yes [ ]  No [X]", (True, False)),
        ("History of cancer?   Yes [x]  No [ ]", (False, False)),
        ("History of cancer?   No [x] / Yes [ ]", (True, False)),
        ("History of cancer?   Y [ ] N [ ]", (False, True)),
        ("Screen:  [ ] cancer   [x] diabetes", (False, True)),
        ("Screen:  ☒ cancer   ☐ diabetes", (False, False)),
    ],
)
def test_checkbox_answers(line: str, verdict: tuple[bool, bool]) -> None:
    assert _verdicts(line, "contra.malignancy") == [verdict]


def test_a_line_without_boxes_keeps_its_context() -> None:
    assert _verdicts("No history of cancer.", "contra.malignancy") == [(True, False)]
    assert _verdicts("History of cancer (breast, 2015).", "contra.malignancy") == [(False, False)]


@pytest.mark.parametrize(
    "line", ["ROS: negative for fever, chills", "General: neg fever or chills"]
)
def test_review_of_systems_negatives(line: str) -> None:
    assert all(negated for negated, _ in _verdicts(line, "contra.systemic_infection"))
    assert _verdicts(line, "contra.systemic_infection")


def test_a_stated_fever_is_affirmed() -> None:
    assert _verdicts("Fever to 39 C since Tuesday.", "contra.systemic_infection") == [
        (False, False)
    ]


# --- relief time points and stated totals --------------------------------------------------


@pytest.mark.parametrize(
    ("window", "months"),
    [
        ("At the six-week follow-up she reported 70% relief.", None),
        ("Three weeks after the block: 90% better.", None),
        ("2 wk f/u: 60% relief.", None),
        ("Relief of about 70% lasting four months.", 4.0),
        ("Good relief (80%) that lasted 10 weeks.", 2.3),
    ],
)
def test_a_time_point_is_not_a_relief_duration(window: str, months: float | None) -> None:
    from drafting.extraction.rules.event_attributes import relief_months

    got = relief_months(window, None)
    assert got == (None if months is None else pytest.approx(months, rel=0.05))


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("Depo-Medrol 40 mg/1 mL and 1 mL lidocaine, roughly 2.5 cc in total", 2.5),
        ("injectate: 1 mL + 0.5 mL", 1.5),
        ("total volume approx. 3 mL", 3.0),
        # contrast is the imaging, not the injectate
        ("0.3 cc of Omnipaque confirmed the joint, then bupivacaine 1 cc and Kenalog 1 cc", 2.0),
        ("Isovue 0.5 mL; 2 mL of the steroid mixture", 2.0),
        ("1.5 mL of nonionic contrast dye followed by 1 mL dexamethasone", 1.0),
        # a whole told with its parts is the whole; parts that do not add up are volumes
        ("2 mL solution containing 1 mL triamcinolone and 1 mL ropivacaine", 2.0),
        ("3 cc injectate (composed of 2 cc lidocaine + 1 cc Depo-Medrol)", 3.0),
        ("1 mL of the mixture, then a further 1 mL of bupivacaine at the second joint", 2.0),
        ("2 mL mixture of 1 mL steroid and 0.5 mL anesthetic", 3.5),
    ],
)
def test_a_stated_total_volume_outranks_the_sum(text: str, volume: float) -> None:
    from drafting.extraction.rules.planned import _volume

    assert _volume(text) == volume


# --- patient's words against the clinician's, forms and letters ----------------------------------


def test_the_clinicians_explicit_assessment_outranks_the_patients_words() -> None:
    text = (
        'HPI: right buttock pain. She says it is "burning down my leg".\n'
        "Assessment: referred sacroiliac pain, stops above the knee -> not radicular."
    )
    assert _value(_si_facts(text), "neuro.radicular_pain") is False


def test_a_clinicians_own_finding_of_radiating_pain_stands() -> None:
    text = (
        "HPI: pain radiating down the posterior thigh to the heel.\n"
        "Assessment: lumbar strain, not radicular per the patient's preference."
    )
    assert _value(_facts(text, code="62323"), "neuro.radicular_pain") is True


_FORM = (
    "Prior authorization request form",
    "2026-04-15",
    "Service requested: 64483 TFESI L5-S1\nDiagnosis: M54.16 Radiculopathy, lumbar region\n"
    "Clinical indication (check):  [x] Radicular pain   [ ] Neurogenic claudication\n",
)


@pytest.mark.parametrize(
    ("hpi", "radicular"),
    [
        # the clinician's explicit denial outranks the form's tick and the billing label
        ("Low back pain x 5 months. Does not radiate. Denies leg pain or numbness.\n"
         "A/P: 1. Low back pain, axial. 2. Lumbar radiculopathy (M54.16)", False),
        # with no denial in the notes the form's tick stands
        ("Low back pain x 5 months.\nA/P: low back pain. L5-S1 TFESI.", True),
    ],
)  # fmt: skip
def test_a_request_forms_tick_yields_to_the_clinicians_denial(hpi: str, radicular: bool) -> None:
    found = documents_facts(("Office note", "2026-04-14", f"HPI: {hpi}"), _FORM, code="64483")
    assert _value(found, "neuro.radicular_pain") is radicular
    assert (_value(found, "neuro.radiculopathy") is None) is (not radicular)


def test_buttock_pain_lies_below_l5() -> None:
    assert _value(_si_facts("HPI: left gluteal pain for 6 months."), "si.pain_below_l5") is True
    assert _value(_si_facts("HPI: neck pain for 6 months."), "si.pain_below_l5") is None


@pytest.mark.parametrize(
    ("line", "contrast"),
    [
        ("Plan: right SI joint injection under fluoroscopy. Contrast: [x] Yes  [ ] No", True),
        ("Plan: right SI joint injection under fluoroscopy. Contrast: Yes [ ] No [x]", False),
    ],
)
def test_contrast_answered_on_a_form(line: str, contrast: bool) -> None:
    assert _value(_si_facts(f"HPI: buttock pain.\n{line}"), "planned.contrast") is contrast


@pytest.mark.parametrize(
    "sentence",
    ["Outcome measures unchanged at discharge.", "No further benefit expected from therapy."],
)
def test_unchanged_outcomes_are_no_significant_improvement(sentence: str) -> None:
    facts = _facts(f"HPI: back pain. Six weeks of physical therapy. {sentence}")
    assert _value(facts, "conservative.no_significant_improvement") is True


def test_a_booked_procedure_in_a_letter_is_planned_not_prior() -> None:
    facts = _si_facts("HPI: buttock pain. I have booked her for a left sacroiliac joint injection.")
    assert _value(facts, "planned.procedure_type") == "si_injection"
    assert not facts.procedures.prior


@pytest.mark.parametrize(
    "line",
    [
        "Procedure: [x] Sacroiliac joint injection (CPT 27096)  [ ] Medial branch block",
        "Has she had a sacroiliac joint injection before?  Yes [ ]  No [x]",
    ],
)
def test_a_forms_selection_or_question_is_not_a_prior_procedure(line: str) -> None:
    facts = _si_facts(f"HPI: buttock pain for 4 months.\n{line}")
    assert not facts.procedures.prior


def test_day_first_dates_when_the_text_can_only_be_day_first() -> None:
    from drafting.extraction.quantities import find_dates

    assert [d.value.isoformat() for d in find_dates("seen 21/05/2026 and 02/06/2026")] == [
        "2026-05-21",
        "2026-06-02",
    ]
    assert [d.value.isoformat() for d in find_dates("seen 05/06/2026")] == ["2026-05-06"]


def test_a_box_answering_no_negates_a_prior_procedure() -> None:
    facts = _facts("HPI: back pain for a year.\nPrior radiofrequency ablation here: Yes [ ] No [x]")
    assert not any(e.type == "rfa_medial_branch" for e in facts.procedures.prior or [])


def test_facet_tenderness_over_listed_levels() -> None:
    facts = _facts("HPI: axial back pain.\nExam: TTP R L3-4 & L4-5 facets, worse on extension.")
    assert _value(facts, "facet.exam_consistent") is True


def test_w_slash_o_negates_like_without() -> None:
    facts = _facts("Assessment: lumbar spondylosis w/o myelopathy (M47.816).")
    assert _value(facts, "neuro.myelopathy") is not True


def test_a_weekly_habit_is_not_a_duration() -> None:
    from drafting.extraction.quantities import find_durations

    assert find_durations("she walks four or five mornings a week") == []
    assert [d.weeks for d in find_durations("walked for a week")] == [1.0]


def test_relief_still_reported_later_lasted_until_then() -> None:
    from datetime import date

    from drafting.extraction.rules.event_attributes import relief_months as _relief_months
    from drafting.extraction.rules.event_attributes import (
        still_better_months as _still_better_months,
    )

    assert _relief_months("At her follow-up three weeks later: 80% better.", None) is None
    assert _still_better_months(
        "On 07/20/2026 she is still 70% better.", date(2026, 3, 20), date(2026, 8, 1)
    ) == pytest.approx(4.0, abs=0.05)
    assert _still_better_months("She is better.", date(2026, 3, 20), date(2026, 8, 1)) is None


@pytest.mark.parametrize(
    ("consult", "completed"),
    [
        # the form only points to the consult, whose examination was not performed
        ("PHYSICAL EXAMINATION: Not performed. This was a video visit.", False),
        # the consult records findings: the examination was done
        ("PHYSICAL EXAMINATION: SLR positive right at 40 degrees, EHL 4/5 right, reflexes 2+.",
         True),
    ],
)  # fmt: skip
def test_a_forms_pointer_to_the_consult_is_no_examination(consult: str, completed: bool) -> None:
    form = (
        "Prior authorization request form",
        "2026-06-02",
        "Service requested: 62323\n"
        "Physical exam findings (SLR, motor, sensory, reflexes):  see consult note\n",
    )
    found = documents_facts(("Telehealth consult", "2026-05-28", consult), form, code="62323")
    assert _value(found, "neuro.physical_exam_completed") is completed


@pytest.mark.parametrize(
    ("line", "myelopathy"),
    [
        ("Myelopathy screen: denies gait change/imbalance, denies dropping things.", False),
        ("Myelopathy screen: positive Hoffmann on the left, wide-based gait.", True),
        ("Myelopathy sx: none - no gait change, no dexterity loss.", False),
    ],
)
def test_a_myelopathy_screen_answered_with_denials(line: str, myelopathy: bool) -> None:
    found = _facts(f"HPI: left arm pain, C6.\n{line}\nPlan: C6-7 ILESI.", code="62321")
    assert _value(found, "neuro.myelopathy") is myelopathy


@pytest.mark.parametrize(
    ("note", "pt", "weeks"),
    [
        # an order is what was prescribed, and the clinician says it was never attended
        ("Order: PT eval & treat, L SIJ dysfunction, 2x/wk x 6 wks.\nPCP referred her to PT in "
         "April - she never went.", False, None),
        ("Rx: physical therapy 2x/week for 6 weeks. He never attended PT.", False, None),
        # therapy done, told as done
        ("She completed PT 2x/wk x 6 wks (04/2026-05/2026) with little change.", True, 6.0),
    ],
)  # fmt: skip
def test_an_order_for_therapy_is_not_therapy_done(note: str, pt: bool, weeks: float | None) -> None:
    form = (
        "Prior authorization request form",
        "2026-08-20",
        "Conservative care: [X] Physical therapy     dates: 04/2026 ->\n",
    )
    found = documents_facts(("Office note", "2026-08-11", f"HPI: left buttock pain.\n{note}"),
                            form, code="27096")  # fmt: skip
    assert _value(found, "conservative.pt_formal") is pt
    assert _value(found, "conservative.pt_weeks") == weeks


@pytest.mark.parametrize(
    ("line", "osteoporosis"),
    [
        # a form's label and its boxes are one line, whatever the dotted leader's full stop
        ("Osteoporosis (T <= -2.5) / fragility fx / metab bone . [ ] Yes  [X] No   T-score: -1.4",
         False),
        ("Osteoporosis (T <= -2.5) / fragility fx / metab bone . [X] Yes  [ ] No   T-score: -2.9",
         True),
    ],
)  # fmt: skip
def test_a_forms_line_split_at_its_box_is_read_whole(line: str, osteoporosis: bool) -> None:
    found = _facts(f"HPI: central low back pain, vertebrogenic.\n{line}", code="64628")
    assert _value(found, "bvn.osteoporosis") is osteoporosis


def test_a_services_table_row_is_the_request_not_a_prior_procedure() -> None:
    form = (
        "PRIOR AUTHORIZATION REQUEST\nSECTION 3 - SERVICES\n"
        "| CPT/HCPCS | Description | Level(s) | Side | Units |\n"
        "| 64628     | Thermal destruction intraosseous basivertebral nerve, first 2 VBs | L4, L5 "
        "| n/a | 1 |\n"
    )
    found = documents_facts(
        ("Prior authorization request", "2026-09-10", form),
        ("Clinic note", "2026-09-01", "HPI: central low back pain for 3 years, Modic 1 L5-S1."),
        code="64628",
    )
    assert not [e for e in found.procedures.prior or [] if e.type == "bvn_ablation"]


@pytest.mark.parametrize(
    ("tail", "kinds"),
    [
        # a procedure named and then not taken
        ("RFA not pursued.", ["mbb"]),
        ("RFA was never performed.", ["mbb"]),
        ("RFA 02/2026 with 80% relief.", ["mbb", "rfa_medial_branch"]),
    ],
)
def test_a_procedure_not_pursued_is_none_done(tail: str, kinds: list[str]) -> None:
    note = (
        "HPI: central low back pain.\nPrior care:\n - Bilateral L4-5/L5-S1 medial branch blocks "
        f"x1 at an outside clinic 11/2025 - pt recalls maybe 20 percent for an hour, {tail}"
    )
    found = _facts(note, code="64628")
    assert sorted({e.type for e in found.procedures.prior or []}) == kinds


@pytest.mark.parametrize(
    ("line", "fused"),
    [
        # a fused joint of the other side than the requested (left) one is not the requested joint
        ("Prior SI fusion: RIGHT (2023) - injection requested on LEFT.", None),
        ("Prior SI fusion: LEFT (2023).", True),
    ],
)
def test_a_fused_joint_of_the_other_side(line: str, fused: bool | None) -> None:
    assert _value(_si_facts(f"HPI: L buttock pain.\n{line}"), "si.joint_previously_fused") is fused
