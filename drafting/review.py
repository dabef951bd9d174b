"""What a reviewer does with a result: override facts, edit the letter, re-lint it, export it.

Overrides: parse the typed value, re-apply every override on top of the extracted facts and
re-decide (`apply_overrides`), and say what a re-decision changed (outcomes and criteria
statuses). An override is a plain dict kept by the app: {name, old, new, reason, reviewer, time}.

The edited letter: the plain text comes from `Letter.to_text()` (title, identifiers, the lines
table, then sections each starting with an upper-case heading line). Identifiers and the lines
table are kept from the drafted letter (they come from the case); the body sections are read from
the edited text (`letter_from_text`). `relint` runs the linter on the edited text and `export`
writes that letter as .md, .docx or .pdf. The app's pages call these and nothing deeper.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from pydantic import ValidationError

from criteria.facts import DERIVED_FACTS, CaseFacts, fact_names
from drafting.audit.record import OverrideEntry
from drafting.errors import DeterminationError
from drafting.letters.export import export_letter
from drafting.letters.model import Letter, LetterSection
from drafting.lint.linter import Finding, lint_letter
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from drafting.pipeline import redecide
from drafting.result import Result

# ---------------------------------------------------------------- overrides


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


def overridden_facts(extracted: CaseFacts, overrides: list[OverrideEntry]) -> CaseFacts:
    """A copy of the extracted facts with every override applied in order."""
    facts = extracted.model_copy(deep=True)
    for entry in overrides:
        _set(facts, entry["name"], entry["new"])
    return facts


def apply_overrides(
    base: Result,
    overrides: list[OverrideEntry],
    settings: Settings | None = None,
    *,
    client: LLMClient | None = None,
) -> Result:
    """`base` (the result on the extracted facts) decided and drafted again with the overrides."""
    return redecide(base, overridden_facts(base.case_facts, overrides), settings, client=client)


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


# ---------------------------------------------------------------- the edited letter


LINES_HEADER = "Requested services:"


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = raw.rstrip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _is_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and line == line.upper() and len(line) <= 120


def letter_from_text(drafted: Letter, text: str) -> Letter:
    """`drafted` itself when the text is unchanged, else a copy whose body is the edited text."""
    if text.strip() == drafted.to_text().strip():
        return drafted
    body = text
    header_at = text.find(LINES_HEADER)
    if header_at >= 0:
        after = text[header_at:].split("\n\n", 1)
        body = after[1] if len(after) > 1 else ""
    headings = {section.heading.upper(): section.heading for section in drafted.sections}
    sections: list[LetterSection] = []
    for block in _blocks(body):
        if block[0] in headings or _is_heading(block[0]):
            heading = headings.get(block[0], block[0].capitalize())
            sections.append(LetterSection(heading=heading, paragraphs=block[1:]))
        elif sections:
            sections[-1].paragraphs.extend(block)
        else:
            sections.append(LetterSection(heading="Letter", paragraphs=block))
    return drafted.model_copy(update={"sections": sections})


def relint(result: Result, text: str) -> list[Finding]:
    """The linter's findings for `text` as the letter of `result`'s decisions."""
    return lint_letter(text, result.context)


def export(result: Result, text: str, suffix: str) -> bytes:
    """The letter of `result` with the reviewer's edits `text`, in the format named by `suffix`."""
    letter = letter_from_text(result.letter_model, text)
    with tempfile.TemporaryDirectory() as folder:
        path = export_letter(letter, Path(folder) / f"letter-{letter.case_id}{suffix}")
        return path.read_bytes()
