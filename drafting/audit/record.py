"""The audit record a reviewer finalizes: the current result, every override with its reason and
the letter as edited, in the `drafting.audit.models.FinalizedRecord` contract (built by the app's
finalize page; no UI code here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NotRequired, TypedDict

from drafting.audit.models import DrafterRef, ExtractorRef, FinalizedRecord, Override
from drafting.pipeline import Result


class OverrideEntry(TypedDict):
    """One reviewer change to a fact, as kept in session_state and written to the audit."""

    name: str
    old: Any
    new: Any
    reason: str
    reviewer: str
    time: str
    quote: NotRequired[str]  # the record's words the new value rests on
    document: NotRequired[str]  # the document they are in (a case document or one received)


def extractor_ref(result: Result) -> ExtractorRef:
    """The audit's extractor: its kind, with the model when a language model read the record."""
    kind = result.extractor_kind
    return ExtractorRef(name=kind, model=result.model if kind != "rules" else None)


def drafter_ref(result: Result) -> DrafterRef:
    """The drafter whose letter stands, with the model when it was a language model."""
    if result.drafter == "llm":
        return DrafterRef(name="llm", model=result.model)
    return DrafterRef(name="template")


def build_record(
    result: Result,
    overrides: list[OverrideEntry],
    *,
    reviewer: str,
    letter_text: str,
    amendment_reason: str | None = None,
) -> FinalizedRecord:
    """The record to store: the result contract as `determine --json` prints it, the overrides
    and the letter as finalized (raises AuditInputError naming the first problem)."""
    return FinalizedRecord.from_result(
        result.contract(),
        reviewer=reviewer,
        extractor=extractor_ref(result),
        drafter=drafter_ref(result),
        overrides=[
            Override(
                fact=entry["name"],
                old_value=entry["old"],
                new_value=entry["new"],
                reason=entry["reason"],
                reviewer=entry["reviewer"],
                at=datetime.fromisoformat(entry["time"]),
            )
            for entry in overrides
        ],
        letter_text=letter_text,
        amendment_reason=amendment_reason,
    )
