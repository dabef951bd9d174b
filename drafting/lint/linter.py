"""The letter linter: every draft (template or LLM) is checked against the decisions and record.

`lint_letter` returns `Finding`s, one per problem, of these kinds:

- ``decision``: a line's outcome stated inconsistently, or not stated at all (the outcome
  phrases are the ``outcomes`` table of `drafting/lint/patterns.yaml`);
- ``citation``: a `[passage-id]` that is not a provided passage, a citation list that differs
  from the text, or criteria cited from another source (another payer's policy bulletin);
- ``criterion_unaddressed``: a not_met / not_documented criterion the letter never mentions;
- ``missing_element``: a required element of DOMAIN.md absent (identifiers, service, reason,
  source and free-on-request, rationale, pend list and deadline, appeal rights with the time limit
  and expedited route, peer-to-peer, authorization number and validity);
- ``excluded_procedure``: a procedure the guideline excludes recommended as a next step;
- ``unsupported_claim``: a number, date or quotation about the patient not found in the facts,
  the request or the record (see `drafting.lint.claims`);
- ``injected_instruction``: text carried over from instructions found inside the clinical notes;
- ``plain_language``: an undefined acronym or a bare code (advisory: see `BLOCKING_KINDS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel

from criteria.results import CriterionResult, Decision, LineDecision
from drafting.case.contract import Case
from drafting.context import DeterminationContext
from drafting.letters.model import Letter
from drafting.letters.text import expand_acronyms
from drafting.lint.claims import plain_language_problems, unsupported_claims
from drafting.lint.elements import absent_conditions, completeness_problems, missing_elements
from drafting.lint.patterns import lint_patterns
from drafting.lint.rules import (
    CITATION_RE,
    FOREIGN_SOURCES,
    carries_over,
    comparable,
    excluded_procedures,
    instruction_sentences,
    is_heading,
    looks_like_instruction,
    recommended_exclusions,
    sentences,
    without_quotes,
)
from guideline_corpus.passages import Passage

FindingKind = Literal[
    "decision",
    "citation",
    "criterion_unaddressed",
    "missing_element",
    "excluded_procedure",
    "unsupported_claim",
    "injected_instruction",
    "plain_language",
]
# every kind blocks a letter but plain-language advice
BLOCKING_KINDS: frozenset[str] = frozenset(get_args(FindingKind)) - {"plain_language"}


class Finding(BaseModel):
    """One problem in a draft letter."""

    kind: FindingKind
    message: str
    line_code: str | None = None
    excerpt: str | None = None


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that make a draft unusable (the template letter stands instead)."""
    return [f for f in findings if f.kind in BLOCKING_KINDS]


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ---------------------------------------------------------------- (a) decisions

_PATTERNS = lint_patterns("outcomes")


def stated_outcomes(sentence: str) -> list[tuple[int, Decision]]:
    """(position, outcome) of each outcome statement; denial phrases are read first."""
    found: list[tuple[int, Decision]] = []
    text = sentence
    patterns: tuple[tuple[re.Pattern[str], Decision], ...] = (
        (_PATTERNS["deny"], "denied"),
        (_PATTERNS["pend"], "pended"),
        (_PATTERNS["approve"], "approved"),
    )
    for pattern, outcome in patterns:
        for match in pattern.finditer(text):
            found.append((match.start(), outcome))
            text = text[: match.start()] + " " * len(match.group()) + text[match.end() :]
    return sorted(found)


def _code_positions(sentence: str, codes: Iterable[str]) -> list[tuple[int, str]]:
    return sorted(
        (m.start(), code)
        for code in codes
        for m in re.finditer(rf"(?<![\w-]){re.escape(code)}(?![\w-])", sentence)
    )


def _check_decisions(
    text: str, decisions: list[LineDecision], letter: Letter | None
) -> list[Finding]:
    expected: dict[str, set[str]] = {}
    for decision in decisions:
        expected.setdefault(decision.code, set()).add(decision.decision)
    stated: dict[str, dict[str, str]] = {code: {} for code in expected}
    lone = next(iter(expected)) if len(expected) == 1 else None
    context: str | None = None  # the one code a heading names, for the lines under it
    for line in without_quotes(text).splitlines():
        if is_heading(line):
            named = {code for _, code in _code_positions(line, expected)}
            context = named.pop() if len(named) == 1 else None
        last = context
        for sentence in sentences(line):
            mentions = _code_positions(sentence, expected)
            if not _PATTERNS["conditional"].search(sentence):
                for position, outcome in stated_outcomes(sentence):
                    before = [code for spot, code in mentions if spot <= position]
                    code = before[-1] if before else (mentions[0][1] if mentions else last or lone)
                    if code is not None:
                        stated[code].setdefault(outcome, sentence)
            if mentions:
                last = mentions[-1][1]
    findings: list[Finding] = []
    for code, outcomes in stated.items():
        want = "/".join(sorted(expected[code]))
        if not outcomes:
            findings.append(
                Finding(
                    kind="decision",
                    line_code=code,
                    message=f"The letter never states the outcome of {code} ({want}).",
                )
            )
        for said, sentence in outcomes.items():
            if said not in expected[code]:
                findings.append(
                    Finding(
                        kind="decision",
                        line_code=code,
                        excerpt=_excerpt(sentence),
                        message=f"The letter states {code} is {said}; the decision is {want}.",
                    )
                )
    if letter is not None:
        findings += _check_letter_model(letter, expected)
    return findings


def _check_letter_model(letter: Letter, expected: dict[str, set[str]]) -> list[Finding]:
    findings: list[Finding] = []
    for line in letter.lines:
        if line.code not in expected:
            findings.append(
                Finding(
                    kind="decision",
                    line_code=line.code,
                    message=f"The letter lists {line.code}, which was not decided.",
                )
            )
        elif line.decision not in expected[line.code]:
            findings.append(
                Finding(
                    kind="decision",
                    line_code=line.code,
                    message=f"The lines table shows {line.code} as {line.decision}; the "
                    f"decision is {'/'.join(sorted(expected[line.code]))}.",
                )
            )
    all_outcomes = {o for outcomes in expected.values() for o in outcomes}
    for _, outcome in stated_outcomes(letter.title.replace("partially approved", "approved")):
        if outcome not in all_outcomes:
            findings.append(
                Finding(
                    kind="decision",
                    excerpt=letter.title,
                    message=f"The title says {outcome}; no line is {outcome}.",
                )
            )
    return findings


# ---------------------------------------------------------------- (b) citations


def _check_citations(
    text: str, passages: Mapping[str, Passage], letter: Letter | None
) -> list[Finding]:
    findings: list[Finding] = []
    cited = list(dict.fromkeys(CITATION_RE.findall(text)))
    for passage_id in cited:
        if passage_id not in passages:
            findings.append(
                Finding(
                    kind="citation",
                    excerpt=f"[{passage_id}]",
                    message=f"[{passage_id}] is not one of the provided passages.",
                )
            )
    for match in FOREIGN_SOURCES.finditer(without_quotes(text)):
        findings.append(
            Finding(
                kind="citation",
                excerpt=_excerpt(text[max(0, match.start() - 60) : match.end() + 60]),
                message=f"Cites criteria from another source ({match.group()}); cite only the "
                "guideline provided.",
            )
        )
    if letter is not None and list(dict.fromkeys(letter.citations)) != cited:
        findings.append(
            Finding(
                kind="citation",
                message=f"Letter.citations {letter.citations} differ from the "
                f"passages cited in the text {cited}.",
            )
        )
    return findings


# ---------------------------------------------------------------- (c) criteria addressed


def _failing(decisions: list[LineDecision]) -> list[tuple[str, CriterionResult]]:
    seen: set[str] = set()
    out: list[tuple[str, CriterionResult]] = []
    for decision in decisions:
        for criterion in decision.criteria:
            failing = criterion.status == "not_documented" or (
                criterion.status == "not_met" and criterion.effect != "none"
            )
            if failing and criterion.id not in seen:
                seen.add(criterion.id)
                out.append((decision.code, criterion))
    return out


def _mentions(haystack: str, phrase: str | None) -> bool:
    if not phrase or not phrase.strip():
        return False
    for variant in (phrase, expand_acronyms(phrase)):
        needle = comparable(variant).rstrip(". ")
        if needle and needle in haystack:
            return True
    return False


def _check_criteria(text: str, decisions: list[LineDecision]) -> list[Finding]:
    haystack = comparable(text)
    findings: list[Finding] = []
    for code, criterion in _failing(decisions):
        addressed = (
            f"[{criterion.passage}]" in text
            or criterion.id in text
            or _mentions(haystack, criterion.title)
            or _mentions(haystack, criterion.missing_info)
        )
        if not addressed:
            findings.append(
                Finding(
                    kind="criterion_unaddressed",
                    line_code=code,
                    excerpt=criterion.title,
                    message=f"Criterion {criterion.id} ({criterion.status}) is not addressed: name "
                    f"it, cite [{criterion.passage}] or say what is missing.",
                )
            )
    return findings


# ---------------------------------------------------------------- (e), (g)


def _check_exclusions(text: str, passages: Mapping[str, Passage]) -> list[Finding]:
    rules = excluded_procedures((p.id, p.heading_path, p.text) for p in passages.values())
    return [
        Finding(
            kind="excluded_procedure",
            excerpt=_excerpt(sentence),
            message=f"Recommends a procedure the guideline excludes ([{rule.passage_id}]: "
            f"{_excerpt(rule.text, 90)}).",
        )
        for sentence, rule in recommended_exclusions(text, rules)
    ]


def _check_instructions(text: str, case: Case) -> list[Finding]:
    findings = [
        Finding(
            kind="injected_instruction",
            excerpt=_excerpt(sentence),
            message="Repeats an instruction found inside the clinical notes.",
        )
        for sentence in instruction_sentences(d.text for d in case.documents)
        if carries_over(sentence, text)
    ]
    if not findings:
        findings += [
            Finding(
                kind="injected_instruction",
                excerpt=_excerpt(sentence),
                message="Contains an instruction-like sentence.",
            )
            for sentence in sentences(text)
            if looks_like_instruction(sentence, strong_only=True)
        ]
    return findings


# ---------------------------------------------------------------- entry point


def _letter_date(letter: str | Letter) -> date | None:
    if isinstance(letter, Letter):
        return letter.letter_date
    match = re.search(r"^Date:\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b", letter, re.M)
    if match is None:
        return None
    try:
        if "/" in match.group(1):
            month, day, year = (int(part) for part in match.group(1).split("/"))
            return date(year, month, day)
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def lint_letter(letter: str | Letter, context: DeterminationContext) -> list[Finding]:
    """Every problem found in a draft letter; an empty list means the draft may be used."""
    letter_model = letter if isinstance(letter, Letter) else None
    text = letter.to_text() if isinstance(letter, Letter) else letter
    case, decisions, passages = context.case, context.decisions, context.passages
    return [
        *_check_decisions(text, decisions, letter_model),
        *_check_citations(text, passages, letter_model),
        *_check_criteria(text, decisions),
        *[
            Finding(kind="missing_element", message=message, line_code=code)
            for message, code in missing_elements(text, context)
        ],
        *[
            Finding(kind="missing_element", message=message, line_code=code)
            for message, code in completeness_problems(text, context, letter_model)
        ],
        *[
            Finding(kind="decision", message=message, line_code=code, excerpt=excerpt)
            for message, code, excerpt in absent_conditions(text, context)
        ],
        *_check_exclusions(text, passages),
        *[
            Finding(kind="unsupported_claim", message=message, excerpt=_excerpt(excerpt))
            for message, excerpt in unsupported_claims(text, context, _letter_date(letter))
        ],
        *_check_instructions(text, case),
        *[
            Finding(kind="plain_language", message=message, excerpt=excerpt)
            for message, excerpt in plain_language_problems(text, case)
        ],
    ]
