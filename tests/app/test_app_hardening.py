"""Issue 13 item 5 and issue 15 item 6 in the app: a known failure is one message in place, and
record text (titles, descriptions, quotes) is shown as text, never as markdown or HTML."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_app import app_environment as app_environment
from tests.app.test_app import new_app
from tests.app.test_app import no_index_build as no_index_build


def test_bad_corpus_is_one_message_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETERMINE_CORPUS", "no_such_corpus")
    at: AppTest = new_app()
    at.selectbox(key="sample_choice").set_value("G01").run()
    at.button(key="open_sample").click().run()
    assert not at.exception, at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "DETERMINE_CORPUS" in errors[0], errors
    assert "\n" not in errors[0]
