"""Audit store writes under pressure: a second reviewer's conflict, concurrent finalizes,
amendments, crash safety (a failure or a killed process mid-transaction leaves nothing partial),
storage settings and errors. Round trips, history and tamper detection are
tests/integration/test_audit.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import drafting.audit.store as audit
from drafting.audit.models import (
    AmendmentVersionError,
    AuditDatabaseError,
    FinalizeConflictError,
    FinalizedRecord,
    StoredRecord,
)
from drafting.audit.store import AuditStore
from drafting.errors import DeterminationError
from tests.audit_records import REPO, T0, counts, make_record, raw


def test_second_reviewer_from_the_same_opened_version_gets_a_clear_conflict(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    with AuditStore(url, clock=lambda: T0) as a, AuditStore(url) as b:
        opened_by_a, opened_by_b = a.current_version("H01"), b.current_version("H01")
        won = b.finalize(make_record(reviewer="Dr. B"), expected_version=opened_by_b)
        with pytest.raises(FinalizeConflictError) as caught:
            a.finalize(make_record(reviewer="Dr. A", decision="approved"), opened_by_a)
    # Dr. B's store stamped the real time; only Dr. A's clock is fixed.
    expected = (
        f"case H01 was finalized by Dr. B at {won.finalized_at:%Y-%m-%d %H:%M} UTC while you "
        "were reviewing; reopen it from History to see their record; nothing was overwritten"
    )
    assert str(caught.value) == expected
    assert (caught.value.by, caught.value.version) == ("Dr. B", 1)
    assert isinstance(caught.value, DeterminationError)
    assert counts(db_path)["audit_records"] == 1


def test_concurrent_finalize_of_one_case_lets_exactly_one_through(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    stores = [AuditStore(url), AuditStore(url)]
    start = threading.Barrier(2)
    outcomes: dict[str, StoredRecord | Exception] = {}

    def finalize(store: AuditStore, reviewer: str) -> None:
        start.wait()
        try:
            outcomes[reviewer] = store.finalize(make_record(reviewer=reviewer), None)
        except Exception as exc:  # collected and checked below
            outcomes[reviewer] = exc

    threads = [
        threading.Thread(target=finalize, args=(s, name))
        for s, name in zip(stores, ("Dr. A", "Dr. B"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = {k: v for k, v in outcomes.items() if isinstance(v, StoredRecord)}
    losers = {k: v for k, v in outcomes.items() if not isinstance(v, StoredRecord)}
    assert len(winners) == 1 and len(losers) == 1, outcomes
    (winner, stored), (loser_error,) = next(iter(winners.items())), losers.values()
    assert isinstance(loser_error, FinalizeConflictError)
    assert f"finalized by {winner} at" in str(loser_error)
    assert stores[0].latest("H01") == stored and stores[0].history() == stores[1].history()
    assert counts(db_path)["audit_records"] == 1
    for store in stores:
        store.close()


def test_unique_constraint_catches_a_race_the_version_check_missed(
    store: AuditStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a database without BEGIN IMMEDIATE: the check sees nothing, the insert collides."""
    first = store.finalize(make_record(reviewer="Dr. B"))
    real = AuditStore._latest_row
    blind_once = iter([True])

    def stale_read(conn: Any, case_id: str) -> Any:
        return None if next(blind_once, False) else real(conn, case_id)

    monkeypatch.setattr(AuditStore, "_latest_row", staticmethod(stale_read))
    with pytest.raises(FinalizeConflictError, match=r"finalized by Dr\. B at 2025-11-03 14:02 UTC"):
        store.finalize(make_record(reviewer="Dr. A"))
    assert store.latest("H01") == first
    assert counts(db_path) == {"audit_records": 1, "audit_lines": 2, "audit_overrides": 1}


def test_amendment_with_the_right_version_keeps_the_old_record(store: AuditStore) -> None:
    original = store.finalize(make_record(decision="denied"))
    amended = store.finalize(
        make_record(reviewer="Dr. C", decision="approved", amendment_reason="Peer-to-peer call"),
        expected_version=1,
    )
    assert (amended.version, amended.kind, amended.amends_record_id) == (
        2, "amendment", original.record_id,
    )  # fmt: skip
    assert amended.amendment_reason == "Peer-to-peer call"
    assert store.get(original.record_id) == original
    assert store.latest("H01") == amended and store.current_version("H01") == 2

    with pytest.raises(FinalizeConflictError, match=r"amended \(version 2\) by Dr. C"):
        store.finalize(make_record(reviewer="Dr. A"), expected_version=1)
    with pytest.raises(FinalizeConflictError, match=r"amended \(version 2\) by Dr\. C"):
        store.finalize(make_record(reviewer="Dr. D"), expected_version=None)
    with pytest.raises(AmendmentVersionError, match="no version 5 \\(latest is 2\\)"):
        store.finalize(make_record(), expected_version=5)
    with pytest.raises(AmendmentVersionError, match="never been finalized"):
        store.finalize(make_record(case_id="H77"), expected_version=1)
    with pytest.raises(AmendmentVersionError, match="1 or more"):
        store.finalize(make_record(case_id="H77"), expected_version=0)
    assert [s.version for s in store.history(case_id="H01")] == [2, 1]


def test_failure_after_the_first_insert_leaves_nothing_partial(
    store: AuditStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = store.finalize(make_record(case_id="H00"))
    real_insert = audit._insert_details

    def crash_midway(conn: Any, record_id: int, record: FinalizedRecord) -> None:
        real_insert(conn, record_id, record)  # the record row and its lines are now written
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(audit, "_insert_details", crash_midway)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        store.finalize(make_record(case_id="H01"))
    assert counts(db_path) == {"audit_records": 1, "audit_lines": 2, "audit_overrides": 1}
    monkeypatch.setattr(audit, "_insert_details", real_insert)
    assert store.finalize(make_record(case_id="H01")).version == 1
    assert store.get(kept.record_id) == kept and store.verify_all() == 2


_CRASHING_CHILD = """
import os, sys
import drafting.audit.store as audit
from criteria.results import Decision
from drafting.audit.store import AuditStore
from tests.audit_records import make_record

store = AuditStore(sys.argv[1])
store.finalize(make_record(case_id="H00"))
real_insert = audit._insert_details

def die_midway(conn, record_id, record):
    real_insert(conn, record_id, record)
    os._exit(9)  # killed mid-transaction: no rollback, no cleanup

audit._insert_details = die_midway
store.finalize(make_record(case_id="H01"))
"""


def test_killed_process_mid_transaction_leaves_nothing_partial(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run(
        [sys.executable, "-c", _CRASHING_CHILD, url], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert child.returncode == 9, child.stderr
    assert counts(db_path) == {"audit_records": 1, "audit_lines": 2, "audit_overrides": 1}
    with AuditStore(url) as store:
        assert store.verify_all() == 1
        assert store.current_version("H01") is None
        assert store.finalize(make_record(case_id="H01")).version == 1


def test_sqlite_runs_in_wal_mode(store: AuditStore, db_path: Path) -> None:
    store.finalize(make_record())
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_location_is_the_data_dir_and_the_url_setting_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DETERMINE_AUDIT_URL", raising=False)
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path / "data"))
    with AuditStore() as default:
        default.finalize(make_record())
    default_file = tmp_path / "data" / "audit.sqlite3"
    assert counts(default_file)["audit_records"] == 1

    monkeypatch.setenv("DETERMINE_AUDIT_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    with AuditStore() as configured:
        assert configured.history() == []
        configured.finalize(make_record(case_id="H09"))
    assert counts(tmp_path / "elsewhere.sqlite3")["audit_records"] == 1
    assert counts(default_file)["audit_records"] == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a database url", "is not a database URL; set DETERMINE_AUDIT_URL"),
        ("nosuchdb://host/db", "unknown database kind 'nosuchdb'"),
        ("sqlite:////no/such/folder/audit.sqlite3", "cannot open the audit database"),
        ("mysql+nosuchdriver://u:hunter2@127.0.0.1/db", "unknown database kind"),
        ("postgresql+psycopg://u:hunter2@127.0.0.1:1/db", "audit database"),
    ],
)
def test_bad_database_url_gives_a_clear_error(url: str, expected: str) -> None:
    with pytest.raises(AuditDatabaseError) as caught:
        AuditStore(url)
    message = str(caught.value)
    assert expected in message
    assert "hunter2" not in message  # passwords never appear in messages
    assert isinstance(caught.value, DeterminationError)


def test_the_clock_must_be_timezone_aware(db_path: Path) -> None:
    naive: Callable[[], datetime] = lambda: datetime(2025, 11, 3, 14, 2)  # noqa: E731
    with AuditStore(f"sqlite:///{db_path}", clock=naive) as store, pytest.raises(TypeError):
        store.finalize(make_record())
    assert counts(db_path)["audit_records"] == 0
