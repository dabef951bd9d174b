"""Linter check (d): the elements DOMAIN.md requires of a determination letter.

Identifiers (case, date, each requested code with its levels and side), the guideline named,
criteria free on request, a cited passage and a record-tied reason for each denied or pended
line, a deadline and the why for pends, appeal rights (time limit, expedited route, how to file)
and peer-to-peer for denials, an authorization number, validity and limits for approvals.
"""

from __future__ import annotations

import re

from drafting.context import DeterminationContext
from drafting.lint.rules import comparable, sentences, without_quotes

_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b|\b[A-Z][a-z]+ \d{1,2}, \d{4}\b"
)
_FREE = re.compile(
    r"free of charge|at no (?:cost|charge)|without charge|\bfree\b[^.]*\brequest", re.I
)
_RATIONALE = re.compile(
    r"\bbecause\b|\brecords? (?:show|state|document|do not)|\bthe records\b"
    r"|\bdocumentation (?:shows|states|does not)\b|\bstates? “",
    re.I,
)
_DEADLINE = re.compile(
    r"\bby \d{1,2}/\d{1,2}/\d{4}\b|\bby \d{4}-\d{2}-\d{2}\b|\bwithin \d+ "
    r"(?:calendar |business )?days\b|\bdeadline\b",
    re.I,
)
_WHY = re.compile(r"\bwhy\b|\bbecause\b|\bneeded (?:to|for|because)\b|\brequires?\b", re.I)
_PEER = re.compile(
    r"peer[- ]to[- ]peer|discuss (?:this|the) (?:case|decision|determination|"
    r"request) with (?:the|a) (?:reviewing )?(?:physician|doctor|medical director)",
    re.I,
)
_AUTH = re.compile(r"authori[sz]ation (?:number|no\.?|#|id)\s*[:#]?\s*[A-Z0-9][A-Z0-9-]{3,}", re.I)
_VALID = re.compile(r"\bvalid\b[^.]*?(?:\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d+ days)", re.I)
_LIMITS = re.compile(r"\blimits?\b|\bonly the\b|\bcovers? only\b", re.I)


def _levels_variants(level: str) -> list[str]:
    match = re.fullmatch(r"([CTLS])(\d+)-([CTLS])(\d+)", level)
    if not match:
        return [level]
    a, n, b, m = match.groups()
    short = f"{a}{n}-{m}" if a == b else level
    return [level, short, f"{a}{n}/{b}{m}", f"{a}{n}/{m}", f"{a}{n}-{b}{m}".replace("-", "–")]


def missing_elements(text: str, context: DeterminationContext) -> list[tuple[str, str | None]]:
    """(message, line code or None) for each required element the letter lacks."""
    case, decisions = context.case, context.decisions
    findings: list[tuple[str, str | None]] = []

    def need(ok: bool, message: str, code: str | None = None) -> None:
        if not ok:
            findings.append((message, code))

    plain = without_quotes(text)
    outcomes = {d.decision for d in decisions}
    need(case.case_id in text, f"The case identifier {case.case_id} is missing.")
    need(bool(_DATE.search(text)), "The letter has no date.")
    for service in case.request.services:
        code = service.code
        need(code in text, f"The requested service {code} is not named.", code)
        for level in service.levels:
            need(
                any(v in text for v in _levels_variants(level)),
                f"The level {level} requested on {code} is not stated.",
                code,
            )
        if service.side:
            need(
                service.side in text.lower(),
                f"The side ({service.side}) of {code} is not stated.",
                code,
            )
    title = context.guideline.title
    need(title.lower() in text.lower(), f"The guideline relied on ({title}) is not named.")
    if outcomes & {"denied", "pended"}:
        need(
            bool(_FREE.search(plain)),
            "No statement that the criteria are available free on request.",
        )
        need(
            bool(_PEER.search(plain)),
            "No offer of a peer-to-peer discussion with the reviewing physician.",
        )
    for decision in decisions:
        if decision.decision == "approved":
            continue
        deciding = [
            c for c in decision.criteria if c.effect != "none" or c.status == "not_documented"
        ]
        if deciding:
            need(
                any(f"[{c.passage}]" in text for c in deciding),
                f"No guideline passage is cited for the {decision.decision} line {decision.code}.",
                decision.code,
            )
        if decision.decision == "denied":
            quotes = [e.quote for c in deciding if c.effect == "deny" for e in c.evidence]
            tied = any(comparable(q)[:40] in comparable(text) for q in quotes if q.strip())
            need(
                tied or (not quotes and bool(_RATIONALE.search(plain))),
                f"The denial of {decision.code} is not tied to the record (quote what it shows).",
                decision.code,
            )
    if "pended" in outcomes:
        need(
            bool(_DEADLINE.search(plain)), "The pend letter gives no deadline for the information."
        )
        need(
            bool(_WHY.search(plain)), "The pend letter does not say why the information is needed."
        )
    if "denied" in outcomes:
        appeal = " ".join(s for s in sentences(plain) if re.search(r"\bappeal", s, re.I))
        need(bool(appeal), "Appeal rights are missing.")
        need(
            bool(re.search(r"\b\d+ (?:calendar |business )?days\b", appeal)),
            "The appeal time limit is missing.",
        )
        need(
            bool(re.search(r"\b(?:expedited|urgent|fast)\b", appeal, re.I))
            and bool(re.search(r"\b\d+ hours\b", appeal)),
            "The expedited appeal route (with its time frame in hours) is missing.",
        )
        need(
            bool(re.search(r"\b(?:writing|written|mail|fax|phone|call|portal)\b", appeal, re.I)),
            "How to file an appeal is missing.",
        )
    if "approved" in outcomes:
        need(bool(_AUTH.search(plain)), "The approval gives no authorization number.")
        need(bool(_VALID.search(plain)), "The approval gives no validity period.")
        need(bool(_LIMITS.search(plain)), "The approval states no limits.")
    return findings
