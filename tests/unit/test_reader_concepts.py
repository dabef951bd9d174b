"""Reader concepts added for notes this project did not write: each tested on phrasings that are
not taken from the case that prompted it, in positive and negated (or open) form.

- radicular pain stated as absent when the pain is said to stay in the spine;
- facet-mediated pain on exam: tenderness over the facet joints, pain reproduced by loading them;
- a finished physical-therapy course: "completed", "discharged from", or a past course of stated
  length outside the plan (an open course is not finished).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from criteria.facts import CaseFacts
from drafting.case.loaders import parse_case_json
from drafting.extraction.rules import extract_facts


def _facts(text: str, code: str = "64493") -> CaseFacts:
    data: dict[str, Any] = {
        "case_id": "T2",
        "received": "2026-09-14",
        "patient": {"age": 60, "sex": "M"},
        "request": {
            "services": [{"code": code, "description": "test", "side": "left", "levels": []}],
            "diagnoses": [{"code": "M47.816", "description": "test"}],
        },
        "documents": [{"title": "Office note", "date": "2026-09-01", "text": text}],
    }
    return extract_facts(parse_case_json(json.dumps(data)))


def _value(facts: CaseFacts, name: str) -> Any:
    fact = facts.get(name)
    return None if fact is None else fact.value


@pytest.mark.parametrize(
    "sentence",
    [
        "Her back pain never spreads to the legs.",
        "The ache is confined to the lower back.",
        "He has no radiating symptoms.",
        "Pain remains localised to the neck; it doesn't shoot into his arms.",
    ],
)
def test_pain_kept_in_the_spine_is_radicular_pain_absent(sentence: str) -> None:
    assert (
        _value(_facts(f"HPI: 3 years of low back pain. {sentence}"), "neuro.radicular_pain")
        is False
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Pain travels into the left leg to the ankle.",
        "Back pain radiating down the posterior thigh.",
    ],
)
def test_pain_reaching_a_limb_is_radicular_pain(sentence: str) -> None:
    assert _value(_facts(f"HPI: low back pain. {sentence}"), "neuro.radicular_pain") is True


@pytest.mark.parametrize(
    "exam",
    [
        "Exam: marked tenderness at the right L3-4 facet joints.",
        "Exam: zygapophyseal joint tenderness bilaterally at L5-S1.",
        "Exam: symptoms are reproduced by oblique extension to the left.",
    ],
)
def test_facet_exam_findings(exam: str) -> None:
    facts = _facts(f"HPI: axial low back pain for a year.\n{exam}")
    assert _value(facts, "facet.exam_consistent") is True


def test_a_tender_spinous_process_is_not_a_facet_finding() -> None:
    facts = _facts("HPI: axial low back pain for a year.\nExam: tenderness over the coccyx.")
    assert _value(facts, "facet.exam_consistent") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "She completed a course of physical therapy with no lasting benefit.",
        "Physical therapy for six weeks in the spring did not help.",
        "Discharged from physical therapy last month without improvement.",
    ],
)
def test_finished_physical_therapy_course(sentence: str) -> None:
    facts = _facts(f"HPI: axial low back pain. {sentence} Takes ibuprofen.")
    assert _value(facts, "conservative.completed") is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Currently attending physical therapy for four weeks so far.",
        "We will start physical therapy for six weeks.",
        "Referred to physical therapy for eight weeks.",
    ],
)
def test_open_or_planned_physical_therapy_is_not_finished(sentence: str) -> None:
    facts = _facts(f"HPI: axial low back pain. {sentence} Takes ibuprofen.")
    assert _value(facts, "conservative.completed") is not True


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
    ],
)
def test_a_stated_total_volume_outranks_the_sum(text: str, volume: float) -> None:
    from drafting.extraction.rules.planned import _volume

    assert _volume(text) == volume


# --- sacroiliac exam and history; physiotherapy records ------------------------------------


def _si_facts(text: str) -> CaseFacts:
    return _facts(text, code="27096")


@pytest.mark.parametrize(
    "sentence",
    [
        "The ache is centred across the right SI joint area.",
        "Typical SIJ-mediated pain on the left.",
    ],
)
def test_pain_placed_over_the_sacroiliac_joint(sentence: str) -> None:
    assert _value(_si_facts(f"HPI: buttock pain for 5 months. {sentence}"), "si.pain_over_si_joint")


def test_lumbar_pain_is_not_placed_over_the_sacroiliac_joint() -> None:
    facts = _si_facts("HPI: central lumbar pain at L3 for 5 months.")
    assert _value(facts, "si.pain_over_si_joint") is None


@pytest.mark.parametrize(
    ("exam", "expected"),
    [
        (
            "Exam: FABER and Gaenslen manoeuvres were both positive on the right.",
            {"faber", "gaenslen"},
        ),
        ("Exam: sacral thrust provokes the familiar buttock pain.", {"sacral_thrust"}),
        ("Exam: FABER and Gaenslen were negative.", None),
    ],
)
def test_provocative_tests_named_in_a_list(exam: str, expected: set[str] | None) -> None:
    found = _value(_si_facts(f"HPI: right buttock pain.\n{exam}"), "si.provocative_tests_positive")
    assert (
        None if found is None else {n.lower().replace(" ", "_").removesuffix("'s") for n in found}
    ) == expected


def test_a_physiotherapy_discharge_letter_is_a_finished_course() -> None:
    data: dict[str, Any] = {
        "case_id": "T3",
        "received": "2026-09-14",
        "patient": {"age": 60, "sex": "F"},
        "request": {
            "services": [{"code": "27096", "description": "t", "side": "left", "levels": []}],
            "diagnoses": [{"code": "M53.3", "description": "t"}],
        },
        "documents": [
            {"title": "Clinic letter", "date": "2026-09-01", "text": "Buttock pain for 6 months."},
            {
                "title": "Physiotherapy summary",
                "date": "2026-08-01",
                "text": "Seen for 7 sessions over nine weeks. Discharged with a home programme.",
            },
        ],
    }
    facts = extract_facts(parse_case_json(json.dumps(data)))
    assert _value(facts, "conservative.completed") is True


# --- more concepts met on notes the project did not write ---------------------------------


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Breast cancer treated with radiation in 2019.", None),
        ("He completed radiation therapy for prostate cancer.", None),
        ("The pain has radiation into the right calf.", True),
    ],
)
def test_radiation_as_a_treatment_is_not_radiating_pain(sentence: str, radicular: bool) -> None:
    facts = _facts(f"HPI: low back pain for a year. {sentence}", code="62323")
    assert _value(facts, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("sentence", "score"),
    [("Today he rates it a 4.", 4.0), ("She rated her back pain at eight.", 8.0)],
)
def test_a_rating_verb_gives_a_pain_score(sentence: str, score: float) -> None:
    assert _value(_facts(f"HPI: low back pain. {sentence}"), "pain.score") == score


def test_a_rating_of_days_is_not_a_pain_score() -> None:
    assert _value(_facts("HPI: low back pain. He rates it a 3 day problem."), "pain.score") is None


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Her symptoms have steadily improved with therapy.", False),
        ("None of it has helped her.", True),
        ("Physical therapy did not change the pain.", True),
    ],
)
def test_response_to_conservative_care(sentence: str, value: bool) -> None:
    facts = _facts(f"HPI: back pain. Eight weeks of physical therapy. {sentence}")
    assert _value(facts, "conservative.no_significant_improvement") is value


def test_a_failed_stimulator_is_read_when_a_stimulator_is_requested() -> None:
    facts = _facts(
        "HPI: leg pain after two fusions. A spinal cord stimulator placed in 2022 did not help.",
        code="63650",
    )
    assert _value(facts, "stimulator.trial_failed") is True


def test_a_stimulator_that_helped_is_not_a_failed_trial() -> None:
    facts = _facts("HPI: leg pain. His stimulator trial gave 70% relief.", code="63650")
    assert _value(facts, "stimulator.trial_failed") is not True


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("Office note", "Completed 6 weeks of physical therapy.", "clinic"),
        ("Physiotherapy discharge summary", "Seen 8 times.", "pt"),
        ("Scan", "MRI LUMBAR SPINE REPORT\nFindings: ...", "imaging"),
    ],
)
def test_document_kind_from_title_then_header(title: str, text: str, kind: str) -> None:
    from drafting.extraction.rules.reader import document_kind

    assert document_kind(title, text) == kind


def test_crps_signs_are_read_when_the_request_is_a_sympathetic_block() -> None:
    text = (
        "HPI: burning left foot pain since an ankle sprain; she reports swelling, colour change.\n"
        "Exam: allodynia over the dorsum of the left foot; the left foot is visibly swollen."
    )
    facts = _facts(text, code="64520")
    assert _value(facts, "crps.sign_sensory") is True
    assert _value(facts, "crps.symptom_sudomotor_edema") is True


@pytest.mark.parametrize(
    ("sentence", "ongoing"),
    [
        ("She is enrolled in a functional restoration program.", True),
        ("He is currently doing physio twice a week.", True),
        ("She was discharged from physio in May.", None),
    ],
)
def test_ongoing_care(sentence: str, ongoing: bool | None) -> None:
    assert _value(_facts(f"HPI: back pain. {sentence}"), "conservative.ongoing") is ongoing


# --- imaging cited in dictation ----------------------------------------------------------------


def _findings(text: str) -> dict[str, dict[str, Any]]:
    facts = _facts(text, code="62323")
    studies = facts.imaging.studies or []
    return {
        f.level or "": {
            k: v for k, v in f.model_dump().items() if v not in (None, []) and k != "evidence"
        }
        for study in studies
        for f in study.findings
    }


def test_findings_described_after_a_cited_study_belong_to_it() -> None:
    text = (
        "HPI: back and leg pain. He brings an MRI of the lumbar spine from 03/02/2026. "
        "At L3-L4 there is moderate neural foraminal narrowing on the left. "
        "L4-L5 shows a broad-based protrusion compressing the right L5 root."
    )
    found = _findings(text)
    assert found["L3-L4"]["stenosis"] == "foraminal"
    assert found["L4-L5"]["root_compression"] is True


def test_a_new_paragraph_continues_the_study_only_when_it_refers_back() -> None:
    cited = "HPI: neck pain. Cervical MRI dated 02/10/2026 is reviewed.\n\n"
    refers = cited + "It shows severe foraminal stenosis at C5-C6 on the right."
    unrelated = cited + "At C5-C6 she had a fusion in 2015 with foraminal stenosis before it."
    assert _findings(refers)["C5-C6"]["stenosis"] == "foraminal"
    assert "C5-C6" not in _findings(unrelated)


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
