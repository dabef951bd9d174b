"""The reviewer app's pages (one module per page) and the few helpers they share.

Page scripts (intake, review, letter, finalize, history, search) are run by `st.navigation` from
`app.py`; they stay thin and call `drafting.pipeline`, `drafting.lint`, `drafting.letters` and
`drafting.audit` (which builds the record to finalize). Shared pieces: `resources` (cached
clients, guideline, audit store, index), `session` (what the reviewer did, kept in session_state
across reruns and pages), `highlight` (a quote marked in its document), `overrides` (reviewer
changes to facts) and `letter_edit` (the edited letter text back into a `Letter` for export).
"""
