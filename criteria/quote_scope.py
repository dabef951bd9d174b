"""Which region of the spine and which side a quote tells of: the region group whose parts it
names (the neck and arms are cervicothoracic, the low back and legs lumbosacral) and the sides
it names (words as data: criteria/body_regions.yaml). A requested line is denied only on
evidence of its own region and side: a quote that tells only of another one (the right arm's
pain beside a left lumbar line) contradicts nothing about the line (``criteria.evaluator``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_FILE = Path(__file__).resolve().parent / "body_regions.yaml"


@cache
def _patterns(section: str) -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    flags = 0 if section == "sides" else re.IGNORECASE  # "L"/"R" are sides only in capitals
    return {name: re.compile(words, flags) for name, words in data[section].items()}


def _named(section: str, quote: str) -> set[str]:
    return {name for name, pattern in _patterns(section).items() if pattern.search(quote)}


def region_groups(quote: str) -> set[str]:
    """The region groups whose parts (spine or limbs) the quote names."""
    return _named("spine", quote) | _named("limbs", quote)


def sides(quote: str) -> set[str]:
    """The sides the quote names (left, right, bilateral)."""
    return _named("sides", quote)


def limb_region_group(quotes: list[str]) -> str | None:
    """The region group whose roots serve the one limb the quotes name ("pain shot down the L
    leg": lumbosacral); None when they name limbs of both, or none."""
    named = {group for quote in quotes for group in _named("limbs", quote)}
    return named.pop() if len(named) == 1 else None


def of_another_scope(quote: str, region_group: str | None, side: str | None) -> bool:
    """The quote tells only of another region group than `region_group`, or only of the other
    side than a one-sided `side`."""
    named = region_groups(quote)
    if region_group and named and region_group not in named:
        return True
    if side in ("left", "right"):
        told = sides(quote)
        return bool(told) and side not in told and "bilateral" not in told
    return False
