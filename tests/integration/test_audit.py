"""The finalize/audit store: round trip, History, read-only rows, tamper detection, conflicts,
amendments, crash safety, WAL mode and clear errors for bad database URLs (SQLite in tmp_path)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import drafting.audit.store as audit
from criteria.results import Decision
from drafting.audit.models import (
    AmendmentVersionError,
    AuditDatabaseError,
    AuditInputError,
    AuditIntegrityError,
    AuditRecordNotFoundError,
    DrafterRef,
    ExtractorRef,
    FactRecord,
    FinalizeConflictError,
    FinalizedRecord,
    GuidelineRef,
    LineRecord,
    Override,
    StoredRecord,
    canonical_json,
)
from drafting.audit.store import AuditStore
from drafting.errors import DeterminationError

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 11, 3, 14, 2, 5, tzinfo=UTC)
TABLES = ("audit_records", "audit_lines", "audit_overrides")


def make_record(
    case_id: str = "H01",
    reviewer: str = "Dr. A",
    decision: Decision = "denied",
    letter: str = "Dear Dr. Provider, the request for 64483 is denied because ...",
    amendment_reason: str | None = None,
) -> FinalizedRecord:
    """A realistic record: two lines, two facts, one override, an LLM extractor."""
    trace = {
        "code": "64483",
        "decision": decision,
        "criteria": [
            {"id": "esi.radiculopathy", "status": "met", "passages": ["epidural/1"],
             "evidence": [{"quote": "pain radiates to the left foot", "document": 0}]},
            {"id": "esi.conservative_care", "status": "not_met", "passages": ["epidural/2"],
             "evidence": []},
        ],
    }  # fmt: skip
    return FinalizedRecord(
        case_id=case_id,
        reviewer=reviewer,
        guideline=GuidelineRef(id="carelon_ipm", version="2025-02-15"),
        extractor=ExtractorRef(name="hybrid", model="SmolLM2-135M-Instruct"),
        drafter=DrafterRef(name="template"),
        facts={
            "pain_duration_weeks": FactRecord(value=6, quote="pain for 6 weeks", document=0),
            "radicular_pain": FactRecord(value=True, quote="radiates to the left foot", document=0),
        },
        overrides=(
            Override(
                fact="pain_duration_weeks",
                old_value=3,
                new_value=6,
                reason="The PT note of 10/20 says six weeks; the extractor read the wrong note.",
                reviewer=reviewer,
                at=datetime(2025, 11, 3, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
            ),
        ),
        lines=(
            LineRecord(code="64483", decision=decision, trace=trace),
            LineRecord(code="64484", decision=decision, trace={"code": "64484"}),
        ),
        letter_text=letter,
        result={"case_id": case_id, "lines": [trace], "letter": {"text": letter}},
        amendment_reason=amendment_reason,
    )


class StepClock:
    """A clock that moves one minute per reading, starting at T0."""

    def __init__(self, start: datetime = T0, step: timedelta = timedelta(minutes=1)) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        moment, self.now = self.now, self.now + self.step
        return moment


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[AuditStore]:
    with AuditStore(f"sqlite:///{db_path}", clock=StepClock()) as opened:
        yield opened


def raw(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection (autocommit), bypassing the store."""
    return sqlite3.connect(db_path, isolation_level=None)


def counts(db_path: Path) -> dict[str, int]:
    with raw(db_path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


# -- round trip --------------------------------------------------------------------------------


def test_round_trip_keeps_every_field_and_hashes(store: AuditStore, db_path: Path) -> None:
    record = make_record()
    stored = store.finalize(record)

    assert (stored.version, stored.kind, stored.amends_record_id) == (1, "original", None)
    assert stored.finalized_at == T0 and stored.finalized_at.tzinfo == UTC
    assert stored.letter_sha256 == hashlib.sha256(record.letter_text.encode()).hexdigest()
    fields = FinalizedRecord.model_fields
    assert stored.model_dump(include=set(fields)) == record.model_dump()
    assert stored.overrides[0].at == datetime(2025, 11, 3, 14, 30, tzinfo=UTC)  # -05:00 -> UTC
    with raw(db_path) as conn:
        text, digest = conn.execute(
            "SELECT record_json, record_sha256 FROM audit_records"
        ).fetchone()
    assert digest == hashlib.sha256(text.encode()).hexdigest() == stored.record_sha256
    assert json.loads(text)["facts"]["pain_duration_weeks"] == {
        "value": 6, "quote": "pain for 6 weeks", "document": 0,
    }  # fmt: skip

    assert store.get(stored.record_id) == stored
    with AuditStore(f"sqlite:///{db_path}") as reopened:  # survives a new process/store
        assert reopened.get(stored.record_id) == stored
        assert reopened.latest("H01") == stored
        assert reopened.latest("H99") is None
        assert reopened.current_version("H01") == 1


def test_from_result_builds_the_record_from_the_result_contract() -> None:
    result: dict[str, Any] = {
        "case_id": "H02",
        "guideline": {"id": "carelon_ipm", "version": "2025-02-15"},
        "lines": [{"code": "64493", "decision": "pended", "criteria": []}],
        "letter": {"text": "We need more information.", "citations": [], "source": "template"},
        "facts": {"age": {"value": 61, "quote": "61-year-old", "document": 0, "extra": "x"}},
    }
    record = FinalizedRecord.from_result(
        result, reviewer="RN Lee", extractor=ExtractorRef(name="rules"),
        drafter=DrafterRef(name="llm", model="gpt-4o-mini"),
    )  # fmt: skip
    assert record.lines[0].decision == "pended" and record.lines[0].trace == result["lines"][0]
    assert record.facts["age"] == FactRecord(value=61, quote="61-year-old", document=0)
    assert record.letter_text == "We need more information." and record.result == result

    broken = {**result, "lines": [{"code": "64493", "decision": "maybe"}]}
    with pytest.raises(AuditInputError, match=r"finalize case H02: lines\[0\]\.decision"):
        FinalizedRecord.from_result(
            broken, reviewer="RN Lee", extractor=ExtractorRef(name="rules"),
            drafter=DrafterRef(name="template"),
        )  # fmt: skip


def test_records_must_name_the_llm_and_explain_overrides() -> None:
    with pytest.raises(ValidationError, match="name it in model"):
        ExtractorRef(name="llm")
    with pytest.raises(ValidationError, match="name it in model"):
        DrafterRef(name="llm", model=" ")
    with pytest.raises(ValidationError, match="reason for an override must not be empty"):
        Override(fact="x", old_value=1, new_value=2, reason="  ", reviewer="Dr. A", at=T0)
    good = make_record()
    stray = good.overrides[0].model_copy(update={"fact": "not_in_facts"})
    with pytest.raises(ValidationError, match="not_in_facts missing from facts"):
        FinalizedRecord.model_validate({**good.model_dump(), "overrides": [stray.model_dump()]})


def test_returned_records_are_frozen_and_the_api_cannot_change_them(store: AuditStore) -> None:
    stored = store.finalize(make_record())
    with pytest.raises(ValidationError):
        stored.reviewer = "Someone else"
    with pytest.raises(ValidationError):
        stored.lines[0].decision = "approved"
    summary = store.history()[0]
    with pytest.raises(ValidationError):
        summary.version = 9
    verbs = ("update", "delete", "remove", "edit", "overwrite", "purge", "set")
    assert not [name for name in vars(AuditStore) if name.startswith(verbs)]


# -- History -------------------------------------------------------------------------------------


def test_history_is_newest_first_and_pages_without_gaps(store: AuditStore) -> None:
    ids = [store.finalize(make_record(case_id=f"H0{i}")).record_id for i in range(1, 6)]
    ids.append(store.finalize(make_record(case_id="H01"), expected_version=1).record_id)

    full = store.history(limit=50)
    assert [s.record_id for s in full] == ids[::-1]
    assert [s.finalized_at for s in full] == sorted((s.finalized_at for s in full), reverse=True)
    pages = [store.history(limit=4, offset=offset) for offset in (0, 4, 8)]
    assert [len(p) for p in pages] == [4, 2, 0]
    assert pages[0] + pages[1] == full

    h01 = store.history(case_id="H01")
    assert [(s.case_id, s.version, s.kind) for s in h01] == [
        ("H01", 2, "amendment"), ("H01", 1, "original"),
    ]  # fmt: skip
    first = full[-1]
    assert (first.reviewer, first.guideline_id, first.override_count) == ("Dr. A", "carelon_ipm", 1)
    assert [(line.code, line.decision) for line in first.lines] == [
        ("64483", "denied"), ("64484", "denied"),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="limit must be"):
        store.history(limit=0)


def test_history_breaks_ties_in_time_by_insertion(db_path: Path) -> None:
    with AuditStore(f"sqlite:///{db_path}", clock=lambda: T0) as same_time:
        ids = [same_time.finalize(make_record(case_id=c)).record_id for c in ("A", "B", "C")]
        assert [s.record_id for s in same_time.history()] == ids[::-1]


def test_unknown_record_id_says_where_to_look(store: AuditStore) -> None:
    with pytest.raises(AuditRecordNotFoundError, match="no audit record 42; pick one from History"):
        store.get(42)


# -- read-only and tamper detection ------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id + 100", "DELETE FROM {table}"])
def test_database_triggers_refuse_update_and_delete(
    store: AuditStore, db_path: Path, table: str, statement: str
) -> None:
    stored = store.finalize(make_record())
    before = counts(db_path)
    with raw(db_path) as conn, pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute(statement.format(table=table))
    assert counts(db_path) == before
    assert store.get(stored.record_id) == stored


def _drop_triggers(conn: sqlite3.Connection) -> None:
    names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert len(names) == 2 * len(TABLES)
    for (name,) in names:
        conn.execute(f"DROP TRIGGER {name}")


def test_tampered_record_json_is_detected(store: AuditStore, db_path: Path) -> None:
    stored = store.finalize(make_record())
    data = json.loads(stored.model_dump_json(exclude={"record_id", "record_sha256"}))
    data["lines"][0]["decision"] = "approved"
    with raw(db_path) as conn:
        _drop_triggers(conn)
        conn.execute("UPDATE audit_records SET record_json = ?", (canonical_json(data),))
    with pytest.raises(AuditIntegrityError, match=r"does not match its sha256.*restore"):
        store.get(stored.record_id)
    with pytest.raises(AuditIntegrityError):
        store.latest("H01")
    with pytest.raises(AuditIntegrityError):
        store.verify_all()


def test_tampered_columns_and_letter_are_detected(store: AuditStore, db_path: Path) -> None:
    first = store.finalize(make_record(case_id="H01"))
    second = store.finalize(make_record(case_id="H02"))
    with raw(db_path) as conn:
        _drop_triggers(conn)
        conn.execute(
            "UPDATE audit_lines SET decision = 'approved' WHERE record_id = ?", (first.record_id,)
        )
        # Rewrite the letter and re-hash the record consistently, but not the letter's own hash.
        data = json.loads(second.model_dump_json(exclude={"record_id", "record_sha256"}))
        data["letter_text"] = "Approved."
        text = canonical_json(data)
        digest = hashlib.sha256(text.encode()).hexdigest()
        conn.execute(
            "UPDATE audit_records SET record_json = ?, record_sha256 = ? WHERE id = ?",
            (text, digest, second.record_id),
        )
    with pytest.raises(AuditIntegrityError, match="line decisions differ"):
        store.get(first.record_id)
    with pytest.raises(AuditIntegrityError, match="letter_sha256 does not match"):
        store.get(second.record_id)


def test_reopening_the_store_restores_dropped_triggers(db_path: Path) -> None:
    with AuditStore(f"sqlite:///{db_path}") as first:
        first.finalize(make_record())
    with raw(db_path) as conn:
        _drop_triggers(conn)
    with (
        AuditStore(f"sqlite:///{db_path}"),
        raw(db_path) as conn,
        pytest.raises(sqlite3.IntegrityError, match="immutable"),
    ):
        conn.execute("DELETE FROM audit_records")


# -- conflicts and amendments ------------------------------------------------------------------


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


# -- crash safety ------------------------------------------------------------------------------


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
from tests.integration.test_audit import make_record

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


# -- storage settings and errors ---------------------------------------------------------------


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
