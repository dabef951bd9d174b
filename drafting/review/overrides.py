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
from datetime import UTC, datetime
from typing import Any, TypedDict

from pydantic import ValidationError

from criteria.facts import DERIVED_FACTS, CaseFacts, Evidence, fact_names
from drafting.audit.record import OverrideEntry
from drafting.case.contract import Case, Document
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from drafting.pipeline import redecide
from drafting.result import Result
from drafting.review.nested import (
    VALUE_HELP,
    OverrideError,
    _set_nested,
    is_nested,
    nested_list,
    nested_value,
)
from guideline_corpus.corpus import normalize_ws


class Change(TypedDict):
    """What a re-decision changed on one line."""

    code: str
    before: str
    after: str
    criteria: list[tuple[str, str, str, str]]  # (id, title, status before, status after)


def overridable_fact_names() -> list[str]:
    """Fact names a reviewer may set: the clinical facts, not request/line or derived names."""
    return [
        name
        for name in fact_names()
        if not name.startswith(("line.", "request.")) and name not in DERIVED_FACTS
    ]


# A field of one event: "imaging.studies[0].modality", "imaging.studies[0].findings[1].herniation",
# "procedures.prior[2].relief_percent". An index one past the end adds a new event.


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
        if is_nested(entry["name"]):
            where = [Evidence(quote=quote, document=index)] if quote and index is not None else []
            _set_nested(facts, entry["name"], value, where)
        elif (
            value is not None and not isinstance(value, list | dict) and quote and index is not None
        ):
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
    nested = is_nested(name)
    if nested_list(name) not in overridable_fact_names():
        raise OverrideError(f"{name!r} is not a fact a reviewer can set; pick one from the list")
    value = parse_value(value_text)
    trial = current.case_facts.model_copy(deep=True)  # validate before keeping it
    if nested:
        _set_nested(trial, name, value, [])
        old = nested_value(current.case_facts, name)
    else:
        _set(trial, name, value)
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
