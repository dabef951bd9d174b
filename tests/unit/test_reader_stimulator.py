"""Stimulator candidacy as the reader takes it from notes on a stimulator request: the months of
physician-supervised multimodal care (a duration written next to the care, not one treatment's),
and a pain medicine specialist's evaluation (a note's heading or an evaluation, not a referral).
Positive and negated forms."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

_SCS = "63650"


def _note(text: str, title: str = "Office note") -> object:
    return documents_facts((title, "2026-09-01", text), code=_SCS)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("A/P: Failed ~22 months physician-supervised multimodal care incl PT, meds.", 22.0),
        ("Over the past 9 months he has had physician-supervised multimodal care: PT.", 9.0),
        ("HPI: conservative care under this clinic since 01/2025, continuous.", 20.0),
        ("HPI: eighteen months of comprehensive pain management have not helped.", 18.0),
        (
            "HPI: PT, meds and injections, all supervised by Dr Okafor's practice since 01/2025.",
            20.0,
        ),
        ("HPI: physician-supervised care continuously since 2025.", 20.0),
        ("Letter: he has been under my care since 01/2025 with visits every 4-8 weeks.", 20.0),
        ("HPI: multimodal management, physician supervised (clinic q6-8 wks since 01/2025).", 20.0),
        # how often the visits come is not how long the care lasted
        ("Letter: he has been under my care, with visits every 4-8 weeks.", None),
        # one treatment's length is not the length of the care
        ("HPI: multimodal care including physical therapy for 10 weeks and gabapentin.", None),
        ("HPI: multimodal care with PT, meds and injections.", None),
        ("HPI: leg pain for 3 years after fusion.", None),
    ],
)
def test_the_months_of_multimodal_care_are_written_next_to_the_care(
    text: str, months: float | None
) -> None:
    found = value(_note(text), "stimulator.multimodal_care_months")
    assert found == (pytest.approx(months, abs=0.6) if months is not None else None)


@pytest.mark.parametrize(
    ("text", "evaluated"),
    [
        ("SUMMIT PAIN MEDICINE - PROGRESS NOTE\nHPI: leg pain after fusion.", True),
        ("CLINIC NOTE\nProvider: A. Lee, MD (Interventional Pain)\nHPI: leg pain.", True),
        ("CLINIC NOTE\nHPI: leg pain. She was evaluated by our pain management service.", True),
        # a referral, a hypothetical or a plan is not an evaluation
        ("REFERRAL TO PAIN MANAGEMENT\nHPI: leg pain after fusion.", None),
        ("CLINIC NOTE\nHPI: leg pain. I will refer him to pain management.", None),
        ("CLINIC NOTE\nHPI: leg pain. She has not been seen by a pain specialist.", None),
        ("NEUROSURGERY NOTE\nHPI: leg pain after fusion.", None),
    ],
)
def test_a_pain_specialists_evaluation_is_a_heading_or_an_evaluation(
    text: str, evaluated: bool | None
) -> None:
    assert value(_note(text), "stimulator.pain_specialist_evaluation") is evaluated


@pytest.mark.parametrize(
    ("text", "opinion"),
    [
        ("CONSULT\nOpinion: I do not see a surgically correctable lesion.", True),
        ("CONSULT\nRepeat decompression or fusion would not be expected to help.", True),
        ("CONSULT\nRepeat decompression at L4-5 would likely help her.", None),
        ("CONSULT\nRevision fusion is not recommended; it would not help her.", True),
        ("CONSULT\nShe is not a revision candidate.", True),
        ("CONSULT\nThere is a surgically correctable lesion at L4-5.", None),
    ],
)
def test_a_surgeon_finds_nothing_surgery_would_correct(text: str, opinion: bool | None) -> None:
    assert value(_note(text, "Neurosurgery consultation"), "stimulator.surgical_opinion") is opinion


@pytest.mark.parametrize(
    ("exam", "objective"),
    [
        ("EXAM: L EHL 4/5, decreased pinprick over the L dorsal foot.", True),
        ("EXAM: allodynia of the L dorsal foot, 1.8 C cooler than the right.", None),
        ("EXAM: strength 5/5, sensation intact, reflexes symmetric.", None),
    ],
)
def test_a_deficit_on_examination_is_an_objective_basis(exam: str, objective: bool | None) -> None:
    found = _note(f"HPI: burning L leg pain since a 2023 laminectomy.\n{exam}")
    assert value(found, "stimulator.objective_basis") is objective


def test_an_unticked_indication_is_not_the_condition() -> None:
    form = (
        "SCS TRIAL REQUEST\nIndication (tick one):\n[ ] Arachnoiditis   [x] Post-laminectomy / "
        "failed back surgery syndrome   [ ] Painful diabetic neuropathy\n"
    )
    found = _note(form + "HPI: burning L leg pain since a 2023 laminectomy.")
    assert value(found, "stimulator.condition") != "arachnoiditis"
    ticked = _note(form.replace("[ ] Arachnoiditis", "[x] Arachnoiditis"))
    assert value(ticked, "stimulator.condition") == "arachnoiditis"


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "PSH: L4-S1 fusion 2022.\nA/P: Failed back surgery syndrome with chronic R L5 "
            "radiculopathy from post-surgical epidural fibrosis.",
            "post_surgical_nerve_root_injury",
        ),
        (
            "PSH: L4-S1 fusion 2022.\nMRI: enhancing epidural fibrosis encasing the R L5 nerve "
            "root.\nA/P: leg pain, SCS trial.",
            "post_surgical_nerve_root_injury",
        ),
        ("A/P: painful diabetic peripheral neuropathy of both feet, SCS trial.", "pdn"),
        ("MRI: clumping of the nerve roots consistent with arachnoiditis.", "arachnoiditis"),
        # a condition ruled out names none
        ("MRI: mild facet arthropathy, no stenosis, no arachnoiditis.\nA/P: SCS trial.", None),
        ("HPI: axial back pain. Not diabetic neuropathy (A1c normal).\nA/P: SCS trial.", None),
        ("FHx: father - diabetic neuropathy.\nA/P: axial back pain, SCS trial.", None),
        # no qualifying condition named: not documented (a pend), never "other" (a denial)
        ("HPI: chronic low back pain for 4 years.\nA/P: SCS trial.", None),
        (
            "PSH: L4-S1 fusion 2022.\nIndication: [ ] Failed back surgery syndrome / post-surgical"
            " nerve root injury\nA/P: burning leg pain, SCS trial.",
            None,
        ),
    ],
)
def test_the_stimulator_condition_is_read_or_left_undocumented(
    text: str, condition: str | None
) -> None:
    assert value(_note(text), "stimulator.condition") == condition


@pytest.mark.parametrize(
    ("text", "cleared"),
    [
        ("Psych eval 01/22/2026 conclusion: psychologically suitable for SCS trial.", True),
        ("No inadequately controlled psychiatric or substance use condition.", True),
        (
            "A licensed psychologist evaluated him on 01/22/2026 and found no contraindication.",
            True,
        ),
        ("Psych eval 01/22/2026: not psychologically suitable at this time.", False),
    ],
)
def test_a_psychologists_conclusion_in_other_words_clears(text: str, cleared: bool) -> None:
    assert value(_note(f"HPI: burning L leg pain since a 2023 laminectomy.\n{text}"),
                 "stimulator.mental_health_cleared") is cleared  # fmt: skip


@pytest.mark.parametrize(
    ("signature", "evaluated"),
    [
        ("Respectfully,\nImani Kowalczyk-Reyes, MD, Pain Medicine (ABA)", True),
        ("Respectfully,\nImani Kowalczyk-Reyes, MD, Family Medicine", None),
    ],
)
def test_a_pain_physicians_signature_is_the_evaluation(
    signature: str, evaluated: bool | None
) -> None:
    letter = (
        f"To whom it may concern,\nHe has burning leg pain since a 2023 laminectomy.\n{signature}"
    )
    assert (
        value(_note(letter, title="Letter"), "stimulator.pain_specialist_evaluation") is evaluated
    )


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("HPI: SCS trial 2023 was unsuccessful (<20% relief).\nA/P: repeat SCS trial.", True),
        ("HPI: her previous stimulator did not help and was explanted.\nA/P: SCS trial.", True),
        # a stimulator that failed someone else is not the patient's failed trial
        (
            "HPI: his cousin had a \"stimulator for his back that didn't work and got taken "
            'out".\nA/P: SCS trial.',
            None,
        ),
        ("Family history: father - spinal cord stimulator, did not help.\nA/P: SCS trial.", None),
        # a peripheral nerve stimulator is another device
        ("HPI: 60-day sciatic peripheral nerve stimulator 2025 - no benefit.\nA/P: SCS trial.",
         None),
        # a form row ticked No under "Yes No N/A"
        ("CHECKLIST                                Yes   No   N/A\n"
         "Previously failed SCS trial/implant      [ ]   [x]   [ ]\n\nA/P: SCS trial.", None),
        ("CHECKLIST                                Yes   No   N/A\n"
         "Previously failed SCS trial/implant      [x]   [ ]   [ ]\n\nA/P: SCS trial.", True),
    ],
)  # fmt: skip
def test_a_failed_stimulator_is_the_patients_own(text: str, failed: bool | None) -> None:
    assert value(_note(text), "stimulator.trial_failed") is failed


@pytest.mark.parametrize(
    ("text", "completed"),
    [
        (
            "A/P: More than 6 consecutive months of physician-supervised multimodal care "
            "has failed.",
            True,
        ),
        ("A/P: Failed ~22 months physician-supervised multimodal care incl PT, meds.", True),
        # care that is only counted, or still running, is not a course run through
        ("A/P: 22 months of physician-supervised multimodal care so far.", None),
    ],
)
def test_multimodal_care_said_to_have_failed_is_a_course_run_through(
    text: str, completed: bool | None
) -> None:
    assert value(_note(text), "conservative.completed") is completed


@pytest.mark.parametrize(
    ("conclusion", "cleared"),
    [
        ("He is, in my opinion, an appropriate candidate for SCS trial and implantation with no "
         "psychological contraindication.", True),
        # a condition still to be met, or a recommendation not to proceed, does not clear
        ("She would be an appropriate candidate for SCS once her depression is treated.", None),
        ("I do not recommend proceeding with a spinal cord stimulator trial at this time.", False),
        ("She is in a major depressive episode that is not adequately controlled at present.",
         False),
    ],
)  # fmt: skip
def test_a_psychologists_conclusion_on_candidacy(conclusion: str, cleared: bool | None) -> None:
    psych = ("Pre-surgical psychological evaluation", "2026-08-20", f"Conclusion: {conclusion}")
    found = documents_facts(psych, ("Office note", "2026-09-01", "A/P: SCS trial."), code=_SCS)
    assert value(found, "stimulator.mental_health_cleared") is cleared


@pytest.mark.parametrize(
    ("note", "days"),
    [
        ("S: SCS trial summary: Leads in 10/19 ~11:00, pulled in clinic 10/26 ~10:30 = 7 days.",
         7.0),
        ("S: Trial report: percutaneous leads placed 3/2, removed 3/9 in clinic = 7 days, "
         "70% leg relief.", 7.0),
        # pain ratings are not the trial's days
        ("S: SCS trial summary: leg pain 7/10 -> 3/10 = 5 days in.", None),
    ],
)  # fmt: skip
def test_a_trials_days_told_as_a_sum_of_its_dates(note: str, days: float | None) -> None:
    assert value(_note(note), "stimulator.trial_days") == days


def test_a_trials_days_written_in_an_open_parenthesis() -> None:
    note = "S: SCS trial 08/04 - 08/11/2026 (7 days; trial report attached): leg pain 70% better."
    assert value(_note(note), "stimulator.trial_days") == 7.0


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("SCS trial: Trial dates: 05/04/2026 -> 05/11/2026      # days: 7", 7.0),
        ("SCS trial: Trial dates: 05/04/2026 - 05/11/2026  Number of days: 7", 7.0),
        # a count of days with no trial dates on the line is not the trial's length
        ("SCS trial: # days: 7", None),
    ],
)
def test_a_forms_count_of_trial_days(line: str, days: float | None) -> None:
    assert value(_note(line), "stimulator.trial_days") == days


@pytest.mark.parametrize(
    ("report", "cleared"),
    [
        # the evaluator's own conclusion outranks a form's "cleared w/ recommendations"
        ("SUMMARY: I do NOT recommend proceeding with a spinal cord stimulator trial at this time.",
         False),
        ("SUMMARY: He is psychologically suitable for a spinal cord stimulator trial.", True),
    ],
)  # fmt: skip
def test_the_evaluators_own_report_outranks_the_form(report: str, cleared: bool) -> None:
    from tests.reader_facts import documents_facts, value

    form = "PRIOR AUTHORIZATION\nPsych evaluation ...... [X] Yes  Date: 9/15/26  Result: cleared"
    found = documents_facts(
        ("Prior authorization request form", "2026-09-10", form),
        ("Psychological evaluation - SCS candidacy", "2026-09-05", report),
        code="63650",
    )
    assert value(found, "stimulator.mental_health_cleared") is cleared
