"""Streamlit entry point of the reviewer app. Thin: it registers the pages of `app_pages/` and
the reviewer-name box; each page calls library functions (drafting.pipeline, lint, export, audit).

Run: `streamlit run app.py` (or `make run`). Data and the audit database follow
DETERMINE_DATA_DIR and DETERMINE_AUDIT_URL.
"""

from __future__ import annotations

import streamlit as st

from app_pages.session import reviewer_sidebar

st.set_page_config(page_title="Determination drafting", layout="wide")

PAGES = [
    st.Page("app_pages/intake.py", title="Intake", icon="📥", default=True),
    st.Page("app_pages/review.py", title="Case review", icon="🔎"),
    st.Page("app_pages/letter.py", title="Letter", icon="✉️"),
    st.Page("app_pages/finalize.py", title="Finalize", icon="✅"),
    st.Page("app_pages/history.py", title="History", icon="🗂️"),
    st.Page("app_pages/search.py", title="Guideline search", icon="📖"),
]

navigation = st.navigation(PAGES)
reviewer_sidebar()
navigation.run()
