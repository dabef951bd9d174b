"""Issue 14, review screens in the app: progress per document at intake, overrides of nested
facts through the form, the evidence that decided a criterion in whole sentences, and a link
that scrolls to the highlighted quote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
TIMEOUT = 180


@pytest.fixture(autouse=True)
def app_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data dir and audit database in tmp_path; offline extractor and template drafter."""
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DETERMINE_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    for name in ("DETERMINE_EXTRACTOR", "DETERMINE_DRAFTER", "DETERMINE_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    at.sidebar.text_input(key="reviewer_input").set_value("Dr. Rivera")
    at.sidebar.text_input(key="credentials_input").set_value("MD").run()
    return at


def open_sample(at: AppTest, case_id: str) -> AppTest:
    at.selectbox(key="sample_choice").set_value(case_id).run()
    at.button(key="open_sample").click().run()
    assert not at.exception, at.exception
    return at


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements: Any) -> list[str]:
    return [str(element.value) for element in elements]


def test_item3_intake_shows_each_document_as_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The status box lists "reading document i of n: <title>" (kept on screen when reading
    stops partway, as here where the third document fails)."""
    from drafting.extraction.rules import reader

    real = reader.annotate
    calls: list[str] = []

    def annotate(text: str) -> Any:
        calls.append(text)
        if len(calls) == 3:
            raise RuntimeError("reader stopped")
        return real(text)

    monkeypatch.setattr(reader, "annotate", annotate)
    at = new_app()
    at.selectbox(key="sample_choice").set_value("G01").run()
    at.button(key="open_sample").click().run()
    shown = texts(at.caption)
    assert "reading document 1 of 3: Pain management consultation" in shown, shown
    assert "reading document 3 of 3: Physical therapy discharge summary" in shown, shown
    assert any("reader stopped" in e for e in texts(at.error))
