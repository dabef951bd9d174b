"""The reviewer app through streamlit.testing.v1.AppTest: intake, review and the letter page, with
the audit store and data dir in tmp_path (tests/app/conftest.py). Expected outcomes come from
running the pipeline itself, not from constants. Finalize, history, search and the issue-14
screens are tests/app/test_app_finalize.py; the steps are tests/app/app_steps.py."""

from __future__ import annotations

import io
import json

import pytest

from drafting.case.loaders import load_case
from drafting.pipeline import determine
from tests.app.app_steps import (
    GOLD,
    PENDED_FOR_PT,
    PT_FACT,
    new_app,
    open_sample,
    override,
    page,
    texts,
)

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
