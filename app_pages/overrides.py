"""Reviewer overrides of extracted facts: parse the typed value, re-apply every override on top of
the extracted facts, and say what a re-decision changed (outcomes and criteria statuses).

An override is a plain dict kept in session_state: {name, old, new, reason, reviewer, time}.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypedDict

from pydantic import ValidationError

from criteria.facts import DERIVED_FACTS, CaseFacts, fact_names
from drafting.audit.record import OverrideEntry
from drafting.errors import DeterminationError
from drafting.pipeline import Result


class OverrideError(DeterminationError):
    """An override that cannot be applied as typed; the message says what to enter instead."""


class Change(TypedDict):
    """What a re-decision changed on one line."""

    code: str
    before: str
    after: str
    criteria: list[tuple[str, str, str, str]]  # (id, title, status before, status after)


VALUE_HELP = (
    "true / false, a number, a date YYYY-MM-DD, text, or JSON (a list for list facts); "
    "leave empty to mark the fact not documented"
)


def overridable_fact_names() -> list[str]:
    """Fact names a reviewer may set: the clinical facts, not request/line or derived names."""
    return [
        name
        for name in fact_names()
        if not name.startswith(("line.", "request.")) and name not in DERIVED_FACTS
    ]


def parse_value(text: str) -> Any:
    """The value a reviewer typed: JSON when it parses (true, 4, [..]), else the text itself."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        return stripped


def _set(facts: CaseFacts, name: str, value: Any) -> None:
    try:
        facts.set(name, value)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise OverrideError(
            f"{name}: {json.dumps(value)} is not accepted ({first['msg']}); enter {VALUE_HELP}"
        ) from None
    except KeyError as exc:
        raise OverrideError(f"{exc.args[0]}; pick a fact from the list") from None


def apply_overrides(extracted: CaseFacts, overrides: list[OverrideEntry]) -> CaseFacts:
    """A copy of the extracted facts with every override applied in order."""
    facts = extracted.model_copy(deep=True)
    for entry in overrides:
        _set(facts, entry["name"], entry["new"])
    return facts


def new_entry(
    current: Result, name: str, value_text: str, reason: str, reviewer: str
) -> OverrideEntry:
    """Validate an override against the current facts (raises OverrideError) and describe it."""
    if not reason.strip():
        raise OverrideError("a reason is required for every override; say why the value changes")
    if not reviewer.strip():
        raise OverrideError("enter your name as reviewer (sidebar) before overriding a fact")
    if name not in overridable_fact_names():
        raise OverrideError(f"{name!r} is not a fact a reviewer can set; pick one from the list")
    value = parse_value(value_text)
    _set(current.case_facts.model_copy(deep=True), name, value)  # validate before keeping it
    old = current.facts.get(name, {}).get("value")
    return OverrideEntry(
        name=name,
        old=old,
        new=value,
        reason=reason.strip(),
        reviewer=reviewer.strip(),
        time=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def changes(before: Result, after: Result) -> list[Change]:
    """Per line: outcome before and after, and every criterion whose status moved."""
    out: list[Change] = []
    for old_line, new_line in zip(before.lines, after.lines, strict=False):
        old_status = {c.id: c.status for c in old_line.criteria}
        moved: list[tuple[str, str, str, str]] = [
            (c.id, c.title, old_status.get(c.id, "absent"), str(c.status))
            for c in new_line.criteria
            if old_status.get(c.id) != c.status
        ]
        out.append(
            Change(
                code=new_line.code,
                before=old_line.decision,
                after=new_line.decision,
                criteria=moved,
            )
        )
    return out
