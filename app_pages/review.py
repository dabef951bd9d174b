"""Case review page: each line's outcome and criteria checklist (with guideline quotes and
passages), the facts with their quotes highlighted in the documents, and reviewer overrides that
re-decide the case at once and show what changed."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app_pages import session
from app_pages.highlight import highlighted_html, whole_sentence
from app_pages.tables import markdown_table, md
from drafting.errors import DeterminationError
from drafting.letters.text import fact_phrase, plain_value
from drafting.result import CriterionOutcome, LineOutcome, Result
from drafting.review import (
    EVENT_LIST_FACTS,
    NESTED_VIA,
    VALUE_HELP,
    Change,
    OverrideError,
    deciding_evidence,
    event_choices,
    event_fields,
    is_nested,
    nested_list,
    nested_value,
    new_entry,
    overridable_fact_names,
)
from guideline_corpus.corpus import normalize_ws

WHOLE_LIST = "__whole_list__"


def _show(value: Any) -> str:
    """A fact value in words: yes/no, numbers, dates, lists, and records as 'field: value'."""
    if isinstance(value, dict):
        return "; ".join(
            f"{k.replace('_', ' ')}: {_show(v)}" for k, v in value.items() if v is not None
        )
    if isinstance(value, list):
        return " | ".join(_show(v) for v in value) if value else "none"
    said = plain_value(value)
    return said if said is not None else json.dumps(value, ensure_ascii=False)


def _label(name: str) -> str:
    """A fact's human label: its plain words, the dotted name kept small for reference."""
    return fact_phrase(name)[:1].upper() + fact_phrase(name)[1:]


def _overridden() -> set[str]:
    """Names of facts an override changed; a study's change shows on the findings too."""
    names = {nested_list(entry["name"]) for entry in session.overrides()}
    return names | {derived for derived, via in NESTED_VIA.items() if via in names}


def _override_quotes() -> set[str]:
    return {" ".join(str(e.get("quote") or "").split()).lower() for e in session.overrides()}


def _shown_quote(result: Result, quote: str, document: int) -> str:
    """The quote as shown: the whole sentence it sits in (never cut mid-sentence)."""
    documents = result.case.documents
    return (
        whole_sentence(documents[document].text, quote) if 0 <= document < len(documents) else quote
    )


def _evidence(
    result: Result, index: int, criterion: CriterionOutcome
) -> list[tuple[str, int, bool]]:
    """The quotes that decided the criterion, each once, widened to whole sentences, and
    whether an override gave it."""
    seen: set[str] = set()
    kept: list[tuple[str, int, bool]] = []
    by_override = _override_quotes()
    for evidence in deciding_evidence(result, index, criterion.id):
        quote = _shown_quote(result, evidence.quote, evidence.document)
        key = normalize_ws(quote).lower()
        if not key or key in seen:
            continue
        seen.add(key)
        from_override = " ".join(evidence.quote.split()).lower() in by_override
        kept.append((quote, evidence.document, from_override))
    return kept


def _reads_override(result: Result, index: int, criterion: CriterionOutcome) -> bool:
    decisions = result.context.decisions
    if not 0 <= index < len(decisions):
        return False
    used = next((set(c.facts) for c in decisions[index].criteria if c.id == criterion.id), set())
    return bool(used & _overridden())


def _criterion(result: Result, index: int, criterion: CriterionOutcome) -> None:
    shown = session.status_label(criterion.status, criterion.kind)
    prefix = {"exclusion": "Exclusion: ", "contraindication": "Contraindication: "}.get(
        criterion.kind, ""
    )
    marked = " (override)" if _reads_override(result, index, criterion) else ""
    with st.expander(f"{shown} — {prefix}{criterion.title}{marked}"):
        st.markdown(f"**{shown}**: {md(criterion.reason)}")
        st.markdown(f"> {criterion.quote}")
        if criterion.missing:
            st.warning("Not documented: " + "; ".join(_label(name) for name in criterion.missing))
        titles = [d.title for d in result.case.documents]
        for quote, document, from_override in _evidence(result, index, criterion):
            where = titles[document] if 0 <= document < len(titles) else f"document {document}"
            tag = " (override)" if from_override else ""
            st.caption(f"Record ({md(where)}){tag}: “{md(quote)}”")
        for passage_id in criterion.passages:
            passage = result.passages.get(passage_id)
            st.caption(f"Guideline passage `{passage_id}`")
            if passage is not None:
                st.markdown(passage.text)


def _line(result: Result, index: int, line: LineOutcome, show_all: bool) -> None:
    icon = session.OUTCOME_ICONS[line.decision]
    st.subheader(f"{line.code}: {icon}")
    if line.follows:
        st.caption(f"Follows the decision of line {line.follows}.")
    for reason in line.reasons:
        st.markdown(f"- {md(reason)}")
    if line.missing_info:
        st.warning("Information needed: " + md(" ".join(line.missing_info)))
    shown = [c for c in line.criteria if show_all or c.status != "not_applicable"]
    counts = {s: sum(c.status == s for c in line.criteria) for s in session.STATUS_LABELS}
    st.caption(" · ".join(f"{session.STATUS_LABELS[s]}: {n}" for s, n in counts.items()))
    for criterion in shown:
        _criterion(result, index, criterion)


def _needed_but_missing(result: Result) -> list[tuple[str, str, str]]:
    """(fact, line code, criterion title) for every not-documented fact a line needs."""
    return [
        (name, line.code, criterion.title)
        for line in result.lines
        for criterion in line.criteria
        if criterion.status == "not_documented"
        for name in criterion.missing
    ]


def _facts(result: Result) -> None:
    st.header("Facts")
    missing = _needed_but_missing(result)
    if missing:
        st.error(
            "**Not documented, and a line needs it:**\n"
            + "\n".join(
                f"- {_label(name)} (`{name}`; {code}: {title})" for name, code, title in missing
            )
        )
    titles = [doc.title for doc in result.case.documents]
    overridden = _overridden()
    rows = [
        {
            "fact": _label(name) + (" (override)" if name in overridden else ""),
            "value": _show(fact.get("value")),
            "quote": _shown_quote(result, fact["quote"], fact["document"])
            if fact.get("quote") and isinstance(fact.get("document"), int)
            else fact.get("quote") or "",
            "document": titles[fact["document"]]
            if isinstance(fact.get("document"), int) and fact["document"] < len(titles)
            else "",
        }
        for name, fact in sorted(result.facts.items())
    ]
    st.markdown(markdown_table(rows))
    quoted = [name for name, fact in sorted(result.facts.items()) if fact.get("quote")]
    if not result.case.documents:
        return
    picked = st.multiselect(
        "Highlight facts' quotes in the documents",
        quoted,
        default=quoted[:1],
        format_func=_label,
        key="facts_to_show",
    )
    by_document: dict[int, list[str]] = {}
    for name in picked:
        fact = result.facts.get(name, {})
        where = fact.get("document")
        index = where if isinstance(where, int) and 0 <= where < len(titles) else 0
        quote = str(fact.get("quote") or "")
        by_document.setdefault(index, []).append(_shown_quote(result, quote, index))
    for index, quotes in sorted(by_document.items()) or [(0, [])]:
        document = result.case.documents[index]
        dated = f" ({document.date})" if document.date else ""
        st.caption(f"Document {index}: {md(document.title)}{dated}")
        st.html(highlighted_html(document.text, quotes, anchor=f"quote-{index}"))


def _show_change(change_list: list[Change]) -> None:
    st.subheader("What the last override changed")
    for change in change_list:
        before, after = change["before"], change["after"]
        arrow = f"{session.OUTCOME_ICONS[before]} → {session.OUTCOME_ICONS[after]}"
        text = f"**{change['code']}**: {arrow}" + ("" if before != after else " (unchanged)")
        st.markdown(text)
        for _id, title, old, new in change["criteria"]:
            st.markdown(
                f"- {title}: {session.STATUS_LABELS.get(old, old)} → "
                f"{session.STATUS_LABELS.get(new, new)}"
            )


def _override_label(name: str) -> str:
    """A fact's label; for one event's field, the event as first shown and the field."""
    if not is_nested(name):
        return _label(name)
    path, _, field = name.rpartition(".")
    base = session.base_result()
    labels = dict(event_choices(base.case_facts, nested_list(name))) if base is not None else {}
    event = labels.get(path, path)
    return f"{_label(nested_list(name))}: {event}; {field.replace('_', ' ')}"


def _override_form(result: Result) -> None:
    st.header("Override a fact")
    names = [*overridable_fact_names(), *NESTED_VIA]
    missing = [name for name, _code, _title in _needed_but_missing(result) if name in names]
    ordered = list(dict.fromkeys([*missing, *sorted(result.facts), *names]))
    ordered = [name for name in ordered if name in names]
    name = st.selectbox(
        "Fact", ordered, key="override_fact", format_func=lambda n: f"{_label(n)} ({n})"
    )
    target = name or ""
    if target in EVENT_LIST_FACTS:
        if target in NESTED_VIA:
            st.caption("Findings belong to their study: pick the study's finding to change.")
        choices = dict(event_choices(result.case_facts, target))
        whole = [] if target in NESTED_VIA else [WHOLE_LIST]
        choices[WHOLE_LIST] = "The whole list (as a JSON value)"
        path = st.selectbox(
            "Study or event",
            [*[p for p in choices if p != WHOLE_LIST], *whole],
            key="override_event",
            format_func=lambda p: choices.get(p, p),
        )
        if path and path != WHOLE_LIST:
            field = st.selectbox(
                "Field",
                event_fields(path),
                key="override_field",
                format_func=lambda f: f.replace("_", " "),
            )
            target = f"{path}.{field}"
    if is_nested(target):
        old = nested_value(result.case_facts, target)
        st.caption("Current value: " + ("not documented" if old is None else _show(old)))
    else:
        current = result.facts.get(target)
        st.caption(
            "Current value: " + (f"{_show(current.get('value'))}" if current else "not documented")
        )
    value_text = st.text_input("New value", key="override_value", help=VALUE_HELP)
    reason = st.text_input("Reason (required)", key="override_reason")
    quote = st.text_input(
        "Quote from the record (required for a value; its exact words)", key="override_quote"
    )
    received = "A record received since (name it below)"
    titles = [d.title for d in result.case.documents]
    source = st.selectbox("Source document", [*titles, received], key="override_document")
    if source == received:
        source = st.text_input(
            "Name of the record received",
            key="override_new_document",
            placeholder="PT discharge summary, faxed 12/01/2026",
        )
    if st.button("Apply override", key="apply_override", type="primary"):
        try:
            entry = new_entry(
                result,
                target,
                value_text,
                reason,
                session.reviewer_name(),
                quote=quote,
                document=source,
            )
            session.recompute([*session.overrides(), entry])
        except (OverrideError, DeterminationError) as error:
            st.error(str(error), icon="⚠️")
            return
        st.rerun()
    entries = session.overrides()
    if entries:
        st.subheader("Overrides")
        rows = [
            {
                "fact": _override_label(e["name"]) + " (override)",
                "old": _show(e["old"]),
                "new": _show(e["new"]),
                "reason": e["reason"],
                "quote": e.get("quote", ""),
                "source": e.get("document", ""),
                "reviewer": e["reviewer"],
                "time": e["time"],
            }
            for e in entries
        ]
        st.markdown(markdown_table(rows))
        if st.button("Undo the last override", key="undo_override"):
            session.recompute(entries[:-1])
            st.rerun()


def render() -> None:
    """The Case review page."""
    result = session.require_case()
    if result is None:
        return
    st.title(f"Case {result.case_id}")
    st.caption(
        f"Guideline {result.guideline.title or result.guideline.id} (version "
        f"{result.guideline.version}) · extractor {result.extractor} · drafter {result.drafter}"
    )
    for flag in result.flags:
        st.warning(md(flag))
    last_change = st.session_state.get("last_change")
    if last_change:
        _show_change(last_change)
        if st.session_state.get(session.SUPERSEDED_DRAFT):
            st.info("The letter was re-drafted; your earlier edits are kept on the Letter page.")
    show_all = st.toggle("Show not-applicable criteria", key="show_not_applicable")
    for index, line in enumerate(result.lines):
        _line(result, index, line, show_all)
    _facts(result)
    _override_form(result)


render()
