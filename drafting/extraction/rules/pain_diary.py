"""A procedure note's post-block pain diary read as numbers: the pain before the block, the pain at
each time after it, and from them the block's peak relief and how long relief of at least half
lasted (until a later row shows the pain back above half its baseline).

Owns reading the rows (their phrasings are data: lexicons/pain_diary.yaml). `rules.events` puts
the figures on the diagnostic block the note records, only where the note states none itself.
A diary that is not plain (no baseline, fewer than three timed rows, two diaries in one note)
gives nothing: a figure the reader is unsure of must not decide a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from drafting.extraction.lexicons import patterns

_WORDS = patterns("pain_diary")
_MIN_TIMED_ROWS = 3
# a row whose time the diary names in words ("Bedtime 7", "Next AM | 8 |"): part of the diary
_OTHER_ROW = re.compile(r"^[A-Za-z][\w .'-]{0,18}?[\s|:]+\d{1,2}(?:\s*/\s*10)?\s*(?:\||$)")


@dataclass(frozen=True)
class DiaryReading:
    """The rows of one diary: the pain before the block and (hours after it, pain) in order."""

    baseline: float
    points: tuple[tuple[float, float], ...]
    start: int  # where the rows are in the note's text
    end: int

    @property
    def peak_relief(self) -> float | None:
        """Percent relief at the diary's lowest pain."""
        if self.baseline <= 0:
            return None
        return round((self.baseline - min(p for _, p in self.points)) / self.baseline * 100, 1)

    @property
    def relief_hours(self) -> float | None:
        """The last time relief was at least half, when a later row shows the pain back above
        half its baseline; None when relief never reached half or the diary ends before it wore
        off (its length then is not known)."""
        half = self.baseline / 2
        last: float | None = None
        for hours, pain in self.points:
            if pain <= half:
                last = hours
            elif last is not None:
                return last
        return None


def _row(cell: str) -> tuple[float | None, float] | None:
    """(hours, pain) of one row, hours None for the baseline row; None when it is no row."""
    text = _WORDS["clock_cell"].sub("", cell.strip().lstrip("|").strip()).strip()
    baseline = _WORDS["baseline"].match(text)
    timed = None if baseline else _WORDS["time_point"].match(text)
    label = baseline or timed
    if label is None:
        return None
    score = _WORDS["score"].match(text, label.end())
    if score is None or float(score.group("score")) > 10:
        return None
    if timed is None:
        return None, float(score.group("score"))
    amount = float(timed.group("n"))
    hours = amount / 60 if timed.group("unit").lower().startswith("min") else amount
    return hours, float(score.group("score"))


def _rows(line: str) -> list[tuple[float | None, float]]:
    """The rows on one line: a table row, or several "label score" cells side by side."""
    cells = [c for c in line.split("|") if c.strip()]
    if len(cells) >= _MIN_TIMED_ROWS:
        inline = [_row(c) for c in cells]
        if sum(r is not None for r in inline) >= _MIN_TIMED_ROWS:
            return [r for r in inline if r is not None]
    row = _row(line)
    return [row] if row is not None else []


def _groups(text: str) -> list[tuple[int, int, list[tuple[float | None, float]]]]:
    """Runs of consecutive diary lines: (start, end, rows)."""
    groups: list[tuple[int, int, list[tuple[float | None, float]]]] = []
    rows: list[tuple[float | None, float]] = []
    start = end = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        found = _rows(line)
        if found:
            if not rows:
                start = offset
            rows.extend(found)
            end = offset + len(line.rstrip())
        elif rows and not _OTHER_ROW.match(line.strip().lstrip("|").strip()):
            groups.append((start, end, rows))
            rows = []
        offset += len(line)
    if rows:
        groups.append((start, end, rows))
    return groups


def read_diary(text: str) -> DiaryReading | None:
    """The one plain diary of a procedure note, or None."""
    readings = []
    for start, end, rows in _groups(text):
        timed = [(h, p) for h, p in rows if h is not None]
        if len(timed) < _MIN_TIMED_ROWS or any(b[0] <= a[0] for a, b in pairwise(timed)):
            continue  # too few rows, or times out of order: not a diary read plainly
        stated = [p for h, p in rows if h is None]
        note = _WORDS["pre_procedure_pain"].search(text)
        baseline = stated[0] if stated else float(note.group("score")) if note else None
        if baseline is not None:
            readings.append(DiaryReading(baseline, tuple(timed), start, end))
    return readings[0] if len(readings) == 1 else None


def skin_local(text: str, start: int) -> bool:
    """The anesthetic named at `start` numbs the skin, not the block's target."""
    return bool(_WORDS["skin_local"].search(text[max(0, start - 40) : start]))
