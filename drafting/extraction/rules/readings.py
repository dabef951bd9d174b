"""Measurements a record repeats over time, read as their latest value: body-mass index
(`patient.bmi`) and HbA1c (`patient.hba1c`), and what the latest HbA1c says of an older
"poorly controlled" (`contra.uncontrolled_diabetes`).

A reading's date is the one written after it in its clause ("A1c 9.6% (02/2024)", "9.1% on
08/28/2026", "BMI of 35.3 when I first met him (08/2025)"), else the last one before it in its
sentence ("Labs 09/12/2026: A1c 6.9%", "Vitals 09/02/2026: ... BMI 33.8"), else its note's
date; the latest date wins. Of equal dates, a value said to be an earlier one ("At referral his
HbA1c was 10.6%", "35.3 when I first met him") ranks below the note's current values, then the
first read (clinic notes newest first) stands.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.quantities import find_bmi
from drafting.extraction.rules.procedure_terms import dates_with_years
from drafting.extraction.rules.reader import CaseDocument, CaseReader

HBA1C = re.compile(
    r"\b(?:Hb)?A1c\s*(?:(?:drawn|checked|collected|on)\s+(?:on\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?\s*)?"
    r"(?:trend|of|:|=|was|is|now|\.|\s)*?\s*(\d{1,3}(?:\.\d|,\d(?=\s*%))?)\s*(%|mmol/mol)?",
    re.I,
)
# an HbA1c in IFCC units ("HbA1c 52 mmol/mol") as the percentage (NGSP) the guideline's
# thresholds are written in: % = mmol/mol / 10.929 + 2.15
_IFCC_SLOPE, _IFCC_OFFSET = 10.929, 2.15
_A1C_NEXT = re.compile(r"(?:->|→)\s*(\d{1,2}(?:\.\d)?)\s*%")  # a trend's later values
_EARLIER = re.compile(
    r"\b(?:at\s+referral|initially|previously|prior|baseline|at\s+(?:the\s+)?(?:first|initial)\s+"
    r"visit|carried\s+forward)\b(?:[^.;]|\.\d){0,40}$",
    re.I,
)


class Reading(NamedTuple):
    value: float
    when: date | None
    earlier: bool
    evidence: Evidence


# a value's own time told after it, in its clause ("BMI of 35.3 when I first met him (08/2025)",
# "BMI 32.4 (measured here 10/06/2026)")
_OWN_TIME_GAP = re.compile(r"[^.;\d]{0,30}")
_EARLIER_AFTER = re.compile(
    r"^[^.;\d]{0,20}?\b(?:when\s+(?:I|we|she|he)\s+first|at\s+(?:referral|baseline|intake|"
    r"(?:the\s+|his\s+|her\s+)?(?:first|initial)\s+visit)|initially|previously|originally)\b",
    re.I,
)


def _when(document: CaseDocument, text: str, start: int, end: int) -> date | None:
    after = dates_with_years(text[end : end + 45], document.day_first)
    if after and (after[0].start <= 6 or _OWN_TIME_GAP.fullmatch(text[end : end + after[0].start])):
        return after[0].value
    before = dates_with_years(text[max(0, start - 80) : start], document.day_first)
    return before[-1].value if before else document.date


def _readings(reader: CaseReader, name: str) -> list[Reading]:
    found: list[Reading] = []
    for document, sentence in reader.sentences(reader.clinical_first()):
        for value, start, end in _values(name, sentence):
            span = (sentence.start + start, sentence.start + end)
            text = sentence.text
            found.append(
                Reading(
                    value=value,
                    when=_when(document, text, start, end),
                    earlier=bool(
                        _EARLIER.search(text[max(0, start - 60) : start])
                        or _EARLIER_AFTER.search(text[end:])
                    ),
                    evidence=reader.evidence(document, sentence, span),
                )
            )
    return found


def _values(name: str, sentence: Sentence) -> list[tuple[float, int, int]]:
    if name == "bmi":
        return [(m.value, m.start, m.end) for m in find_bmi(sentence.text)]
    found = list(HBA1C.finditer(sentence.text))
    if found:
        found += list(_A1C_NEXT.finditer(sentence.text, found[-1].end()))
    values: list[tuple[float, int, int]] = []
    for match in found:
        value = float(match.group(1).replace(",", "."))
        if (
            match.lastindex
            and match.lastindex >= 2
            and (match.group(2) or "").lower() == "mmol/mol"
        ):
            value = round(value / _IFCC_SLOPE + _IFCC_OFFSET, 1)
        elif value >= 20:
            continue  # "A1c 52" with no unit: not a percentage
        values.append((value, *match.span()))
    return values


def _latest(readings: list[Reading]) -> Reading | None:
    if not readings:
        return None
    order = {id(r): i for i, r in enumerate(readings)}
    return max(readings, key=lambda r: (r.when or date.min, not r.earlier, -order[id(r)]))


def read_latest_measurements(reader: CaseReader, facts: CaseFacts) -> None:
    """`patient.bmi` and `patient.hba1c` as their latest readings."""
    for name in ("bmi", "hba1c"):
        latest = _latest(_readings(reader, name))
        if latest is not None and facts.get(f"patient.{name}") is None:
            facts.set(
                f"patient.{name}", Fact[float](value=latest.value, evidence=[latest.evidence])
            )
    _diabetes_control(reader, facts)


def _diabetes_control(reader: CaseReader, facts: CaseFacts) -> None:
    """`contra.uncontrolled_diabetes` from the latest HbA1c: below 8% no, 9% or more yes, when
    the notes do not say; and a "poorly controlled" dated before a later HbA1c below 8% is
    history: the later value answers no."""
    stated, latest = facts.contra.uncontrolled_diabetes, _latest(_readings(reader, "hba1c"))
    if latest is None:
        return
    if stated is None:
        if latest.value < 8.0 or latest.value >= 9.0:
            facts.contra.uncontrolled_diabetes = Fact[bool](
                value=latest.value >= 9.0, evidence=[latest.evidence]
            )
        return
    if not stated.value or latest.value >= 8.0:
        return
    if latest.when is None:
        return
    quoted = [d.value for e in stated.evidence for d in dates_with_years(e.quote)]
    if quoted and max(quoted) < latest.when:
        facts.contra.uncontrolled_diabetes = Fact[bool](value=False, evidence=[latest.evidence])
