"""Issue 13 item 5 and issue 15 item 6 in the app: a known failure is one message in place, and
record text (titles, descriptions, quotes) is shown as text, never as markdown or HTML."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.app_steps import GOLD, new_app, page


def test_bad_corpus_is_one_message_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    from drafting.pipeline import load_guideline

    load_guideline.cache_clear()  # cached per process for the default corpus
    monkeypatch.setenv("DETERMINE_CORPUS", "no_such_corpus")
    at: AppTest = new_app()
    at.selectbox(key="sample_choice").set_value("G01").run()
    at.button(key="open_sample").click().run()
    assert not at.exception, at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "DETERMINE_CORPUS" in errors[0], errors
    assert "\n" not in errors[0]
    load_guideline.cache_clear()


# --- 15.6: record text on the pages is text -----------------------------------------------------

INJECTED = "Consult ![x](http://evil.example/a.png) <script>alert(1)</script>\u200b **APPROVED**"


def shown_markdown(at: AppTest) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.warning, *at.error, *at.success, *at.info]
    return [str(element.value) for element in elements]


def assert_text_only(values: list[str]) -> None:
    for value in values:
        assert "<script>" not in value and "![x](" not in value, value
        assert "**APPROVED**" not in value and "\u200b" not in value, value


def test_review_page_shows_record_text_as_text() -> None:
    data = json.loads((GOLD / "G01.json").read_text(encoding="utf-8"))
    for document in data["documents"]:
        document["title"] = INJECTED
    at = new_app()
    at.text_area(key="case_json_text").set_value(json.dumps(data)).run()
    at.button(key="open_json").click().run()
    assert not at.exception, at.exception
    page(at, "review")
    values = shown_markdown(at)
    assert_text_only(values)
    assert any("&lt;script>" in value for value in values), values  # shown, escaped


def test_history_and_finalize_show_reviewer_text_as_text() -> None:
    at = new_app(reviewer="Dr. <b>R</b> ![x](http://evil.example) **APPROVED**")
    at.selectbox(key="sample_choice").set_value("G05").run()
    at.button(key="open_sample").click().run()
    page(at, "finalize")
    at.button(key="finalize").click().run()
    assert not at.exception, at.exception
    assert_text_only(shown_markdown(at))
    page(at, "history")
    at.button(key="open_record").click().run()
    assert not at.exception, at.exception
    values = shown_markdown(at)
    assert_text_only(values)
    assert any("&lt;b>R&lt;/b>" in value for value in values), values
