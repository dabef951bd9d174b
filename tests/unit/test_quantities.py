"""Parser tables for `drafting.extraction.quantities`: every parser, common and tricky inputs, and
spans.

Each case checks the value read and that the mention's span holds exactly the matched text.
"""

from __future__ import annotations

from datetime import date

import pytest

from drafting.extraction.quantities import (
    Mention,
    find_adls,
    find_bmi,
    find_date_ranges,
    find_dates,
    find_durations,
    find_impaired_adls,
    find_levels,
    find_pain_scores,
    find_percents,
    find_sides,
    find_t_scores,
    find_temperature_differences,
    normalize_levels,
    normalize_side,
    parse_date,
    past_months,
)
from drafting.extraction.quantities.anatomy import levels_region
from drafting.extraction.quantities.calendar import writes_day_first


def _spans_hold(text: str, mentions: list[Mention]) -> None:
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain 7/10", [(7, None)]),
        ("VAS 6", [(6, None)]),
        ("NRS 8/10 today", [(8, None)]),
        ("pain 6-7/10 with walking", [(6, 7)]),
        ("pain 6–7/10", [(6, 7)]),
        ("0/10 at rest", [(0, None)]),
        ("rated 4 out of 10", [(4, None)]),
        ("pain score of 5", [(5, None)]),
        ("VAS 7/10 today, 8/10 at worst", [(7, None), (8, None)]),
        ("Pain level 9", [(9, None)]),
        ("pain is a 6 to 7/10", [(6, 7)]),
        ("seen 10/10/2025", []),  # a date, not a score
        ("strength 5/5 throughout", []),
        ("VAS 65 mm", []),  # not the 0-10 scale
        ("pain of 2 years duration", []),  # a duration, not a score
        ("pain 11/10", []),
        # a rating told by the kind of day it holds on
        ('"maybe a one or two on a bad day, most days nothing."', [(1, 2)]),
        ("a 7 on a good day", [(7, None)]),
        ("He has a bad day once a week.", []),
        ("She walks a mile on a good day.", []),
    ],
)
def test_pain_scores(text: str, expected: list[tuple[float, float | None]]) -> None:
    found = find_pain_scores(text)
    assert [(m.value, m.high) for m in found] == expected
    _spans_hold(text, found)


@pytest.mark.parametrize(
    ("text", "value", "high", "qualifier"),
    [
        ("80% relief", 80, None, "exact"),
        ("80-90% relief", 80, 90, "exact"),
        ("80%-90%", 80, 90, "exact"),
        ("~50%", 50, None, "approximately"),
        ("approximately 75 % improvement", 75, None, "approximately"),
        ("greater than 80 percent", 80, None, "more_than"),
        (">50% relief", 50, None, "more_than"),
        ("at least 80%", 80, None, "at_least"),
        ("less than 30%", 30, None, "less_than"),
        ("50 to 60 percent", 50, 60, "exact"),
        ("100% relief", 100, None, "exact"),
    ],
)
def test_percents(text: str, value: float, high: float | None, qualifier: str) -> None:
    [found] = find_percents(text)
    assert (found.value, found.high, found.qualifier) == (value, high, qualifier)
    _spans_hold(text, [found])


def test_percents_reject_impossible_values() -> None:
    assert find_percents("150% better") == []
    assert find_percents("90-80%") == []


@pytest.mark.parametrize(
    ("text", "days", "unit"),
    [
        ("x 6 wks", 42, "week"),
        ("x6w", 42, "week"),
        ("for 3 months", 91.32, "month"),
        ("6 weeks of PT", 42, "week"),
        ("2 yrs", 730.5, "year"),
        ("10 days", 10, "day"),
        ("a 3-month history", 91.32, "month"),
        ("six weeks", 42, "week"),
        ("for a year", 365.25, "year"),
        ("6-8 weeks", 42, "week"),
        ("3 mo.", 91.32, "month"),
        ("twenty-one consecutive months", 639.24, "month"),
        ("6 full weeks", 42, "week"),
    ],
)
def test_durations(text: str, days: float, unit: str) -> None:
    [found] = find_durations(text)
    assert found.days == pytest.approx(days)
    assert found.unit == unit
    _spans_hold(text, [found])


def test_duration_range_keeps_upper_bound() -> None:
    [found] = find_durations("6-8 weeks")
    assert found.high_days == pytest.approx(56)


@pytest.mark.parametrize(
    "text",
    ["12 mm", "5 mg", "10 mL", "several weeks", "visits every 4-8 weeks", "seen q 3 months"],
)
def test_durations_ignore_other_units_vague_words_and_intervals(text: str) -> None:
    assert find_durations(text) == []


@pytest.mark.parametrize(
    ("text", "amount", "unit", "since"),
    [
        ("pain since March", 6, "month", date(2026, 3, 1)),
        ("since Feb 2026", 7, "month", date(2026, 2, 1)),
        ("since early 07/2026", 2, "month", date(2026, 7, 1)),
        ("since approx 06/01/2026", 93, "day", date(2026, 6, 1)),
        ("since 2023", 44, "month", date(2023, 1, 1)),
        ("since October", 11, "month", date(2025, 10, 1)),  # the last October before the note
        ("twice weekly since 14 August", 19, "day", date(2026, 8, 14)),
        ("since August 14th", 19, "day", date(2026, 8, 14)),
        ("since the 3rd of June", 91, "day", date(2026, 6, 3)),
        ("since August 2026", 1, "month", date(2026, 8, 1)),  # a year, not a day
    ],
)
def test_since_is_relative_to_the_note_date(
    text: str, amount: float, unit: str, since: date
) -> None:
    [found] = find_durations(text, reference=date(2026, 9, 2))
    assert (found.amount, found.unit, found.since) == (amount, unit, since)


def test_since_needs_a_reference_date() -> None:
    assert find_durations("pain since March") == []


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("10/20/2025", date(2025, 10, 20), "day"),
        ("2025-10-20", date(2025, 10, 20), "day"),
        ("Oct 3 2025", date(2025, 10, 3), "day"),
        ("Oct. 3, 2025", date(2025, 10, 3), "day"),
        ("3 Oct 2025", date(2025, 10, 3), "day"),
        ("Sept 12th, 2024", date(2024, 9, 12), "day"),
        ("10/20/25", date(2025, 10, 20), "day"),
        ("1/5/2024", date(2024, 1, 5), "day"),
        ("10/2025", date(2025, 10, 1), "month"),
        ("October 2025", date(2025, 10, 1), "month"),
        ("March of 2024", date(2024, 3, 1), "month"),
        ("fall on ice in Feb '25", date(2025, 2, 1), "month"),
        ("MRI March ’24", date(2024, 3, 1), "month"),
    ],
)
def test_dates(text: str, value: date, precision: str) -> None:
    [found] = find_dates(text)
    assert (found.value, found.precision) == (value, precision)
    _spans_hold(text, [found])


@pytest.mark.parametrize(
    "text", ["7/10 pain", "L4-5", "13/45/2025", "02/30/2025", "x 6 wks", "rock 'n roll", "May ' 25"]
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the epidural steroid injection that was performed in December", date(2025, 12, 1)),
        ("He had an MRI back in April.", date(2026, 4, 1)),
        ("Underwent a right L5 TFESI in early Feb. with 60% relief", date(2026, 2, 1)),
        ("The block was done in July.", date(2026, 7, 1)),
    ],
)
def test_a_month_told_in_the_past_is_the_last_one_before_the_note(text: str, value: date) -> None:
    [found] = past_months(text, date(2026, 7, 20))
    assert (found.value, found.precision) == (value, "month")
    _spans_hold(text, [found])


@pytest.mark.parametrize(
    "text",
    [
        "The injection is scheduled in December.",  # the future
        "She will have the MRI done in September.",
        "The ESI was performed in December 2024.",  # a year follows: an absolute date
        "Was seen in March 3rd clinic.",  # a day follows
        "Symptoms in may be worse at night.",  # lower case: not a month
        "He walks in April weather.",  # no past-tense cue
    ],
)
def test_a_month_not_told_in_the_past_or_with_its_year_is_not_read_so(text: str) -> None:
    assert past_months(text, date(2026, 7, 20)) == []


def test_a_past_month_needs_the_notes_date() -> None:
    assert past_months("the injection that was performed in December", None) == []


def test_parse_date_returns_first_date_or_none() -> None:
    assert parse_date("MRI 08/11/2026 and CT 09/01/2026") == date(2026, 8, 11)
    assert parse_date("no date here") is None


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("PT 06/29/2026 - 08/21/2026", date(2026, 6, 29), date(2026, 8, 21)),
        ("PT 7 wks (06/02-07/21/2026)", date(2026, 6, 2), date(2026, 7, 21)),
        ("12 wks 03-05/2026", date(2026, 3, 1), date(2026, 5, 1)),
        ("Dates of care: 6/29/26 - 8/21/26", date(2026, 6, 29), date(2026, 8, 21)),
        ("PT x 2 courses (2024, 03/2026-05/2026 8 wks)", date(2026, 3, 1), date(2026, 5, 1)),
    ],
)
def test_date_ranges(text: str, first: date, last: date) -> None:
    [found] = find_date_ranges(text)
    assert (found.first, found.last) == (first, last)
    _spans_hold(text, [found])


@pytest.mark.parametrize(
    ("text", "levels", "regions"),
    [
        ("L4-5", ["L4-L5"], ["lumbar"]),
        ("L4-L5", ["L4-L5"], ["lumbar"]),
        ("L4 - L5", ["L4-L5"], ["lumbar"]),
        ("L5/S1", ["L5-S1"], ["lumbar", "sacral"]),
        ("C5-6", ["C5-C6"], ["cervical"]),
        ("T12-L1", ["T12-L1"], ["thoracic", "lumbar"]),
        ("C7-T1", ["C7-T1"], ["cervical", "thoracic"]),
        ("S1-S3", ["S1-S2", "S2-S3"], ["sacral"]),
        ("L3 through L5", ["L3-L4", "L4-L5"], ["lumbar"]),
        ("L3 to L5", ["L3-L4", "L4-L5"], ["lumbar"]),
        ("L5 radiculopathy", ["L5"], ["lumbar"]),
        # run together, as dictations write them
        ("L5S1", ["L5-S1"], ["lumbar", "sacral"]),
        ("L4L5", ["L4-L5"], ["lumbar"]),
        ("T12L1", ["T12-L1"], ["thoracic", "lumbar"]),
        ("L34", ["L3-L4"], ["lumbar"]),
        ("C56", ["C5-C6"], ["cervical"]),
    ],
)
def test_levels(text: str, levels: list[str], regions: list[str]) -> None:
    [found] = find_levels(text)
    assert (found.levels, found.regions) == (levels, regions)
    _spans_hold(text, [found])


@pytest.mark.parametrize(
    "text",
    [
        "T2 hyperintense signal",
        "T1-weighted images",
        "T2-weighted",
        "S1 S2 normal",
        "L5-L3",
        "S1S2 normal",
        "L35",
        "C58",
        "L67",
    ],
)
def test_not_levels(text: str) -> None:
    assert find_levels(text) == []


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        # an MRI sequence pair is not the T1 and T2 vertebrae
        ("Modic type 2 changes (T1 and T2 hyperintense) at L4-5.", ["L4-L5"]),
        ("Fusion from T1 and T2 down to T4.", ["T1", "T2", "T4"]),
        ("T1 hypointense / T2 and STIR hyperintense signal at L4-5.", ["L4-L5"]),
        ("T2 and T3 compression fractures.", ["T2", "T3"]),
        # endplates name the disc segment they border
        ("Modic changes at the inferior L3, superior and inferior L4, and superior L5 endplates.",
         ["L3-L4", "L4-L5"]),
        ("Superior L5 endplate Schmorl node.", ["L4-L5"]),
        ("Compression fracture of the superior L1 vertebral body.", ["L1"]),
        # S1, S2 followed by spinal words are foramina, not heart sounds
        ("bilateral S1, S2, and S3 lateral branch nerves", ["S1", "S2", "S3"]),
        ("Bilateral L5, S1, S2, and S3 radiofrequency ablation.", ["L5", "S1", "S2", "S3"]),
        ("Heart: RRR, S1 S2 normal, no murmur.", []),
        # a vertebra written with two digits is never read as a run-together segment
        ("T12 compression fracture; T11 intact.", ["T12", "T11"]),
        ("Bilateral facet injections at L34, L45, L5S1.", ["L3-L4", "L4-L5", "L5-S1"]),
    ],
)  # fmt: skip
def test_levels_in_context(text: str, levels: list[str]) -> None:
    assert normalize_levels(text) == levels


@pytest.mark.parametrize(
    ("levels", "region"),
    [
        (["L5", "S1", "S2", "S3"], "sacral"),  # lateral branches beside the L5 dorsal ramus
        (["L4-L5", "L5-S1"], "lumbar"),
        (["L5-S1"], "lumbar"),
        (["C7-T1", "T1-T2"], "cervical"),  # a tie: the first level's region
    ],
)
def test_a_procedures_region_is_where_most_of_its_levels_lie(
    levels: list[str], region: str
) -> None:
    assert levels_region(levels) == region


def test_normalize_levels_lists_each_level_once_in_order() -> None:
    text = "L4-5 and L5-S1 TFESI; prior L4-L5 fusion"
    assert normalize_levels(text) == ["L4-L5", "L5-S1"]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("left", "left"),
        ("Right-sided", "right"),
        ("bilateral", "bilateral"),
        ("bilaterally", "bilateral"),
        ("bilat", "bilateral"),
        ("B/L", "bilateral"),
        ("b/l", "bilateral"),
        ("L L4-5 TFESI", "left"),
        ("R SI joint", "right"),
        ("(R) L5-S1", "right"),
        ("Lt. knee", "left"),
    ],
)
def test_sides(text: str, side: str) -> None:
    found = find_sides(text)
    assert [m.side for m in found] == [side]
    _spans_hold(text, found)


@pytest.mark.parametrize("text", ["R/O fracture", "L4-5", "RT to the pelvis"])
def test_not_sides(text: str) -> None:
    assert find_sides(text) == []


def test_normalize_side() -> None:
    assert normalize_side("Lt") == "left"
    assert normalize_side("left and right") == "bilateral"
    assert normalize_side("B/L") == "bilateral"
    assert normalize_side("midline") is None
    assert normalize_side(None) is None


def test_bmi_t_score_and_temperature() -> None:
    assert [m.value for m in find_bmi("BMI 32.4; BMI: 41; body mass index of 28")] == [32.4, 41, 28]
    assert [m.value for m in find_t_scores("T-score -2.7, T score of −2.5")] == [-2.7, -2.5]
    text = "rise of 2.1 degrees C; 1.5 °C; Temp 36.8 °C; flexion 30 degrees; 3 °F"
    found = find_temperature_differences(text)
    assert [m.value for m in found] == [2.1, 1.5, 1.67]  # body temperature and angles left out
    _spans_hold(text, found)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Unable to sit > 20 min, cannot put on socks/shoes without help, unable to lift "
            "> 10 lb at work (on light duty since July), sleep disrupted nightly.",
            ["sitting", "dressing", "lifting", "sleep"],
        ),
        (
            "Trouble with stairs, getting in/out of car, walking his dog > 10 min; "
            "stopped golfing.",
            ["stairs", "transfers", "walking", "exercise"],
        ),
        (
            "Unable to walk > 1 block, needs help with grocery shopping and housework, difficulty "
            "with stairs.",
            ["walking", "shopping", "housework", "stairs"],
        ),
        ("Cannot stand > 10 min to cook.", ["standing"]),  # one item, its first activity
        ("Worse with sitting and bending.", []),  # aggravating factors, not inability
        ("Independent with driving, no difficulty dressing.", []),
        ("She is unable to dress. She drives without difficulty.", ["dressing"]),
        # a checklist: each ticked box an item, an unticked one none
        ("ADLs limited:  [X] walking  [X] standing  [ ] bathing  [X] dressing  [ ] driving",
         ["walking", "standing", "dressing"]),
        ("ADLs limited: [ ] walking [ ] standing", []),
        ("Can walk the dog only ~10 min before he has to sit.", ["walking"]),
        ("Can walk the dog for 10 min.", []),
        ("Getting out of the car is hard.", ["transfers"]),
        ("Waking 2x/night with the leg.", ["sleep"]),
    ],
)  # fmt: skip
def test_impaired_adls(text: str, names: list[str]) -> None:
    found = find_impaired_adls(text)
    assert [m.name for m in found] == names
    _spans_hold(text, found)


def test_find_adls_names_every_activity_word() -> None:
    assert [m.name for m in find_adls("walks, drives and showers")] == [
        "walking",
        "driving",
        "bathing",
    ]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("seen three times a week for eight weeks", 8 / 4.345),
        ("one visit a week for about a month", 1.0),
        ("symptomatic for the past seventeen months", 17.0),
        ("pain for roughly two and a half years", 30.0),
        ("for a year and a half now", 18.0),
        ("for thirty-six months", 36.0),
    ],
)
def test_durations_in_words_and_frequencies(text: str, months: float) -> None:
    from drafting.extraction.quantities import find_durations

    found = find_durations(text)
    assert len(found) == 1, found
    assert found[0].months == pytest.approx(months, rel=0.03)


@pytest.mark.parametrize(
    ("text", "own_date", "day_first"),
    [
        ("Clinic date 21/5/2026.", None, True),
        ("| 02/03/2026 (2 Mar 2026) | R SIJ injection |", None, True),
        ("Date typed: 10/07/2026", date(2026, 7, 10), True),
        # month first, or nothing that tells
        ("Date: 07/10/2026", date(2026, 7, 10), False),
        ("Injection 02/03/2026.", None, False),
        ("| 03/02/2026 (Mar 2 2026) |", None, False),
    ],
)
def test_a_text_that_writes_its_dates_day_first(
    text: str, own_date: date | None, day_first: bool
) -> None:
    assert writes_day_first(text, own_date) is day_first


def test_a_document_known_to_write_day_first_reads_every_numeric_date_so() -> None:
    assert [d.value for d in find_dates("Injection 02/03/2026.", day_first=True)] == [
        date(2026, 3, 2)
    ]
    assert [d.value for d in find_dates("Injection 02/03/2026.")] == [date(2026, 2, 3)]


def test_a_score_denominator_before_a_percent_label_is_not_a_percent() -> None:
    text = "Baseline pain: 8/10   Trial pain: 5.9/10   % relief: 27%"
    assert [p.value for p in find_percents(text)] == [27.0]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Upper-limb pain >=3/10: No", []),  # a threshold, not a rating
        ("required pain ≥ 4/10 at the block", []),
        ("pain < 3/10 after", []),
        ("Pain 3/10 today, 7/10 at worst", [3.0, 7.0]),
    ],
)
def test_a_pain_threshold_is_no_rating(text: str, values: list[float]) -> None:
    assert [s.value for s in find_pain_scores(text)] == values
