"""Procedures, plans and studies across documents (2026-12-05): dates compared with or of birth,
relief "consistent with the agent" and look-back windows, dated list items under a header, which
denial of procedures empties the list, a ticked form option as the request, the note of the
requested service itself, operative reports by their headings, what the plan says of the next
epidural, a clinician's own read against the radiologist's report, a report-wide negation."""

from __future__ import annotations

import pytest

from drafting.extraction.rules.reader import document_kind
from tests.reader_facts import documents_facts as _documents
from tests.reader_facts import facts, value


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


_BLOCK_ONE = (
    "Procedure note - MBB #1",
    "2026-07-08",
    "Procedure: Medial branch blocks, left L4-5 and L5-S1 facets. Agent: 2% lidocaine.\n"
    "Peak relief 86%. Duration of relief ~1.5-2 h, consistent with lidocaine.",
)


@pytest.mark.parametrize(
    "reference",
    [
        "same targets as 07/08/2026",
        "compared with 07/08/2026",
        "(identical needle targets to block #1 on 07/08/2026)",
        "similar to the block of 07/08/2026",
    ],
)
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
        ("Total MBB sessions this side last 12 mo: 1", None),
        ("Blocks past 6 months: 1", None),
        ("Relief lasted 6 months.", 6.0),
        ("Relief did last 6 months.", 6.0),
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
    ("plan", "expected"),
    [
        ("Plan: repeat the same L5-S1 interlaminar ESI, same approach and medication.", False),
        ("Plan: L5-S1 TFESI, same approach as the prior injection.", False),
        ("Plan: switch to a left L5-S1 transforaminal approach this time.", True),
        ("Plan: second ESI via a different approach (transforaminal).", True),
        ("Plan: L5-S1 TFESI at the same level as the disc herniation.", None),
        ("Plan: repeat R L5-S1 TFESI, dexamethasone 10 mg (same as 08/12)", False),
        ("Plan: L5-S1 TFESI, same as last time.", False),
        ("Plan: L5-S1 TFESI, dexamethasone (same as his sister's dose).", None),
        ("Plan: L5-S1 TFESI; pain the same as before is not expected.", None),
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


def test_a_date_of_birth_never_dates_a_procedure() -> None:
    cover = (
        "Fax cover",
        "2026-09-20",
        "Re: lumbar epidural steroid injection - J. Doe, DOB 07/08/1963",
    )
    prior = _documents(cover, code="62323").procedures.prior or []
    assert all(e.date is None or e.date.year > 1963 for e in prior)


def test_an_undated_summary_fills_the_one_dated_procedure_of_its_kind() -> None:
    note = (
        "Office visit",
        "2026-09-10",
        "HPI: left leg pain again; for the last three weeks it has been 7/10.\n"
        "Prior TFESI 04/04/2026.\n"
        "Prior TFESI: ~75% relief from week 2 through late July (more than 3 months).",
    )
    events = _documents(note, code="64483").procedures.prior or []
    assert [(e.relief_percent, (e.relief_duration_months or 0) >= 3) for e in events] == [
        (75.0, True)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prior TFESI: ~75% relief x ~3.5 mo w/ functional return.", True),
        ("It gave 70% relief, back to full shifts at the plant.", True),
        ("It gave 70% relief and she resumed her usual gardening.", True),
        ("It gave 70% relief; sleeping through the night again.", True),
        ("It gave 70% relief for three months.", None),
        ("It gave 70% relief, but pain came back to baseline by May.", None),
    ],
)
def test_function_regained_after_a_procedure_in_other_words(
    sentence: str, expected: bool | None
) -> None:
    note = ("Office note", "2026-09-01", f"HPI: leg pain. Right L5 TFESI 04/21/2026. {sentence}")
    events = _documents(note, code="64483").procedures.prior or []
    assert [e.functional_improvement for e in events] == [expected]


def test_a_result_belongs_to_the_latest_procedure_before_it_and_not_to_a_therapy() -> None:
    note = (
        "Office note",
        "2026-09-01",
        "Hx: lumbar facet pain, dual MBBs 03/2025. S/p right L5-S1 radio frequency ablation "
        "11/12/2025.\nAt her June 4, 2026 visit she was 75 percent better, with return to "
        "walking and gardening.\nPT refresher 6 wks 06-07/2026 without improvement.",
    )
    events = _documents(note, code="64635").procedures.prior or []
    rfa = [e for e in events if e.type == "rfa_medial_branch"]
    assert [(e.relief_percent, e.functional_improvement) for e in rfa] == [(75.0, True)]
    assert all(e.relief_duration_months != pytest.approx(1.4, abs=0.1) for e in events)


@pytest.mark.parametrize(
    "sentence",
    ["leg pain after two surgeries", "s/p two back surgeries in 2019 and 2021", "no surgeries"],
)
def test_surgeries_in_the_plural_are_read_without_failing(sentence: str) -> None:
    found = _documents(("Office note", "2026-09-01", f"HPI: {sentence}."), code="63650")
    assert all(event.type == "other" for event in found.surgery.prior or [])


@pytest.mark.parametrize(
    ("plan", "technique"),
    [
        ("Plan: right L4-5 medial branch cryoneurolysis under fluoroscopy.", ["cryo"]),
        ("Plan: right L4-5 pulsed radiofrequency of the medial branches.", ["pulsed"]),
        ("Plan: right L4-5 medial branch RFA using cooled RF probes.", ["cooled"]),
        ("Plan: right L4-5 medial branch RFA rather than cryoneurolysis.", None),
        ("Plan: right L4-5 medial branch RFA; she is not a candidate for cryoablation.", None),
        ("Plan: right L4-5 medial branch RFA. Pulsed RF was discussed but is not covered.", None),
        ("Plan: right L4-5 medial branch RFA. Prior cryoneurolysis in 2024 gave no relief.", None),
    ],
)
def test_a_technique_set_aside_or_of_the_past_is_not_the_plans(
    plan: str, technique: list[str] | None
) -> None:
    found = facts(f"HPI: axial low back pain for 2 years.\n{plan}", code="64635")
    assert value(found, "planned.procedure_type") == "rfa_medial_branch"
    assert value(found, "planned.technique") == technique


def test_a_follow_up_line_naming_the_next_block_is_no_prior_block() -> None:
    found = facts(
        "HPI: axial low back pain for 2 years.\nPlan: bilateral L4-5 MBB #1 with lidocaine.\n\n"
        "Follow Up\nafter MBB #1\n"
    )
    assert not (found.procedures.prior or [])


@pytest.mark.parametrize(
    "form",
    [
        "PROCEDURE CODES REQUESTED\n"
        " #1  CPT 64493-50   Lumbar facet / MBB, single level, fluoro   Level: L3-L4   Units: 1\n"
        " #2  CPT 64494-50   Lumbar facet / MBB, 2nd level, fluoro      Level: L4-L5   Units: 1\n",
        "Requested:\nCPT 64493  Lumbar facet/medial branch block, single level - L4-L5 - Bilateral"
        " (mod 50)  x1\n",
    ],
)
def test_a_requests_billing_lines_are_no_history(form: str) -> None:
    found = facts(f"{form}HPI: axial low back pain for 2 years.")
    assert not (found.procedures.prior or [])


def test_a_dated_procedure_history_table_row_is_history() -> None:
    table = (
        "PROCEDURE HISTORY\n 10/14/2025  Lumbar MBB L4-5 bilateral (CPT 64493)  90% relief x 6 h\n"
    )
    found = facts(f"HPI: axial low back pain for 2 years.\n{table}")
    assert [e.type for e in found.procedures.prior or []] == ["mbb"]


def test_under_assessment_plan_the_plans_sentence_outranks_a_reported_result() -> None:
    found = facts(
        "HPI: right buttock pain for 9 months.\nAssessment/Plan\n"
        "Equivocal response to diagnostic R SIJ block #1: approx 60% relief, ~4 h.\n"
        "Below the 75% requested.\n"
        "Plan: request repeat diagnostic R SIJ injection #2 to clarify the pain generator.\n"
        "Anesthetic only (0.5% bupivacaine, 1.5 mL total), fluoroscopic guidance.",
        code="27096",
    )
    assert value(found, "planned.volume_cc") == 1.5


@pytest.mark.parametrize(
    ("note", "months"),
    [
        # how long a blood thinner was held is not how long the relief lasted
        ("S/p RFA 04/08/2025, apixaban held x3 days per cardiology; ~70% relief.", None),
        ("S/p RFA 04/08/2025: ~70% relief x 7 months.", 7.0),
    ],
)
def test_a_medicines_hold_is_not_the_reliefs_length(note: str, months: float | None) -> None:
    found = facts(f"HPI: axial low back pain for 3 years.\n{note}", code="64635")
    [ablation] = [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert ablation.relief_duration_months == months


@pytest.mark.parametrize(
    ("plan", "contrast"),
    [
        (
            "Plan: L SI joint injection, fluoroscopic guidance, 0.5 mL iohexol to confirm spread.",
            True,
        ),
        ("Plan: L SI joint injection under fluoroscopy, Omnipaque arthrogram.", True),
        ("Plan: L SI joint injection under fluoroscopy without contrast (allergy).", False),
        # as a procedure note words it: the contrast injected, in millilitres
        ("Plan: L SI joint injection under fluoroscopy; 1 mL of contrast was used.", True),
        ("Plan: L SI joint injection; nonionic contrast media is injected into the joint.", True),
        ("Plan: L SI joint injection under fluoroscopy; contrast was not needed.", None),
    ],
)
def test_contrast_is_read_by_its_drug_name(plan: str, contrast: bool | None) -> None:
    found = facts(f"HPI: left buttock pain for a year.\n{plan}", code="27096")
    assert value(found, "planned.contrast") is contrast


@pytest.mark.parametrize(
    ("drug", "injectate"),
    [
        ("2 cc of 1% Xylocaine", ["steroid", "anesthetic"]),
        ("2 mL Sensorcaine 0.25%", ["steroid", "anesthetic"]),
        ("2 mL Naropin 0.2%", ["steroid", "anesthetic"]),
        ("no local anesthetic", ["steroid"]),
    ],
)
def test_local_anesthetics_by_brand_name(drug: str, injectate: list[str]) -> None:
    plan = f"Plan: L SI joint injection with 40 mg Depo-Medrol and {drug} into the joint."
    found = facts(f"HPI: left buttock pain for a year.\n{plan}", code="27096")
    assert value(found, "planned.injectate") == injectate


def test_a_letters_booking_sentence_is_the_plan() -> None:
    letter = (
        "Plan: Right S1 transforaminal epidural steroid injection, fluoroscopic guidance\n\n"
        "Thank you for referring this man with sciatica. As you suggested, I have listed him for a"
        " right S1 transforaminal epidural steroid injection under fluoroscopic guidance with"
        " contrast, using dexamethasone 6.6 mg."
    )
    assert value(facts(letter, code="64483"), "planned.contrast") is True


def test_a_procedure_dated_after_the_note_that_names_it_is_planned() -> None:
    note = (
        "HPI: axial low back pain, no prior injections.\n"
        "Procedure B: CPT 64493 + 64494 - Lumbar medial branch block #1, bilateral L4-L5 and L5-S1,"
        " on 11/23/2026.\n"
    )
    found = _documents(("Office note", "2026-10-12", note), code="64493")
    assert not [e for e in found.procedures.prior or [] if e.type == "mbb"]


def test_a_diarys_hours_are_not_the_reliefs() -> None:
    note = (
        "S/p bilateral SI injections 06/22/2026: ~70% better. Plan: repeat."
        " Pain diary x 24 h again."
    )
    found = _documents(("Office note", "2026-10-01", note), code="27096")
    [injection] = [e for e in found.procedures.prior or [] if e.type == "si_injection"]
    assert injection.relief_duration_months is None


@pytest.mark.parametrize("corrected", [True, False])
def test_a_corrected_report_replaces_the_earlier_one(corrected: bool) -> None:
    original = (
        "MRI LUMBAR SPINE\nExam date: 08/12/2026\nFINDINGS:\nL4-5: 6 mm central disc protrusion.\n"
    )
    second = (
        "MRI LUMBAR SPINE\n*** CORRECTED REPORT ***\nExam date: 08/12/2026\nThis report supersedes"
        " the report of 08/12/2026.\nFINDINGS:\nL4-5: 3 mm central disc protrusion.\n"
    )
    if not corrected:
        second = second.replace("*** CORRECTED REPORT ***\n", "").replace(
            "This report supersedes the report of 08/12/2026.\n", ""
        )
    found = _documents(
        ("MRI lumbar spine report", "2026-08-12", original),
        ("MRI lumbar spine report", "2026-08-14", second),
        code="64628",
    )
    sizes = {f.disc_protrusion_mm for s in found.imaging.studies or [] for f in s.findings}
    assert (6.0 in sizes) is not corrected
    assert 3.0 in sizes


def test_a_list_of_attached_documents_is_no_history() -> None:
    note = (
        "HPI: right low back pain since 04/2025, no injections before this year.\n"
        "Attachments: office note 03/16/2026; MBB #2 procedure note; CT + flex/ext 12/09/2025\n"
    )
    found = _documents(("Request form", "2026-03-18", note), code="64635")
    assert not [e for e in found.procedures.prior or [] if e.date and e.date.year == 2025]


@pytest.mark.parametrize(("first_block", "shared"), [("07/10/2026", True), ("11/10/2025", False)])
def test_a_block_named_without_levels_takes_its_series_levels(
    first_block: str, shared: bool
) -> None:
    form = f"MBB #1 >= 80% relief, local anesthetic only   [X]   [ ]   {first_block}"
    note = (
        "Procedure: Diagnostic medial branch block #2, right L2-L3 and L3-L4, 08/10/2026: 86%"
        " relief with bupivacaine, about 6 hours.\n"
    )
    found = _documents(
        ("Request form", "2026-08-20", form), ("Procedure note", "2026-08-10", note),
        ("Office note", "2026-08-15", "HPI: right low back pain. Plan: RFA."), code="64635",
    )  # fmt: skip
    first = [e for e in found.procedures.prior or [] if e.type == "mbb" and e.date
             and e.date.strftime("%m/%d/%Y") == first_block]  # fmt: skip
    assert first and (first[0].levels == ["L2-L3", "L3-L4"]) is shared


def test_a_procedure_delayed_until_a_date_is_no_event_of_its_own() -> None:
    note = (
        "S/p bilateral L4-5 and L5-S1 RFA 04/15/2025 with ~80% relief for 9 months.\n"
        "[Note: RFA was delayed until 04/2025 for his AF ablation in 01/2025.]\n"
    )
    found = _documents(("Office note", "2026-02-17", note), code="64635")
    dates = [e.date for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert [d.isoformat() for d in dates if d] == ["2025-04-15"]


def test_a_bilateral_procedures_sides_reported_apart_are_two_events() -> None:
    note = (
        "S/p bilateral SI joint injections 04/22/2026 (first SI injections).\n"
        'L: "night and day" - ~70% better for 4 months, back to coaching soccer.\n'
        'R: "It helped maybe thirty percent for about three weeks" - back to baseline.\n'
    )
    found = _documents(("Office note", "2026-09-01", note), code="27096")
    by_side = {e.side: e for e in found.procedures.prior or [] if e.type == "si_injection"}
    assert set(by_side) == {"left", "right"}
    assert by_side["left"].relief_percent == 70 and by_side["left"].functional_improvement
    assert by_side["right"].relief_percent == 30 and not by_side["right"].functional_improvement


def test_a_bilateral_procedure_reported_as_one_stays_one() -> None:
    note = (
        "S/p bilateral SI joint injections 04/22/2026: ~70% better for 4 months, back to golfing."
    )
    found = _documents(("Office note", "2026-09-01", note), code="27096")
    [event] = [e for e in found.procedures.prior or [] if e.type == "si_injection"]
    assert event.side == "bilateral" and event.relief_percent == 70
    assert event.functional_improvement is True


@pytest.mark.parametrize(
    ("procedure", "levels"),
    [
        # a comma within a list of levels does not cut the procedure's phrase
        (
            "Procedure: Bilateral L4-5, L5-S1 diagnostic medial branch blocks (L3, L4 MB + L5 "
            "dorsal ramus bilat) - MBB #1",
            ["L4-L5", "L5-S1"],
        ),
        # nor does a parenthesis closed before the block's name
        (
            "Procedure: Bilateral L4-5, L5-S1 diagnostic medial branch blocks (L3, L4 MB + L5 DR "
            "bilat) - MBB #2 (confirmatory)",
            ["L4-L5", "L5-S1"],
        ),
        # a comma that ends a phrase still does
        ("Procedure: PT for L4-5 pain, left L5-S1 medial branch block", ["L5-S1"]),
    ],
)
def test_a_blocks_levels_read_across_a_level_list_and_closed_parentheses(
    procedure: str, levels: list[str]
) -> None:
    found = _documents(
        ("Procedure note", "2026-07-08", f"{procedure}\nAgent: 2% lidocaine. Peak relief 86%."),
        code="64635",
    )
    [event] = found.procedures.prior or []
    assert event.levels == levels


@pytest.mark.parametrize(
    ("scale", "relief"),
    [
        # a printed scale of options: only the marked one is the answer
        ("Best relief (circle one):  50%   60%   70%   80%   (85%)   90%   100%", 85.0),
        ("Best relief:  [ ] 50%  [ ] 60%  [X] 80%  [ ] 90%", 80.0),
        # a scale left unmarked, or marked twice, answers nothing
        ("Best relief (circle one):  50%   60%   70%   80%   90%   100%", None),
        ("Best relief (circle one):  50%  (60%)  70%  (80%)  90%", None),
    ],
)
def test_a_printed_relief_scale_answers_with_its_marked_option(
    scale: str, relief: float | None
) -> None:
    note = (
        "PROCEDURE NOTE\nDate of procedure: 08/25/2026\nProcedure: Bilateral L4-5 and L5-S1 medial"
        f" branch blocks, diagnostic block #1, bupivacaine.\nPOST-BLOCK PAIN DIARY\n{scale}\n"
    )
    found = _documents(
        ("Procedure note", "2026-08-26", note),
        ("Office note", "2026-09-08", "Plan: confirmatory MBB #2 bilateral L4-5 and L5-S1."),
        code="64493",
    )
    [block] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert block.relief_percent == relief


@pytest.mark.parametrize(
    ("field", "prior"),
    [
        # the request form's procedure field names what is requested
        ("Procedure: Radiofrequency neurotomy, cervical facet joint nerves - thermal", []),
        ("Procedure: Lumbar facet medial branch block - DIAGNOSTIC", []),
        # a field about the past on the same form is history
        ("Prior procedure: lumbar medial branch block 03/02/2026, 85% relief", ["mbb"]),
    ],
)
@pytest.mark.parametrize(
    "heading",
    ["ACME PAIN ASSOCIATES - PRIOR AUTHORIZATION REQUEST", "CASCADE PAIN - PRECERT WORKSHEET"],
)
def test_a_request_forms_procedure_field_is_the_request(
    field: str, prior: list[str], heading: str
) -> None:
    form = f"{heading}\nDate: 08/20/2026\n{field}\n"
    found = _documents(
        ("Office note", "2026-08-18", "HPI: axial neck pain. Plan: as requested."),
        ("Prior authorization request form", "2026-08-20", form),
        code="64493",
    )
    assert [e.type for e in found.procedures.prior or []] == prior


@pytest.mark.parametrize(
    ("sentence", "relief"),
    [
        ("Prior left L5 TFESI 03/2026 without any significant relief.", 0.0),
        ("Prior left L5 TFESI 03/2026: no meaningful improvement.", 0.0),
        ("Prior left L5 TFESI 03/2026 with significant relief.", None),
    ],
)
def test_relief_said_to_be_insignificant_is_none(sentence: str, relief: float | None) -> None:
    found = _documents(("Office note", "2026-07-01", f"HPI: left leg pain. {sentence}"))
    [esi] = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert esi.relief_percent == relief


@pytest.mark.parametrize(
    ("sentence", "reliefs"),
    [
        # each block's result in brackets after its own date
        ("Indication: facet mediated axial LBP; dual dx MBBs 11/12/24 (85%) and 12/03/24 (90%).",
         {"2024-11-12": 85.0, "2024-12-03": 90.0}),
        # a pain drop's bracketed percent is no date's ("7/10 -> 1/10 (86%)")
        ("MBB #1 11/12/2024 bilateral L4-5 and L5-S1: 7/10 -> 1/10 (86%), about 2 hours.",
         {"2024-11-12": 86.0}),
    ],
)  # fmt: skip
def test_a_result_in_brackets_after_a_date_is_that_blocks(
    sentence: str, reliefs: dict[str, float]
) -> None:
    found = _documents(("Office note", "2026-07-01", f"HPI: axial low back pain. {sentence}"),
                       code="64635")  # fmt: skip
    blocks = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert {str(e.date): e.relief_percent for e in blocks} == reliefs


def test_a_procedure_notes_dop_header_dates_its_procedure() -> None:
    note = (
        "RIVERBEND SPINE - PROCEDURE NOTE\nDOP: 04/14/2026     Pt: Voss, H\n"
        "Procedure: Confirmatory (2nd) diagnostic MBB, RIGHT L4-5 and L5-S1. Bupivacaine only.\n"
        "Diary returned 04/15/2026: 85-90% relief x ~6 hrs."
    )
    found = _documents(("Procedure note - MBB #2", "2026-04-15", note), code="64635")
    assert [str(e.date) for e in found.procedures.prior or [] if e.type == "mbb"] == ["2026-04-14"]


def test_a_procedure_dated_by_its_month_is_the_one_dated_that_month() -> None:
    note = "Dx: facet mediated LBP bilat L4-5 and L5-S1 - recurrent after successful RFA 02/2025."
    procedure = (
        "PROCEDURE NOTE\nDate of procedure: 02/11/2025\nProcedure: Bilateral L4-5 and L5-S1 medial"
        " branch radiofrequency neurotomy, 80 C."
    )
    found = _documents(
        ("Procedure note - RFA", "2025-02-11", procedure),
        ("Office note", "2026-01-10", note),
        code="64635",
    )
    ablations = [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert [str(e.date) for e in ablations] == ["2025-02-11"]


@pytest.mark.parametrize(
    ("header", "ablations"),
    [
        # a visit named after the procedure it follows dates the visit, not another ablation
        ("Post-RFA Follow Up   05/13/2025\n3 mo s/p bilat L4-5/L5-S1 RFA. 80 percent better.", 1),
        # a procedure written with its own date is one
        ("RFA 05/13/2025 bilat L4-5/L5-S1, 80 percent better at 3 months.", 2),
    ],
)
def test_a_visit_after_a_procedure_is_not_another(header: str, ablations: int) -> None:
    procedure = (
        "PROCEDURE NOTE\nDate of procedure: 02/11/2025\nProcedure: Bilateral L4-5 and L5-S1 medial"
        " branch radiofrequency neurotomy, 80 C."
    )
    found = _documents(
        ("Procedure note - RFA", "2025-02-11", procedure),
        ("Follow-up", "2025-05-13", header),
        code="64635",
    )
    assert (
        len([e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]) == ablations
    )


def test_a_reported_result_is_quoted_on_its_procedure() -> None:
    procedure = (
        "PROCEDURE NOTE\nDate of procedure: 10/21/2025\nProcedure: Radiofrequency ablation, LEFT "
        "C4, C5 and C6 medial branches, fluoroscopic guidance, 80 C."
    )
    follow_up = "S: ~80% better.\nRelief lasted approx 3 months; pain back to baseline by late Jan."
    found = _documents(
        ("Procedure note - RFA", "2025-10-21", procedure),
        ("Follow-up", "2026-02-20", follow_up),
        code="64633",
    )
    [ablation] = [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert ablation.relief_duration_months == 3.0
    assert any("Relief lasted approx 3 months" in e.quote for e in ablation.evidence)


@pytest.mark.parametrize(
    "sentence",
    ["Pain back to pre-RFA baseline by late Jan 2026.", "Post-ESI pain 2/10 on 03/02/2026."],
)
def test_a_time_before_or_after_a_procedure_is_no_procedure(sentence: str) -> None:
    found = _documents(("Office note", "2026-04-01", f"HPI: neck pain. {sentence}"), code="64633")
    assert found.procedures.prior in (None, [])


@pytest.mark.parametrize(
    ("plan", "rationale"),
    [
        ("Plan: one-time second R L5-S1 TFESI with dexamethasone. Rationale: the interlaminar "
         "injection gave only 25-30% relief at two weeks.", True),
        ("Plan: second ESI via a transforaminal approach because the first gave only 20% relief.",
         True),
        # a plan that gives no reason says nothing of one
        ("Plan: second ESI via a transforaminal approach.", None),
        # a reason in the history is not the plan's
        ("Plan: repeat ESI.", None),
    ],
)  # fmt: skip
def test_the_plan_states_why_a_second_injection(plan: str, rationale: bool | None) -> None:
    found = facts(
        f"HPI: right leg pain; L5-S1 ILESI 07/14/2026 gave 25% relief at 2 weeks.\n{plan}",
        code="64483",
    )
    assert value(found, "planned.second_injection_rationale") is rationale


@pytest.mark.parametrize(
    "note",
    [
        "Hx: 12/09/2025 L C5-6 + C6-7 TFESI -> at 4 wk f/u ~70% better; at 3/17/26 visit still "
        "~60% better, working full shifts.",
        "Hx: L C5-6 TFESI 12/09/2025, about 70% better; at her 03/17/2026 follow-up still about "
        "60% better.",
    ],
)
def test_relief_told_at_a_later_visit_dates_its_length_not_another_injection(note: str) -> None:
    found = _documents(("Office note", "2026-05-19", note), code="64479")
    [esi] = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert str(esi.date) == "2025-12-09"
    assert esi.relief_duration_months is not None and esi.relief_duration_months >= 3


@pytest.mark.parametrize(
    ("form_row", "months"),
    [
        # a form's duration options are categories, ticked or not, never a measured length
        ("Prior ESI 06/10/2026. Duration of relief:      [ ] <3 mo  [X] >3 mo", None),
        ("Prior ESI 06/10/2026, relief duration: [X] > 6 months [ ] < 6 months", None),
        ("Prior ESI 06/10/2026: 70% relief lasting about 4 months.", 4.0),
    ],
)
def test_a_forms_duration_options_are_no_relief_length(form_row: str, months: float | None) -> None:
    found = _documents(("Office note", "2026-10-05", f"HPI: leg pain.\n{form_row}"), code="62323")
    [esi] = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert esi.relief_duration_months == months


@pytest.mark.parametrize(
    ("sentence", "operations"),
    [
        # an opinion, evaluation or referral about surgery is no operation done
        ("Spine surgery opinion 11/2023 (Dr. H): not a surgical candidate.", 0),
        ("Neck surgery evaluation 02/2025: no surgery advised.", 0),
        ("Back surgery referral placed 03/2024.", 0),
        # an operation done is one
        ("Spine surgery 11/2023 (L4-5 laminectomy, Dr. H).", 1),
    ],
)
def test_an_opinion_about_surgery_is_no_operation(sentence: str, operations: int) -> None:
    found = facts(f"HPI: low back pain.\nPSH: {sentence}")
    assert len(found.surgery.prior or []) == operations


@pytest.mark.parametrize(
    ("later", "fusion"),
    [
        # a later note corrects the history: no fusion
        ("Addendum: correction to PSH - she did NOT have a fusion; the operative report shows a "
         "left L4-5 microdiscectomy, no instrumentation and no arthrodesis.", False),
        ("Prior lumbar surgery: L4-5 microdiscectomy 03/2019, no fusion.", False),
        # a form's answer about the requested level, or a plan, says nothing of the history
        ("Prior fusion at requested level (L3-4): [ ] Yes  [X] No", True),
        ("No fusion is planned.", True),
    ],
)  # fmt: skip
def test_a_fusion_a_later_note_says_never_was(later: str, fusion: bool) -> None:
    found = _documents(
        ("Clinic note", "2026-09-01", "HPI: axial low back pain.\nPSH: L4-5 lumbar fusion 2019."),
        ("Clinic note", "2026-09-08", f"HPI: axial low back pain.\n{later}"),
        code="64628",
    )
    assert any(e.type == "fusion" for e in found.surgery.prior or []) is fusion


_TABLE = (
    "HPI: left arm pain, C7.\n{header}\n"
    "| Date       | Level / approach             | Steroid             | Result |\n"
    "|------------|------------------------------|---------------------|--------|\n"
    "| 12/15/2025 | C7-T1 interlaminar, L param. | methylpred 80 mg    | ~20% at 2 wks |\n"
    "| 05/04/2026 | C7-T1 interlaminar, L param. | dexamethasone 10 mg | ~70% to mid-Aug |\n"
    "Cervical sessions in the last 12 mo: see above.\n"
)


@pytest.mark.parametrize(
    ("header", "dates"),
    [
        # a table under an injection-history header: each row naming an approach is an injection
        ("INJECTION HISTORY (cervical, this office, last ~18 mo):", ["2025-12-15", "2026-05-04"]),
        # a header naming no injections makes no row an injection
        ("MEDICATION HISTORY:", []),
    ],
)
def test_a_table_of_injections_under_its_header(header: str, dates: list[str]) -> None:
    found = facts(_TABLE.format(header=header), code="62321")
    events = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert sorted(str(e.date) for e in events) == dates
    assert all((e.relief_duration_months or 0) < 18 for e in events)  # the header's "~18 mo"


@pytest.mark.parametrize(
    ("outside", "side"),
    [
        # one ablation told as left in one note and right in another: its side is not known
        ("HPI: 6-month f/u s/p R L4-5/L5-S1 RFA 04/09/2024, 70% relief.", None),
        # told the same way, or as both sides and one of them, it stands
        ("HPI: 6-month f/u s/p L L4-5/L5-S1 RFA 04/09/2024, 70% relief.", "left"),
        ("HPI: 6-month f/u s/p bilateral L4-5/L5-S1 RFA 04/09/2024, 70% relief.", "bilateral"),
    ],
)
def test_a_procedure_told_on_two_sides_has_no_known_side(outside: str, side: str | None) -> None:
    consult = (
        "New patient consultation",
        "2026-09-01",
        "HPI: recurrent L low back pain.\nPrior: 04/2024 s/p L L4-5/L5-S1 RFA, ~70% relief.",
    )
    found = _documents(consult, ("Outside records", "2024-10-22", outside))
    [rfa] = [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]
    assert rfa.side == side
