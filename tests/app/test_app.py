"""The reviewer app through streamlit.testing.v1.AppTest: every page, with the audit store and data
dir in tmp_path. Expected outcomes come from running the pipeline itself, not from constants."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from drafting.case.loaders import load_case
from drafting.pipeline import determine

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
GOLD = REPO / "eval" / "gold" / "cases"
TIMEOUT = 180
PENDED_FOR_PT = "G05"  # pended: physical-therapy outcome not documented
PT_FACT = "conservative.no_significant_improvement"


@pytest.fixture(autouse=True)
def app_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data dir and audit database in tmp_path; offline extractor and template drafter."""
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DETERMINE_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    for name in ("DETERMINE_EXTRACTOR", "DETERMINE_DRAFTER", "DETERMINE_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def no_index_build(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any page other than Search that opened the retrieval index would fail here."""
    calls: list[str] = []

    def refuse() -> Any:
        calls.append("ensure_index")
        raise AssertionError("the retrieval index was opened outside the Search page")

    monkeypatch.setattr("retrieval.index.ensure_index", refuse)
    return calls


def new_app(reviewer: str | None = "Dr. Rivera", credentials: str = "MD") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    if reviewer is not None:
        at.sidebar.text_input(key="reviewer_input").set_value(reviewer)
        at.sidebar.text_input(key="credentials_input").set_value(credentials).run()
    return at


def open_sample(at: AppTest, case_id: str) -> AppTest:
    at.selectbox(key="sample_choice").set_value(case_id).run()
    at.button(key="open_sample").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements: Any) -> list[str]:
    return [str(element.value) for element in elements]


RECEIVED = "A record received since (name it below)"
PT_QUOTE = "No significant improvement after 6 weeks of physical therapy."
PT_RECORD = "PT discharge summary, faxed"


def override(
    at: AppTest,
    fact: str,
    value: str,
    reason: str,
    quote: str = PT_QUOTE,
    document: str | None = PT_RECORD,
) -> AppTest:
    """Override a fact through the form; `document` not in the case is a record received since."""
    at.selectbox(key="override_fact").set_value(fact)
    at.text_input(key="override_value").set_value(value)
    at.text_input(key="override_reason").set_value(reason)
    at.text_input(key="override_quote").set_value(quote)
    titles = list(at.selectbox(key="override_document").options)
    if document in titles:
        at.selectbox(key="override_document").set_value(document).run()
    else:
        at.selectbox(key="override_document").set_value(RECEIVED).run()
        at.text_input(key="override_new_document").set_value(document or "")
    at.button(key="apply_override").click().run()
    assert not at.exception, at.exception
    return at


def finalize(at: AppTest) -> AppTest:
    page(at, "finalize")
    at.button(key="finalize").click().run()
    assert not at.exception, at.exception
    return at


# ------------------------------------------------------------------------------ intake + review


@pytest.mark.parametrize("case_id", ["G24", "G34"])
def test_sample_case_shows_each_line_outcome_and_checklist(case_id: str) -> None:
    expected = determine(load_case(GOLD / f"{case_id}.json"))
    at = open_sample(new_app(), case_id)
    assert any(case_id in message for message in texts(at.success))
    page(at, "review")
    headings = texts(at.subheader)
    for line in expected.lines:
        assert any(line.code in h and line.decision.upper() in h for h in headings), headings
    labels = [expander.label for expander in at.expander]
    statuses = {c.status for line in expected.lines for c in line.criteria}
    for status in statuses - {"not_applicable"}:
        wording = status.replace("_", " ")
        assert any(wording in label for label in labels), (status, labels)


def test_an_exclusion_that_applies_reads_as_applying_not_as_unmet() -> None:
    at = page(open_sample(new_app(), "G27"), "review")
    labels = [expander.label for expander in at.expander]
    bmi = [label for label in labels if "Body mass index over 40" in label]
    assert bmi and all("exclusion applies" in label and "Exclusion: " in label for label in bmi)
    cleared = [label for label in labels if "Exclusion: " in label and label not in bmi]
    assert cleared and all("not met" not in label for label in cleared), cleared


def test_review_marks_the_quote_in_its_document_and_flags_missing_facts() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "review")
    assert any(PT_FACT in message for message in texts(at.error))  # needed, not documented
    facts = at.multiselect(key="facts_to_show").value
    html = at.html[0].value
    assert "<mark" in html and "</mark>" in html
    assert facts


def test_override_redecides_and_shows_what_changed() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "review")
    before = texts(at.subheader)
    assert any("PENDED" in h for h in before), before
    override(at, PT_FACT, "true", "Faxed PT discharge: no improvement after 6 weeks")
    changed = [text for text in texts(at.markdown) if "→" in text]
    assert any("PENDED →" in text and "APPROVED" in text for text in changed), changed
    assert any("not documented → ✅ met" in text for text in changed), changed
    entries = at.session_state["overrides"]
    assert [(e["name"], e["old"], e["new"]) for e in entries] == [(PT_FACT, None, True)]
    assert entries[0]["reviewer"] == "Dr. Rivera" and entries[0]["reason"]
    # kept across page switches and reruns, re-applied on top of the extracted facts
    page(at, "letter")
    page(at, "review")
    assert any("APPROVED" in h for h in texts(at.subheader))
    assert len(at.session_state["overrides"]) == 1


def test_override_needs_a_reason_and_a_valid_value() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "review")
    override(at, PT_FACT, "true", "   ")
    assert any("reason is required" in message for message in texts(at.error))
    override(at, "pain.score", "very high", "typo in the note")
    assert any("pain.score" in message for message in texts(at.error))
    assert at.session_state["overrides"] == []


def test_override_without_reviewer_name_is_refused() -> None:
    at = page(open_sample(new_app(reviewer=None), PENDED_FOR_PT), "review")
    override(at, PT_FACT, "true", "PT notes")
    assert any("reviewer" in message for message in texts(at.error))


def test_case_json_upload_errors_are_shown_in_place() -> None:
    at = new_app()
    at.file_uploader(key="case_json_file").set_value(("case.json", b'{"case_id": ', "text/json"))
    at.button(key="open_json").click().run()
    assert any("case.json" in m and "invalid JSON" in m for m in texts(at.error)), texts(at.error)
    data = json.loads((GOLD / "G02.json").read_text())
    data["patient"]["weight"] = 80
    upload = ("bad.json", json.dumps(data).encode(), "application/json")
    at.file_uploader(key="case_json_file").set_value(upload)
    at.button(key="open_json").click().run()
    assert any("weight" in m for m in texts(at.error)), texts(at.error)
    assert "result" not in at.session_state


def test_notes_with_a_broken_pdf_show_the_message() -> None:
    at = new_app()
    at.file_uploader(key="notes_files").set_value(("scan.pdf", b"not a pdf", "application/pdf"))
    at.text_input(key="form_code_1").set_value("64483")
    at.button(key="open_notes").click().run()
    assert any("scan.pdf" in m and "PDF" in m for m in texts(at.error)), texts(at.error)


def test_notes_and_request_form_open_a_case() -> None:
    source = load_case(GOLD / "G02.json")
    at = new_app()
    at.text_area(key="notes_text").set_value("\n\n".join(d.text for d in source.documents))
    at.text_input(key="form_case_id").set_value("FORM-1")
    at.text_input(key="form_code_1").set_value("64483")
    at.selectbox(key="form_side_1").set_value("right")
    at.text_input(key="form_levels_1").set_value("L4-L5")
    at.text_input(key="form_diagnoses").set_value("M51.16, M54.16")
    at.button(key="open_notes").click().run()
    assert not at.exception and not at.error, texts(at.error)
    assert at.session_state["result"].case_id == "FORM-1"
    assert any("FORM-1" in message for message in texts(at.success))


# ------------------------------------------------------------------------------ letter


def test_letter_edit_reruns_the_linter_and_survives_page_switches() -> None:
    at = page(open_sample(new_app(), "G02"), "letter")
    assert "Linter: no findings." in texts(at.success)
    drafted = at.text_area(key="letter_editor").value
    assert drafted and "denied" in drafted.lower()
    edited = drafted.replace("DENIED (not medically necessary)", "APPROVED")
    assert edited != drafted
    at.text_area(key="letter_editor").set_value(edited).run()
    assert "Linter: no findings." not in texts(at.success)
    assert any("decision" in message for message in texts(at.error)), texts(at.error)
    page(at, "review")
    page(at, "letter")
    assert at.text_area(key="letter_editor").value == edited
    at.button(key="regenerate").click().run()
    regenerated = at.text_area(key="letter_editor").value
    assert regenerated == at.session_state["result"].letter.text != edited
    assert "Linter: no findings." in texts(at.success)


def test_an_override_after_editing_the_letter_keeps_the_edits_to_restore() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "letter")
    edited = at.text_area(key="letter_editor").value + "\nReviewer's note: called the office."
    at.text_area(key="letter_editor").set_value(edited).run()
    page(at, "review")
    override(at, PT_FACT, "true", "Faxed PT discharge: no improvement after 6 weeks")
    assert any("earlier edits are kept" in message for message in texts(at.info))
    page(at, "letter")
    assert at.text_area(key="letter_editor").value == at.session_state["result"].letter.text
    assert any("re-drafted" in message for message in texts(at.warning))
    at.button(key="restore_draft").click().run()
    assert not at.exception
    assert at.text_area(key="letter_editor").value == edited
    assert not [m for m in texts(at.warning) if "re-drafted" in m]


def test_intake_warns_before_unfinalized_work_is_replaced() -> None:
    at = page(open_sample(new_app(), PENDED_FOR_PT), "intake")
    assert not [m for m in texts(at.warning) if "not finalized" in m]
    page(at, "review")
    override(at, PT_FACT, "true", "Faxed PT discharge: no improvement after 6 weeks")
    page(at, "intake")
    (warning,) = [m for m in texts(at.warning) if "not finalized" in m]
    assert "1 override(s)" in warning and PENDED_FOR_PT in warning


def test_export_offers_three_formats_and_carries_the_edits() -> None:
    from docx import Document

    from drafting.review import export

    at = page(open_sample(new_app(), "G02"), "letter")
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download .md", "Download .docx", "Download .pdf"]
    result = at.session_state["result"]
    marker = "Reviewer note: the request was discussed with the provider by phone."
    edited = at.text_area(key="letter_editor").value + "\n" + marker + "\n"
    assert marker in export(result, edited, ".md").decode("utf-8")
    document = Document(io.BytesIO(export(result, edited, ".docx")))
    docx_text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert marker in docx_text
    assert export(result, edited, ".pdf").startswith(b"%PDF")
    unchanged = export(result, result.letter.text, ".md").decode("utf-8")
    assert unchanged == result.letter_model.to_markdown()


# ------------------------------------------------------------------------------ finalize + history


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


# ------------------------------------------------------------------------------ search


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


# ------------------------------------------------------------------------------ helpers


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


# ------------------------------------------------------------------------------ issue 14


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
