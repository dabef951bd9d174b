"""Fixtures of the integration tests: an audit database path in tmp_path, a store opened on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drafting.audit.store import AuditStore
from tests.audit_records import StepClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[AuditStore]:
    with AuditStore(f"sqlite:///{db_path}", clock=StepClock()) as opened:
        yield opened
