"""Reader concepts found on independent notes (session of 2026-12-05), each tested on phrasings
not taken from the case that prompted it, in positive and negated (or open) form."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from drafting.case.loaders import parse_case_json
from drafting.extraction.quantities.calendar import find_durations
from drafting.extraction.quantities.scores import find_percents
from drafting.extraction.rules import extract_facts
from drafting.extraction.rules.reader import document_kind
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


def _documents(*documents: tuple[str, str, str], code: str = "64635") -> Any:
    data: dict[str, Any] = {
        "case_id": "T3",
        "received": "2026-09-24",
        "patient": {"age": 55, "sex": "M"},
        "request": {
            "services": [{"code": code, "description": "test", "side": "left", "levels": []}],
            "diagnoses": [{"code": "M47.816", "description": "test"}],
        },
        "documents": [
            {"title": title, "date": when, "text": text} for title, when, text in documents
        ],
    }
    return extract_facts(parse_case_json(json.dumps(data)))


_BLOCK_ONE = (
    "Procedure note - MBB #1",
    "2026-07-08",
    "Procedure: Medial branch blocks, left L4-5 and L5-S1 facets. Agent: 2% lidocaine.\n"
    "Peak relief 86%. Duration of relief ~1.5-2 h, consistent with lidocaine.",
)


@pytest.mark.parametrize("reference", ["same targets as 07/08/2026", "compared with 07/08/2026"])
def test_a_date_the_procedure_is_compared_with_does_not_date_it(reference: str) -> None:
    second = (
        "Procedure note - MBB #2",
        "2026-07-22",
        f"Procedure: Medial branch blocks, left L4-5 and L5-S1 facets, {reference}. "
        "Agent: 0.5% bupivacaine.\nRelief about 90%, lasting five hours.",
    )
    events = _documents(_BLOCK_ONE, second).procedures.prior
    assert events is not None
    assert [(e.date.isoformat() if e.date else None, e.relief_percent) for e in events] == [
        ("2026-07-08", 86.0),
        ("2026-07-22", 90.0),
    ]
    assert events[1].levels == ["L4-L5", "L5-S1"]


def test_a_date_after_the_procedure_still_dates_it() -> None:
    found = _documents(
        (
            "Office note",
            "2026-09-01",
            "HPI: axial pain. Prior: left L4-5 MBB 07/08/2026, 85% relief.",
        )
    )
    assert [e.date.isoformat() for e in found.procedures.prior or [] if e.date] == ["2026-07-08"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Duration of relief ~1.5-2 h, consistent with lidocaine.", True),
        ("Relief lasted ~2 h, duration consistent w/ agent.", True),
        ("Relief lasted two days.", None),
    ],
)
def test_relief_consistent_with_the_agent_in_a_later_sentence(
    sentence: str, expected: bool | None
) -> None:
    note = (
        "Procedure note - MBB #1",
        "2026-07-08",
        "Procedure: Medial branch blocks, left L4-5 and L5-S1 facets. Agent: lidocaine.\n"
        + sentence,
    )
    events = _documents(note).procedures.prior or []
    assert [e.relief_consistent_with_agent for e in events] == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("RF sessions in the last 12 months (this region): 0", None),
        ("Relief lasted 6 months.", 6.0),
    ],
)
def test_a_look_back_window_is_not_a_relief_duration(sentence: str, expected: float | None) -> None:
    form = ("Request form", "2026-09-24", f"MBB #1 date: 07/08/2026 relief: 85%\n{sentence}")
    events = _documents(form).procedures.prior or []
    assert [e.relief_duration_months for e in events] == [expected]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Procedure follow-up", "clinic"),
        ("Procedure consult", "clinic"),
        ("Procedure note - L4-5 MBB", "procedure"),
        ("PROCEDURE: lumbar medial branch block", "procedure"),
    ],
)
def test_a_visit_after_a_procedure_is_a_clinic_note(title: str, kind: str) -> None:
    assert document_kind(title, "Seen today.") == kind


_BLOCK_LIST = (
    "Diagnostic blocks (local anesthetic only), left L3-4 and L4-5 medial branches:\n"
    "- 2026-05-04 first block with lidocaine 2%: 85% relief lasting 1 hour.\n"
    "- 2026-05-18 second block, same agent: 90% relief lasting 2 hours.\n"
)


def test_dated_items_under_a_header_that_names_the_procedure_are_events() -> None:
    events = _documents(("Follow-up", "2026-07-01", "HPI: axial pain.\n" + _BLOCK_LIST))
    prior = events.procedures.prior or []
    assert [(e.type, e.date.isoformat() if e.date else None, e.relief_percent) for e in prior] == [
        ("mbb", "2026-05-04", 85.0),
        ("mbb", "2026-05-18", 90.0),
    ]
    # the second block used "the same agent": judged by the lidocaine clock (2 h is within it)
    assert [e.relief_consistent_with_agent for e in prior] == [True, True]


def test_items_under_a_header_that_names_no_procedure_are_not_events() -> None:
    undated = _BLOCK_LIST.replace("medial branches", "levels")
    prior = _documents(("Follow-up", "2026-07-01", "HPI: axial pain.\n" + undated))
    assert not (prior.procedures.prior or [])


@pytest.mark.parametrize(
    ("sentence", "empty"),
    [
        ("No prior radiofrequency ablation.", False),
        ("No prior MBB/RFA/ESI.", True),
        ("No prior ESI/spinal inj.", True),
        ("He has never had a sympathetic block or any other nerve block.", True),
        ("No other spine procedure on the same day.", False),
    ],
)
def test_only_a_denial_of_procedures_as_a_whole_empties_the_list(
    sentence: str, empty: bool
) -> None:
    prior = _documents(("Office note", "2026-07-01", f"HPI: axial low back pain. {sentence}"))
    assert (prior.procedures.prior == []) is empty


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Her pain far exceeds what would be expected for the injury.", True),
        ("The pain is excessive for the injury she had.", True),
        ("The pain is what would be expected after this fracture.", None),
    ],
)
def test_pain_more_than_the_injury_explains_is_disproportionate(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: CRPS of the left hand after a wrist fracture. {sentence}", code="64510")
    assert value(found, "pain.disproportionate") is expected


@pytest.mark.parametrize(
    ("exam", "sign"),
    [
        ("left hand hypersensitive to light touch", "crps.sign_sensory"),
        ("she cannot tolerate the bed sheets on the left foot", "crps.sign_sensory"),
        ("left foot erythematous compared with the right", "crps.sign_vasomotor"),
        ("temperature asymmetry between the hands", "crps.sign_vasomotor"),
        ("left ankle oedema", "crps.sign_sudomotor_edema"),
        ("left hand swollen", "crps.sign_sudomotor_edema"),
        ("brittle nails on the left hand", "crps.sign_motor_trophic"),
        ("reduced grip on the left", "crps.sign_motor_trophic"),
    ],
)
def test_budapest_sign_categories_in_other_words(exam: str, sign: str) -> None:
    found = facts(f"HPI: CRPS of the left limb.\nExam: {exam}.", code="64510")
    assert value(found, sign) is True


@pytest.mark.parametrize(
    ("exam", "sign"),
    [
        ("no swelling of the left hand", "crps.sign_sudomotor_edema"),
        ("no allodynia or hypersensitivity to light touch", "crps.sign_sensory"),
    ],
)
def test_budapest_signs_stated_absent(exam: str, sign: str) -> None:
    found = facts(f"HPI: CRPS of the left limb.\nExam: {exam}.", code="64510")
    assert value(found, sign) is not True


@pytest.mark.parametrize(
    ("phrase", "months", "since"),
    [
        ("pain since last autumn", 12.0, "2025-09-01"),
        ("pain since the spring", 6.0, "2026-03-01"),
        ("pain since last fall", 12.0, "2025-09-01"),
        ("pain since fall 2024", 24.0, "2024-09-01"),
        ("pain since January of last year", 20.0, "2025-01-01"),
        ("pain since early March", 6.0, "2026-03-01"),
    ],
)
def test_relative_dates_resolve_against_the_note_date(
    phrase: str, months: float, since: str
) -> None:
    (found,) = find_durations(phrase, reference=date(2026, 9, 14))
    assert (found.months, found.since) == (months, date.fromisoformat(since))


def test_a_season_said_during_it_is_ambiguous_and_not_read() -> None:
    assert find_durations("pain since the fall", reference=date(2026, 9, 14)) == []


@pytest.mark.parametrize(
    ("sentence", "onset"),
    [
        ("Low back pain x ~2 yrs, worse since last winter.", None),
        ("Low back pain since last winter.", "2025-12-01"),
    ],
)
def test_a_worsening_date_is_not_the_onset(sentence: str, onset: str | None) -> None:
    found = value(facts(f"HPI: {sentence}"), "symptoms.onset_date")
    assert (found.isoformat() if found else None) == onset


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ("Plan: repeat the same L5-S1 interlaminar ESI, same approach and medication.", False),
        ("Plan: L5-S1 TFESI, same approach as the prior injection.", False),
        ("Plan: switch to a left L5-S1 transforaminal approach this time.", True),
        ("Plan: second ESI via a different approach (transforaminal).", True),
        ("Plan: L5-S1 TFESI at the same level as the disc herniation.", None),
    ],
)
def test_what_the_plan_says_of_the_next_epidurals_technique(
    plan: str, expected: bool | None
) -> None:
    found = facts(f"HPI: left leg pain; ESI 08/2026 gave 30% relief.\n{plan}", code="64483")
    assert value(found, "planned.differs_from_prior") is expected


def test_the_same_technique_in_the_history_is_not_the_plan() -> None:
    found = facts(
        "HPI: two ESIs in 2025 using the same approach as before.\nPlan: L5-S1 TFESI.",
        code="64483",
    )
    assert value(found, "planned.differs_from_prior") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tx: McKenzie trial (no centralization), HEP (compliant per log).", True),
        ("Tx: McKenzie trial, HEP - not compliant per log.", False),
    ],
)
def test_a_negation_inside_a_closed_aside_does_not_reach_past_it(text: str, expected: bool) -> None:
    found = facts(f"HPI: low back pain.\n{text}")
    assert value(found, "conservative.compliance_documented") is expected


@pytest.mark.parametrize("text", ["HPI: no (left) leg pain.", "HPI: Denies (as before) leg pain."])
def test_a_negation_before_an_aside_still_reaches_past_it(text: str) -> None:
    assert value(facts(text), "neuro.radicular_pain") is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FOLLOW-UP VISIT\nShe is seen back for her sciatica. She cannot walk the dogs more "
            "than a block and cannot sit through a movie.",
            ["walking", "sitting"],
        ),
        ("FOLLOW-UP VISIT\nShe is seen back for her sciatica. She walks two miles daily.", None),
    ],
)
def test_limits_told_in_a_follow_up_visit_are_impaired_activities(
    text: str, expected: list[str] | None
) -> None:
    assert value(facts(text), "function.adls_impaired") == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("relief of eighty per cent", [80.0]),
        ("80 PCT relief", [80.0]),
        ("about 75 Percent better", [75.0]),
        ("70-80% relief", [70.0]),
        ("pain 8/10, relief lasted 6 hours", []),
    ],
)
def test_percentages_with_every_sign_and_none_without_one(text: str, values: list[float]) -> None:
    assert [p.value for p in find_percents(text)] == values


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ("MRI lumbar spine 08/01/2026 showed no evidence of herniated disc.", [(None, False)]),
        ("MRI lumbar spine 08/01/2026: L4-5 disc herniation; no herniation at L5-S1.",
         [("L4-L5", True), ("L5-S1", False)]),
    ],
)  # fmt: skip
def test_a_negation_with_no_level_is_one_report_wide_finding(
    report: str, expected: list[tuple[str | None, bool]]
) -> None:
    studies = facts(f"HPI: low back and leg pain.\n{report}", code="62323").imaging.studies
    assert studies is not None
    assert [(f.level, f.herniation) for f in studies[0].findings] == expected


@pytest.mark.parametrize(
    ("phrase", "months"),
    [
        ("half a year", 6.0),
        ("just under three months", 2.85),
        ("nearly three months", 2.85),
        ("less than 3 months", 2.85),
        ("over three months", 3.0),
        ("three months", 3.0),
    ],
)
def test_durations_said_as_a_fraction_or_just_below_a_number(phrase: str, months: float) -> None:
    (found,) = find_durations(phrase)
    assert round(found.months, 2) == months


_TFESI_NOTE = (
    "Transforaminal epidural steroid injection",
    "2026-09-14",
    "PREOPERATIVE DIAGNOSIS: Lumbar radiculopathy.\n\nPROCEDURE: Left L5 transforaminal epidural "
    "steroid injection with 40 mg of Kenalog under fluoroscopic guidance.\n\nINDICATIONS: She "
    "has had two epidurals in the past with short-term relief.\n\nDETAILS: Omnipaque 1 mL "
    "showed spread along the L5 root; then Kenalog 40 mg was injected.",
)


def test_the_note_of_the_requested_service_is_the_planned_procedure() -> None:
    found = _documents(_TFESI_NOTE, code="64483")
    assert value(found, "planned.procedure_type") == "esi"
    assert value(found, "planned.approach") == "transforaminal"
    assert value(found, "planned.side") == "left"
    assert value(found, "planned.guidance") == "fluoroscopy"
    # the service under review is not a prior injection; the two earlier ones are
    assert all(e.date is None for e in found.procedures.prior or [])


@pytest.mark.parametrize(
    ("other", "code"),
    [
        (("Office note", "2026-09-01", "HPI: leg pain.\nPlan: left L5 TFESI."), "64483"),
        (("Follow-up", "2026-09-28", "HPI: 80% relief after the TFESI."), "64483"),
        (None, "64635"),  # the note is an epidural, the request an ablation
    ],
)
def test_a_procedure_note_that_is_not_the_requested_service_is_a_prior_procedure(
    other: tuple[str, str, str] | None, code: str
) -> None:
    documents = [_TFESI_NOTE, other] if other else [_TFESI_NOTE]
    found = _documents(*documents, code=code)
    dated = [e.date.isoformat() for e in found.procedures.prior or [] if e.date]
    assert dated == ["2026-09-14"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("PREOPERATIVE DIAGNOSIS: Cervical spondylosis.\nOPERATION PERFORMED: MBB.", "procedure"),
        ("DIAGNOSIS: Left sciatica.\n\nNAME OF OPERATION:\n1. Left L5-S1 TFESI.", "procedure"),
        ("HPI: back pain.\nPlan: procedure: left L5-S1 TFESI.", "clinic"),
    ],
)
def test_an_operative_report_is_a_procedure_note_by_its_headings(text: str, kind: str) -> None:
    assert document_kind("Lumbar epidural steroid injection", text) == kind


@pytest.mark.parametrize(
    ("line", "prior"),
    [
        ("Procedure:  ☒ Medial branch block   ☐ Intra-articular facet injection", []),
        ("Purpose: [x] Determine candidacy for radiofrequency neurotomy", []),
        ("Injections in the last 12 months: [x] MBB 07/08/2026", ["mbb"]),
        ("Previous RFA at these levels: Yes [x] No [ ] (03/2026)", ["rfa_medial_branch"]),
    ],
)
def test_a_ticked_form_option_is_the_request_and_a_history_field_is_history(
    line: str, prior: list[str]
) -> None:
    text = (
        "PRIOR AUTHORIZATION REQUEST\nSubmitted: 09/20/2026\nCPT: 64493 x1\n"
        f"{line}\nSymptom duration: 13 months\n"
    )
    form = ("Prior authorization request", "2026-09-20", text)
    found = _documents(form, code="64493")
    assert [e.type for e in found.procedures.prior or []] == prior


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Active alcohol use disorder, drinking daily.", True),
        ("Untreated opioid use disorder.", True),
        ("Hx alcohol use disorder - sustained remission since 2015.", False),
        ("Denies tobacco and illicit drug use.", False),
        ("History of alcohol use disorder.", None),
    ],
)
def test_only_an_addiction_said_to_be_active_or_untreated_counts(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: failed back surgery syndrome. {sentence}", code="63650")
    assert value(found, "stimulator.untreated_addiction") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Neurogenic claudication: legs heavy after one block, relieved by sitting.", True),
        ("Back pain worse walking downhill, better leaning on a shopping cart.", None),
    ],
)
def test_claudication_is_read_when_stated_not_inferred_from_posture(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: low back pain for a year. {sentence}")
    assert value(found, "neuro.neurogenic_claudication") is expected


@pytest.mark.parametrize(
    ("exam", "expected"),
    [
        ("EXAM: Sensation intact to LT and pinprick L4, L5, S1 bilat.", False),
        ("EXAM: Decreased sensation to pinprick in the left L5 dermatome.", True),
    ],
)
def test_the_exam_outranks_a_symptom_in_the_history(exam: str, expected: bool) -> None:
    found = facts(f"HPI: left leg pain. Occasional tingling outer shin.\n{exam}", code="62323")
    assert value(found, "neuro.dermatomal_sensory_change") is expected


def _study_levels(*documents: tuple[str, str, str]) -> list[list[str | None]]:
    studies = _documents(*documents, code="62323").imaging.studies or []
    return [[f.level for f in s.findings] for s in studies]


_REPORT = (
    "MRI lumbar spine report",
    "2026-08-29",
    "RADIOLOGY\nMRI LUMBAR SPINE\nFINDINGS:\nL3-4: Mild disc bulge and facet arthropathy.\n"
    "Electronically signed by the radiologist.",
)


@pytest.mark.parametrize(
    ("read", "levels"),
    [
        # a clinician's own read is superseded by the radiologist's report of the same study
        ("per my read of the images, L L4-5 disc herniation", [["L3-L4"]]),
        # a summary that does not say whose read it is joins the report it cites
        ("L3-4 mild bulge", [["L3-L4"]]),
    ],
)
def test_a_clinicians_own_read_never_fills_the_radiologists_report(
    read: str, levels: list[list[str | None]]
) -> None:
    note = (
        "Office note",
        "2026-09-19",
        f"HPI: left leg pain.\nIMAGING: MRI L-spine 08/29/2026 - {read}.",
    )
    assert _study_levels(note, _REPORT) == levels


def test_a_prior_authorization_is_a_request_not_history() -> None:
    found = facts(
        "PRIOR AUTHORIZATION - SPINAL CORD STIMULATOR TRIAL\nHPI: leg pain.", code="63650"
    )
    assert value(found, "planned.procedure_type") == "scs_trial"
    assert found.procedures.prior in (None, [])


def test_a_dotted_machine_name_is_not_a_mention() -> None:
    found = facts(
        "HPI: axial pain.\nPlan: bilateral L4-5 MBB.\nCriterion epidural.esi.radicular_pain: met.",
        code="64493",
    )
    assert value(found, "planned.procedure_type") == "mbb"
    assert value(found, "planned.side") == "bilateral"


def test_a_date_of_birth_never_dates_a_procedure() -> None:
    cover = (
        "Fax cover",
        "2026-09-20",
        "Re: lumbar epidural steroid injection - J. Doe, DOB 07/08/1963",
    )
    prior = _documents(cover, code="62323").procedures.prior or []
    assert all(e.date is None or e.date.year > 1963 for e in prior)
