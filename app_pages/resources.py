"""Long-lived objects shared by every session, each a `st.cache_resource`.

Keys are the settings they depend on (audit URL, data dir, settings JSON), so a test that points
DETERMINE_DATA_DIR / DETERMINE_AUDIT_URL at a temporary folder gets its own store and index.
"""

from __future__ import annotations

import streamlit as st

import retrieval.index as retrieval_index
from drafting.audit.schema import audit_url_from_environment
from drafting.audit.store import AuditStore
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings, load_settings
from drafting.pipeline import Guideline, load_guideline
from retrieval.config import get_settings as retrieval_settings


@st.cache_resource(show_spinner=False)
def _audit_store(url: str) -> AuditStore:
    return AuditStore(url)


def audit_store() -> AuditStore:
    """The audit store named by DETERMINE_AUDIT_URL (default SQLite in DETERMINE_DATA_DIR)."""
    return _audit_store(audit_url_from_environment())


@st.cache_resource(show_spinner="Loading the guideline…")
def _guideline(corpus_id: str) -> Guideline:
    return load_guideline(corpus_id)


def guideline() -> Guideline:
    """The guideline the pipeline decides under (DETERMINE_CORPUS)."""
    return _guideline(retrieval_settings().corpus_id)


def settings() -> Settings:
    """Extractor/drafter/LLM settings from the environment (cheap; read on every call)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def _client(settings_json: str) -> LLMClient | None:
    current = load_settings()
    if current.wants_llm and current.llm_configured:
        return LLMClient.from_settings(current)
    return None


def llm_client(current: Settings) -> LLMClient | None:
    """The LLM client when the settings ask for one and name an endpoint, else None."""
    return _client(current.model_dump_json())


@st.cache_resource(show_spinner="Opening the guideline index (built only if missing)…")
def _index_ready(data_dir: str, chroma_url: str | None, corpus_id: str) -> int:
    return retrieval_index.ensure_index().passages


def index_ready() -> int:
    """Passages in the search index; opened once per data dir, rebuilt only if missing or stale."""
    config = retrieval_settings()
    return _index_ready(str(config.data_dir), config.chroma_url, config.corpus_id)
