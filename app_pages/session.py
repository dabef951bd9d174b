"""What the reviewer is working on, kept in `st.session_state` so no rerun or page switch loses it.

Keys: `base_result` (the determination on extracted facts), `result` (the current one, overrides
applied), `overrides` (list of OverrideEntry), `letter_draft` (the edited letter text),
`opened_version` (the audit version current when the case was opened), `last_change` (what the
latest override changed), `finalized` (the stored record after finalizing) and `reviewer_name`.
"""

from __future__ import annotations

import re
from typing import Any, cast

import streamlit as st

from app_pages import resources
from drafting.audit.record import OverrideEntry
from drafting.case.contract import Case
from drafting.pipeline import Result, determine
from drafting.review import Change, apply_overrides, changes

REVIEWER_WIDGET = "reviewer_input"
READING = re.compile(r"reading document (\d+) of (\d+)")
CREDENTIALS_WIDGET = "credentials_input"
# Symbols carry words too: headless browsers and many terminals show emoji as boxes.
OUTCOME_ICONS = {"approved": "✅ APPROVED", "denied": "❌ DENIED", "pended": "⏸️ PENDED"}
STATUS_LABELS = {
    "met": "✅ met",
    "not_met": "❌ not met",
    "not_documented": "❓ not documented",
    "not_applicable": "➖ not applicable",
}
# An exclusion or contraindication that is "met" does not apply; "not met" means it applies.
EXCLUSION_LABELS = {
    **STATUS_LABELS,
    "met": "✅ does not apply",
    "not_met": "❌ applies",
}
ABSENT_KINDS = ("exclusion", "contraindication")


def status_label(status: str, kind: str = "requirement") -> str:
    """The checklist label of a status; exclusions and contraindications read as applies / does
    not apply (only requirements are "met")."""
    if kind in ABSENT_KINDS and status == "not_met":
        return f"❌ {kind} applies"
    labels = EXCLUSION_LABELS if kind in ABSENT_KINDS else STATUS_LABELS
    return labels.get(status, status)


def current_result() -> Result | None:
    """The determination the reviewer is looking at (None before a case is opened)."""
    return cast(Result | None, st.session_state.get("result"))


def base_result() -> Result | None:
    """The determination on the facts as extracted, before any override."""
    return cast(Result | None, st.session_state.get("base_result"))


def overrides() -> list[OverrideEntry]:
    """The reviewer's overrides, oldest first."""
    return cast(list[OverrideEntry], st.session_state.setdefault("overrides", []))


def reviewer_name() -> str:
    """The reviewer's name as typed in the sidebar (kept across pages)."""
    return str(st.session_state.get("reviewer_name", "")).strip()


def reviewer_credentials() -> str:
    """The reviewer's credentials as typed in the sidebar (RN, MD, ...)."""
    return str(st.session_state.get("reviewer_credentials", "")).strip()


FORM_KEYS = ("form_", "notes_text", "case_json_text")


def keep_intake_form() -> None:
    """A half-typed request form survives a page switch: Streamlit drops a widget's state on a
    run that does not draw it, unless the value is written back on every run (every page)."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(FORM_KEYS):
            st.session_state[key] = st.session_state[key]


def reviewer_sidebar() -> None:
    """The reviewer-name and credentials boxes shown on every page; they survive page switches."""
    for widget, kept in (
        (REVIEWER_WIDGET, "reviewer_name"),
        (CREDENTIALS_WIDGET, "reviewer_credentials"),
    ):
        if widget not in st.session_state:
            st.session_state[widget] = st.session_state.get(kept, "")

    def keep() -> None:
        st.session_state["reviewer_name"] = st.session_state[REVIEWER_WIDGET]
        st.session_state["reviewer_credentials"] = st.session_state[CREDENTIALS_WIDGET]

    st.sidebar.text_input("Reviewer name", key=REVIEWER_WIDGET, on_change=keep)
    st.sidebar.text_input(
        "Credentials", key=CREDENTIALS_WIDGET, on_change=keep, placeholder="RN, MD, DO…"
    )
    keep()
    keep_intake_form()
    result = current_result()
    if result is not None:
        outcomes = ", ".join(f"{line.code} {line.decision}" for line in result.lines)
        st.sidebar.caption(f"Open case: **{result.case_id}** · {outcomes}")


def open_case(case: Case, source: str) -> Result:
    """Determine the case (status box while it runs) and make it the reviewer's working case."""
    current = resources.settings()
    client = resources.llm_client(current)
    sizes = ", ".join(f"{d.title} ({len(d.text):,} characters)" for d in case.documents)
    with st.status(f"Determining case {case.case_id}…", expanded=True) as status:
        if case.documents:
            st.caption(f"{len(case.documents)} document(s): {sizes}")
        bar = st.progress(0.0) if case.documents else None

        def progress(stage: str) -> None:
            status.update(label=f"Case {case.case_id}: {stage}…")
            st.caption(stage)  # each step stays listed in the status box
            reading = READING.match(stage)
            if reading and bar is not None:
                number, count = int(reading[1]), int(reading[2])
                bar.progress((number - 1) / count, text=stage)
            elif stage.startswith("deciding") and bar is not None:
                bar.progress(1.0, text="every document read")

        result = determine(case, current, client=client, progress=progress)
        outcomes = ", ".join(f"{line.code} {line.decision}" for line in result.lines)
        status.update(label=f"Case {case.case_id} determined: {outcomes}", state="complete")
    version = resources.audit_store().current_version(case.case_id)
    state: dict[str, Any] = {
        "base_result": result,
        "result": result,
        "overrides": [],
        "letter_draft": result.letter.text,
        "opened_version": version,
        "case_source": source,
        "last_change": None,
        "finalized": None,
        SUPERSEDED_DRAFT: None,
    }
    st.session_state.update(state)
    st.session_state.pop("letter_editor", None)
    return result


SUPERSEDED_DRAFT = "superseded_letter_draft"


def recompute(new_overrides: list[OverrideEntry]) -> list[Change]:
    """Re-decide on extracted facts plus `new_overrides`; keep them and reset the letter draft.

    An edited draft is not thrown away: it is kept as the superseded draft the Letter page offers
    to restore.
    """
    base = base_result()
    before = current_result()
    assert base is not None and before is not None, "open a case first"
    current = resources.settings()
    with st.spinner("Re-deciding on the corrected facts…"):
        after = apply_overrides(base, new_overrides, current, client=resources.llm_client(current))
    diff = changes(before, after)
    draft = st.session_state.get("letter_draft")
    if draft and str(draft).strip() != before.letter.text.strip():
        # the reviewer's edits belong to the old decision: keep them for the Letter page to offer
        st.session_state[SUPERSEDED_DRAFT] = draft
    st.session_state["overrides"] = new_overrides
    st.session_state["result"] = after
    st.session_state["last_change"] = diff
    set_letter_draft(after.letter.text)
    return diff


def set_letter_draft(text: str) -> None:
    """Replace the letter draft (the editor shows it on its next run)."""
    st.session_state["letter_draft"] = text
    st.session_state.pop("letter_editor", None)


def letter_draft() -> str:
    """The letter text as the reviewer last left it."""
    result = current_result()
    fallback = result.letter.text if result is not None else ""
    return str(st.session_state.get("letter_draft") or fallback)


def require_case() -> Result | None:
    """The open case's result, or a hint to open one (the caller stops when None)."""
    result = current_result()
    if result is None:
        st.info("No case is open. Open one on the Intake page.")
        st.page_link("app_pages/intake.py", label="Go to Intake", icon="📥")
    return result
