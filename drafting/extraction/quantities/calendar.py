"""Parsers for dates and durations (absolute, and "since March" relative to a note's date).

The words between the numbers (frequency, range separators, "to present") are data
(`drafting/extraction/lexicons/calendar_words.yaml`).
"""

from __future__ import annotations

import itertools
import re
from calendar import monthrange  # the standard library's
from datetime import date

from drafting.extraction.lexicons import patterns, words
from drafting.extraction.quantities.mentions import (
    NUMBER_PATTERN,
    DateMention,
    DatePrecision,
    DateRange,
    Duration,
    TimeUnit,
    drop_overlaps,
    word_number,
)

# Month names and abbreviations -> month number (also used by drafting.extraction.evidence).
MONTH_NUMBERS = {
    name: index
    for index, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
# The month names as a regex alternation, longest first ("september" before "sep").
MONTH_NAMES = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_MONTH = rf"(?P<month>{MONTH_NAMES})\.?"
_YEAR4 = r"(?P<year>(?:19|20)\d{2})"
_DATE_PATTERNS: list[tuple[re.Pattern[str], DatePrecision]] = [
    (
        re.compile(r"(?<![\d/])(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
        "day",
    ),
    (
        re.compile(
            r"(?<![\d/.])(?P<mnum>\d{1,2})(?P<sep>[/.-])(?P<day>\d{1,2})(?P=sep)"
            r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d/])"
        ),
        "day",
    ),
    (re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR4}\b", re.I), "day"),
    (re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR4}\b", re.I), "day"),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR4}\b", re.I), "month"),
    # a year cut short after an apostrophe ("Feb '25", "March ’24")
    (re.compile(rf"\b{_MONTH}\s*['’](?P<year>\d{{2}})\b", re.I), "month"),
    (re.compile(r"(?<![\d/.])(?P<mnum>\d{1,2})/(?P<year>(?:19|20)\d{2})(?![\d/])"), "month"),
]


def _date_from_match(
    match: re.Match[str], precision: DatePrecision, day_first: bool = False
) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    month = MONTH_NUMBERS[groups["month"].lower()] if groups.get("month") else int(groups["mnum"])
    day = int(groups["day"]) if precision == "day" else 1
    if groups.get("sep") and precision == "day" and (day_first or (month > 12 >= day)):
        month, day = day, month  # 15/04/2026: day first, as British and European notes write it
    try:
        return date(year, month, day)
    except ValueError:
        return None


_SPELLED_AFTER = re.compile(rf"\s*\(\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}", re.I)


def writes_day_first(text: str, own_date: date | None = None) -> bool:
    """The text writes numeric dates day first: one can only be read so (15/04/2026), one is
    glossed with its day and month in words ("02/03/2026 (2 Mar 2026)"), or the document's own
    date (`own_date`) is written so ("Date typed: 10/07/2026" on a letter of 10 July)."""
    for match in _DATE_PATTERNS[1][0].finditer(text):
        first, second = int(match.group("mnum")), int(match.group("day"))
        if first > 12 >= second:
            return True
        if (
            own_date is not None
            and first != second
            and (first, second) == (own_date.day, own_date.month)
            and _date_from_match(match, "day", day_first=True) == own_date
        ):
            return True
        spelled = _SPELLED_AFTER.match(text, match.end())
        if (
            spelled
            and first != second
            and int(spelled.group("day")) == first
            and MONTH_NUMBERS[spelled.group("month").lower()] == second
        ):
            return True
    return False


def writes_month_first(text: str) -> bool:
    """One numeric date of the text can only be read month first (04/15/2026)."""
    return any(
        int(m.group("day")) > 12 >= int(m.group("mnum"))
        for m in _DATE_PATTERNS[1][0].finditer(text)
    )


def find_dates(text: str, day_first: bool = False) -> list[DateMention]:
    """Dates: 10/20/2025, 10/20/25, 2025-10-20, Oct 3 2025, 3 Oct 2025, October 2025, 10/2025,
    Feb '25.

    Numeric dates are month first unless the text writes them day first (`writes_day_first`) or
    the caller knows its document does (`day_first`): then every numeric date is read day first
    (03/06/2026 = 3 June).
    """
    found: list[DateMention] = []
    day_first = day_first or writes_day_first(text)
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _date_from_match(match, precision, day_first)
            if value is not None:
                found.append(DateMention.of_match(match, value=value, precision=precision))
    return drop_overlaps(found)


# "was performed in December", "had an MRI back in April": a month named with no year, in a
# clause told in the past; months are capitalised ("in may" is not May) and no day or year follows
_PAST_MONTH = re.compile(
    r"\b(?i:(?P<cue>performed|done|received|had|underwent|given|did|was|were))\b[^.;:?!\n]{0,60}?"
    r"\b(?:back\s+)?(?:in|during)\s+(?:(?:early|mid|late)[\s-]+)?"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
    r"(?![\s,]*(?:\d|of\s+(?:19|20|this|last|next)))"
)
_FUTURE = re.compile(r"\b(?:will|shall|scheduled|booked|plan(?:ned|s)?|next|upcoming|due)\b", re.I)


def past_months(text: str, reference: date | None) -> list[DateMention]:
    """Months named without a year in a clause told in the past ("the injection that was
    performed in December", "MRI done back in April"), as the latest such month on or before
    `reference` (the note's date); none without a reference or in a clause about the future."""
    if reference is None:
        return []
    found = []
    for match in _PAST_MONTH.finditer(text):
        if _FUTURE.search(text[max(0, match.start() - 40) : match.end()]):
            continue
        month = MONTH_NUMBERS[match.group("month").lower()]
        year = reference.year if month <= reference.month else reference.year - 1
        found.append(
            DateMention(
                start=match.start("month"), end=match.end("month"), text=match.group("month"),
                value=date(year, month, 1), precision="month",
            )
        )  # fmt: skip
    return found


def parse_date(text: str) -> date | None:
    """The first date in `text`, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None


_WORDS = patterns("calendar_words")  # and a half, frequency, range separator, to present
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
_UNIT = (
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b(?:\(s\))?"
    r"|(?<=\d)(?P<short>[dwy])\b"
)
_DURATION = re.compile(
    rf"(?:(?<=[xX])|(?<![\w.]))(?P<num>{NUMBER_PATTERN})(?:\s*(?:-|–|to)\s*(?P<num2>{NUMBER_PATTERN}))?"
    rf"(?P<half>\s+and\s+a\s+half|\s+1/2|\s*½)?\s*-?\s*"  # "8 1/2 mo", "2½ years"
    r"(?:(?:consecutive|continuous|straight|full|solid)\s+)?"  # "six consecutive months"
    rf"(?:{_UNIT})",
    re.IGNORECASE,
)
_HOLIDAY_DAYS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?:{phrasing})\Z", re.I), str(day))
    for day, phrasings in words("holidays").items()
    for phrasing in phrasings
]
# the holidays' words as one alternation ("since around Christmas 2025", "until Easter")
HOLIDAY_WORDS = "|".join(str(phrasing) for _, phrasings in words("holidays").items()
                         for phrasing in phrasings)  # fmt: skip
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own letter
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return date(year, month, (h + l - 7 * m + 114) % 31 + 1)


def holiday_date(told: str, year: int) -> date | None:
    """The day a holiday named in `told` ("Thanksgiving", "the Fourth of July") falls on in
    `year`, or None when `told` names no holiday."""
    name = " ".join(told.split())
    rule = next((day for pattern, day in _HOLIDAY_DAYS if pattern.match(name)), None)
    if rule is None:
        return None
    if rule == "easter":
        return _easter(year)
    parts = rule.split("-")
    month = int(parts[0])
    if len(parts) == 2:
        return date(year, month, int(parts[1]))
    weekday = _WEEKDAYS.index(parts[1])
    days = [
        day for day in range(1, monthrange(year, month)[1] + 1)
        if date(year, month, day).weekday() == weekday
    ]  # fmt: skip
    return date(year, month, days[-1] if parts[2] == "last" else days[int(parts[2]) - 1])


# "since 04/2026", "since a fall on ice 04/2026" (an injury named before the date; not a
# treatment), "onset 03/2026", "initial workup 03/2026"
_SINCE = re.compile(
    r"(?:\bsince\s+(?:(?:an?|the|his|her)\s+(?!(?:surgery|injection|procedure|ESI|PT|therapy|"
    r"fusion|block)\b)(?:[a-z]+\s+){1,4}?(?:in\s+|on\s+)?)?|\b(?:onset|began|started|initial\s+"
    r"(?:work-?up|evaluation|presentation|visit))\s+(?:in\s+|on\s+|of\s+)?)"
    r"(?:approx(?:imately)?\.?\s+|about\s+|around\s+|~\s*)?(?:(?P<part>early|mid|late)[\s-]+)?"
    r"(?:the\s+)?(?:(?P<day_before>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?=[A-Za-z]))?"
    rf"(?:{_MONTH}(?:\s+(?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?\b(?!/|:))?"
    rf"(?:,?\s+{_YEAR4}\b|(?P<last_year>\s+(?:of\s+)?last\s+year\b))?\b"
    r"|(?P<only_year>(?:19|20)\d{2})\b"
    r"|(?P<numeric>\d{1,2}/(?:\d{1,2}/)?\d{2,4})(?![\d/])"
    r"|(?P<season_last>(?:last|this\s+past|the\s+past)\s+)?(?:the\s+)?"
    r"(?:(?:early|mid|late)[\s-]+)?(?P<season>spring|summer|autumn|fall|winter)\b"
    r"(?:,?\s+(?:of\s+)?(?P<season_year>(?:19|20)\d{2})\b)?"
    rf"|(?P<holiday_last>last\s+)?(?P<holiday>{HOLIDAY_WORDS})\b"
    r"(?:,?\s+(?:of\s+)?(?P<holiday_year>(?:19|20)\d{2})\b|(?P<holiday_last_year>\s+last\s+year\b))?)",
    re.IGNORECASE,
)
# the month a season starts (northern hemisphere): "since last autumn" anchors to September
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _unit_name(token: str) -> TimeUnit:
    token = token.lower()
    if token.startswith("d"):
        return "day"
    if token.startswith("w"):
        return "week"
    if token.startswith("m"):
        return "month"
    return "year"


def _since(match: re.Match[str], reference: date) -> tuple[float, TimeUnit, date] | None:
    """Time from the anchor to `reference`: whole calendar months for a month, else days."""
    groups = match.groupdict()
    if groups.get("numeric"):
        mentions = find_dates(groups["numeric"])
        if not mentions:
            return None
        anchor, precision = mentions[0].value, mentions[0].precision
    elif groups.get("month"):
        month = MONTH_NUMBERS[groups["month"].lower()]
        year = int(groups["year"]) if groups.get("year") else reference.year
        if not groups.get("year") and month > reference.month:
            year -= 1
        if groups.get("last_year"):  # "since January of last year"
            year = reference.year - 1
        day = groups.get("day_before") or groups.get("day_after")  # "since 14 August"
        anchor, precision = date(year, month, 1), "month"
        if day and 1 <= int(day) <= monthrange(year, month)[1]:
            anchor, precision = date(year, month, int(day)), "day"
    elif groups.get("season"):
        month = _SEASON_START[groups["season"].lower()]
        if groups.get("season_year"):  # "winter 2024": its January, the year named
            year = int(groups["season_year"])
            month = 1 if month == 12 else month
        else:
            year = reference.year if month <= reference.month else reference.year - 1
            if (reference.year - year) * 12 + reference.month - month < 3:
                if not groups.get("season_last"):
                    return None  # "since the fall", said in the fall: this one or last year's?
                year -= 1  # "since last spring", said in the spring
        anchor, precision = date(year, month, 1), "month"
    elif groups.get("holiday"):
        told = groups["holiday"]
        if groups.get("holiday_year"):
            held = holiday_date(told, int(groups["holiday_year"]))
        elif groups.get("holiday_last_year"):  # "since Memorial Day last year"
            held = holiday_date(told, reference.year - 1)
        else:  # the last one before the note ("since Christmas" said in March)
            held = holiday_date(told, reference.year)
            if held is not None and held > reference:
                held = holiday_date(told, reference.year - 1)
            if held is not None and groups.get("holiday_last") and reference.month == held.month:
                held = holiday_date(told, held.year - 1)
        if held is None:
            return None
        anchor, precision = held, "day"
    else:
        anchor, precision = date(int(groups["only_year"]), 1, 1), "year"
    if anchor > reference:
        return None
    if precision == "day":
        return float((reference - anchor).days), "day", anchor
    months = (reference.year - anchor.year) * 12 + reference.month - anchor.month
    if months == 0 and precision == "month":
        # "since early Oct" said on 10/29: the days since that part of the month; "since
        # October" said in October: some part of a month, how much is not told
        part = groups.get("part")
        if not part:
            return None
        anchor = anchor.replace(day=PART_OF_MONTH_DAY[part.lower()])
        return (float((reference - anchor).days), "day", anchor) if anchor <= reference else None
    return float(months), "month", anchor


# the day a part of a month stands for ("since early Oct", "held until about mid-April")
PART_OF_MONTH_DAY = {
    "early": 5, "beginning of": 5, "mid": 15, "middle of": 15, "late": 25, "end of": 28,
}  # fmt: skip


def _duration(
    match: re.Match[str],
    amount: float,
    unit: TimeUnit,
    *,
    high_days: float | None = None,
    since: date | None = None,
) -> Duration:
    return Duration.of_match(
        match,
        amount=amount,
        unit=unit,
        days=amount * _UNIT_DAYS[unit],
        high_days=high_days,
        since=since,
    )


def find_durations(text: str, reference: date | None = None) -> list[Duration]:
    """Durations: "x 6 wks", "for 3 months", "6 weeks of PT", "2 yrs", "10 days", "6-8 weeks";
    with a `reference` date (the note's date) also "since March", "since 2023", "since 10/2024"."""
    found: list[Duration] = []
    for match in _DURATION.finditer(text):
        if match.group("num").lower() in ("a", "an") and _WORDS["frequency"].search(
            text, max(0, match.start() - 30), match.start()
        ):
            continue  # "twice a week", "two visits a week": a frequency, not a duration
        if _WORDS["interval"].search(text, max(0, match.start() - 12), match.start()):
            continue  # "visits every 4-8 weeks", "q6 wks": how often, not how long
        unit = _unit_name(match.group("unit") or match.group("short"))
        amount = word_number(match.group("num"))
        if _WORDS["and_a_half"].match(text, match.end()) or match.group("half"):
            amount += 0.5
        before = text[max(0, match.start() - 24) : match.start()]
        if _WORDS["half_of"].search(before):  # "half a year"
            amount *= 0.5
        elif _WORDS["just_under"].search(before):  # "just under three months": below three
            amount *= 0.95
        high = word_number(match.group("num2")) if match.group("num2") else None
        if amount <= 0 or (high is not None and high < amount):
            continue
        high_days = high * _UNIT_DAYS[unit] if high is not None else None
        found.append(_duration(match, amount, unit, high_days=high_days))
    if reference is not None:
        for match in _SINCE.finditer(text):
            since = _since(match, reference)
            if since is not None:
                amount, unit, anchor = since
                found.append(_duration(match, amount, unit, since=anchor))
    return drop_overlaps(found)


_SHORT_RANGE = re.compile(
    r"(?<![\d/])(?P<m1>\d{1,2})/(?P<d1>\d{1,2})\s*[-–]\s*(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/"
    r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d/])"
    r"|(?<![\d/])(?P<mm1>\d{1,2})\s*[-–]\s*(?P<mm2>\d{1,2})/(?P<myear>(?:19|20)\d{2})(?![\d/])"
)


def _short_range(match: re.Match[str]) -> tuple[date, date] | None:
    groups = match.groupdict()
    try:
        if groups["m1"]:
            year = int(groups["year"])
            year += 2000 if year < 100 else 0
            first = date(year, int(groups["m1"]), int(groups["d1"]))
            last = date(year, int(groups["m2"]), int(groups["d2"]))
        else:
            year = int(groups["myear"])
            first = date(year, int(groups["mm1"]), 1)
            last = date(year, int(groups["mm2"]), 1)
    except ValueError:
        return None
    return (first, last) if first <= last else None


def find_date_ranges(
    text: str, reference: date | None = None, day_first: bool = False
) -> list[DateRange]:
    """Date ranges: two dates joined by "-"/"to"/"through", "06/02-07/21/2026" (year written
    once) and "03-05/2026" (months of one year); with a `reference` date (the note's), also
    open ranges "05/04/2026-present" ending on it."""
    found: list[DateRange] = []
    if reference is not None:
        for start in find_dates(text, day_first):
            to_present = _WORDS["to_present"].match(text, start.end)
            if to_present and start.value <= reference:
                found.append(
                    DateRange(start=start.start, end=to_present.end(),
                              text=text[start.start : to_present.end()],
                              first=start.value, last=reference)
                )  # fmt: skip
    for match in _SHORT_RANGE.finditer(text):
        bounds = _short_range(match)
        if bounds:
            found.append(DateRange.of_match(match, first=bounds[0], last=bounds[1]))
    dates = find_dates(text, day_first)
    for first, last in itertools.pairwise(dates):
        between = text[first.end : last.start]
        if _WORDS["range_separator"].fullmatch(between) and first.value <= last.value:
            found.append(
                DateRange(start=first.start, end=last.end, text=text[first.start : last.end],
                          first=first.value, last=last.value)
            )  # fmt: skip
    return drop_overlaps(found)
