"""The finalize/audit record contract: what a reviewer's finalized case looks like in and out.

`FinalizedRecord` is what the app hands to `drafting.audit.store.AuditStore.finalize`: who finalized
which case under which guideline version, which extractor and drafter ran (with the model name
when a language model was used), the facts in compact form `{name: {value, quote, document}}`,
every reviewer override with its reason, each line's decision and trace, the final letter text and
the full result JSON. `StoredRecord` is the same record as stored (version, UTC time, sha256 of the
letter and of the record's canonical JSON); `RecordSummary` is one History row. Every model is
frozen: nothing read back from the store can be changed in place. The errors the audit store
raises live here too, so the app can import the whole contract from one module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from criteria.results import Decision
from drafting.errors import DeterminationError, InputError, input_error_from_validation
from drafting.llm.settings import DrafterName, ExtractorName

RecordKind = Literal["original", "amendment"]
LLM_EXTRACTORS: frozenset[str] = frozenset({"llm", "hybrid"})
FROZEN = ConfigDict(extra="forbid", frozen=True)


class AuditError(DeterminationError):
    """Base class of every audit-store error; its message says what to do."""


class AuditInputError(InputError, AuditError):
    """A record handed to finalize that cannot be stored as given."""


class AuditDatabaseError(AuditError):
    """The audit database cannot be reached, opened or written (bad URL, missing driver, busy)."""


class FinalizeConflictError(AuditError):
    """Someone else finalized (or amended) the case after this reviewer opened it."""

    def __init__(self, case_id: str, by: str, at: datetime, version: int) -> None:
        self.case_id, self.by, self.at, self.version = case_id, by, at, version
        verb = "finalized" if version == 1 else f"amended (version {version})"
        super().__init__(
            f"case {case_id} was {verb} by {by} at {format_utc(at)} while you were reviewing; "
            "reopen it from History to see their record; nothing was overwritten"
        )


class AmendmentVersionError(AuditError):
    """The version a reviewer says they opened does not exist for that case."""


class AuditRecordNotFoundError(AuditError):
    """No audit record has the id asked for."""


class AuditIntegrityError(AuditError):
    """A stored record no longer matches its sha256: the database was changed outside the tool."""


def format_utc(moment: datetime) -> str:
    """`2025-11-03 14:02 UTC`: how times appear in messages and the History page."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def canonical_json(data: Any) -> str:
    """One fixed JSON spelling of `data` (sorted keys, no spaces, UTF-8): what gets hashed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    """Hex sha256 of the UTF-8 bytes of `text`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _non_blank(value: str, what: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError(f"{what} must not be empty; fill it in")
    return stripped


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_utc)]


class GuidelineRef(BaseModel):
    """Which guideline, and which version of it, the decision was made under."""

    model_config = FROZEN
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = ""  # as in the result contract (`drafting.result.GuidelineRef`)


class _ComponentRef(BaseModel):
    """A component that ran (`role`); `model` must name the LLM when `name` is one that uses it."""

    model_config = FROZEN
    role: ClassVar[str]
    llm_names: ClassVar[frozenset[str]]
    name: str
    model: str | None = None

    @model_validator(mode="after")
    def _model_named_for_llm(self) -> Self:
        if self.name in self.llm_names and not (self.model or "").strip():
            raise ValueError(f"{self.role} '{self.name}' used a language model; name it in model")
        return self


class ExtractorRef(_ComponentRef):
    """The fact extractor that ran; `model` names the LLM when one was used."""

    role: ClassVar[str] = "extractor"
    llm_names: ClassVar[frozenset[str]] = LLM_EXTRACTORS
    name: ExtractorName


class DrafterRef(_ComponentRef):
    """The letter drafter that ran; `model` names the LLM when one was used."""

    role: ClassVar[str] = "drafter"
    llm_names: ClassVar[frozenset[str]] = frozenset({"llm"})
    name: DrafterName


class FactRecord(BaseModel):
    """One fact in compact form: its value, the verbatim quote and the document index."""

    model_config = FROZEN
    value: Any
    quote: str | None = None
    document: int | None = Field(default=None, ge=0)


class Override(BaseModel):
    """A reviewer's change to an extracted fact, with the reason they gave."""

    model_config = FROZEN
    fact: str = Field(min_length=1)
    old_value: Any
    new_value: Any
    reason: str
    reviewer: str
    at: UtcDatetime

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, value: str) -> str:
        return _non_blank(value, "the reason for an override")

    @field_validator("reviewer")
    @classmethod
    def _reviewer_named(cls, value: str) -> str:
        return _non_blank(value, "the reviewer who made an override")


class LineRecord(BaseModel):
    """One requested line: its decision and the full trace (the line as in the result JSON)."""

    model_config = FROZEN
    code: str = Field(min_length=1)
    decision: Decision
    trace: dict[str, Any] = Field(default_factory=dict)


class FinalizedRecord(BaseModel):
    """Everything a reviewer finalizes for one case; the store adds version, time and hashes."""

    model_config = FROZEN
    case_id: str = Field(min_length=1, max_length=200)
    reviewer: str
    guideline: GuidelineRef
    extractor: ExtractorRef
    drafter: DrafterRef
    facts: dict[str, FactRecord] = Field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    lines: tuple[LineRecord, ...] = Field(min_length=1)
    letter_text: str = Field(min_length=1)
    result: dict[str, Any]
    amendment_reason: str | None = Field(
        default=None, description="Why an already-finalized case is finalized again."
    )

    @field_validator("reviewer")
    @classmethod
    def _reviewer_named(cls, value: str) -> str:
        return _non_blank(value, "the reviewer's name")

    @model_validator(mode="after")
    def _consistent(self) -> FinalizedRecord:
        result_case = self.result.get("case_id")
        if result_case is not None and result_case != self.case_id:
            raise ValueError(
                f"result is for case {result_case!r}, not {self.case_id!r}; finalize the right case"
            )
        unknown = [o.fact for o in self.overrides if o.fact not in self.facts]
        if unknown:
            raise ValueError(
                f"overridden fact(s) {', '.join(unknown)} missing from facts; "
                "add each overridden fact to facts with its new value"
            )
        return self

    @classmethod
    def from_result(
        cls,
        result: Mapping[str, Any],
        *,
        reviewer: str,
        extractor: ExtractorRef,
        drafter: DrafterRef,
        overrides: Iterable[Override] = (),
        letter_text: str | None = None,
        amendment_reason: str | None = None,
    ) -> FinalizedRecord:
        """Build a record from a result JSON (the `determine --json` contract).

        `letter_text` is the letter as the reviewer finalized it (default: the result's letter).
        Raises AuditInputError naming the first problem.
        """
        case_id = str(result.get("case_id", ""))
        letter = result.get("letter") or {}
        overrides = tuple(overrides)
        facts = dict(result.get("facts") or {})
        for override in overrides:  # an override of a fact never documented: recorded as null
            if isinstance(override, Override):
                facts.setdefault(override.fact, {"value": None, "quote": None, "document": None})
        data = {
            "case_id": case_id,
            "reviewer": reviewer,
            "guideline": result.get("guideline"),
            "extractor": extractor,
            "drafter": drafter,
            "facts": {
                name: {k: fact.get(k) for k in ("value", "quote", "document")}
                if isinstance(fact, Mapping)
                else fact
                for name, fact in facts.items()
            },
            "overrides": overrides,
            "lines": [
                {"code": line.get("code"), "decision": line.get("decision"), "trace": dict(line)}
                if isinstance(line, Mapping)
                else line
                for line in result.get("lines") or []
            ],
            "letter_text": letter_text if letter_text is not None else letter.get("text"),
            "result": dict(result),
            "amendment_reason": amendment_reason,
        }
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise input_error_from_validation(
                f"finalize case {case_id or '?'}", exc, cls, AuditInputError
            ) from exc


class StoredRecord(FinalizedRecord):
    """A finalized record as stored: read-only, versioned per case, hashed."""

    record_id: int
    version: int = Field(ge=1)
    kind: RecordKind
    amends_record_id: int | None = None
    finalized_at: UtcDatetime
    letter_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    record_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _letter_hash_matches(self) -> StoredRecord:
        if sha256_hex(self.letter_text) != self.letter_sha256:
            raise ValueError("letter_sha256 does not match letter_text")
        return self


class LineSummary(BaseModel):
    """A line's code and decision, as shown in History."""

    model_config = FROZEN
    code: str
    decision: Decision


class RecordSummary(BaseModel):
    """One History row: enough to pick a record, without its facts, trace or letter."""

    model_config = FROZEN
    record_id: int
    case_id: str
    version: int
    kind: RecordKind
    reviewer: str
    finalized_at: UtcDatetime
    guideline_id: str
    guideline_version: str
    lines: tuple[LineSummary, ...]
    override_count: int

    @classmethod
    def of(cls, stored: StoredRecord) -> RecordSummary:
        """The History row of a (verified) stored record."""
        return cls(
            record_id=stored.record_id, case_id=stored.case_id, version=stored.version,
            kind=stored.kind, reviewer=stored.reviewer, finalized_at=stored.finalized_at,
            guideline_id=stored.guideline.id, guideline_version=stored.guideline.version,
            lines=tuple(LineSummary(code=x.code, decision=x.decision) for x in stored.lines),
            override_count=len(stored.overrides),
        )  # fmt: skip
