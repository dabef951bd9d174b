"""Letter page: the draft (editable), its citations with the passages, the linter's findings
re-run on every edit, regenerate from the current facts, and export to .md/.docx/.pdf."""

from __future__ import annotations

import streamlit as st

from app_pages import resources, session
from drafting.lint.linter import BLOCKING_KINDS, Finding
from drafting.pipeline import Result
from drafting.review import export, relint

EDITOR = "letter_editor"
MIME = {
    ".md": "text/markdown",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def _findings(findings: list[Finding]) -> None:
    st.subheader("Linter")
    if not findings:
        st.success("Linter: no findings.")
        return
    for finding in findings:
        where = f" ({finding.line_code})" if finding.line_code else ""
        text = f"**{finding.kind}**{where}: {finding.message}"
        if finding.excerpt:
            text += f"\n\n> {finding.excerpt}"
        if finding.kind in BLOCKING_KINDS:
            st.error(text)
        else:
            st.info(text)


def _citations(result: Result) -> None:
    st.subheader("Citations")
    for passage_id in result.letter_model.citations:
        passage = result.passages.get(passage_id) or resources.guideline().passages.get(passage_id)
        with st.expander(f"`{passage_id}`" + (f" — {passage.title}" if passage else "")):
            st.text(passage.text if passage else "This passage is not in the guideline.")


def _exports(result: Result, text: str) -> None:
    st.subheader("Export")
    audience = st.radio(
        "Copy for",
        ["provider", "member"],
        horizontal=True,
        key="export_audience",
        help="The member's copy leaves out the guideline passage ids the provider's copy cites.",
    )
    columns = st.columns(len(MIME))
    for column, (suffix, mime) in zip(columns, MIME.items(), strict=True):
        with column:
            st.download_button(
                f"Download {suffix}",
                data=(lambda s=suffix, a=audience: export(result, text, s, a)),  # type: ignore[misc]
                file_name=f"letter-{result.case_id}-{audience}{suffix}",
                mime=mime,
                key=f"download{suffix}",
                on_click="ignore",
            )


def render() -> None:
    """The Letter page."""
    result = session.require_case()
    if result is None:
        return
    st.title(f"Letter for case {result.case_id}")
    source = result.letter.source
    st.caption(f"Drafted by: {source}" + (f" ({result.model})" if source == "llm" else ""))
    if result.letter.fallback_reason:
        st.warning(f"The template letter stands: {result.letter.fallback_reason}")
    superseded = st.session_state.get(session.SUPERSEDED_DRAFT)
    if superseded:
        st.warning(
            "The letter was re-drafted for the current decision, so your edits are no longer in "
            "the editor. Your edited text is kept below: restore it, or copy from it."
        )
        with st.expander("Your edited text (before the re-draft)"):
            st.text(superseded)
        if st.button("Restore my edited text", key="restore_draft"):
            session.set_letter_draft(str(superseded))
            st.session_state[session.SUPERSEDED_DRAFT] = None
            st.rerun()
    if EDITOR not in st.session_state:
        st.session_state[EDITOR] = session.letter_draft()

    def keep() -> None:
        st.session_state["letter_draft"] = st.session_state[EDITOR]

    left, right = st.columns([3, 2])
    with left:
        text = st.text_area("Letter (editable)", key=EDITOR, height=600, on_change=keep)
        st.session_state["letter_draft"] = text
        edited = text.strip() != result.letter.text.strip()
        st.caption("Edited by the reviewer." if edited else "As drafted.")
        if st.button("Regenerate from current facts", key="regenerate"):
            session.recompute(session.overrides())
            st.session_state.pop("last_change", None)
            st.rerun()
    with right:
        _findings(relint(result, text))
        _citations(result)
    _exports(result, text)


render()
