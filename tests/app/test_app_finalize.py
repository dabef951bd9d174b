"""The reviewer app after review: finalize and history (read-only reopen, a second reviewer's
conflict, amendments), the search page, the highlight and edited-letter helpers, and the issue-14
review screens. Intake, review and the letter page are tests/app/test_app.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drafting.case.loaders import load_case
from drafting.pipeline import determine
from tests.app.app_steps import (
    GOLD,
    PENDED_FOR_PT,
    PT_FACT,
    finalize,
    new_app,
    open_sample,
    override,
    page,
    texts,
)


def test_finalize_requires_a_reviewer_name() -> None:
    at = page(open_sample(new_app(reviewer=None), "G02"), "finalize")
    assert at.button(key="finalize").disabled
    assert any("name" in message for message in texts(at.warning))


def test_finalize_then_reopen_read_only_from_history() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "review")
    override(at, PT_FACT, "true", "PT discharge summary received by fax")
    finalize(at)
    final_letter = at.session_state["letter_draft"]  # signed at finalization
    assert "Reviewer: Dr. Rivera, MD" in final_letter
    confirmation = texts(at.success)
    assert any(f"Finalized case {PENDED_FOR_PT} as version 1" in m for m in confirmation)
    page(at, "history")
    assert at.selectbox(key="history_record").options
    at.button(key="open_record").click().run()
    assert not at.exception
    assert any("read-only" in h for h in texts(at.header))
    letter_box = at.text_area(key="history_letter")
    assert letter_box.disabled and letter_box.value == final_letter
    tables = "\n".join(texts(at.markdown))
    assert PT_FACT in tables and "PT discharge summary received by fax" in tables


def test_second_reviewer_finalizing_the_same_case_gets_the_conflict() -> None:
    first = open_sample(new_app("Dr. First"), "G02")
    second = open_sample(new_app("Dr. Second"), "G02")
    finalize(first)
    assert any("as version 1" in message for message in texts(first.success))
    finalize(second)
    errors = texts(second.error)
    assert any("finalized by Dr. First" in m and "while you were reviewing" in m for m in errors)
    assert not any("Finalized case" in message for message in texts(second.success))


def test_finalizing_again_is_an_amendment_that_needs_a_reason() -> None:
    at = open_sample(new_app(), "G02")
    finalize(at)
    at.button(key="finalize").click().run()
    assert any("reason for the amendment" in message for message in texts(at.error))
    at.text_input(key="amendment_reason").set_value("corrected the letter's wording")
    at.button(key="finalize").click().run()
    assert any("as version 2" in message for message in texts(at.success)), texts(at.success)


def test_search_page_opens_the_index_once_and_shows_hits(
    monkeypatch: pytest.MonkeyPatch, no_index_build: list[str]
) -> None:
    from retrieval.search import Hit

    guideline_passages = list(determine(load_case(GOLD / "G02.json")).passages.values())
    opened: list[str] = []

    class Stats:
        passages = len(guideline_passages)

    def ensure_index() -> Stats:
        opened.append("ensure_index")
        return Stats()

    def search(query: str, k: int = 8, section: str | None = None) -> list[Hit]:
        chosen = guideline_passages[:k]
        return [Hit(passage=p, score=1.0, bm25_rank=1, dense_rank=None) for p in chosen]

    fake_search: Callable[..., list[Hit]] = search
    monkeypatch.setattr("retrieval.index.ensure_index", ensure_index)
    monkeypatch.setattr("retrieval.search.search", fake_search)
    at = page(new_app(), "search")
    assert any(f"{len(guideline_passages)} guideline passages" in t for t in texts(at.markdown))
    at.text_input(key="q").set_value("epidural steroid injection").run()
    assert len(at.expander) == min(8, len(guideline_passages))
    page(at, "intake")
    page(at, "search")
    assert opened == ["ensure_index"]


def test_highlight_escapes_the_document_and_marks_the_quote() -> None:
    from app_pages.highlight import highlighted_html

    text = "Note <script>alert(1)</script>\nVAS 7/10 &  worse\nwith  sitting."
    html = highlighted_html(text, "worse with sitting.")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark id="quote">worse\nwith  sitting.</mark>' in html
    assert "<mark" not in highlighted_html(text, "not in the note")


def test_edited_letter_keeps_identifiers_and_reads_the_body() -> None:
    from drafting.review import letter_from_text

    letter = determine(load_case(GOLD / "G02.json")).letter_model
    assert letter_from_text(letter, letter.to_text()) is letter
    first = letter.sections[0]
    edited = letter.to_text().replace(first.paragraphs[0], "A paragraph the reviewer rewrote.")
    rebuilt = letter_from_text(letter, edited)
    assert rebuilt.lines == letter.lines and rebuilt.case_id == letter.case_id
    assert rebuilt.sections[0].heading == first.heading
    assert rebuilt.sections[0].paragraphs[0] == "A paragraph the reviewer rewrote."
    assert [s.heading for s in rebuilt.sections] == [s.heading for s in letter.sections]


def test_item1_a_contraindication_that_does_not_apply_never_reads_as_met() -> None:
    at = page(open_sample(new_app(), "G01"), "review")
    labels = [expander.label for expander in at.expander]
    cleared = [
        label
        for label in labels
        if label.split(" — ")[-1].startswith(("Contraindication", "Exclusion"))
    ]
    assert cleared and all("does not apply" in label for label in cleared), cleared
    assert not [label for label in labels if "met — Contraindication" in label]


def test_item2_history_shows_the_letter_of_the_record_opened() -> None:
    at = open_sample(new_app(), "G02")
    finalize(at)
    open_sample(page(at, "intake"), "G01")
    finalize(at)
    page(at, "history")
    from drafting.audit.schema import audit_url_from_environment
    from drafting.audit.store import AuditStore

    store = AuditStore(audit_url_from_environment())
    summaries = store.history(limit=10)
    assert len(summaries) == 2
    for summary in [*summaries, *summaries]:  # each one opened after the other
        at.selectbox(key="history_record").set_value(summary.record_id)
        at.button(key="open_record").click().run()
        record = store.get(summary.record_id)
        assert any(record.case_id in h for h in texts(at.header))
        assert at.text_area(key="history_letter").value == record.letter_text


def test_item3_a_paste_past_the_readers_limit_is_one_line_not_a_traceback() -> None:
    at = new_app()
    at.text_area(key="notes_text").set_value("Low back pain radiating to the leg. " * 30_000)
    at.text_input(key="form_code_1").set_value("64483")
    at.text_input(key="form_diagnoses").set_value("M54.16")
    at.button(key="open_notes").click().run()
    assert not at.exception, at.exception
    errors = texts(at.error)
    assert len(errors) == 1 and "at most 1,000,000" in errors[0] and "\n" not in errors[0]


def test_intake_asks_for_letter_identifiers_keeps_a_half_typed_form_and_refuses_two_jsons() -> None:
    at = new_app()
    at.text_input(key="form_member_name").set_value("Ana Ruiz")
    at.text_input(key="form_provider_npi").set_value("1234567893").run()
    page(at, "history")
    page(at, "intake")
    assert at.text_input(key="form_member_name").value == "Ana Ruiz"
    at.file_uploader(key="case_json_file").set_value(
        ("case.json", (GOLD / "G01.json").read_bytes(), "application/json")
    )
    at.text_area(key="case_json_text").set_value((GOLD / "G02.json").read_text())
    at.button(key="open_json").click().run()
    assert any("Both a file and pasted JSON" in m for m in texts(at.error))
