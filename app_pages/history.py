"""History page: finalized records, newest first; any one opens read-only (verified against its
sha256 by the audit store)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app_pages import resources
from app_pages.session import status_label
from app_pages.tables import markdown_table, md
from drafting.audit.models import RecordSummary, StoredRecord, format_utc
from drafting.errors import DeterminationError
from drafting.letters.text import fact_phrase, plain_value


def _label(summary: RecordSummary) -> str:
    lines = ", ".join(f"{line.code} {line.decision}" for line in summary.lines)
    return (
        f"#{summary.record_id} · {summary.case_id} v{summary.version} · {summary.reviewer} · "
        f"{format_utc(summary.finalized_at)} · {lines}"
    )


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(_words(v) for v in value) if value else "none"
    said = plain_value(value)
    return said if said is not None else json.dumps(value, ensure_ascii=False)


def _trace_table(trace: Any) -> str:
    """A line's stored trace as a readable table: criterion, status in words, reason."""
    criteria = trace.get("criteria", []) if isinstance(trace, dict) else []
    rows = [
        {
            "criterion": c.get("title", c.get("id", "")),
            "status": status_label(str(c.get("status", "")), str(c.get("kind", "requirement"))),
            "reason": c.get("reason", ""),
        }
        for c in criteria
        if isinstance(c, dict) and c.get("status") != "not_applicable"
    ]
    return markdown_table(rows)


def _show_record(record: StoredRecord) -> None:
    st.header(f"Case {record.case_id}, version {record.version} ({record.kind}) — read-only")
    st.markdown(
        f"Finalized by **{md(record.reviewer)}** at {format_utc(record.finalized_at)} under "
        f"guideline {record.guideline.id} {record.guideline.version}; extractor "
        f"{record.extractor.name}"
        + (f" ({record.extractor.model})" if record.extractor.model else "")
        + f"; drafter {record.drafter.name}"
        + (f" ({record.drafter.model})" if record.drafter.model else "")
    )
    if record.amendment_reason:
        st.markdown(f"Amendment reason: {md(record.amendment_reason)}")
    st.subheader("Decisions")
    for line in record.lines:
        with st.expander(f"{line.code}: {line.decision}", expanded=True):
            st.markdown(_trace_table(line.trace) or "No criteria trace.")
    st.subheader("Overrides")
    if record.overrides:
        rows = [
            {
                "fact": o.fact,
                "old": json.dumps(o.old_value),
                "new": json.dumps(o.new_value),
                "reason": o.reason,
                "reviewer": o.reviewer,
                "at": format_utc(o.at),
            }
            for o in record.overrides
        ]
        st.markdown(markdown_table(rows))
    else:
        st.caption("No overrides.")
    st.subheader("Letter")
    st.caption(f"sha256 {record.letter_sha256}")
    # the widget keeps its first value under one key: set it to this record's letter every time
    st.session_state["history_letter"] = record.letter_text
    st.text_area("Final letter", height=400, disabled=True, key="history_letter")
    with st.expander("Facts"):
        rows = [
            {
                "fact": fact_phrase(name),
                "value": _words(fact.value),
                "quote": fact.quote or "",
                "document": "" if fact.document is None else str(fact.document),
            }
            for name, fact in sorted(record.facts.items())
        ]
        st.markdown(markdown_table(rows))


def render() -> None:
    """The History page."""
    st.title("History")
    store = resources.audit_store()
    try:
        summaries = store.history(limit=200)
    except DeterminationError as error:
        st.error(str(error), icon="⚠️")
        return
    if not summaries:
        st.info("No case has been finalized yet.")
        return
    by_id = {summary.record_id: summary for summary in summaries}
    picked = st.selectbox(
        "Finalized records (newest first)",
        list(by_id),
        format_func=lambda record_id: _label(by_id[record_id]),
        key="history_record",
    )
    if st.button("Open record", key="open_record") and picked is not None:
        st.session_state["history_open"] = picked
    opened = st.session_state.get("history_open")
    if opened is None:
        return
    try:
        _show_record(store.get(int(opened)))
    except DeterminationError as error:
        st.error(str(error), icon="⚠️")


render()
