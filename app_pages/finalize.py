"""Finalize page: the reviewer (name required) stores the case in the audit trail: facts with
every override and reason, each line's decision and trace, the final letter and its sha256.
A case someone else finalized after this reviewer opened it gets the store's conflict message."""

from __future__ import annotations

import streamlit as st

from app_pages import resources, session
from app_pages.tables import markdown_table, md
from drafting.audit.models import FinalizeConflictError, StoredRecord, format_utc, sha256_hex
from drafting.audit.record import build_record
from drafting.errors import DeterminationError
from drafting.lint.linter import blocking
from drafting.review import relint, sign


def _confirmation(stored: StoredRecord) -> None:
    st.success(
        f"Finalized case {stored.case_id} as version {stored.version} (audit record "
        f"{stored.record_id}) by {md(stored.reviewer)} at {format_utc(stored.finalized_at)}."
    )
    st.caption(f"Letter sha256 {stored.letter_sha256}")
    st.page_link("app_pages/history.py", label="See it in History", icon="🗂️")


def render() -> None:
    """The Finalize page."""
    result = session.require_case()
    if result is None:
        return
    st.title(f"Finalize case {result.case_id}")
    text = session.letter_draft()
    opened = st.session_state.get("opened_version")
    rows = [{"code": line.code, "decision": line.decision} for line in result.lines]
    st.markdown(markdown_table(rows))
    overrides = session.overrides()
    st.markdown(f"**Overrides:** {len(overrides)} · **Letter sha256:** `{sha256_hex(text)}`")
    st.caption(
        f"Guideline {result.guideline.id} {result.guideline.version} · extractor "
        f"{result.extractor} · drafter {result.drafter}"
        + (f" · model {result.model}" if result.model else "")
    )
    findings = blocking(relint(result, text))
    if findings:
        st.warning(
            f"The letter has {len(findings)} linter finding(s) (see the Letter page); "
            "finalizing stores it as it is."
        )
    amendment = None
    if opened is not None:
        st.info(f"This case was already finalized (version {opened}); finalizing amends it.")
        amendment = st.text_input("Reason for the amendment (required)", key="amendment_reason")
    reviewer = session.reviewer_name()
    credentials = session.reviewer_credentials()
    if not reviewer or not credentials:
        st.warning("Enter your name and credentials as reviewer in the sidebar to finalize.")
    physician = None
    if "denied" in result.outcomes:
        physician = st.text_input(
            "Reviewing physician who made the denial (name, credentials)",
            key="physician_signature",
            help="Left empty, you sign as the physician when your credentials are MD or DO.",
        )
    ready = bool(reviewer and credentials)
    if st.button("Finalize", key="finalize", type="primary", disabled=not ready):
        if opened is not None and not (amendment or "").strip():
            st.error("Give the reason for the amendment before finalizing again.", icon="⚠️")
            return
        try:
            signed = sign(text, reviewer=reviewer, credentials=credentials, physician=physician)
            record = build_record(
                result,
                overrides,
                reviewer=reviewer,
                letter_text=signed,
                amendment_reason=(amendment or "").strip() or None,
            )
            stored = resources.audit_store().finalize(record, expected_version=opened)
        except FinalizeConflictError as error:
            st.error(str(error), icon="⛔")
            return
        except DeterminationError as error:
            st.error(str(error), icon="⚠️")
            return
        st.session_state["finalized"] = stored
        st.session_state["opened_version"] = stored.version
        session.set_letter_draft(signed)
    stored_now = st.session_state.get("finalized")
    if isinstance(stored_now, StoredRecord) and stored_now.case_id == result.case_id:
        _confirmation(stored_now)


render()
