"""Steps the app tests take through streamlit.testing.v1.AppTest: open the app (signed in as a
reviewer), a sample case, a page; override a fact through the form; finalize.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


APP = str(REPO / "app.py")


GOLD = REPO / "eval" / "gold" / "cases"


TIMEOUT = 180


PENDED_FOR_PT = "G05"  # pended: physical-therapy outcome not documented


PT_FACT = "conservative.no_significant_improvement"


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
