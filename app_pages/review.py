"""Case review page: each line's outcome and criteria checklist (with guideline quotes and
passages), the facts with their quotes highlighted in the documents, and reviewer overrides that
re-decide the case at once and show what changed."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app_pages import session
from app_pages.highlight import highlighted_html
from app_pages.tables import markdown_table, md
from drafting.errors import DeterminationError
from drafting.result import CriterionOutcome, LineOutcome, Result
from drafting.review import (
    VALUE_HELP,
    Change,
    OverrideError,
    new_entry,
    overridable_fact_names,
)


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _criterion(result: Result, criterion: CriterionOutcome) -> None:
    shown = session.status_label(criterion.status, criterion.kind)
    prefix = "Exclusion: " if criterion.kind == "exclusion" else ""
    with st.expander(f"{shown} — {prefix}{criterion.title}"):
        st.markdown(f"**{shown}**: {md(criterion.reason)}")
        st.markdown(f"> {criterion.quote}")
        if criterion.missing:
            st.warning("Not documented: " + ", ".join(f"`{name}`" for name in criterion.missing))
        for evidence in criterion.evidence:
            st.caption(f"Record (document {evidence.document}): “{md(evidence.quote)}”")
        for passage_id in criterion.passages:
            passage = result.passages.get(passage_id)
            st.caption(f"Guideline passage `{passage_id}`")
            if passage is not None:
                st.text(passage.text)


def _line(result: Result, line: LineOutcome, show_all: bool) -> None:
    icon = session.OUTCOME_ICONS[line.decision]
    st.subheader(f"{icon} {line.code}: {line.decision}")
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
        _criterion(result, criterion)


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
            + "\n".join(f"- `{name}` ({code}: {title})" for name, code, title in missing)
        )
    titles = [doc.title for doc in result.case.documents]
    rows = [
        {
            "fact": name,
            "value": _show(fact.get("value")),
            "quote": fact.get("quote") or "",
            "document": titles[fact["document"]]
            if isinstance(fact.get("document"), int) and fact["document"] < len(titles)
            else "",
        }
        for name, fact in sorted(result.facts.items())
    ]
    st.markdown(markdown_table(rows))
    quoted = [row["fact"] for row in rows if row["quote"]]
    if not result.case.documents:
        return
    picked = st.selectbox("Show a fact's quote in its document", quoted, key="fact_to_show")
    fact = result.facts.get(picked or "", {})
    where = fact.get("document")
    index = where if isinstance(where, int) and 0 <= where < len(titles) else 0
    document = result.case.documents[index]
    dated = f" ({document.date})" if document.date else ""
    st.caption(f"Document {index}: {md(document.title)}{dated}")
    st.html(highlighted_html(document.text, fact.get("quote")))


def _show_change(change_list: list[Change]) -> None:
    st.subheader("What the last override changed")
    for change in change_list:
        before, after = change["before"], change["after"]
        arrow = f"{session.OUTCOME_ICONS[before]} {before} → {session.OUTCOME_ICONS[after]} {after}"
        text = f"**{change['code']}**: {arrow}" + ("" if before != after else " (unchanged)")
        st.markdown(text)
        for _id, title, old, new in change["criteria"]:
            st.markdown(
                f"- {title}: {session.STATUS_LABELS.get(old, old)} → "
                f"{session.STATUS_LABELS.get(new, new)}"
            )


def _override_form(result: Result) -> None:
    st.header("Override a fact")
    names = overridable_fact_names()
    missing = [name for name, _code, _title in _needed_but_missing(result) if name in names]
    ordered = list(dict.fromkeys([*missing, *sorted(result.facts), *names]))
    ordered = [name for name in ordered if name in names]
    name = st.selectbox("Fact", ordered, key="override_fact")
    current = result.facts.get(name or "")
    st.caption(
        "Current value: " + (f"`{_show(current.get('value'))}`" if current else "not documented")
    )
    value_text = st.text_input("New value", key="override_value", help=VALUE_HELP)
    reason = st.text_input("Reason (required)", key="override_reason")
    if st.button("Apply override", key="apply_override", type="primary"):
        try:
            entry = new_entry(result, name or "", value_text, reason, session.reviewer_name())
            session.recompute([*session.overrides(), entry])
        except (OverrideError, DeterminationError) as error:
            st.error(str(error), icon="⚠️")
            return
        st.rerun()
    entries = session.overrides()
    if entries:
        st.subheader("Overrides")
        rows = [{**e, "old": _show(e["old"]), "new": _show(e["new"])} for e in entries]
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
    for line in result.lines:
        _line(result, line, show_all)
    _facts(result)
    _override_form(result)


render()
