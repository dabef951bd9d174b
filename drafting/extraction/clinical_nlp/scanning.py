"""Scanning repairs: the characters a fax or OCR swaps, repaired before a document is read.

"N0 steroid given" reads as no steroid, "7/1O" as 7/10, "bi1ateral" as bilateral. Each repair
swaps one character for one character, so the repaired text has the record's length and every
offset into it is an offset into the record: quotes are still cut from the record itself. The
repairs are data (`lexicons/scanning_repairs.yaml`, one section per replacing character).
"""

from __future__ import annotations

import re

from drafting.extraction.lexicons import patterns

_REPLACEMENT = {"to_zero": "0", "to_o": "o", "to_l": "l", "to_one": "1"}
_SUSPECT = re.compile(r"\dO|O[\d.]|\b[Nn]0\b|[a-z]1|\b1[a-z]|\d\s?/\s?[lI]0\b")


def repair_scanning(text: str) -> str:
    """The text with scanning swaps repaired, character for character (same length)."""
    if not _SUSPECT.search(text):
        return text
    for section, character in _REPLACEMENT.items():
        for pattern in patterns("scanning_repairs", section).values():
            for _ in range(4):  # "1OO%": the second O is among digits once the first is repaired
                repaired = pattern.sub(character, text)
                if repaired == text:
                    break
                text = repaired
    return text
