"""Streamlit entry point. Thin: every page calls library functions; clients are cached resources.

Until the reviewer pages land, the app offers guideline search over the embedded index.
"""

from __future__ import annotations

import streamlit as st

from retrieval.index import ensure_index
from retrieval.search import Hit, search

st.set_page_config(page_title="Determination drafting", layout="wide")


@st.cache_resource(show_spinner="Loading the guideline index…")
def _index_ready() -> int:
    """Open (or build once) the guideline index; cached so page loads never rebuild it."""
    stats = ensure_index()
    return stats.passages


def _show_hit(rank: int, hit: Hit) -> None:
    passage = hit.passage
    with st.expander(f"{rank}. {passage.title}  ·  `{passage.id}`  ·  score {hit.score:.3f}"):
        st.markdown(passage.text)


st.title("Guideline search")
st.caption("Carelon Appropriate Use Criteria: Interventional Pain Management")
count = _index_ready()
query = st.text_input(
    "Search the guideline", placeholder="e.g. dual medial branch blocks 80% relief"
)
section = st.selectbox(
    "Section",
    ["(all)", "general", "epidural", "facet", "sympathetic", "sacroiliac", "stimulators"],
)
if query.strip():
    hits = search(query, k=8, section=None if section == "(all)" else section)
    if not hits:
        st.info("No passage matches this query.")
    for rank, hit in enumerate(hits, start=1):
        _show_hit(rank, hit)
else:
    st.write(f"{count} guideline passages indexed. Type a query to search.")
