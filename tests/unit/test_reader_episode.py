"""What belongs to this episode and this plan: care of an earlier episode, a medicine's own trial,
a cancer treated and gone, a checklist for the procedure still to come, a terse note's one-line
history (blind batch F109-F132)."""

from __future__ import annotations

from datetime import date

import pytest

from drafting.extraction.clinical_nlp import annotate
from tests.reader_facts import documents_facts, facts, value


def _mentions(text: str, category: str) -> list[tuple[bool, tuple[str, ...]]]:
    return [
        (m.negated, m.negation_cues) for s in annotate(text).sentences for m in s.mentions(category)
    ]


def test_a_resolved_mark_reaches_its_own_item_not_the_sentence_before() -> None:
    text = (
        "axial LBP b/l belt line, x 8 mo (since ~Labor Day). worse standing. HX L SCIATICA 2023 - "
        "L L5-S1 TFESI 5/2023, RESOLVED, NO LEG SX SINCE."
    )
    assert _mentions(text, "pain.axial_predominant") == [(False, ())]
    assert all(negated for negated, _ in _mentions(text, "neuro.radicular_pain"))
    assert not any(negated for negated, _ in _mentions(text, "PROC_ESI"))  # the injection was done


@pytest.mark.parametrize(
    ("line", "malignancy"),
    [
        ("CANCER: [x] hx colon ca 2016 - NED, no current tx", False),
        ("Breast cancer 2018, in remission, no recurrence on MRI.", False),
        ("Basal cell carcinoma of the nose, excised 2019, no recurrence.", False),
        ("Colon cancer 2017, resected, without recurrence.", False),
        ("Metastatic breast cancer on chemotherapy.", True),
        ("Squamous cell carcinoma of the lung, on chemotherapy.", True),
    ],
)
def test_a_cancer_treated_and_gone_is_no_malignancy_today(line: str, malignancy: bool) -> None:
    found = facts(f"HPI: low back pain for 3 months.\nPMH: {line}", code="62323")
    assert value(found, "contra.malignancy") is malignancy


@pytest.mark.parametrize(
    ("line", "cauda_equina"),
    [
        ("Long-standing stress urinary incontinence since her third child, unchanged.", False),
        ("New urinary incontinence since Tuesday with saddle numbness.", True),
    ],
)
def test_stress_incontinence_is_no_cauda_equina(line: str, cauda_equina: bool) -> None:
    found = facts(f"HPI: low back pain for 3 months. {line}", code="62323")
    assert value(found, "contra.cauda_equina") is cauda_equina


def test_a_checklist_for_the_procedure_to_come_is_no_prior_procedure() -> None:
    checklist = (
        "PRE-PROCEDURE NURSING CHECKLIST\nProcedure: R L4-5, L5-S1 medial branch RFA (fluoro)\n"
        "DOS: pending authorization\nAnticoagulant: [ ] Yes [x] No\n"
    )
    note = "HPI: right low back pain for 2 years. Two MBBs in June. Plan: RFA."
    found = documents_facts(
        ("Pre-procedure nursing checklist", "2026-08-04", checklist),
        ("Office note", "2026-07-28", note),
        code="64635",
    )
    assert not [e for e in found.procedures.prior or [] if e.type == "rfa_medial_branch"]


def test_a_medicines_trial_is_not_the_stimulators() -> None:
    note = (
        "Medication trials:\n| pregabalin 150 mg BID | anticonvulsant | ~20% relief, edema |\n"
        "| capsaicin 8% patch | topical | ~2 wks mild relief |\nPlan: SCS trial, 2 leads."
    )
    found = documents_facts(
        ("Pain medicine SCS trial planning note", "2026-08-01", note), code="63650"
    )
    assert value(found, "stimulator.trial_failed") is None


@pytest.mark.parametrize(
    ("history", "weeks"),
    [
        # physical therapy of an earlier episode, ended a year before this pain began
        (
            "Jan-Feb 2025 - went to PT twice a week for about 6 weeks; pain gone by March 2025.",
            None,
        ),
        ("PT twice a week for 6 weeks since 03/02/2026, ongoing.", 6.0),
    ],
)
def test_therapy_of_an_earlier_episode_is_not_this_ones(history: str, weeks: float | None) -> None:
    found = facts(f"HPI: right low back pain since Feb 2026.\n{history}")
    assert value(found, "conservative.pt_weeks") == weeks


@pytest.mark.parametrize(
    ("onset", "weeks"),
    [
        # the episode began three weeks ago: a 2024 course belongs to an earlier one
        ("His R leg pain started three weeks ago when he felt a pop lifting wire.", None),
        # a length not said to run from the onset does not date the episode
        ("Pain came back three weeks ago after a good year.", 8.0),
    ],
)
def test_an_onset_said_as_a_length_keeps_earlier_therapy_out(
    onset: str, weeks: float | None
) -> None:
    found = facts(f"HPI: {onset}\nCompleted PT 8 weeks (Feb-Apr 2024) with good result.", "62323")
    assert value(found, "conservative.pt_weeks") == weeks


@pytest.mark.parametrize(
    ("sentence", "weeks"),
    [
        (
            "We will restart PT when the arm pain allows, ideally 1-2 wks after the injection.",
            None,
        ),
        ("Aleve upset my stomach after about a month so I switched to Tylenol.", None),
        ("Failed naproxen for 8 weeks.", 8.0),
    ],
)
def test_a_planned_course_or_a_moment_is_no_course(sentence: str, weeks: float | None) -> None:
    found = facts(f"HPI: neck pain since January. {sentence}", code="62321")
    assert value(found, "conservative.duration_weeks") == weeks


def test_a_years_count_of_procedures_is_no_procedure_of_its_own() -> None:
    note = (
        "S/p L TFESI 01/13/2026 and 04/28/2026, each >3 mo relief.\n"
        "This would be the 3rd lumbar ESI of 2026.\n"
    )
    found = documents_facts(("Office note", "2026-08-11", note), code="64483")
    dates = sorted(e.date.isoformat() for e in found.procedures.prior or [] if e.date)
    assert dates == ["2026-01-13", "2026-04-28"]


@pytest.mark.parametrize(
    ("sentence", "cauda_equina"),
    [
        (
            "Red flags reviewed (bowel/bladder, saddle numbness, weakness) - ED if any.",
            None,
        ),
        ("New saddle numbness and bladder retention since yesterday.", True),
    ],
)
def test_a_red_flag_screen_is_not_a_red_flag(sentence: str, cauda_equina: bool | None) -> None:
    found = facts(f"HPI: left leg pain for 3 weeks.\nPlan: L5-S1 TFESI. {sentence}", code="64483")
    assert value(found, "contra.cauda_equina") is cauda_equina


def test_more_pain_not_less_is_still_out_of_proportion() -> None:
    line = (
        "Since Nov the L foot hurts more, not less: burning pain, out of proportion to the injury."
    )
    found = facts(f"HPI: CRPS of the left foot after an ankle fracture. {line}", code="64520")
    assert value(found, "pain.disproportionate") is True


def test_a_birth_date_is_no_evaluation_date() -> None:
    letter = (
        "RE: Jane Doe, DOB 06/14/1980 - pre-neuromodulation (spinal cord stimulator) psychological"
        " evaluation\nI saw her face to face on August 18, 2026. Psychologically suitable for SCS."
    )
    found = documents_facts(("Psychology letter", "2026-08-24", letter), code="63650")
    evaluated = value(found, "stimulator.mental_health_eval_date")
    assert evaluated is None or evaluated.year == 2026


@pytest.mark.parametrize(("tick", "months"), [("[X] >=50% relief for >=3 months", None)])
def test_a_forms_threshold_is_no_relief_duration(tick: str, months: float | None) -> None:
    note = f"S/p R L5-S1 TFESI 06/30/2026: about 60% better at 2 weeks.\n{tick}\n"
    found = documents_facts(("Office note", "2026-09-01", note), code="64483")
    [injection] = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert injection.relief_duration_months == months


@pytest.mark.parametrize(
    ("form", "prior"),
    [
        (
            "Procedure: 64483 Transforaminal epidural steroid injection, lumbar, single level\n"
            "[X] Initial injection (no ESI in past 12 mo)     [ ] Repeat\n",
            0,
        ),
        ("Procedure: SI joint injection, R      HCPCS G0260 x1\n", 0),
        ("27096 - SI joint injection w/ image guidance    Side: [X] Bilateral    Units: 1\n", 0),
        ("Prior ESI: [X] Yes  [ ] No   Date: 03/02/2026\n", 1),
    ],
)
def test_a_request_forms_own_lines_are_no_history(form: str, prior: int) -> None:
    found = documents_facts(
        ("Prior authorization request form", "2026-08-20", form),
        ("Office note", "2026-08-15", "HPI: left L5 radicular pain for 3 months. Plan: TFESI."),
        code="64483",
    )
    assert len(found.procedures.prior or []) == prior


@pytest.mark.parametrize(
    ("line", "prior"),
    [
        ("Plan: L5-S1 TFESI. First ESI.", 0),
        ("Prior ESI dates / % relief: N/A", 0),
        ("Prior ESIs last 12 mo:  [X] 0   [ ] 1   [ ] 2   [ ] 3+", 0),
        ("Prior ESIs last 12 mo:  [ ] 0   [X] 1 (03/02/2026, ~70%)   [ ] 2", 1),
        ('First diagnostic facet block: "no relief".', 1),
        ("Prior ESI dates / % relief: 03/02/2026, ~70% for 4 months", 1),
    ],
)
def test_a_first_injection_or_an_empty_history_field_is_no_prior(line: str, prior: int) -> None:
    note = f"HPI: left leg pain for 3 months, L5 radicular.\n{line}\n"
    found = documents_facts(("Office note", "2026-08-15", note), code="64483")
    assert len(found.procedures.prior or []) == prior


@pytest.mark.parametrize(
    ("letter_date", "typed", "injection"),
    [
        # a letter that writes its own date day first writes the others so too
        ("2026-07-10", "10/07/2026", date(2026, 3, 2)),
        # a letter whose own date is month first reads them month first
        ("2026-10-07", "10/07/2026", date(2026, 2, 3)),
    ],
)
def test_a_letter_that_writes_dates_day_first_is_read_so(
    letter_date: str, typed: str, injection: date
) -> None:
    letter = (
        f"Date typed: {typed}\nDear Dr Raman\nProcedures: Right SIJ injection under X-ray "
        "guidance 02/03/2026, about 70% relief for five months.\n"
    )
    found = documents_facts(("Pain clinic letter", letter_date, letter), code="27096")
    assert [e.date for e in found.procedures.prior or []] == [injection]


@pytest.mark.parametrize(
    ("sentence", "considered"),
    [
        ("He is a candidate for decompression and is interested in surgery.", True),
        ("Surgical options were discussed with the patient.", True),
        ("She is interested in a fusion if the block localizes the level.", True),
        # negated, declined, or someone else's
        ("He is not a candidate for surgery.", False),
        ("She declines surgery.", False),
        ("Her mother is a candidate for fusion.", None),
    ],
)
def test_surgery_being_considered_in_the_words_surgeons_use(
    sentence: str, considered: bool | None
) -> None:
    found = facts(f"HPI: L leg pain for 3 months. {sentence}", code="64483")
    assert value(found, "surgery.considered") is considered


@pytest.mark.parametrize(
    ("label", "prior"),
    [
        # options on the lines under a field label choose what is requested
        ("Procedure type:", 0),
        # a field that asks about the past is history
        ("Previous procedures at these levels:", 1),
    ],
)
def test_options_under_a_field_label_on_the_line_above(label: str, prior: int) -> None:
    form = (
        f"PRIOR AUTH REQUEST - SPINE INJECTION\n{label}\n"
        "[ ] Epidural steroid injection     [ ] Medial branch block (diagnostic)\n"
        "[X] Facet injection - intra-articular, therapeutic 03/02/2026    [ ] RF ablation\n"
    )
    found = documents_facts(
        ("Faxed prior authorization request form", "2026-10-01", form),
        ("Office note", "2026-09-20", "HPI: R neck pain for 2 years. Plan: R C5-6 facet IA."),
        code="64490",
    )
    assert len(found.procedures.prior or []) == prior


def test_a_follow_up_headed_by_its_visit_date_and_the_time_since_is_no_new_injection() -> None:
    notes = (
        "[04/14/2026]  4 weeks s/p L C6-7 IL ESI (03/17/2026)\n~70% better per pt.\n\n"
        "[07/21/2026]  18 weeks s/p L C6-7 IL ESI\nStill 60 to 65 percent better.\n"
    )
    found = documents_facts(("Follow-up notes", "2026-07-21", notes), code="62321")
    assert [e.date for e in found.procedures.prior or []] == [date(2026, 3, 17)]
