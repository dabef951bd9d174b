"""One real-browser run of the reviewer app: `streamlit run` on 127.0.0.1 (free port, data dir in
tmp_path), driven by Debian chromium through Playwright: intake -> review -> override -> letter ->
finalize -> history, and the letter History shows is the stored record's. Skipped only when
chromium is absent and REQUIRE_BROWSER != 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.local_server import serving
from tools.llm_server import free_port

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
STEP_MS = 60_000

pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app served by `streamlit run` with its data dir and audit database in tmp_path."""
    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    port = free_port()
    env = {
        **os.environ,
        "DETERMINE_DATA_DIR": str(tmp_path),
        "DETERMINE_AUDIT_URL": f"sqlite:///{tmp_path / 'audit.sqlite3'}",
        "DETERMINE_EXTRACTOR": "rules",
        "DETERMINE_DRAFTER": "template",
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with serving(
        "streamlit",
        command,
        f"{url}/_stcore/health",
        tmp_path / "streamlit.log",
        env=env,
        cwd=REPO,
        expected_body=b"ok",
        timeout_s=90,
    ):
        yield url


def _nav(page: Any, name: str) -> Any:
    """The sidebar link to a page (a page may also show its own link to the next step)."""
    return page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name)


def _enter(page: Any, name: str, text: str) -> None:
    """Type into the textbox `name` and press Enter (Streamlit takes a text input on Enter)."""
    box = page.get_by_role("textbox", name=name)
    box.fill(text)
    box.press("Enter")


@contextmanager
def _chromium_page(app_url: str, **page_options: Any) -> Iterator[tuple[Any, Any]]:
    """A chromium page open on the app, with Playwright's `expect` (both on STEP_MS timeouts);
    the browser is closed on leaving."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(**page_options)
            page.set_default_timeout(STEP_MS)
            expect.set_options(timeout=STEP_MS)
            page.goto(app_url)
            yield page, expect
        finally:
            browser.close()


def test_intake_review_override_letter_finalize_history_in_chromium(
    app_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole walk in a real browser; the letter History shows is the stored record's."""
    with _chromium_page(app_url) as (page, expect):
        _enter(page, "Reviewer name", "Dr. Browser")
        _enter(page, "Credentials", "MD")

        # intake
        page.get_by_role("combobox", name="Sample case").click()
        page.get_by_role("option", name="G05").click()
        page.get_by_role("button", name="Open sample case").click()
        expect(page.get_by_text("Case G05 opened")).to_be_visible()
        expect(page.get_by_text("Open case: G05")).to_be_visible()  # the sidebar knows it

        # review + override (with its quote and the record it came from)
        _nav(page, "Case review").click()
        expect(page.get_by_text("Override a fact")).to_be_visible()
        for name, text in (
            ("New value", "true"),
            ("Reason (required)", "PT discharge summary received by fax"),
            (
                "Quote from the record (required for a value; its exact words)",
                "No significant improvement after 6 weeks of physical therapy.",
            ),
        ):
            _enter(page, name, text)
        source = page.get_by_role("combobox", name="Source document")
        source.click()
        source.press_sequentially("A record received")
        source.press("Enter")
        _enter(page, "Name of the record received", "PT discharge summary, faxed")
        page.get_by_role("button", name="Apply override").click()
        expect(page.get_by_text("What the last override changed")).to_be_visible()
        expect(page.get_by_text("PENDED → ✅ APPROVED").first).to_be_visible()

        # letter
        _nav(page, "Letter").click()
        editor = page.get_by_role("textbox", name="Letter (editable)")
        expect(editor).to_be_visible()
        drafted = editor.input_value()
        assert "discharge summary, faxed (received by the reviewer)" in drafted
        assert "Section 1557" in drafted

        # finalize
        _nav(page, "Finalize").click()
        page.get_by_role("button", name="Finalize", exact=True).click()
        expect(page.get_by_text("Finalized case G05 as version 1")).to_be_visible()

        # history: the letter shown is the stored record's, signed
        _nav(page, "History").click()
        page.get_by_role("button", name="Open record").click()
        shown = page.get_by_role("textbox", name="Final letter")
        expect(shown).to_be_visible()
        shown_text = shown.input_value()
    from drafting.audit.store import AuditStore

    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path))  # the app's chain key (audit.key)
    store = AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    summaries = store.history(limit=5)
    assert len(summaries) == 1
    record = store.get(summaries[0].record_id)
    assert shown_text == record.letter_text
    assert "Reviewer: Dr. Browser, MD" in record.letter_text


def test_the_link_scrolls_the_document_to_the_highlighted_quote_in_chromium(
    app_url: str,
) -> None:
    """Review page: the document box holds its highlighted quote; the link above it scrolls
    the quote into view inside the box."""
    with _chromium_page(app_url, viewport={"width": 1200, "height": 800}) as (page, expect):
        page.get_by_role("combobox", name="Sample case").click()
        page.get_by_role("option", name="G01").click()
        page.get_by_role("button", name="Open sample case").click()
        expect(page.get_by_text("Case G01 opened")).to_be_visible()
        _nav(page, "Case review").click()
        link = page.get_by_role("link", name="Scroll to the highlighted quote").first
        mark = page.locator("mark[id^='quote-']").first
        expect(mark).not_to_be_in_viewport()  # below the checklist and the facts table
        link.scroll_into_view_if_needed()
        link.click()
        expect(mark).to_be_in_viewport()
        inside = mark.evaluate(
            """(m) => { const box = m.closest('.case-document').getBoundingClientRect();
            const r = m.getBoundingClientRect();
            return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }"""
        )
        assert inside
