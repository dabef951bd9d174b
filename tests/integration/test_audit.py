"""The finalize/audit store: round trip, History, read-only rows, tamper detection (SQLite in
tmp_path). Conflicts, amendments, crash safety, WAL mode and bad database URLs are
tests/integration/test_audit_writes.py."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from drafting.audit.models import (
    AuditInputError,
    AuditIntegrityError,
    AuditRecordNotFoundError,
    DrafterRef,
    ExtractorRef,
    FactRecord,
    FinalizedRecord,
    Override,
    canonical_json,
)
from drafting.audit.store import AuditStore
from tests.audit_records import T0, TABLES, counts, make_record, raw

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
