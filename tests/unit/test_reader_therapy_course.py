"""A therapy course told the ways therapists and clinicians write it: a discharge summary's first
and last visits named as such, a course length hyphenated before the therapy, and a course that
changed nothing (outcome measures "essentially unchanged", "limited progress"), each with the
forms that must not be read so."""

from __future__ import annotations

import pytest

from drafting.extraction.quantities.activities import find_impaired_adls
from tests.reader_facts import documents_facts, facts


def _pt_discharge(line: str) -> float | None:
    found = documents_facts(
        ("Physical therapy discharge summary", "2026-04-30",
         f"CORESTRONG PHYSICAL THERAPY\nDISCHARGE SUMMARY\nDx: M54.50 LBP\n\n{line}\n"
         "Treatment: stabilization, manual therapy, HEP.\n"),
        ("Office note", "2026-05-10", "HPI: low back pain since January 2026.\nPlan: MBB."),
    )  # fmt: skip
    return found.conservative.pt_weeks.value if found.conservative.pt_weeks else None


@pytest.mark.parametrize(
    ("line", "weeks"),
    [
        ("Episode: Initial evaluation 03/05/2026 - final visit 04/28/2026 (8 weeks)", 7.7),
        ("Dates: IE 02/17/2026 - D/C 04/28/2026. Visits attended: 10 of 10.", 10.0),
        ("Start of care 03/03/2026; discharge 04/28/2026.", 8.0),
        # one visit named, no last one: no course length
        ("Initial evaluation 03/05/2026. Patient attended 3 visits.", None),
    ],
)
def test_a_discharge_summarys_first_and_last_visits(line: str, weeks: float | None) -> None:
    assert _pt_discharge(line) == weeks


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("HPI: LBP. He completed a twelve-week course of NHS physiotherapy last summer.", 12.0),
        ("HPI: LBP. She did an 8-week programme of supervised physiotherapy.", 8.0),
        ("HPI: LBP. Six weeks ago physical therapy was started.", None),
    ],
)
def test_a_course_length_written_before_the_therapy(text: str, weeks: float | None) -> None:
    found = facts(text)
    assert (found.conservative.pt_weeks.value if found.conservative.pt_weeks else None) == weeks


@pytest.mark.parametrize(
    ("text", "unchanged"),
    [
        (
            "HPI: LBP. Completed PT; strength improved, but pain and ODI essentially unchanged.",
            True,
        ),
        ("HPI: LBP. Ten weeks of physiotherapy without meaningful change.", True),
        ("HPI: LBP. PT assessment: limited progress.", True),
        ("HPI: LBP. PT: not progressing with respect to pain.", True),
        ("HPI: LBP. PT: good progress, pain improved from 7 to 3.", None),
        ("HPI: LBP. After PT the pain changed for the better.", None),
    ],
)
def test_a_course_that_changed_nothing(text: str, unchanged: bool | None) -> None:
    found = facts(text).conservative.no_significant_improvement
    assert (found.value if found else None) is unchanged


@pytest.mark.parametrize(
    ("text", "activities"),
    [
        ("Function: needs her daughter to do the grocery shopping.", ["shopping"]),
        ("Function: she can only walk 1 block.", ["walking"]),
        ("Function: relies on her husband for the housework.", ["housework"]),
        # an ability, or a wish, is no limitation
        ("Function: independent with shopping; walks 2 miles daily.", []),
        ("Function: he needs to walk more for his health.", []),
    ],
)
def test_a_limitation_told_as_help_needed(text: str, activities: list[str]) -> None:
    assert [m.name for m in find_impaired_adls(text)] == activities


@pytest.mark.parametrize(
    ("medicine", "weeks"),
    [
        # a medicine started before a short therapy course starts the care
        ("meloxicam 15 mg daily (restarted 8/25)", 6.3),
        ("meloxicam 15 mg daily", 5.7),
        # started in an earlier month: from its first day
        ("meloxicam 15 mg daily restarted in July", 14.1),
        # started in the course's own month: before it or after, not known - the course's
        # weeks stand in as a lower bound
        ("meloxicam 15 mg daily restarted in August", None),
    ],
)
def test_a_medicine_started_before_a_short_course_starts_the_care(
    medicine: str, weeks: float | None
) -> None:
    from tests.reader_facts import documents_facts, value

    note = (
        "HPI: axial low back pain is back since early August.\n"
        "PT re-referral - 6 visits 08/27/2026 thru 10/06/2026, no meaningful change.\n"
        f"Meds: {medicine}, cyclobenzaprine 5 mg qhs prn."
    )
    found = documents_facts(("Office visit", "2026-10-08", note), code="64635")
    assert value(found, "conservative.duration_weeks") == weeks


@pytest.mark.parametrize(
    ("care", "completed"),
    [
        # a course its own sentence says failed was run to its end
        ("Failed home exercises, ibuprofen and ice x ~10 wks.", True),
        ("Despite HEP and meloxicam x 3 months, no better.", True),
        ("Tried and failed: HEP, naproxen for 12 wks.", True),
        ("HEP, ibuprofen and heat for 10 wks without any relief.", True),
        # a course still running, or one whose result is not told
        ("Doing HEP and ibuprofen x 10 wks so far.", None),
        ("HEP, ibuprofen and heat for 10 wks.", None),
    ],
)
def test_a_course_told_as_failed_is_completed(care: str, completed: bool | None) -> None:
    from tests.reader_facts import value

    note = f"HPI: axial low back pain since 2024.\nTreatment this episode: {care}\nPlan: MBB."
    assert value(facts(note), "conservative.completed") is completed


@pytest.mark.parametrize(
    ("line", "formal"),
    [
        # "physical therapy" a chiropractic office gave is a chiropractor's care
        ("[X] Physical therapy - 03/2026-05/2026 - provider: Summit Chiropractic Center", None),
        ("Rehab exercises 2x/wk at his chiropractor's office rehab suite since March.", None),
        ("PT 03/2026-05/2026 through Lakeside Chiropractic & Rehab", None),
        # a therapist named, or a therapy clinic of its own
        ("PT 03/2026-05/2026 at Summit Chiropractic & PT, J. Ruiz, DPT", True),
        ("[X] Physical therapy - 03/2026-05/2026 - provider: Bayview Physical Therapy", True),
        ("PT x 8 wks at Bayview; also saw a chiropractor twice.", True),
    ],
)
def test_therapy_given_by_a_chiropractor_is_no_formal_pt(line: str, formal: bool | None) -> None:
    from tests.reader_facts import value

    note = f"HPI: neck pain since 2025.\nConservative care: {line}\nPlan: cervical MBB."
    assert value(facts(note, code="64490"), "conservative.pt_formal") is formal


def test_a_short_course_told_as_failed_has_not_run_its_length() -> None:
    from tests.reader_facts import value

    note = "HPI: axial low back pain since 2024.\nFailed HEP and ibuprofen x 3 wks.\nPlan: MBB."
    assert value(facts(note), "conservative.completed") is None
