"""The reviewer app's pages (one module per page) and the few helpers they share.

Page scripts (intake, review, letter, finalize, history, search) are run by `st.navigation` from
`app.py`; they stay thin and call `drafting.pipeline`, `drafting.lint`, `drafting.letters` and
`drafting.audit` (which builds the record to finalize), and `drafting.review` for what a reviewer
does (override facts and re-decide, re-lint the edited letter, export it). Shared pieces:
`resources` (cached clients, guideline, audit store, index), `session` (what the reviewer did,
kept in session_state across reruns and pages) and `highlight` (a quote marked in its document).
"""
