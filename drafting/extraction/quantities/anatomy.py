"""Parsers for anatomy words: spinal levels (normalised to "L4-L5" segments) and sides.

The words around level-like tokens (heart sounds, MRI sequence pairs, endplates) are data
(`drafting/extraction/lexicons/spinal_levels.yaml`).
"""

from __future__ import annotations

import re

from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities.mentions import (
    LevelMention,
    Region,
    Side,
    SideMention,
    drop_overlaps,
)

_REGION_OF: dict[str, Region] = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
_REGION_SIZE = {"C": 7, "T": 12, "L": 5, "S": 5}
_REGION_ORDER = "CTLS"
_LEVEL = re.compile(
    r"(?<![A-Za-z0-9])(?P<r1>[CTLS])\s?(?P<n1>\d{1,2})"
    r"(?:\s*(?P<sep>-|–|/|\bto\b|\bthrough\b|\bthru\b)\s*(?P<r2>[CTLS])?\s?(?P<n2>\d{1,2})"
    r"|(?<=\d)(?P<r3>[TLS])(?P<n3>\d))?"  # run together: "L5S1", "L4L5", "C7T1"
    r"(?![0-9A-Za-z]|\s?-?weighted|\s?(?:signal|hyper|hypo|images?|sequences?|FLAIR|STIR)"
    r"|\s?(?:and|&|/)\s?(?:STIR|FLAIR|fat[\s-]?sat))"  # "T2 and STIR hyperintense": sequences
)
# words around level-like tokens: heart sounds, MRI sequence pairs, endplates (lexicons)
_AROUND = patterns("spinal_levels")


def _vertebra_index(region: str, number: int) -> int | None:
    if not 1 <= number <= _REGION_SIZE[region] + (1 if region == "L" else 0):
        return None
    offset = sum(_REGION_SIZE[r] for r in _REGION_ORDER[: _REGION_ORDER.index(region)])
    return offset + number


def _vertebra_name(index: int) -> str:
    for region in _REGION_ORDER:
        if index <= _REGION_SIZE[region]:
            return f"{region}{index}"
        index -= _REGION_SIZE[region]
    return f"Co{index}"


def level_region(level: str) -> Region:
    """The region of a level: its upper vertebra's ("L5-S1" -> lumbar, "C7-T1" -> cervical)."""
    return _REGION_OF[level[0]]


def levels_region(levels: list[str]) -> Region:
    """The region most of a procedure's levels lie in; the first level's on a tie ("L5, S1, S2
    and S3" lateral branches -> sacral; "L4-L5, L5-S1" -> lumbar)."""
    regions = [level_region(level) for level in levels]
    return max(dict.fromkeys(regions), key=regions.count)


def _segments(first: int, last: int) -> list[str]:
    return [f"{_vertebra_name(i)}-{_vertebra_name(i + 1)}" for i in range(first, last)]


def _endplate_segments(text: str, start: int, end: int, vertebra: int) -> list[str]:
    """A lone vertebra, or the disc segments its named endplates border ("inferior L3 endplate"
    -> "L3-L4"; "superior and inferior L4 endplates" -> "L3-L4", "L4-L5")."""
    sides = _AROUND["endplate_side"].search(text[max(0, start - 30) : start])
    if not sides or not _AROUND["endplate_after"].search(text[end:]):
        return [_vertebra_name(vertebra)]
    named = {word.lower() for word in sides.groups() if word}
    segments = []
    if "superior" in named and vertebra > 1:
        segments.append(f"{_vertebra_name(vertebra - 1)}-{_vertebra_name(vertebra)}")
    if "inferior" in named:
        segments.append(f"{_vertebra_name(vertebra)}-{_vertebra_name(vertebra + 1)}")
    return segments or [_vertebra_name(vertebra)]


def _run_together_segment(region: str, digits: str) -> list[str]:
    """A disc segment written as one number ("L34" -> "L3-L4", "C56" -> "C5-C6"): only where the
    number names no vertebra of the region and its digits are neighbours (never "T12")."""
    if region not in "CL" or len(digits) != 2 or int(digits[1]) != int(digits[0]) + 1:
        return []
    first = _vertebra_index(region, int(digits[0]))
    last = _vertebra_index(region, int(digits[1]))
    return [] if first is None or last is None else _segments(first, last)


def find_levels(text: str) -> list[LevelMention]:
    """Spinal levels: "L4-5", "L4-L5", "L5/S1", "C5-6", "T12-L1", "C7-T1", "S1-S3",
    "L3 through L5" (-> "L3-L4", "L4-L5"), run together ("L5S1", "L45", "C56"); a lone vertebra
    ("L5") stays single."""
    heart = [(m.start(), m.end()) for m in _AROUND["heart_sounds"].finditer(text)]
    heart += [(m.start(), m.end()) for m in _AROUND["sequence_pair"].finditer(text)]
    found: list[LevelMention] = []
    for match in _LEVEL.finditer(text):
        region1 = match.group("r1")
        if any(start <= match.start() < end for start, end in heart) or (
            region1 == "S" and match.group("r3")
        ):
            continue
        first = _vertebra_index(region1, int(match.group("n1")))
        end = match.end()
        if first is None:
            levels = _run_together_segment(region1, match.group("n1"))
            if not levels or match.group("n2") or match.group("n3"):
                continue
        elif match.group("n2") or match.group("n3"):
            region2 = match.group("r2") or match.group("r3") or region1
            last = _vertebra_index(region2, int(match.group("n2") or match.group("n3")))
            if last is None or last <= first:
                continue
            levels = _segments(first, last)
        else:
            levels = _endplate_segments(text, match.start(), end, first)
        regions: list[Region] = []
        for level in levels:
            for part in level.split("-"):
                region = _REGION_OF[part[0]]
                if region not in regions:
                    regions.append(region)
        found.append(
            LevelMention(
                start=match.start(), end=end, text=match.group(0), levels=levels, regions=regions
            )
        )
    return found


def normalize_levels(text: str) -> list[str]:
    """Every level named in `text`, normalised and de-duplicated in order of appearance."""
    seen: list[str] = []
    for mention in find_levels(text):
        seen.extend(level for level in mention.levels if level not in seen)
    return seen


_SIDES: list[tuple[re.Pattern[str], Side]] = [
    (re.compile(r"\b(?:bilateral(?:ly)?|bilat|both\s+sides)\b\.?|\bB/L\b", re.I), "bilateral"),
    (re.compile(r"\bleft(?:[\s-]sided)?\b", re.I), "left"),
    (re.compile(r"\b(?:Lt|LT)\b\.?"), "left"),
    (re.compile(r"\bright(?:[\s-]sided)?\b", re.I), "right"),
    (re.compile(r"\bRt\b\.?"), "right"),
    (re.compile(r"(?<![A-Za-z0-9/.])\(?L\)?(?![A-Za-z0-9/'’-]|\.[A-Za-z])"), "left"),
    (re.compile(r"(?<![A-Za-z0-9/.])\(?R\)?(?![A-Za-z0-9/'’-]|\.[A-Za-z])"), "right"),
]  # fmt: skip


def find_sides(text: str) -> list[SideMention]:
    """Laterality: left, right, bilateral(ly), "L", "R", "(L)", "Lt", "Rt", "bilat", "B/L"."""
    found = [
        SideMention(start=m.start(), end=m.end(), text=m.group(0), side=side)
        for pattern, side in _SIDES
        for m in pattern.finditer(text)
    ]
    return drop_overlaps(found)


def normalize_side(text: str | None) -> Side | None:
    """The one side a short phrase names ("Lt" -> left, "B/L" -> bilateral), else None."""
    if not text:
        return None
    sides = {mention.side for mention in find_sides(text)}
    if "bilateral" in sides or sides == {"left", "right"}:
        return "bilateral"
    return sides.pop() if len(sides) == 1 else None
