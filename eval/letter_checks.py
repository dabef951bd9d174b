"""Eval's own reading of a letter: which required elements it holds, which claims it cannot back.

Written for the eval alone (issue 13, item 6): the drafter's linter accepts the drafts, so grading
them with the same linter could never show its blind spots. These checks read only the letter
text, the case, the contract's lines (code, decision, the deciding criteria's passages and record
quotes) and the guideline; they share no code with `drafting.lint`.

Required elements (DOMAIN.md, "What a denial letter must contain" and the approval and pend
paragraphs after it) apply by outcome: every letter names the case, a date, each requested code
with its levels and side, and the guideline; a denial or pend adds the criteria free on request,
peer-to-peer, and per line a cited passage of a deciding criterion (a denial also quotes the
record where its criteria rest on a quote); a pend adds a deadline and why the information is
needed; a denial adds how to appeal, the time limit and the expedited route in hours; an approval
adds the authorization number, its validity and its limits.

Unsupported claims: a quotation (three words or more) found in neither the record nor the
guideline, and a patient date (before the request was received; the guideline's effective date
is not one) or a percentage or 0-10 score outside quotations that the record does not state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from drafting.case.contract import Case
from drafting.result import LineOutcome
from eval.text import comparable, quote_parts, quoted, sentences, unquoted

Check = Callable[[str, str], bool]  # (letter text, the text outside quotations) -> present


@dataclass(frozen=True)
class Element:
    """One required element of a letter, and whether the letter holds it."""

    name: str
    present: bool


def _has(pattern: str) -> Check:
    compiled = re.compile(pattern, re.I)
    return lambda _text, plain: bool(compiled.search(plain))


def _appeal(pattern: str) -> Check:
    compiled = re.compile(pattern, re.I)

    def check(_text: str, plain: str) -> bool:
        said = " ".join(s for s in sentences(plain) if re.search(r"\bappeal", s, re.I))
        return bool(compiled.search(said))

    return check


_BY_OUTCOME: dict[str, tuple[tuple[str, Check], ...]] = {
    "not approved": (
        ("criteria free on request", _has(r"free of charge|at no cost|without charge")),
        ("peer-to-peer offer", _has(r"peer-to-peer|discuss this case with the reviewing")),
    ),
    "pended": (
        ("deadline for the information", _has(r"\bby \d{1,2}/\d{1,2}/\d{4}|within \d+ days")),
        ("why the information is needed", _has(r"\bwhy\b|\bneeded\b|\brequires?\b")),
    ),
    "denied": (
        ("how to appeal", _appeal(r"\b(?:mail|fax|call|phone|written|writing)\b")),
        ("appeal time limit", _appeal(r"\b\d+ (?:calendar )?days\b")),
        ("expedited appeal in hours", _appeal(r"\bexpedited\b.*\b\d+ hours\b")),
    ),
    "approved": (
        ("authorization number", _has(r"authorization number:? [A-Z0-9-]{4,}")),
        ("validity period", _has(r"\bvalid\w*\b[^.]*\d")),
        ("limits", _has(r"\blimits?\b|\bcovers? only\b")),
    ),
}
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")


def _level_forms(level: str) -> list[str]:
    """'L4-L5' as letters write it: L4-L5, L4-5, L4/L5, L4/5."""
    match = re.fullmatch(r"([A-Z])(\d+)-([A-Z])(\d+)", level)
    if match is None:
        return [level]
    a, n, b, m = match.groups()
    return [level, f"{a}{n}/{b}{m}", f"{a}{n}/{m}"] + ([f"{a}{n}-{m}"] if a == b else [])


def required_elements(
    text: str, lines: Sequence[LineOutcome], case: Case, guideline_title: str
) -> list[Element]:
    """Every element this letter must hold, given the outcome of each requested line."""
    plain = unquoted(text)
    lower = text.lower()
    found = [
        Element("case identifier", case.case_id in text),
        Element("letter date", bool(_DATE.search(text))),
        Element("guideline named", guideline_title.lower() in lower),
    ]
    for service in case.request.services:
        found.append(Element(f"code {service.code}", service.code in text))
        found += [
            Element(f"level {level} of {service.code}", any(f in text for f in _level_forms(level)))
            for level in service.levels
        ]
        if service.side:
            found.append(Element(f"side of {service.code}", service.side.lower() in lower))
    outcomes = {line.decision for line in lines}
    groups: list[str] = [o for o in ("pended", "denied", "approved") if o in outcomes]
    if outcomes - {"approved"}:
        groups.insert(0, "not approved")
    for group in groups:
        found += [Element(name, check(text, plain)) for name, check in _BY_OUTCOME[group]]
    for line in lines:
        found += _line_elements(text, line)
    return found


def _line_elements(text: str, line: LineOutcome) -> list[Element]:
    if line.decision == "approved":
        return []
    deciding = [c for c in line.criteria if c.effect != "none" or c.status == "not_documented"]
    out = []
    if deciding:
        cited = any(f"[{p}]" in text for c in deciding for p in c.passages)
        out.append(Element(f"passage cited for {line.code}", cited))
    record = [e.quote for c in deciding if c.effect == "deny" for e in c.evidence if e.quote]
    if line.decision == "denied" and record:
        shown = any(comparable(q)[:40] in comparable(text) for q in record)
        out.append(Element(f"record quoted for {line.code}", shown))
    return out


# ---------------------------------------------------------------- claims


def _dates(text: str) -> set[date]:
    found: set[date] = set()
    patterns = (
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", (0, 1, 2)),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", (2, 0, 1)),
    )
    for pattern, (y, m, d) in patterns:
        for match in re.finditer(pattern, text):
            parts = [int(g) for g in match.groups()]
            year = parts[y] + 2000 if parts[y] < 100 else parts[y]
            try:
                found.add(date(year, parts[m], parts[d]))
            except ValueError:
                continue
    for match in re.finditer(r"\b([A-Z][a-z]{2})[a-z]*\.? (\d{1,2}),? (\d{4})\b", text):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            try:
                found.add(date(int(match.group(3)), month, int(match.group(2))))
            except ValueError:
                continue
    return found


_ABOUT_GUIDELINE = re.compile(r"\beffective\b|\bversion\b", re.I)  # the guideline's own dates
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_FIGURE = re.compile(r"(?<![\d/.])(?:\d+(?:\.\d+)?%|\d{1,2}/10(?![\d/]))")


def unsupported_claims(text: str, case: Case, guideline: Iterable[str]) -> list[str]:
    """What the letter says about the patient that neither the record nor the guideline holds."""
    record = [comparable(d.text) for d in case.documents]
    sources = record + [comparable(g) for g in guideline]
    problems = [
        f"quotation found in neither the record nor the guideline: “{inner}”"
        for inner in quoted(text)
        if len(inner.split()) >= 3
        and not all(any(comparable(p) in s for s in sources) for p in quote_parts(inner))
    ]
    plain = unquoted(text)
    stated = set().union(
        *(_dates(d.text) for d in case.documents), {d.date for d in case.documents}
    )
    about_patient = " ".join(s for s in sentences(plain) if not _ABOUT_GUIDELINE.search(s))
    problems += [
        f"date not in the record: {day.isoformat()}"
        for day in sorted(_dates(about_patient))
        if day < case.received and day not in stated
    ]
    problems += [
        f"figure not in the record or the guideline: {figure}"
        for figure in dict.fromkeys(_FIGURE.findall(plain))
        if not any(comparable(figure) in s for s in sources)
    ]
    return problems
