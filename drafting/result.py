"""The result contract of a determination (ARCHITECTURE.md): `Result` and the models inside it.

`Result` serialises to the contract (case_id, guideline, lines, letter, facts) plus what a
reviewer needs (extractor, drafter, flags, lint findings, timings, LLM usage); the rich objects
it was built from ride along, excluded from the JSON. Built by `drafting.pipeline`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from criteria.facts import CaseFacts
from criteria.results import CriterionResult, Decision, LineDecision
from drafting.case.contract import Case
from drafting.context import DeterminationContext
from drafting.extraction.rules import EXTRACTOR_NAME
from drafting.letters.model import Letter, LetterSource
from drafting.letters.notices import Authorization
from drafting.lint.linter import Finding
from drafting.llm.settings import ExtractorName
from guideline_corpus.passages import Passage


def extractor_label(kind: ExtractorName, model: str | None) -> str:
    """How reports name an extractor: the rules' name, 'llm(model)' or 'hybrid(rules+model)'."""
    if kind == "llm":
        return f"llm({model})"
    if kind == "hybrid":
        return f"hybrid({EXTRACTOR_NAME}+{model})"
    return EXTRACTOR_NAME


class GuidelineRef(BaseModel):
    """Which guideline (corpus id) and which version of it decided the case."""

    id: str
    version: str
    title: str = ""


class EvidenceRef(BaseModel):
    """A verbatim quote from the record and the index of the document it is in."""

    quote: str
    document: int


class CriterionOutcome(BaseModel):
    """One criterion of a line's trace, as the result contract shows it."""

    id: str
    title: str
    kind: Literal["requirement", "exclusion", "contraindication", "limit", "definition"] = Field(
        default="requirement", description="For an exclusion, 'met' means it does not apply."
    )
    status: Literal["met", "not_met", "not_documented", "not_applicable"]
    effect: Literal["none", "deny", "pend"] = "none"
    passages: list[str]
    quote: str = Field(description="The guideline text the criterion rests on, verbatim.")
    reason: str
    evidence: list[EvidenceRef] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, item: CriterionResult) -> CriterionOutcome:
        """A row of the engine's trace as the contract shows it."""
        return cls(
            id=item.id,
            title=item.title,
            kind=item.kind,  # type: ignore[arg-type]  # a str in the trace; validated here
            status=item.status,
            effect=item.effect,
            passages=item.passages,
            quote=item.quote,
            reason=item.reason,
            evidence=[EvidenceRef(quote=e.quote, document=e.document) for e in item.evidence],
            missing=list(item.missing),
        )


class LineOutcome(BaseModel):
    """One requested line: its decision and the criteria trace behind it."""

    code: str
    decision: Decision
    reasons: list[str] = Field(default_factory=list)
    criteria: list[CriterionOutcome] = Field(default_factory=list)
    missing_info: list[str] = Field(default_factory=list)
    follows: str | None = None
    route: str | None = None

    @classmethod
    def of(cls, decision: LineDecision) -> LineOutcome:
        """The engine's decision of a line as the contract shows it (the one conversion)."""
        return cls(
            code=decision.code,
            decision=decision.decision,
            reasons=list(decision.reasons),
            criteria=[CriterionOutcome.of(c) for c in decision.criteria],
            missing_info=list(decision.missing_info),
            follows=decision.follows,
            route=decision.route,
        )


class LetterResult(BaseModel):
    """The letter that stands, its citations, where it came from and what the linter said."""

    text: str
    citations: list[str]
    source: LetterSource
    fallback_reason: str | None = Field(
        default=None, description="Why an LLM draft was not used (the template stands)."
    )
    lint: list[Finding] = Field(default_factory=list)


class Result(BaseModel):
    """A determination: the result contract plus what the reviewer and the audit need."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    case_id: str
    guideline: GuidelineRef
    lines: list[LineOutcome]
    letter: LetterResult
    facts: dict[str, dict[str, Any]]
    extractor_kind: ExtractorName = Field(description="Who read the facts: rules, llm or hybrid.")
    extractor_model: str | None = Field(default=None, description="The LLM that read them.")
    drafter: str
    model: str | None = None
    flags: list[str] = Field(default_factory=list, description="Things the reviewer should check.")
    authorizations: list[Authorization] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
    llm_usage: dict[str, int] = Field(default_factory=dict)

    # The objects the contract was built from (not serialised).
    context: DeterminationContext = Field(exclude=True, repr=False)
    letter_model: Letter = Field(exclude=True, repr=False)

    @property
    def case(self) -> Case:
        return self.context.case

    @property
    def case_facts(self) -> CaseFacts:
        return self.context.facts

    @property
    def decisions(self) -> list[LineDecision]:
        return self.context.decisions

    @property
    def passages(self) -> Mapping[str, Passage]:
        return self.context.passages

    @computed_field  # type: ignore[prop-decorator]
    @property
    def extractor(self) -> str:
        """The extractor for display: the rules' name, 'llm(model)' or 'hybrid(rules+model)'."""
        return extractor_label(self.extractor_kind, self.extractor_model)

    @property
    def outcomes(self) -> list[str]:
        """The decision of every line, in request order."""
        return [line.decision for line in self.lines]

    def contract(self) -> dict[str, Any]:
        """The JSON-ready result (`determine CASE.json --json`)."""
        return self.model_dump(mode="json")
