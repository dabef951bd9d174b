"""Issue 15 items 7-9 for the audit store: a keyed hash chain that detects consistent rewrites and
deleted versions, concurrent opens of a fresh SQLite file, and the real `determine --json` output
as the finalize contract."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from drafting.audit.store import AuditStore

OPENS_PER_PROCESS = 20


def _open_repeatedly(url: str, failures: Any, start: Any) -> None:
    start.wait()  # every process imported and ready: open at the same moment
    for _ in range(OPENS_PER_PROCESS):
        try:
            with AuditStore(url) as store:
                store.history(limit=1)
        except Exception as error:  # every failure is what the test counts
            failures.put(f"{type(error).__name__}: {error}")


# --- 15.8: eight processes opening a fresh database at once -------------------------------------


def test_eight_processes_open_a_fresh_database_at_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    for attempt in range(3):  # a fresh file each time: the race is at creation
        url = f"sqlite:///{tmp_path / f'fresh{attempt}.sqlite3'}"
        failures = context.Queue()
        start = context.Barrier(8)
        workers = [
            context.Process(target=_open_repeatedly, args=(url, failures, start)) for _ in range(8)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(180)
        found = []
        while not failures.empty():
            found.append(failures.get())
        assert not found, found[:3]
        assert all(worker.exitcode == 0 for worker in workers)


class _Cursor:
    """A DB-API cursor that answers "database is locked" to the first `locked` WAL switches."""

    def __init__(self, log: list[str], locked: int) -> None:
        self.log, self.locked = log, locked

    def execute(self, statement: str) -> None:
        import sqlite3

        self.log.append(statement)
        if statement == "PRAGMA journal_mode=WAL" and self.locked:
            self.locked -= 1
            raise sqlite3.OperationalError("database is locked")

    def close(self) -> None:
        pass


class _Connection:
    def __init__(self, locked: int) -> None:
        self.log: list[str] = []
        self.isolation_level: str | None = ""
        self.locked = locked

    def cursor(self) -> _Cursor:
        return _Cursor(self.log, self.locked)


def test_busy_timeout_comes_before_the_wal_switch_which_waits_out_a_lock() -> None:
    from drafting.audit.schema import _sqlite_on_connect

    connection = _Connection(locked=3)
    _sqlite_on_connect(connection, None)
    assert connection.log[0].startswith("PRAGMA busy_timeout=")
    assert connection.log.count("PRAGMA journal_mode=WAL") == 4
    assert connection.log[-2:] == ["PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"]


# --- 15.9: the real `determine --json` output is the finalize contract -------------------------

REPO = Path(__file__).resolve().parents[2]


def determine_json(case_id: str = "G05") -> dict[str, Any]:
    import json
    import os
    import subprocess
    import sys

    case = REPO / "eval" / "gold" / "cases" / f"{case_id}.json"
    done = subprocess.run(
        [sys.executable, "-m", "drafting.cli", str(case), "--json", "--date", "2026-12-01"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    contract: dict[str, Any] = json.loads(done.stdout)
    return contract


def test_from_result_takes_real_determine_json(tmp_path: Path) -> None:
    from drafting.audit.models import DrafterRef, ExtractorRef, FinalizedRecord

    contract = determine_json()
    assert contract["guideline"].get("title")  # the field the record once refused
    record = FinalizedRecord.from_result(
        contract,
        reviewer="Dr. A",
        extractor=ExtractorRef(name="rules"),
        drafter=DrafterRef(name="template"),
    )
    assert record.guideline.id == contract["guideline"]["id"]
    assert record.guideline.title == contract["guideline"]["title"]
    assert record.result == contract
    with AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}") as store:
        stored = store.finalize(record)
        assert store.get(stored.record_id).result == contract


def test_build_record_keeps_the_result_contract_as_is() -> None:
    from datetime import date

    from drafting.audit.record import build_record
    from drafting.case.loaders import load_case
    from drafting.llm.settings import Settings
    from drafting.pipeline import determine

    result = determine(
        load_case(REPO / "eval" / "gold" / "cases" / "G05.json"),
        Settings(),
        today=date(2026, 12, 1),
    )
    record = build_record(result, [], reviewer="Dr. A", letter_text=result.letter.text)
    assert record.result == result.contract()
    assert record.guideline.title == result.guideline.title


# --- 15.7: a keyed chain detects consistent rewrites and deleted versions -----------------------

import hashlib  # noqa: E402
import json  # noqa: E402
import sqlite3  # noqa: E402

import pytest  # noqa: E402

from drafting.audit.models import AuditIntegrityError, canonical_json  # noqa: E402
from tests.audit_records import make_record  # noqa: E402

KEY = "k" * 32


@pytest.fixture
def chained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AuditStore, Path]:
    monkeypatch.setenv("DETERMINE_AUDIT_KEY", KEY)
    db_path = tmp_path / "audit.sqlite3"
    return AuditStore(f"sqlite:///{db_path}"), db_path


def _unlocked(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    return conn


def _rewrite_consistently(db_path: Path, record_id: int, decision: str) -> None:
    """What an attacker with the database file can do: JSON, its sha256, columns and lines."""
    with _unlocked(db_path) as conn:
        (text,) = conn.execute(
            "SELECT record_json FROM audit_records WHERE id = ?", (record_id,)
        ).fetchone()
        data = json.loads(text)
        for line in data["lines"]:
            line["decision"] = decision
            line["trace"]["decision"] = decision
        text = canonical_json(data)
        digest = hashlib.sha256(text.encode()).hexdigest()
        conn.execute(
            "UPDATE audit_records SET record_json = ?, record_sha256 = ? WHERE id = ?",
            (text, digest, record_id),
        )
        conn.execute(
            "UPDATE audit_lines SET decision = ? WHERE record_id = ?", (decision, record_id)
        )


def test_a_consistent_rewrite_is_detected(chained: tuple[AuditStore, Path]) -> None:
    store, db_path = chained
    first = store.finalize(make_record(case_id="H01", decision="pended"))
    store.finalize(make_record(case_id="H02"))
    assert store.verify_all() == 2
    _rewrite_consistently(db_path, first.record_id, "approved")
    with pytest.raises(AuditIntegrityError, match="chain"):
        store.verify_all()
    with pytest.raises(AuditIntegrityError, match="chain"):
        store.get(first.record_id)
    with pytest.raises(AuditIntegrityError):
        store.history()


def test_deleting_the_latest_version_is_detected(chained: tuple[AuditStore, Path]) -> None:
    store, db_path = chained
    store.finalize(make_record(case_id="H01", decision="denied"))
    store.finalize(make_record(case_id="H01", decision="approved"), expected_version=1)
    assert store.verify_all() == 2
    with _unlocked(db_path) as conn:
        (last,) = conn.execute("SELECT max(id) FROM audit_records").fetchone()
        for table in ("audit_lines", "audit_overrides"):
            conn.execute(f"DELETE FROM {table} WHERE record_id = ?", (last,))
        conn.execute("DELETE FROM audit_records WHERE id = ?", (last,))
    with pytest.raises(AuditIntegrityError, match="deleted"):
        store.verify_all()
    with pytest.raises(AuditIntegrityError, match="deleted"):
        store.history()


def test_deleting_a_middle_record_is_detected(chained: tuple[AuditStore, Path]) -> None:
    store, db_path = chained
    ids = [store.finalize(make_record(case_id=f"H0{i}")).record_id for i in range(3)]
    with _unlocked(db_path) as conn:
        for table in ("audit_lines", "audit_overrides"):
            conn.execute(f"DELETE FROM {table} WHERE record_id = ?", (ids[1],))
        conn.execute("DELETE FROM audit_records WHERE id = ?", (ids[1],))
    with pytest.raises(AuditIntegrityError, match="chain"):
        store.verify_all()


def test_another_key_cannot_verify(
    chained: tuple[AuditStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, db_path = chained
    store.finalize(make_record())
    monkeypatch.setenv("DETERMINE_AUDIT_KEY", "x" * 32)
    with AuditStore(f"sqlite:///{db_path}") as other, pytest.raises(AuditIntegrityError):
        other.verify_all()


def test_the_key_file_is_created_once_with_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DETERMINE_AUDIT_KEY", raising=False)
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with AuditStore(url) as store:
        store.finalize(make_record())
    key_file = tmp_path / "data" / "audit.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_bytes()
    with AuditStore(url) as again:
        assert again.verify_all() == 1
    assert key_file.read_bytes() == key
