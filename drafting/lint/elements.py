"""Linter check (d): the elements DOMAIN.md requires of a determination letter.

Identifiers (case, date, each requested code with its levels and side), the guideline named,
criteria free on request, a cited passage and a record-tied reason for each denied or pended
line, a deadline and the why for pends, appeal rights (time limit, expedited route, how to file)
and peer-to-peer for denials, an authorization number, validity and limits for approvals.
The phrases it looks for are data: the ``elements`` table of `drafting/lint/patterns.yaml`.
"""

from __future__ import annotations

import re
from datetime import date

from drafting.context import DeterminationContext
from drafting.letters.model import Letter
from drafting.letters.text import expand_acronyms
from drafting.lint.patterns import lint_patterns
from drafting.lint.rules import CITATION_RE, comparable, sentences, without_quotes

_PATTERNS = lint_patterns("elements")


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
    need(bool(_PATTERNS["date"].search(text)), "The letter has no date.")
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
            any(
                _PATTERNS["free"].search(s) and re.search(r"criteri|guideline", s, re.I)
                for s in sentences(plain)
            ),
            "No statement that the criteria are available free on request.",
        )
        need(
            bool(_PATTERNS["peer"].search(plain)),
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
                tied or (not quotes and bool(_PATTERNS["rationale"].search(plain))),
                f"The denial of {decision.code} is not tied to the record (quote what it shows).",
                decision.code,
            )
    if "pended" in outcomes:
        need(
            bool(_PATTERNS["deadline"].search(plain)),
            "The pend letter gives no deadline for the information.",
        )
        need(
            bool(_PATTERNS["why"].search(plain)),
            "The pend letter does not say why the information is needed.",
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
        need(bool(_PATTERNS["auth"].search(plain)), "The approval gives no authorization number.")
        need(bool(_PATTERNS["valid"].search(plain)), "The approval gives no validity period.")
        need(bool(_PATTERNS["limits"].search(plain)), "The approval states no limits.")
    return findings


# ---------------------------------------------------------------- completeness (issue 14)


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.strip():
            blocks[-1].append(raw.strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _title_case(heading: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][a-z]+", heading)[1:] if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) > len(words) / 2


def _shouting(heading: str) -> bool:
    words = re.findall(r"[A-Za-z]{2,}", heading)
    return len(words) >= 2 and heading == heading.upper()


def completeness_problems(
    text: str, context: DeterminationContext, letter: Letter | None = None
) -> list[tuple[str, str | None]]:
    """The elements a UM letter carries beyond DOMAIN.md's checklist (issue 14), each a finding.

    Member name and ID, provider name and NPI, date of service requested (each stated, or said
    to be not given on the request), a plain-language reason under each denied or pended line, a
    signature block naming the reviewer (and for a denial the physician), language-assistance
    taglines, a Section 1557 nondiscrimination notice, one date format (MM/DD/YYYY), headings in
    sentence case and, for a Letter, a member copy without raw passage ids.
    """
    case, decisions = context.case, context.decisions
    problems: list[tuple[str, str | None]] = []

    def need(ok: bool, message: str, code: str | None = None) -> None:
        if not ok:
            problems.append((message, code))

    lines = {line.split(":", 1)[0].strip(): line for line in text.splitlines() if ":" in line}
    member, provider = case.member, case.provider
    member_line = lines.get("Member", "")
    need(bool(member_line), "The member's name and ID are missing (a 'Member:' line).")
    if member is not None:
        for value in (member.name, member.id):
            need(not value or value in member_line, f"The member line does not give {value}.")
    provider_line = lines.get("Requesting provider", "")
    need(bool(provider_line), "The requesting provider and NPI are missing.")
    if provider is not None:
        for given in (provider.name, provider.npi or ""):
            need(not given or given in provider_line, f"The provider line does not give {given}.")
    service_line = lines.get("Date of service requested", "")
    need(bool(service_line), "The date of service requested is missing.")
    if case.date_of_service is not None:
        need(
            _us(case.date_of_service) in service_line,
            f"The date of service requested ({_us(case.date_of_service)}) is not stated.",
        )
    blocks = _blocks(text)
    outcome = {d.code: d.decision for d in decisions}
    for decision in decisions:
        if decision.decision == "approved":
            continue
        if decision.follows and outcome.get(decision.follows) == decision.decision:
            continue  # an add-on: its primary's section speaks for it
        code = decision.code
        need(
            any(
                re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", block[0])
                and _PATTERNS["reason_words"].search(
                    " ".join(p for p in block[1:] if not p.startswith("Requested service:"))
                )
                for block in blocks
            ),
            f"No plain-language reason under a heading naming {code}.",
            code,
        )
    signature = next((b for b in blocks if b[0].lower() == "signature"), None)
    need(
        signature is not None and any(p.startswith("Reviewer:") for p in signature),
        "No signature block naming the reviewer (a 'Signature' section with 'Reviewer:').",
    )
    if "denied" in outcome.values():
        need(
            signature is not None and any(p.startswith("Physician reviewer") for p in signature),
            "A denial names no physician reviewer in the signature block.",
        )
    need(
        bool(re.search(r"language assistance", text, re.I)) and "asistencia lingüística" in text,
        "The language-assistance taglines are missing.",
    )
    need(
        "Section 1557" in text and "does not discriminate" in text,
        "The nondiscrimination notice (Section 1557) is missing.",
    )
    iso = _PATTERNS["iso"].findall(without_quotes(text))
    need(not iso, f"Dates in more than one format: {iso[0] if iso else ''} (write MM/DD/YYYY).")
    headings = (
        [s.heading for s in letter.sections] if letter is not None else [b[0] for b in blocks]
    )
    for heading in headings:
        bad = _shouting(heading) or (letter is not None and _title_case(heading))
        need(not bad, f"Heading not in sentence case: {heading}.")
    if letter is not None:
        raw = CITATION_RE.findall(letter.to_text("member"))
        need(not raw, f"The member copy shows raw passage ids ([{raw[0] if raw else ''}]).")
    return problems


def absent_conditions(text: str, context: DeterminationContext) -> list[tuple[str, str, str]]:
    """(message, code, title) for each exclusion or contraindication that does not apply but is
    named in the letter: a member reading it would think they have that condition."""
    applies = {c.title for d in context.decisions for c in d.criteria if c.status in ("not_met",)}
    haystack = comparable(without_quotes(text))
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for decision in context.decisions:
        for c in decision.criteria:
            if c.kind not in ("exclusion", "contraindication") or c.status != "met":
                continue
            if c.title in applies or c.title in seen:
                continue
            named = any(
                len(variant) > 12 and comparable(variant).rstrip(". ") in haystack
                for variant in (c.title, expand_acronyms(c.title))
            )
            if named:
                seen.add(c.title)
                found.append(
                    (
                        f"Names a {c.kind} that does not apply ({c.title}): a member would read "
                        "that they have it.",
                        decision.code,
                        c.title,
                    )
                )
    return found
