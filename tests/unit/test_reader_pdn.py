"""Painful diabetic neuropathy as a stimulator indication (drafting.extraction.rules.pdn), read
only when the condition is PDN: its length, the feet's and the hands' pain scores, EMG/NCS
severity, a specialist's confirmation, a medical (not psychological) clearance, other causes
excluded, diabetes optimized, and the medicine classes that failed (set only when two or more).
Positive and negated forms; and the trial's results (pain and analgesic use) it is judged by."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

_SCS = "63650"
_NOTE = (
    "Pain medicine office visit",
    "2026-08-24",
    "HPI: 61 yo M w/ T2DM and painful diabetic peripheral neuropathy. Feet burning since 2020.\n"
    "NRS today 7/10 feet. Hands: maybe a 1/10 tingling.\n"
    "Neuropathic agents:\n"
    " - gabapentin 1200 mg TID (2021) - inadequate relief, sedation\n"
    " - duloxetine 60 mg (2023) - nausea, no benefit; stopped\n"
    "His diabetes management has been intensified; A1c 8.1%.\n"
    "A/P: PDN, both feet. SCS trial.",
)
_NEUROLOGY = (
    "Neurology consultation letter",
    "2025-09-18",
    "VALLEY NEUROLOGY GROUP\nNCS/EMG 09/10/2025: moderate to severe length-dependent axonal "
    "polyneuropathy.\nOther causes of neuropathy have been excluded.\nImpression: painful "
    "diabetic polyneuropathy, confirmed.\nT. Pruitt, MD, Neurology",
)
_CLEARANCE = (
    "Endocrinology letter",
    "2026-08-10",
    "From a medical and endocrine standpoint he is cleared to undergo a spinal cord stimulator "
    "trial.",
)
_PSYCH = (
    "Pre-surgical psychological evaluation",
    "2026-08-01",
    "Recommendation: psychologically cleared to proceed with SCS trial.",
)


def test_a_pdn_packet_documents_the_pdn_criteria() -> None:
    found = documents_facts(_NOTE, _NEUROLOGY, _CLEARANCE, code=_SCS)
    assert value(found, "stimulator.condition") == "pdn"
    assert value(found, "stimulator.pdn_months") >= 12
    assert value(found, "stimulator.pdn_lower_limb_vas") == 7.0
    assert value(found, "stimulator.pdn_upper_limb_vas") == 1.0
    for name in (
        "stimulator.pdn_emg_ncs_moderate_severe", "stimulator.pdn_specialist_confirmation",
        "stimulator.medical_clearance", "stimulator.pdn_other_causes_ruled_out",
        "stimulator.pdn_medical_optimization",
    ):  # fmt: skip
        assert value(found, name) is True, name
    assert value(found, "stimulator.pdn_drug_categories_failed") == 2


def test_what_the_pdn_packet_does_not_say_stays_undocumented() -> None:
    mild = (
        "Neurology consultation letter",
        "2025-09-18",
        "NCS/EMG 09/10/2025: mild length-dependent sensory polyneuropathy.",
    )
    one_class = (
        "Pain medicine office visit",
        "2026-02-24",
        "HPI: 61 yo M w/ T2DM and painful diabetic peripheral neuropathy.\n"
        " - gabapentin 1200 mg TID (2021) - inadequate relief\nA/P: PDN, SCS trial.",
    )
    found = documents_facts(one_class, mild, _PSYCH, code=_SCS)
    assert value(found, "stimulator.pdn_emg_ncs_moderate_severe") is False
    assert value(found, "stimulator.medical_clearance") is None  # the psychologist's only
    assert value(found, "stimulator.pdn_drug_categories_failed") is None  # one class: not a count
    assert value(found, "stimulator.pdn_months") is None  # his age is not the neuropathy's length
    assert value(found, "stimulator.pdn_other_causes_ruled_out") is None


def test_pdn_facts_are_read_only_for_pdn() -> None:
    fbss = (
        "Pain medicine office visit",
        "2026-02-24",
        "PSH: L4-S1 fusion 2022.\nA/P: Failed back surgery syndrome with R L5 radiculopathy. "
        "NRS 7/10 leg. SCS trial. Other causes of neuropathy excluded.",
    )
    found = documents_facts(fbss, code=_SCS)
    assert value(found, "stimulator.pdn_lower_limb_vas") is None
    assert value(found, "stimulator.pdn_other_causes_ruled_out") is None


@pytest.mark.parametrize(
    ("results", "relief", "medication", "failed"),
    [
        ("~40% reduction in pain score.\nHis oxycodone dropped from 4 tabs/day to 1 - an 80% "
         "reduction in analgesic use.", 40.0, 80.0, False),
        ("~40% reduction in pain score; analgesic use unchanged.", 40.0, 0.0, True),
        ("~70% relief of leg pain.", 70.0, None, False),
        ("Leg pain 8 -> 5.9/10 (27% reduction); oxycodone use unchanged.", 27.0, 0.0, True),
    ],
)  # fmt: skip
def test_a_trial_is_judged_by_pain_or_analgesic_use(
    results: str, relief: float, medication: float | None, failed: bool
) -> None:
    note = (
        "Post-trial visit",
        "2026-09-02",
        f"S: 7-day percutaneous SCS trial 08/14 -> 08/21/2026 for PDN of both feet.\n{results}",
    )
    found = documents_facts(note, code=_SCS)
    assert value(found, "stimulator.trial_days") == 7.0
    assert value(found, "stimulator.trial_relief_percent") == relief
    assert value(found, "stimulator.trial_medication_reduction_percent") == medication
    assert value(found, "stimulator.trial_failed") is failed


@pytest.mark.parametrize(
    ("line", "mme"),
    [
        ("Meds: tramadol 50 mg BID prn (MME 20/day).", 20.0),
        ("Opioid: oxycodone 5 mg up to 4/day (= 30 MME/day).", 30.0),
        # a muscle grade is not a morphine equivalent
        ("MMT: L DF 4/5, L glut med 4+/5.", None),
    ],
)
def test_daily_morphine_equivalents_before_or_after_the_number(
    line: str, mme: float | None
) -> None:
    found = documents_facts(("Pain medicine office visit", "2026-08-24", line), code=_SCS)
    assert value(found, "patient.daily_mme") == mme


@pytest.mark.parametrize(
    ("line", "a1c", "uncontrolled"),
    [
        # the latest value a sentence gives is today's
        ("Her diabetes was uncontrolled two years ago (A1c 9.6% in 2024), is now well "
         "controlled: A1c 7.0% on 08/20/2026.", 7.0, False),
        ("A1c trend: 10.8% (03/2024) -> 9.0% (06/2025) -> 8.1% (01/14/2026).", 8.1, None),
        ("HbA1c of 10.9% last week.", 10.9, True),
        # IFCC units and a decimal comma, as European labs write them
        ("HbA1c 53 mmol/mol on 02/08/2026, diet-controlled.", 7.0, False),
        ("HbA1c 86 mmol/mol in July.", 10.0, True),
        ("Last A1c 8,7% (lab 15/07/2026).", 8.7, None),
        # a number with no unit that cannot be a percentage is not read
        ("A1c 58 - see endocrinology letter.", None, None),
    ],
)  # fmt: skip
def test_the_latest_hba1c_a_sentence_gives(
    line: str, a1c: float | None, uncontrolled: bool | None
) -> None:
    found = documents_facts(("Office note", "2026-08-24", f"PMH: T2DM. {line}"), code="62323")
    assert value(found, "patient.hba1c") == a1c
    assert value(found, "contra.uncontrolled_diabetes") is uncontrolled


@pytest.mark.parametrize(
    ("sentence", "optimized"),
    [
        ("His diabetes is co-managed with endocrinology; A1c has come down with insulin "
         "titration.", True),
        ("Diabetes followed by endocrinology; A1c 7.9%.", True),
        ("A1c dropped from 10.6% to 8.4% since January (diabetes clinic).", True),
        ("His diabetes is managed by his PCP; A1c 8.4%.", None),
    ],
)  # fmt: skip
def test_diabetes_care_said_to_be_intensified_is_its_optimization(
    sentence: str, optimized: bool | None
) -> None:
    note = (
        "Pain medicine office visit",
        "2026-08-24",
        f"HPI: 61 yo M w/ T2DM and painful diabetic peripheral neuropathy.\n{sentence}\n"
        "A/P: PDN, both feet. SCS trial.",
    )
    found = documents_facts(note, code=_SCS)
    assert value(found, "stimulator.pdn_medical_optimization") is optimized


@pytest.mark.parametrize(
    ("row", "score"),
    [
        ("Upper-limb pain >=3/10 ...... [ ] Yes  [X] No", None),  # a form's threshold
        ("Hand pain ≥ 3/10: No", None),
        ("Hands: 4/10 burning at night.", 4.0),
    ],
)
def test_a_threshold_on_a_form_is_no_limb_score(row: str, score: float | None) -> None:
    note = (
        "Pain medicine office visit",
        "2026-08-24",
        f"HPI: 61 yo M w/ T2DM and painful diabetic peripheral neuropathy.\n{row}\n"
        "A/P: PDN, both feet. SCS trial.",
    )
    found = documents_facts(note, code=_SCS)
    assert value(found, "stimulator.pdn_upper_limb_vas") == score
