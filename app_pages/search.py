"""Guideline search page: hybrid search over the passage index (opened once, never rebuilt on a
page load when it is already stored)."""

from __future__ import annotations

import streamlit as st

import retrieval.search as retrieval_search
from app_pages import resources

SECTIONS = ["(all)", "general", "epidural", "facet", "sympathetic", "sacroiliac", "stimulators"]


def render() -> None:
    """The Search page."""
    st.title("Guideline search")
    st.caption("Carelon Appropriate Use Criteria: Interventional Pain Management")
    count = resources.index_ready()
    query = st.text_input(
        "Search the guideline", placeholder="e.g. dual medial branch blocks 80% relief", key="q"
    )
    section = st.selectbox("Section", SECTIONS, key="search_section")
    if not query.strip():
        st.write(f"{count} guideline passages indexed. Type a query to search.")
        return
    hits = retrieval_search.search(query, k=8, section=None if section == "(all)" else section)
    if not hits:
        st.info("No passage matches this query.")
    for rank, hit in enumerate(hits, start=1):
        passage = hit.passage
        with st.expander(f"{rank}. {passage.title}  ·  `{passage.id}`  ·  score {hit.score:.3f}"):
            st.markdown(passage.text)


render()
