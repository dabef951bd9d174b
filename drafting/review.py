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
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from pydantic import ValidationError

from criteria.facts import DERIVED_FACTS, CaseFacts, fact_names
from drafting.audit.record import OverrideEntry
from drafting.case.contract import Case, Document
from drafting.errors import DeterminationError
from drafting.letters.export import export_letter
from drafting.letters.model import Audience, Letter, LetterSection
from drafting.letters.notices import PHYSICIAN_LABEL, REVIEWER_LABEL, UNSIGNED
from drafting.lint.linter import Finding, lint_letter
from drafting.lint.rules import is_capitals_heading
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from drafting.pipeline import redecide
from drafting.result import Result
from guideline_corpus.corpus import normalize_ws

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


RECEIVED_NOTE = "received by the reviewer"


def overridden_case(case: Case, overrides: list[OverrideEntry]) -> Case:
    """The case with every document an override relied on that was not already in it.

    A reviewer who overrides a fact from a record that came later (a faxed therapy summary)
    names that record and quotes it: it becomes a document of the case, so the letter's
    "Records reviewed" lists it and the quote is the record's own words.
    """
    documents = list(case.documents)
    original = {d.title for d in case.documents}
    for entry in overrides:
        source = str(entry.get("document") or "").strip()
        quote = str(entry.get("quote") or "").strip()
        if not source or not quote or source in original:
            continue  # a quote from a document of the case was checked when it was entered
        title = f"{source} ({RECEIVED_NOTE})"
        titles = [d.title for d in documents]
        if title not in titles:
            documents.append(Document(title=title, text=quote))
        elif not quote_found(documents[titles.index(title)].text, quote):
            index = titles.index(title)
            text = documents[index].text + "\n" + quote
            documents[index] = documents[index].model_copy(update={"text": text})
    if len(documents) == len(case.documents):
        return case
    return case.model_copy(update={"documents": documents})


def quote_found(text: str, quote: str) -> bool:
    """The quote is in the text, ignoring runs of whitespace and case."""
    return normalize_ws(quote).lower() in normalize_ws(text).lower()


def _document_index(case: Case, source: str) -> int | None:
    titles = [document.title for document in case.documents]
    for title in (source, f"{source} ({RECEIVED_NOTE})"):
        if source and title in titles:
            return titles.index(title)
    return None


def overridden_facts(
    extracted: CaseFacts, overrides: list[OverrideEntry], case: Case | None = None
) -> CaseFacts:
    """A copy of the extracted facts with every override applied in order.

    With the case (as `overridden_case` returns it), an override's quote becomes the fact's
    evidence in the document it names.
    """
    facts = extracted.model_copy(deep=True)
    for entry in overrides:
        value = entry["new"]
        quote = str(entry.get("quote") or "").strip()
        index = _document_index(case, str(entry.get("document") or "")) if case else None
        if value is not None and not isinstance(value, list | dict) and quote and index is not None:
            _set(facts, entry["name"], {"value": value, "quote": quote, "document": index})
        else:
            _set(facts, entry["name"], value)
    return facts


def apply_overrides(
    base: Result,
    overrides: list[OverrideEntry],
    settings: Settings | None = None,
    *,
    client: LLMClient | None = None,
) -> Result:
    """`base` (the result on the extracted facts) decided and drafted again with the overrides."""
    case = overridden_case(base.case, overrides)
    facts = overridden_facts(base.case_facts, overrides, case)
    return redecide(base, facts, settings, client=client, case=case)


def new_entry(
    current: Result,
    name: str,
    value_text: str,
    reason: str,
    reviewer: str,
    *,
    quote: str | None = None,
    document: str | None = None,
) -> OverrideEntry:
    """Validate an override against the current facts (raises OverrideError) and describe it.

    `quote` and `document` are the record the override rests on: required for a value (an
    override to "not documented" needs none); a quote said to be in a document of the case must
    be found there verbatim; a document not in the case is added to it as received by the
    reviewer. An override that changes nothing is refused.
    """
    if not reason.strip():
        raise OverrideError("a reason is required for every override; say why the value changes")
    if not reviewer.strip():
        raise OverrideError("enter your name as reviewer (sidebar) before overriding a fact")
    if name not in overridable_fact_names():
        raise OverrideError(f"{name!r} is not a fact a reviewer can set; pick one from the list")
    value = parse_value(value_text)
    _set(current.case_facts.model_copy(deep=True), name, value)  # validate before keeping it
    old = current.facts.get(name, {}).get("value")
    if value == old:
        shown = "not documented" if value is None else json.dumps(value)
        raise OverrideError(f"{name} is already {shown}; this override would change nothing")
    quote, document = (quote or "").strip(), (document or "").strip()
    if value is not None and quote and not document:
        raise OverrideError(
            "name the source document of the quote (a document of the case or "
            "the record you received)"
        )
    if value is not None and not quote:
        raise OverrideError("quote the record that shows the new value (its exact words)")
    titles = [d.title for d in current.case.documents]
    if (
        quote
        and document in titles
        and not quote_found(current.case.documents[titles.index(document)].text, quote)
    ):
        raise OverrideError(
            f"the quote is not in {document!r}: copy its exact words, or name the record it is in"
        )
    entry = OverrideEntry(
        name=name,
        old=old,
        new=value,
        reason=reason.strip(),
        reviewer=reviewer.strip(),
        time=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    if quote:
        entry["quote"] = quote
        entry["document"] = document
    return entry


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
    headings |= {section.heading: section.heading for section in drafted.sections}
    sections: list[LetterSection] = []
    for block in _blocks(body):
        if block[0] in headings or is_capitals_heading(block[0]):
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


def export(result: Result, text: str, suffix: str, audience: Audience = "provider") -> bytes:
    """The letter of `result` with the reviewer's edits `text`, in the format named by `suffix`
    (the member's copy without raw passage ids when `audience` is "member")."""
    letter = letter_from_text(result.letter_model, text)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"letter-{letter.case_id}{suffix}"
        path = export_letter(letter, target, audience)
        return path.read_bytes()


# ---------------------------------------------------------------- signing at finalization


class SignatureError(DeterminationError):
    """The letter cannot be signed as asked; the message says what to enter."""


_PHYSICIAN_CREDENTIALS = re.compile(r"\b(?:MD|DO|M\.D\.|D\.O\.)\b")


def sign(
    text: str,
    *,
    reviewer: str,
    credentials: str,
    physician: str | None = None,
) -> str:
    """The letter with its signature block filled: the reviewer, and for a denial the physician.

    A denial is made by a physician: without `physician`, the reviewer signs as the physician
    only when their credentials are MD or DO. Raises SignatureError naming what is missing.
    """
    if not reviewer.strip() or not credentials.strip():
        raise SignatureError("enter your name and credentials (e.g. RN, MD) to sign the letter")
    signed_reviewer = f"{reviewer.strip()}, {credentials.strip()}"
    out = text.replace(f"{REVIEWER_LABEL}: {UNSIGNED}", f"{REVIEWER_LABEL}: {signed_reviewer}")
    placeholder = f"{PHYSICIAN_LABEL}: {UNSIGNED}"
    if placeholder in out:
        who = (physician or "").strip()
        if not who:
            if not _PHYSICIAN_CREDENTIALS.search(credentials):
                raise SignatureError(
                    "a denial is made by a physician: enter the reviewing physician's name and "
                    "credentials (e.g. Dr. Ana Lee, MD)"
                )
            who = signed_reviewer
        out = out.replace(placeholder, f"{PHYSICIAN_LABEL}: {who}")
    return out


def unsigned(text: str) -> bool:
    """True while the letter's signature block still waits for a name."""
    return UNSIGNED in text
