"""Linter checks on what a letter claims: numbers, dates and quotations, and plain language.

`unsupported_claims` finds numbers and dates about the patient that are in neither the facts, the
request nor the record, and quotations found in neither the record nor the guideline. Numbers in
identifiers, dates, codes, citations, verified quotes and boilerplate (appeal windows, validity,
deadlines) are exempt, and guideline numbers are accepted only in sentences that speak of the
rule itself (a citation bracket alone is not enough).
`plain_language_problems` finds undefined acronyms and codes given without their description.
Each check returns (message, excerpt) pairs; `drafting.lint.linter` turns them into findings.
The number, date and exemption patterns are data: the ``claims`` table of `patterns.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from criteria.facts import CaseFacts
from criteria.results import LineDecision
from drafting.case.contract import Case
from drafting.context import DeterminationContext
from drafting.letters.text import WELL_KNOWN, plain_code_description
from drafting.lint.patterns import lint_patterns
from drafting.lint.rules import CITATION_RE, blank, comparable, quoted_spans, sentences

Problem = tuple[str, str]  # (message, excerpt)

_PATTERNS = lint_patterns("claims")
# blanked out of a sentence, in this order, before its numbers are read: not claims
_NOT_CLAIMS = (
    "iso_date", "us_date", "month_date", "code_like", "list_marker", "scale", "law_section", "npi",
)  # fmt: skip


def numbers_in(text: str) -> set[float]:
    return {float(m.group(1).replace(",", "")) for m in _PATTERNS["number"].finditer(text)}


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip


def dates_in(text: str) -> set[date]:
    """Every date written in the text, whatever its format (ISO, MM/DD/YYYY, MM-DD-YYYY, M/D/YY,
    'December 1, 2026', '1 Dec 2026'): the same day matches across formats."""
    found: set[date] = set()
    for match in _PATTERNS["iso_date"].finditer(text):
        found |= _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    for pattern in (_PATTERNS["us_date"], _PATTERNS["dashed_us_date"]):
        for match in pattern.finditer(text):
            year = int(match.group(3))
            year = year + 2000 if year < 100 else year
            found |= _safe_date(year, int(match.group(1)), int(match.group(2)))
    for match in _PATTERNS["named_date"].finditer(text):
        groups = (1, 2, 3) if match.group(1) else (5, 4, 6)
        month_word, day_text, year_text = (str(match.group(g)) for g in groups)
        month = _MONTHS.get(month_word.lower())
        if month is not None:
            found |= _safe_date(int(year_text), month, int(day_text))
    return found


def _safe_date(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)}
    except ValueError:
        return set()


def _walk(value: Any, numbers: set[float], days: set[date]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        numbers.add(float(value))
    elif isinstance(value, date):
        days.add(value)
    elif isinstance(value, str):
        numbers |= numbers_in(value)
        days |= dates_in(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _walk(item, numbers, days)
    elif isinstance(value, Iterable):
        for item in value:
            _walk(item, numbers, days)


def _known(
    decisions: list[LineDecision], facts: CaseFacts, case: Case
) -> tuple[set[float], set[date]]:
    """Numbers and dates the letter may state about the patient."""
    numbers: set[float] = set()
    days: set[date] = set()
    _walk(facts.model_dump(), numbers, days)
    for decision in decisions:
        for criterion in decision.criteria:
            _walk(criterion.facts, numbers, days)
            # not criterion.quote: guideline numbers are no facts about the patient
            _walk([criterion.title, criterion.missing_info], numbers, days)
            _walk([e.quote for e in criterion.evidence], numbers, days)
    request = case.request
    _walk([case.patient.age, case.case_id], numbers, days)
    _walk([(s.units, s.description) for s in request.services], numbers, days)
    _walk([d.description for d in request.diagnoses], numbers, days)
    _walk([d.missing_info for d in decisions], numbers, days)
    _walk([(d.title, d.date) for d in case.documents], numbers, days)
    for document in case.documents:  # a date the notes state, in any format
        days |= dates_in(document.text)
    days.add(case.received)
    if case.date_of_service is not None:
        days.add(case.date_of_service)
    return numbers, days


def _service_descriptions(case: Case) -> list[str]:
    out: list[str] = []
    for service in case.request.services:
        out += [plain_code_description(service.code, service.description), service.description]
    out += [d.description for d in case.request.diagnoses]
    return sorted({d for d in out if d.strip()}, key=len, reverse=True)


def _verified(inner: str, sources: list[str]) -> bool:
    parts = [comparable(p) for p in re.split(r"…|\.\.\.", inner)]
    parts = [p.strip(" .,;:") for p in parts if len(p.strip(" .,;:")) >= 3]
    return bool(parts) and all(any(p in source for source in sources) for p in parts)


def unsupported_claims(
    text: str, context: DeterminationContext, letter_date: date | None = None
) -> list[Problem]:
    """Numbers, dates and quotations about the patient that the record does not support.

    Dates on or after the request's receipt (or the letter's date) are administrative (the letter
    date, deadlines, validity) and are not checked.
    """
    case, decisions, passages = context.case, context.decisions, context.passages
    problems: list[Problem] = []
    sources = [comparable(d.text) for d in case.documents]
    sources += [comparable(p.text) for p in passages.values()]
    sources += [comparable(c.quote) for d in decisions for c in d.criteria]
    sources += [comparable(e.quote) for d in decisions for c in d.criteria for e in c.evidence]
    for start, end, inner in reversed(quoted_spans(text)):
        if _verified(inner, sources):
            text = blank(text, start, end)
        elif len(inner.split()) >= 3:
            problems.append(
                (f"Quotation not found in the record or the guideline: “{inner}”.", inner)
            )
    numbers, days = _known(decisions, context.facts, case)
    guideline_numbers = {n for p in passages.values() for n in numbers_in(p.text)}
    for pattern in (CITATION_RE, _PATTERNS["auth_id"]):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    for phrase in [case.case_id, *_service_descriptions(case)]:
        text = text.replace(phrase, " " * len(phrase))
    for sentence in sentences(text):
        earliest = min(case.received, letter_date or case.received)
        problems += _sentence_claims(sentence, numbers, days, guideline_numbers, earliest)
    return problems


def _sentence_claims(
    sentence: str, numbers: set[float], days: set[date], guideline: set[float], received: date
) -> list[Problem]:
    problems: list[Problem] = []
    excerpt = " ".join(sentence.split())
    stated_days = dates_in(sentence)
    if not _PATTERNS["version_context"].search(sentence):
        for day in sorted(stated_days):
            if day < received and day not in days:
                problems.append((f"Date {day.isoformat()} is not in the record.", excerpt))
    for name in _NOT_CLAIMS:
        sentence = _PATTERNS[name].sub(lambda m: " " * len(m.group()), sentence)
    if _PATTERNS["boilerplate"].search(sentence):
        sentence = _PATTERNS["time_span"].sub(" ", sentence)
    allowed = numbers | guideline if _PATTERNS["guideline_context"].search(sentence) else numbers
    for value in sorted(numbers_in(sentence) - allowed):
        shown = int(value) if value.is_integer() else value
        problems.append(
            (f"The number {shown} is not in the facts, the request or the record.", excerpt)
        )
    return problems


# ---------------------------------------------------------------- plain language

_CAPITAL_WORDS = frozenset(
    [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "APPROVED",
        "DENIED",
        "PENDED",
        "NOT",
        "AND",
        "OR",
        "NO",
        "ALL",
        "ANY",
        "ONLY",
        "FOR",
        "THE",
        "TO",
        "OF",
        "IN",
        "ON",
        "BY",
        "IS",
        "ARE",
        "BE",
        "WITH",
    ]
)


def _defined(token: str, text: str) -> bool:
    t = re.escape(token)
    return bool(re.search(rf"\({t}s?\)|\b{t}s?\s*[:=]\s+\w|\b{t}s? \([a-z]", text))


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower())}


def plain_language_problems(text: str, case: Case) -> list[Problem]:
    """Undefined acronyms, and requested or diagnosis codes named without their description."""
    problems: list[Problem] = []
    unquoted = text
    for start, end, _ in reversed(quoted_spans(text)):
        unquoted = blank(unquoted, start, end)
    body = [line for line in unquoted.splitlines() if line != line.upper()]
    reported: set[str] = set()
    for line in body:
        for match in _PATTERNS["acronym"].finditer(line):
            token = match.group(1)
            if token in WELL_KNOWN or token in _CAPITAL_WORDS or token in reported:
                continue
            if not _defined(token, unquoted):
                reported.add(token)
                problems.append(
                    (f"Acronym {token} is not spelled out.", " ".join(line.split())[:160])
                )
    described: dict[str, set[str]] = {}
    for service in case.request.services:
        plain = plain_code_description(service.code, service.description)
        described[service.code] = _content_words(plain) | _content_words(service.description)
    for diagnosis in case.request.diagnoses:
        described[diagnosis.code] = _content_words(diagnosis.description)
    for sentence in sentences(unquoted):
        words = _content_words(sentence)
        for code, vocabulary in described.items():
            if not re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w-])", sentence):
                continue
            if vocabulary and len(words & vocabulary) < min(2, len(vocabulary)):
                problems.append(
                    (
                        f"Code {code} appears without its description.",
                        " ".join(sentence.split())[:160],
                    )
                )
    return problems
