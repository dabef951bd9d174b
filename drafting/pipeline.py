"""The one entry point from a case to a determination: `determine(case, settings) -> Result`.

    case -> guideline passages for the requested codes (code table, deterministic)
         -> CaseFacts (offline rules extractor by default; LLM or hybrid when configured)
         -> one LineDecision per requested line (criteria engine: the only place that decides)
         -> letter (template always; LLM narrative when configured, kept only if the linter
            finds nothing blocking after one retry with its findings, else the template stands)

The CLI, the app and the eval all call this module. `Result` serialises to the result contract
of ARCHITECTURE.md (`drafting.result`, re-exported here).
`redecide` re-runs decision and letter on corrected facts without extracting again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from criteria.fact_values import compact_facts
from criteria.facts import CaseFacts
from criteria.facts_needed import facts_needed
from criteria.loader import CriteriaLibrary, load_library
from criteria.results import LineDecision
from criteria.routing import decide_request, guideline_date_warning
from drafting.case.contract import Case
from drafting.context import DeterminationContext
from drafting.errors import CaseInputError
from drafting.extraction.rules import extract_facts_timed
from drafting.letters.model import Letter
from drafting.letters.template import authorizations, draft_template_letter
from drafting.lint.linter import Finding, blocking, lint_letter
from drafting.llm.client import LLMClient, LLMError, LLMOutputError
from drafting.llm.settings import ExtractorName, Settings, load_settings
from drafting.result import (
    GuidelineRef,
    LetterResult,
    LineOutcome,
    Result,
    extractor_label,
)
from guideline_corpus.chunking import load_passages
from guideline_corpus.corpus import Manifest, load_corpus
from guideline_corpus.lookup import passages_for_codes
from guideline_corpus.passages import Passage
from retrieval.config import get_settings as retrieval_settings

Progress = Callable[[str], None]
# spaCy's default nlp.max_length: a longer text makes the clinical reader raise (issue 14 item 3)
READER_MAX_CHARS = 1_000_000


# --- the guideline, loaded once ---------------------------------------------------------------


@dataclass(frozen=True)
class Guideline:
    """The corpus manifest, its criteria library and every passage by id."""

    manifest: Manifest
    library: CriteriaLibrary
    passages: Mapping[str, Passage]

    @property
    def ref(self) -> GuidelineRef:
        return GuidelineRef(
            id=self.manifest.corpus_id, version=self.manifest.version, title=self.manifest.title
        )


@cache
def load_guideline(corpus_id: str | None = None) -> Guideline:
    """The guideline the pipeline decides under (default: DETERMINE_CORPUS), cached per process."""
    corpus_id = corpus_id or retrieval_settings().corpus_id
    return Guideline(
        manifest=load_corpus(corpus_id).manifest,
        library=load_library(corpus_id),
        passages={p.id: p for p in load_passages(corpus_id)},
    )


def provided_passages(
    case: Case, decisions: list[LineDecision], guideline: Guideline
) -> dict[str, Passage]:
    """Passages a letter may cite: those governing the requested codes and the criteria's own."""
    corpus_id = guideline.manifest.corpus_id
    chosen: dict[str, Passage] = {}
    by_code = passages_for_codes([s.code for s in case.request.services], corpus_id)
    for passages in by_code.values():
        chosen.update((p.id, p) for p in passages)
    for decision in decisions:
        for item in [*decision.criteria, *decision.definitions]:
            passage = guideline.passages.get(item.passage)
            if passage is not None:
                chosen[passage.id] = passage
    return chosen


# --- stages -----------------------------------------------------------------------------------


@dataclass
class Extraction:
    """Facts from one extractor run, who produced them, and what the reviewer should check."""

    facts: CaseFacts
    kind: ExtractorName
    flags: list[str]
    seconds: float
    offline: CaseFacts | None = None  # the rules extractor's facts, when an LLM read the record
    model: str | None = None  # the LLM that read the record (kind llm or hybrid)

    @property
    def extractor(self) -> str:
        """The extractor for display (`drafting.result.extractor_label`)."""
        return extractor_label(self.kind, self.model)


def extract(
    case: Case,
    settings: Settings,
    client: LLMClient | None = None,
    guideline: Guideline | None = None,
    progress: Progress | None = None,
) -> Extraction:
    """Facts of the case by the configured extractor; an LLM failure falls back to the rules.

    The LLM is asked only for the facts the criteria of the requested codes can read.
    `progress` hears "reading document i of n: <title>" before each document is read.
    """
    started = time.perf_counter()

    def reading(number: int, count: int, title: str) -> None:
        if progress is not None:
            progress(f"reading document {number} of {count}: {title}")

    facts, _ = extract_facts_timed(case, reading)
    if settings.extractor == "rules":
        return Extraction(facts, "rules", [], time.perf_counter() - started)
    from drafting.extraction.llm import LLMExtractor

    try:
        client = client or LLMClient.from_settings(settings)
    except LLMError as error:
        flag = f"LLM extractor not used ({error}); facts are from the offline extractor"
        return Extraction(facts, "rules", [flag], time.perf_counter() - started)
    extractor = LLMExtractor(client)
    guideline = guideline or load_guideline()
    hybrid = settings.extractor == "hybrid"
    try:
        # hybrid: the LLM fills only what the rules left empty; llm: it reads everything itself
        base = facts if hybrid else CaseFacts(request=facts.request)
        needed = facts_needed([line.code for line in case.request.services], guideline.library)
        result = extractor.extract(case.documents, needed, base=base)
    except LLMError as error:
        flag = f"LLM extractor failed ({error}); facts are from the offline extractor"
        return Extraction(facts, "rules", [flag], time.perf_counter() - started)
    seconds = time.perf_counter() - started
    return Extraction(
        result.facts,
        "hybrid" if hybrid else "llm",
        list(result.flags),
        seconds,
        offline=facts,
        model=settings.llm_model,
    )


def decide(case: Case, facts: CaseFacts, guideline: Guideline | None = None) -> list[LineDecision]:
    """One decision per requested line, by the criteria engine alone."""
    guideline = guideline or load_guideline()
    return decide_request(facts, guideline.library, request_date=case.received)


def _grounds(line: LineDecision) -> list[str]:
    return sorted(
        c.id
        for c in line.criteria
        if c.effect != "none" and c.status in {"not_met", "not_documented"}
    )


def version_flags(case: Case, guideline: Guideline) -> list[str]:
    """A flag when the request predates the guideline version's effective date."""
    warning = guideline_date_warning(guideline.library, case.received)
    return [warning] if warning else []


def cross_check(
    case: Case, decisions: list[LineDecision], offline: CaseFacts, guideline: Guideline
) -> list[str]:
    """Flags for lines the offline extractor's facts would decide otherwise than the LLM's.

    A quote the model copied can be verbatim and still not say what the model claims; when the
    two readings of the record disagree on an outcome (or deny on different criteria) the reviewer
    is told to check the evidence. The decision itself stays the engine's on the facts shown.
    """
    flags = []
    for ours, theirs in zip(decisions, decide(case, offline, guideline), strict=True):
        same_grounds = ours.decision != "denied" or _grounds(ours) == _grounds(theirs)
        if ours.decision == theirs.decision and same_grounds:
            continue
        why = f" on {', '.join(_grounds(ours))}" if _grounds(ours) else ""
        other = f" on {', '.join(_grounds(theirs))}" if _grounds(theirs) else ""
        flags.append(
            f"Check before finalizing: line {ours.code} is {ours.decision}{why} on the facts the "
            f"language model read; the offline extractor's facts give {theirs.decision}{other}. "
            "Open the evidence of those criteria and correct any fact its quote does not state."
        )
    return flags


@dataclass
class Draft:
    """The letter that stands and how it came to stand."""

    letter: Letter
    findings: list[Finding]
    fallback_reason: str | None = None


def draft(
    context: DeterminationContext,
    *,
    settings: Settings,
    today: date,
    client: LLMClient | None = None,
) -> Draft:
    """The template letter, or an LLM narrative around it when configured and lint-clean."""
    template = draft_template_letter(context, today=today)

    def check(letter: Letter) -> list[Finding]:
        return lint_letter(letter, context)

    template_findings = check(template)
    if settings.drafter != "llm":
        return Draft(template, template_findings)
    from drafting.letters.narrative import draft_narrative

    try:
        client = client or LLMClient.from_settings(settings)
        feedback: list[Finding] = []
        for _attempt in range(2):
            letter = draft_narrative(client, context, template, feedback=feedback)
            findings = check(letter)
            feedback = blocking(findings)
            if not feedback:
                return Draft(letter, findings)
        kinds = ", ".join(sorted({f.kind for f in feedback}))
        reason = f"the LLM draft failed the linter twice ({kinds}): {feedback[0].message}"
    except LLMOutputError as error:
        reason = f"the LLM draft was not used: {error}"
    except LLMError as error:
        reason = f"the LLM drafter was not available: {error}"
    return Draft(template, template_findings, fallback_reason=reason)


# --- the whole pipeline -----------------------------------------------------------------------


def _assemble(
    case: Case,
    extraction: Extraction,
    settings: Settings,
    guideline: Guideline,
    today: date,
    client: LLMClient | None,
    timings: dict[str, float],
) -> Result:
    started = time.perf_counter()
    decisions = decide(case, extraction.facts, guideline)
    passages = provided_passages(case, decisions, guideline)
    cross_checked = (
        []
        if extraction.offline is None
        else cross_check(case, decisions, extraction.offline, guideline)
    )
    timings["decide"] = time.perf_counter() - started
    started = time.perf_counter()
    context = DeterminationContext(case, decisions, extraction.facts, passages, guideline.manifest)
    drafted = draft(context, settings=settings, today=today, client=client)
    timings["draft"] = time.perf_counter() - started
    letter = drafted.letter
    uses_llm = settings.extractor != "rules" or settings.drafter == "llm"
    return Result(
        case_id=case.case_id,
        guideline=guideline.ref,
        lines=[LineOutcome.of(d) for d in decisions],
        letter=LetterResult(
            text=letter.to_text(),
            citations=list(letter.citations),
            source=letter.source,
            fallback_reason=drafted.fallback_reason,
            lint=drafted.findings,
        ),
        facts=compact_facts(extraction.facts),
        extractor_kind=extraction.kind,
        extractor_model=extraction.model,
        drafter=letter.source,
        model=settings.llm_model if uses_llm else None,
        flags=[*version_flags(case, guideline), *extraction.flags, *cross_checked],
        authorizations=authorizations(letter),
        timings={k: round(v, 4) for k, v in timings.items()},
        llm_usage=client.usage_totals() if client is not None else {},
        context=context,
        letter_model=letter,
    )


def determine(
    case: Case,
    settings: Settings | None = None,
    *,
    today: date | None = None,
    client: LLMClient | None = None,
    progress: Progress | None = None,
) -> Result:
    """Extract, decide and draft one case. `today` dates the letter (default: the real today)."""
    settings = settings or load_settings()
    today = today or date.today()
    if case.received > today:  # every time window of the criteria counts back from this date
        raise CaseInputError(
            f"case {case.case_id}",
            f"{case.received.isoformat()} is after the decision date {today.isoformat()}",
            field="received",
            hint="correct the date the request was received",
        )
    say = progress or (lambda _stage: None)
    for index, document in enumerate(case.documents):
        if len(document.text) > READER_MAX_CHARS:
            raise CaseInputError(
                f"case {case.case_id}",
                f"document {index + 1} ({document.title}) is {len(document.text):,} characters; "
                f"the reader takes at most {READER_MAX_CHARS:,} per document",
                field=f"documents[{index}].text",
                hint="send it as several documents (one per note or report)",
            )
    guideline = load_guideline()
    if client is None and settings.wants_llm and settings.llm_configured:
        client = LLMClient.from_settings(settings)
    total = sum(len(d.text) for d in case.documents)
    say(f"extracting facts from {len(case.documents)} document(s), {total:,} characters")
    extraction = extract(case, settings, client, guideline, say)
    say("deciding and drafting")
    timings = {"extract": extraction.seconds}
    return _assemble(case, extraction, settings, guideline, today, client, timings)


def redecide(
    previous: Result,
    facts: CaseFacts,
    settings: Settings | None = None,
    *,
    today: date | None = None,
    client: LLMClient | None = None,
    case: Case | None = None,
) -> Result:
    """Decision and letter again on corrected facts (a reviewer's override); no re-extraction.

    `case` replaces the previous case when an override added the record it rests on.
    """
    settings = settings or load_settings()
    extraction = Extraction(
        facts, previous.extractor_kind, list(previous.flags), 0.0, model=previous.extractor_model
    )
    return _assemble(
        case or previous.case,
        extraction,
        settings,
        load_guideline(),
        today or previous.letter_model.letter_date,
        client,
        {"extract": 0.0},
    )
