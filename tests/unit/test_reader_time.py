"""Time and amounts in the reader's words (2026-12-05): relative dates against the note's date
(seasons, "January of last year"), a worsening date that is not the onset, durations said as a
fraction or just below a number, "Pt" (the patient) beside a duration, every percent sign."""

from __future__ import annotations

from datetime import date

import pytest

from drafting.extraction.quantities.calendar import find_durations
from drafting.extraction.quantities.scores import find_percents
from tests.reader_facts import documents_facts, facts, value


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


@pytest.mark.parametrize(
    ("phrase", "since"),
    [
        ("neck pain since around Christmas 2025", "2025-12-25"),
        ("neck pain since Christmas", "2025-12-25"),
        ("back pain since Thanksgiving", "2025-11-27"),  # the fourth Thursday of November
        ("back pain since New Year's", "2026-01-01"),
        ("back pain since the 4th of July", "2026-07-04"),
        ("back pain since Easter", "2026-04-05"),  # moves with the moon: 5 April in 2026
        ("back pain since Memorial Day", "2026-05-25"),  # the last Monday of May
        ("back pain since around Labor Day", "2026-09-07"),  # the first Monday of September
        ("back pain since Memorial Day last year", "2025-05-26"),
        ("neck pain since Xmas", "2025-12-25"),
    ],
)
def test_a_holiday_dates_the_onset(phrase: str, since: str) -> None:
    (found,) = find_durations(phrase, reference=date(2026, 9, 14))
    assert found.since == date.fromisoformat(since)


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("A/P: R C6-7 facet-mediated neck pain, > 6 wks failed conservative care.", None),
        ("A/P: R C6-7 facet-mediated neck pain, 8 weeks of failed non-operative management.", None),
        ("Leg pain better for about 8 months after the discectomy.", None),
        ("A/P: R C6-7 facet-mediated neck pain for 6 months with poor sleep.", 6.0),
    ],
)
def test_the_length_of_a_treatment_or_a_good_spell_is_not_the_pains(
    sentence: str, months: float | None
) -> None:
    assert value(facts(f"HPI: neck pain.\n{sentence}"), "symptoms.duration_months") == months


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
    ("text", "months"),
    [
        ("Her neck pain began after a rear-end collision nearly two years ago.", 22.8),
        ("Neck pain; she had an injection two years ago.", None),
    ],
)
def test_pain_that_began_some_time_ago_has_lasted_since(text: str, months: float | None) -> None:
    assert value(facts(f"HPI: {text}"), "symptoms.duration_months") == months


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Before the blocks it was a steady seven to eight out of ten.", 7.0),
        ("Pre-procedure: NRS 7/10 at rest.", 7.0),
        ("After the block the pain went from 7 down to 1/10.", None),
    ],
)
def test_the_pain_before_a_block_is_the_patients_pain(text: str, score: float | None) -> None:
    assert value(facts(f"HPI: neck pain for two years. {text}"), "pain.score") == score


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # a sentence without its subject continues the pain sentence before it
        ("Index pain: R axial neck pain. Present since 03/2026, gradually worse.", 6.0),
        ("Low back pain, L>R. Started about 8 months ago after moving house.", 8.0),
        (
            "Pain over both SI joints. It has been present now for about ten months.",
            10.0,
        ),
        # a subjectless sentence after a sentence about something else is not the pain's
        ("Low back pain on the left. Smokes daily. Started smoking 8 months ago.", None),
        ("Hypertension. Present since 03/2026.", None),
    ],
)
def test_a_sentence_that_leaves_out_its_subject_continues_the_pain_sentence(
    text: str, months: float | None
) -> None:
    found = value(facts(f"HPI: {text}"), "symptoms.duration_months")
    assert found == (pytest.approx(months, abs=0.6) if months is not None else None)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Pain began at nine weeks' gestation and has worsened over the past four months.", 4.0),
        ("Her pelvic pain started 5 months ago; she has been off work since 08/2026.", 5.0),
        # a pregnancy's weeks and time off work are not how long the pain has lasted
        ("Pelvic pain began at about nine weeks' gestation.", None),
        ("Back pain; she has been off work since 08/2026.", None),
    ],
)
def test_gestation_and_time_off_work_are_not_the_pains_duration(
    text: str, months: float | None
) -> None:
    found = value(facts(f"HPI: {text}"), "symptoms.duration_months")
    assert found == (pytest.approx(months, abs=0.6) if months is not None else None)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Moderate low back pain, worse with standing.", "moderate"),
        # the pain an examination maneuver provokes is not the patient's pain
        ("Low back pain. ROM: flexion ~70 deg mild pain; extension painful.", None),
        ("Low back pain. Flexion 60 deg, mild pain.", None),
        ("Low back pain. ROM: flexion fingertips to mid shin, mild pain; extension limited.", None),
        # the severity said of the pain, in a word that maps to mild, moderate or severe
        (
            "Neck pain since 2006. I would not recommend surgery as this pain really is minimal.",
            "mild",
        ),
        ("Her low back pain has been excruciating since the fall.", "severe"),
        ("Her low back pain is not severe.", None),
        # one part of the pain set against another is not the pain's severity
        ("Neck pain itself is mild compared to the arm.", None),
    ],
)
def test_pain_a_maneuver_provokes_is_no_pain_severity(text: str, severity: str | None) -> None:
    assert value(facts(f"HPI: {text}"), "pain.severity") == severity


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # a look-back window bounds when something happened, not how long the pain has lasted
        ("HPI: axial low back pain for 2 years. A: facet pain, confirmed w/ dual MBBs within "
         "the last 6 wks.", 24.0),
        ("A: facet-mediated low back pain, dual blocks within the past 6 weeks. "
         "HPI: low back pain for 2 years.", 24.0),
        ("HPI: low back pain for the last 6 weeks.", 1.4),
    ],
)  # fmt: skip
def test_a_look_back_window_is_no_pain_duration(text: str, months: float) -> None:
    found = facts(text)
    assert found.symptoms.duration_months is not None
    assert found.symptoms.duration_months.value == months


@pytest.mark.parametrize(
    ("sentence", "onset"),
    [
        ("Date of incident: 1/15/2001. Low back pain since.", date(2001, 1, 15)),
        ("WORK INJURY. DOI: 03/02/2025. Low back pain.", date(2025, 3, 2)),
        ("Low back pain worsening after a fall on 02/14/2026.", date(2026, 2, 14)),
        # a date that is not an injury's, or one after the note, is no onset
        ("Low back pain. Follow-up on 02/14/2026.", None),
        ("Low back pain. Date of injury: 10/01/2026 (as entered by the scheduler).", None),
    ],
)
def test_the_date_of_the_injury_is_the_onset_no_duration_gave(
    sentence: str, onset: date | None
) -> None:
    assert value(facts(f"HPI: {sentence}"), "symptoms.onset_date") == onset


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        # a follow-up's time point is no symptom duration
        ("Low back pain. At her 2-wk check she reported ~85% relief of leg pain.", None),
        ("Low back pain. 4-wk f/u 04/14: ~70% less arm pain.", None),
        ("Low back pain x 2 wks, worse with sitting.", 0.5),
    ],
)
def test_a_follow_ups_time_point_is_no_symptom_duration(
    sentence: str, months: float | None
) -> None:
    assert value(facts(f"HPI: {sentence}"), "symptoms.duration_months") == months


def test_a_score_told_as_another_visits_is_not_todays() -> None:
    worksheet = (
        "Prior authorization worksheet",
        "2026-09-12",
        "Pain score: 6-7/10 (from 07/08/2026 visit)\nCurrent pain: see 09/10 note",
    )
    note = (
        "Follow-up visit",
        "2026-09-10",
        'HPI: L arm tingling, "maybe a one or two on a bad day, most days nothing."',
    )
    assert value(documents_facts(worksheet, note, code="64479"), "pain.score") == 1.0


@pytest.mark.parametrize(
    ("told", "done", "months"),
    [
        # relief that ran until a holiday, from the procedure to that day
        ("relief held until right around Easter", "2025-12-28", 3.22),
        ("She was good till just after Thanksgiving.", "2025-01-10", 10.55),
        ('"It started slipping around Memorial Day."', "2026-02-02", 3.68),
        ("The relief was gone by the Fourth of July.", "2026-05-19", 1.51),
        # a hope, or no holiday: no length
        ("hoping it lasts until Christmas", "2026-05-19", None),
        ("gone by Tuesday", "2026-05-19", None),
    ],
)
def test_relief_that_lasted_until_a_holiday(told: str, done: str, months: float | None) -> None:
    from drafting.extraction.rules.event_attributes import relief_until_months

    got = relief_until_months(told, date.fromisoformat(done), date(2026, 11, 30))
    assert got == months


@pytest.mark.parametrize(
    ("phrase", "since", "weeks"),
    [
        # a part of the note's own month: from that part; the month alone tells no length
        ("naproxen since early Sept", "2026-09-05", 1.3),
        ("PT since mid-September", None, None),  # told on the 14th: not yet begun
        ("meloxicam since September", None, None),
        # an earlier month still counts whole months
        ("meloxicam since early August", "2026-08-01", 4.3),
    ],
)
def test_since_a_part_of_the_notes_own_month(
    phrase: str, since: str | None, weeks: float | None
) -> None:
    found = find_durations(phrase, reference=date(2026, 9, 14))
    if since is None:
        assert found == []
    else:
        (duration,) = found
        assert duration.since == date.fromisoformat(since)
        assert round(duration.weeks, 1) == weeks
