"""Fixtures of every app test: data dir and audit database in tmp_path with the offline extractor
and template drafter, and a guard that no page but Search opens the retrieval index.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def app_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data dir and audit database in tmp_path; offline extractor and template drafter."""
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DETERMINE_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    for name in ("DETERMINE_EXTRACTOR", "DETERMINE_DRAFTER", "DETERMINE_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def no_index_build(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any page other than Search that opened the retrieval index would fail here."""
    calls: list[str] = []

    def refuse() -> Any:
        calls.append("ensure_index")
        raise AssertionError("the retrieval index was opened outside the Search page")

    monkeypatch.setattr("retrieval.index.ensure_index", refuse)
    return calls
