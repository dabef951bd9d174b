"""One real-browser run of the reviewer app: `streamlit run` on 127.0.0.1 (free port, data dir in
tmp_path), driven by Debian chromium through Playwright: open a sample case, override a fact,
finalize, see the confirmation. Skipped only when chromium is absent and REQUIRE_BROWSER != 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

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


def test_open_override_finalize_in_chromium(app_url: str, tmp_path: Path) -> None:
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
            page = browser.new_page()
            page.set_default_timeout(STEP_MS)
            page.goto(app_url)

            reviewer = page.get_by_role("textbox", name="Reviewer name")
            reviewer.fill("Dr. Browser")
            reviewer.press("Enter")

            page.get_by_role("combobox", name="Sample case").click()
            page.get_by_role("option", name="G05").click()
            page.get_by_role("button", name="Open sample case").click()
            expect(page.get_by_text("Case G05 opened")).to_be_visible()

            page.get_by_role("link", name="Case review").click()
            expect(page.get_by_text("Override a fact")).to_be_visible()
            value = page.get_by_role("textbox", name="New value")
            value.fill("true")
            value.press("Enter")
            reason = page.get_by_role("textbox", name="Reason (required)")
            reason.fill("PT discharge summary received by fax")
            reason.press("Enter")
            page.get_by_role("button", name="Apply override").click()
            expect(page.get_by_text("What the last override changed")).to_be_visible()
            expect(page.get_by_text("pended → ✅ approved").first).to_be_visible()

            page.get_by_role("link", name="Finalize").click()
            page.get_by_role("button", name="Finalize", exact=True).click()
            expect(page.get_by_text("Finalized case G05 as version 1")).to_be_visible()
        finally:
            browser.close()
    assert (tmp_path / "audit.sqlite3").is_file()
