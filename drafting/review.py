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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypedDict

from pydantic import ValidationError

from criteria.compile import TRUE, Compiler, Context
from criteria.fact_values import fact_values
from criteria.facts import DERIVED_FACTS, EVENT_LISTS, CaseFacts, Event, Evidence, fact_names
from criteria.loader import CriteriaLibrary
from criteria.logic import Node, Not, Quantifier, Ref, Test
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


# ---------------------------------------------------------------- nested facts (events)

# A field of one event: "imaging.studies[0].modality", "imaging.studies[0].findings[1].herniation",
# "procedures.prior[2].relief_percent". An index one past the end adds a new event.
NESTED_NAME = re.compile(
    r"(?P<list>imaging\.studies|procedures\.prior|surgery\.prior)\[(?P<event>\d+)\]"
    r"(?:\.findings\[(?P<finding>\d+)\])?\.(?P<field>\w+)"
)
# imaging.findings is derived from the studies: a finding is overridden through its study
NESTED_VIA = {"imaging.findings": "imaging.studies"}
EVENT_LIST_FACTS = tuple(EVENT_LISTS)
_MODALITY = {"mri": "MRI", "ct": "CT", "ct_myelogram": "CT myelogram", "xray": "X-ray"}


def is_nested(name: str) -> bool:
    """A field of one event (study, finding, prior procedure or surgery)."""
    return NESTED_NAME.fullmatch(name) is not None


def nested_list(name: str) -> str:
    """The event list a nested name (or an event list, or imaging.findings) belongs to."""
    match = NESTED_NAME.fullmatch(name)
    list_name = match["list"] if match else name
    return NESTED_VIA.get(list_name, list_name)


def _event_label(event: Event) -> str:
    data = event.model_dump(mode="json", exclude={"evidence", "findings"}, exclude_none=True)
    modality = data.pop("modality", None)
    parts = [_MODALITY.get(modality, modality)] if modality else []
    parts += [
        ", ".join(v) if isinstance(v, list) else str(v)
        for k, v in data.items()
        if not isinstance(v, bool) and k in ("type", "region", "date", "level", "levels", "side")
    ]
    parts += [k.replace("_", " ") for k, v in data.items() if v is True]
    parts += [f"no {k.replace('_', ' ')}" for k, v in data.items() if v is False]
    return ", ".join(parts) or "no details"


def event_choices(facts: CaseFacts, name: str) -> list[tuple[str, str]]:
    """(path, label) of every event of the list `name` belongs to, and a new one of each kind.

    For imaging studies (and imaging.findings, derived from them) each study and each of its
    findings is a choice: "imaging.studies[0]", "imaging.studies[0].findings[1]".
    """
    list_name = nested_list(name)
    events: list[Event] = list(facts.get(list_name) or [])
    noun = {"imaging.studies": "Study", "procedures.prior": "Procedure", "surgery.prior": "Surgery"}
    choices: list[tuple[str, str]] = []
    for i, event in enumerate(events):
        path = f"{list_name}[{i}]"
        choices.append((path, f"{noun[list_name]} {i + 1}: {_event_label(event)}"))
        for j, finding in enumerate(getattr(event, "findings", [])):
            label = f"{noun[list_name]} {i + 1}, finding {j + 1}: {_event_label(finding)}"
            choices.append((f"{path}.findings[{j}]", label))
        if list_name == "imaging.studies":
            new_finding = f"{path}.findings[{len(getattr(event, 'findings', []))}]"
            choices.append((new_finding, f"{noun[list_name]} {i + 1}: a new finding"))
    choices.append((f"{list_name}[{len(events)}]", f"A new {noun[list_name].lower()}"))
    return choices


def event_fields(path: str) -> list[str]:
    """The fields a reviewer may set on the event at `path` (not its evidence or findings)."""
    model = EVENT_LISTS["imaging.findings" if ".findings[" in path else nested_list(path)]
    return [f for f in model.model_fields if f not in ("evidence", "findings")]


def _parts(facts: CaseFacts, name: str) -> tuple[str, list[Event], int, int | None, str]:
    """The event list, its events, the event index, the finding index and the field of a name."""
    match = NESTED_NAME.fullmatch(name)
    if match is None:
        raise OverrideError(f"{name!r} is not a field of an event; pick one from the list")
    list_name = match["list"]
    events: list[Event] = list(facts.get(list_name) or [])
    index = int(match["event"])
    if index > len(events):
        raise OverrideError(f"{list_name} has {len(events)} events; pick one from the list")
    finding = int(match["finding"]) if match["finding"] is not None else None
    return list_name, events, index, finding, match["field"]


def _findings(event: Event | None) -> list[Event]:
    return list(getattr(event, "findings", None) or [])


def nested_value(facts: CaseFacts, name: str) -> Any:
    """The current value of one event's field (None when the event or field is not there)."""
    _list, events, index, finding, field = _parts(facts, name)
    event: Event | None = events[index] if index < len(events) else None
    if finding is not None:
        found = _findings(event)
        event = found[finding] if finding < len(found) else None
    value = getattr(event, field, None) if event is not None else None
    return value.isoformat() if isinstance(value, date) else value


def _with_field(
    event: Event | None, model: type[Event], field: str, value: Any, evidence: list[Evidence]
) -> Event:
    if field not in model.model_fields or field in ("evidence", "findings"):
        raise OverrideError(f"{field!r} is not a field of this event; pick one from the list")
    data = event.model_dump(mode="json") if event is not None else {}
    data[field] = value
    data["evidence"] = [*(e.model_dump() for e in evidence), *data.get("evidence", [])]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise OverrideError(
            f"{field}: {json.dumps(value)} is not accepted ({first['msg']}); enter {VALUE_HELP}"
        ) from None


def _set_nested(facts: CaseFacts, name: str, value: Any, evidence: list[Evidence]) -> None:
    """Set one field of one event (a new event when the index is one past the end); the
    override's quote becomes the event's first evidence."""
    list_name, events, index, finding, field = _parts(facts, name)
    event = events[index] if index < len(events) else None
    model = EVENT_LISTS[list_name]
    if finding is None:
        changed = _with_field(event, model, field, value, evidence)
    else:
        found = _findings(event)
        if finding > len(found):
            raise OverrideError(f"that study has {len(found)} findings; pick one from the list")
        old = found[finding] if finding < len(found) else None
        found[finding : finding + 1] = [
            _with_field(old, EVENT_LISTS["imaging.findings"], field, value, evidence)
        ]
        changed = (event or model()).model_copy(update={"findings": found})
    events[index : index + 1] = [changed]
    facts.set(list_name, events)


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


# ---------------------------------------------------------------- evidence that decided


def _quantifiers(item_id: str, library: CriteriaLibrary) -> list[Quantifier]:
    """Every quantifier over an event list a criterion reads, through its definitions."""
    found: list[Quantifier] = []
    seen: set[str] = set()
    todo = [item_id]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            item = library.item(name)
        except KeyError:
            continue
        stack: list[Node] = [item.logic]
        while stack:
            node = stack.pop()
            if isinstance(node, Not):
                continue  # what must be absent selects no event
            if isinstance(node, Quantifier) and node.source in EVENT_LISTS:
                found.append(node)
            elif isinstance(node, Ref):
                todo.append(node.name)
            stack.extend(node.children())
    return found


def _event_evidence(facts: CaseFacts, source: str) -> list[list[Evidence]]:
    """Each event's evidence, in the order `criteria.fact_values` lists the events."""
    if source == "imaging.findings":
        return [
            list(finding.evidence or study.evidence)
            for study in facts.imaging.studies or []
            for finding in study.findings
        ]
    return [list(event.evidence) for event in facts.get(source) or []]


# fields that place an event (when, where, what kind) rather than say what it found
_CONTEXT_FIELDS = {
    "modality", "date", "region", "region_group", "level", "levels", "side", "type", "approach",
    "independent_radiologist", "purpose", "target",
}  # fmt: skip


def _tested_fields(node: Node) -> set[str]:
    return {n.name for n in node.walk() if isinstance(n, Test) and n.on_event}


def deciding_evidence(result: Result, line_index: int, criterion_id: str) -> list[Evidence]:
    """The criterion's evidence without the quotes of events that did not decide it.

    A criterion over an event list ("imaging shows root compression at the requested level") is
    decided by the events its condition holds for: when one holds, the quotes of the others
    ("L1-L2: No disc herniation") are not evidence of it. When none holds, only events that
    document a field the condition tests are kept. Quotes of other facts are all kept, each once.
    """
    decision = result.context.decisions[line_index]
    criterion = next((c for c in decision.criteria if c.id == criterion_id), None)
    if criterion is None:
        return []
    from drafting.pipeline import load_guideline

    library = load_guideline(result.guideline.id).library
    flat = fact_values(result.case_facts)
    values = {**flat.values, **criterion.facts}
    context = Context(values, result.case.received, {})
    matched: dict[str, list[bool]] = {}
    fields: dict[str, set[str]] = {}
    for node in _quantifiers(criterion_id, library):
        items = values.get(node.source)
        tested = _tested_fields(node.where) - _CONTEXT_FIELDS if node.where is not None else set()
        if not isinstance(items, list) or node.source not in criterion.facts or not tested:
            continue  # a condition on where or when an event was, not on what it found
        try:
            where = Compiler().fn(node.where) if node.where is not None else None
            marks = [where(context, item) == TRUE if where else True for item in items]
        except Exception:  # a condition that needs more than the event: keep every quote
            marks = [True] * len(items)
        before = matched.setdefault(node.source, [False] * len(items))
        matched[node.source] = [a or b for a, b in zip(before, marks, strict=True)]
        fields.setdefault(node.source, set()).update(tested)
    dropped: set[tuple[str, int]] = set()
    kept: set[tuple[str, int]] = set()
    for source, marks in matched.items():
        evidence = _event_evidence(result.case_facts, source)
        items = values[source]
        if len(evidence) != len(items):
            continue
        for item, mark, quotes in zip(items, marks, evidence, strict=True):
            documented = any(item.get(f) is not None for f in fields[source])
            relevant = mark if any(marks) else documented
            for quote in quotes:
                (kept if relevant else dropped).add((quote.quote, quote.document))
    out: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    for quote in criterion.evidence:
        key = (quote.quote, quote.document)
        if key in seen or (key in dropped and key not in kept):
            continue
        seen.add(key)
        out.append(quote)
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
