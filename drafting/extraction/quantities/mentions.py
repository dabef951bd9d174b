"""The mention models every quantity parser returns, and the helpers they share.

A mention is a stretch of the scanned text (`source[start:end] == text`) plus the value read from
it. Parsers live next door (`scores`, `calendar`, `anatomy`, `activities`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict

Side = Literal["left", "right", "bilateral"]
Region = Literal["cervical", "thoracic", "lumbar", "sacral"]
Qualifier = Literal["exact", "approximately", "at_least", "more_than", "at_most", "less_than"]
DatePrecision = Literal["day", "month", "year"]
TimeUnit = Literal["day", "week", "month", "year"]


class Mention(BaseModel):
    """A stretch of the scanned text: `text == source[start:end]`."""

    model_config = ConfigDict(frozen=True)
    start: int
    end: int
    text: str

    @classmethod
    def of_match(cls, match: re.Match[str], **values: Any) -> Self:
        """The mention of a whole regex match (its span and text), with the values read from it."""
        return cls(start=match.start(), end=match.end(), text=match.group(0), **values)


class PainScore(Mention):
    """A 0-10 pain rating; `high` is set for a range such as "6-7/10"."""

    value: float
    high: float | None = None


class Percent(Mention):
    """A percentage or a range of percentages ("80-90%"), with its qualifier ("~", "> ")."""

    value: float
    high: float | None = None
    qualifier: Qualifier = "exact"


class Duration(Mention):
    """A length of time; `days` is the lower bound in days (months 30.44 d, years 365.25 d)."""

    amount: float
    unit: TimeUnit
    days: float
    high_days: float | None = None
    since: date | None = None  # the anchor of "since March", when that is how it was written

    @property
    def weeks(self) -> float:
        """The duration in weeks."""
        return self.days / 7.0

    @property
    def months(self) -> float:
        """The duration in months (30.44 days each)."""
        return self.days / 30.44


class DateMention(Mention):
    """A calendar date; month or year precision leaves the day (and month) at 1."""

    value: date
    precision: DatePrecision


class DateRange(Mention):
    """A span of dates ("06/29/2026 - 08/21/2026", "06/02-07/21/2026", "03-05/2026")."""

    first: date
    last: date

    @property
    def weeks(self) -> float:
        """Length of the range in weeks."""
        return (self.last - self.first).days / 7.0


class LevelMention(Mention):
    """Spinal levels: segments normalised as "L4-L5" (ranges expanded) or single vertebrae "L5"."""

    levels: list[str]
    regions: list[Region]


class SideMention(Mention):
    """A laterality word or abbreviation."""

    side: Side


class NumberMention(Mention):
    """A plain number read from a labelled measurement (BMI, T-score, temperature difference)."""

    value: float


class AdlMention(Mention):
    """An activity of daily living (or instrumental ADL), by canonical name."""

    name: str


_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _word_numbers() -> dict[str, int]:
    """Spelled-out numbers 0-100 ("fourteen", "eighty-five", "eighty five"), plus "a"/"an"."""
    words = {word: value for value, word in enumerate(_ONES)}
    for index, tens in enumerate(_TENS):
        value = 20 + 10 * index
        words[tens] = value
        for unit in range(1, 10):
            words[f"{tens}-{_ONES[unit]}"] = words[f"{tens} {_ONES[unit]}"] = value + unit
    words.update({"a": 1, "an": 1, "a hundred": 100, "one hundred": 100, "hundred": 100})
    return words


WORD_NUMBERS = _word_numbers()
WORD_NUMBER_PATTERN = "|".join(
    re.escape(word).replace("\\ ", r"\s+") for word in sorted(WORD_NUMBERS, key=len, reverse=True)
)
NUMBER_PATTERN = r"\d+(?:\.\d+)?|" + WORD_NUMBER_PATTERN


def word_number(token: str) -> float:
    token = " ".join(token.lower().split())
    return float(WORD_NUMBERS[token]) if token in WORD_NUMBERS else float(token)


_M = TypeVar("_M", bound=Mention)


def drop_overlaps(mentions: list[_M]) -> list[_M]:
    """Keep the earliest, then longest, mention of any overlapping group."""
    kept: list[_M] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
