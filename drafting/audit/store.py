"""The immutable audit trail of finalized cases: `AuditStore` over SQLAlchemy 2.x Core.

Where it lives: `DETERMINE_AUDIT_URL` (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db)
or, unset, SQLite at `<DETERMINE_DATA_DIR>/audit.sqlite3` (data dir from `retrieval.config`,
default `<repo>/data`) in WAL mode with synchronous=FULL. Tables, triggers and the engine are in
`drafting.audit.schema`; the record models and errors in `drafting.audit.models`.

How it is kept honest:
- Append-only API: `finalize` inserts; `get`, `latest`, `history`, `current_version` and
  `verify_all` read. Nothing updates or deletes, and every returned model is frozen.
- The database refuses changes too. On SQLite, triggers RAISE(ABORT) on any UPDATE or DELETE of
  the three audit tables. On PostgreSQL (14+) the equivalent trigger function is installed
  (BEFORE UPDATE OR DELETE per row, BEFORE TRUNCATE per statement; written to the documented
  syntax but not exercised by the tests here). Elsewhere, grant the application role INSERT and
  SELECT only (REVOKE UPDATE, DELETE, TRUNCATE) on audit_records, audit_lines, audit_overrides.
- Tamper detection: each record is stored as canonical JSON with its sha256; `get` re-hashes it,
  re-checks the letter's sha256, and checks the queryable columns and child rows against it.
  A keyed chain (`drafting.audit.chain`: HMAC with DETERMINE_AUDIT_KEY or a key file outside the
  database) links each record to the previous one, so a consistent rewrite or a deleted record
  breaks a link, and the chain's head kept outside the database shows deleted newest records.
  `get`, `history` and `verify_all` check the chain for what they return.
- Concurrency: unique (case_id, version) plus optimistic versioning. The caller passes the version
  it opened (None = never finalized); anything newer is a `FinalizeConflictError` naming who got
  there first. On SQLite the check-and-insert runs under BEGIN IMMEDIATE (one writer at a time);
  on other databases the unique constraint turns a lost race into the same conflict error.
- Crash safety: one transaction per finalize covers the record row, its lines and its overrides;
  a failure or a killed process at any point leaves nothing of that record behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from drafting.audit.chain import audit_key, chain_hmac, check_head, head_path, same, write_head
from drafting.audit.models import (
    AmendmentVersionError,
    AuditDatabaseError,
    AuditIntegrityError,
    AuditRecordNotFoundError,
    FinalizeConflictError,
    FinalizedRecord,
    RecordSummary,
    StoredRecord,
    canonical_json,
    sha256_hex,
)
from drafting.audit.schema import (
    AUDIT_URL_ENV,
    IMMEDIATE_OPTION,
    add_missing_columns,
    audit_url_from_environment,
    create_audit_engine,
    immutability_ddl,
    lines_table,
    masked_url,
    metadata,
    one_line,
    overrides_table,
    records_table,
)

MAX_PAGE = 500
Row = sa.Row[*tuple[Any, ...]]


def _iso(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 (microseconds always present), so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _record_columns(stored: StoredRecord) -> dict[str, Any]:
    """The queryable copy of a record's fields (the hashed JSON stays the authority)."""
    return {
        "case_id": stored.case_id, "version": stored.version, "kind": stored.kind,
        "amends_record_id": stored.amends_record_id, "reviewer": stored.reviewer,
        "finalized_at": _iso(stored.finalized_at), "guideline_id": stored.guideline.id,
        "guideline_version": stored.guideline.version, "extractor": stored.extractor.name,
        "extractor_model": stored.extractor.model, "drafter": stored.drafter.name,
        "drafter_model": stored.drafter.model, "letter_sha256": stored.letter_sha256,
    }  # fmt: skip


def _line_rows(record: FinalizedRecord) -> list[dict[str, Any]]:
    return [
        {"position": i, "code": line.code, "decision": line.decision}
        for i, line in enumerate(record.lines)
    ]


def _override_rows(record: FinalizedRecord) -> list[dict[str, Any]]:
    rows = []
    for position, override in enumerate(record.overrides):
        plain = override.model_dump(mode="json")
        row = {key: plain[key] for key in ("fact", "reason", "reviewer")}
        row |= {"old_value_json": canonical_json(plain["old_value"]), "position": position}
        row |= {"new_value_json": canonical_json(plain["new_value"]), "at": _iso(override.at)}
        rows.append(row)
    return rows


def _insert_details(conn: sa.Connection, record_id: int, record: FinalizedRecord) -> None:
    """Insert the record's lines and overrides (same transaction as the record row)."""
    conn.execute(
        sa.insert(lines_table), [{**r, "record_id": record_id} for r in _line_rows(record)]
    )
    overrides = [{**r, "record_id": record_id} for r in _override_rows(record)]
    if overrides:
        conn.execute(sa.insert(overrides_table), overrides)


def _mismatches(
    row: Row, lines: Sequence[Row], overrides: Sequence[Row], stored: StoredRecord
) -> list[str]:
    """Names of queryable columns or child rows that disagree with the hashed record."""
    wrong = [k for k, v in _record_columns(stored).items() if row._mapping[k] != v]
    got_lines = [{k: r._mapping[k] for k in ("position", "code", "decision")} for r in lines]
    if got_lines != _line_rows(stored):
        wrong.append("line decisions")
    want_overrides = _override_rows(stored)
    keys = want_overrides[0].keys() if want_overrides else ()
    if [{k: r._mapping[k] for k in keys} for r in overrides] != want_overrides:
        wrong.append("overrides")
    return wrong


_ADVICE = (
    "it was changed outside this tool; do not rely on it, restore the audit database "
    "from a backup and report the incident"
)


def _verified(row: Row, lines: Sequence[Row], overrides: Sequence[Row]) -> StoredRecord:
    where = f"audit record {row.id} (case {row.case_id}, version {row.version})"
    advice = _ADVICE
    if sha256_hex(row.record_json) != row.record_sha256:
        raise AuditIntegrityError(f"{where} does not match its sha256: {advice}")
    try:
        data = {**json.loads(row.record_json), "record_id": row.id}
        stored = StoredRecord.model_validate({**data, "record_sha256": row.record_sha256})
    except (ValueError, TypeError) as exc:  # bad JSON, ValidationError (letter hash) included
        raise AuditIntegrityError(f"{where} cannot be read ({one_line(exc)}): {advice}") from exc
    wrong = _mismatches(row, lines, overrides, stored)
    if wrong:
        raise AuditIntegrityError(f"{where}: {', '.join(wrong)} differ from its sha256: {advice}")
    return stored


class AuditStore:
    """Append-only store of finalized records; see the module docstring for its guarantees."""

    def __init__(self, url: str | None = None, *, clock: Callable[[], datetime] | None = None):
        url_text = (url or "").strip() or audit_url_from_environment()
        self.url = masked_url(url_text)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._engine = create_audit_engine(url_text)
        self._key = audit_key()
        sqlite_file = self._engine.url.database if self._engine.dialect.name == "sqlite" else None
        self._head = head_path(url_text, sqlite_file)
        try:
            with self._connection(immediate=True) as conn, conn.begin():
                metadata.create_all(conn)
                add_missing_columns(conn)
                for statement in immutability_ddl(self._engine.dialect.name):
                    conn.exec_driver_sql(statement)
        except DBAPIError as exc:
            self._engine.dispose()
            raise AuditDatabaseError(
                f"cannot open the audit database {self.url} ({one_line(exc)}); check "
                f"{AUDIT_URL_ENV}, that the server is running and that the folder exists"
            ) from exc

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _connection(self, *, immediate: bool = False) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            if immediate:
                conn.execution_options(**{IMMEDIATE_OPTION: True})
            yield conn

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        try:
            with self._connection() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise AuditDatabaseError(
                f"cannot read the audit database {self.url} ({one_line(exc)}); try again, "
                "and check the database is reachable"
            ) from exc

    def _now(self) -> datetime:
        moment = self._clock()
        if moment.tzinfo is None:
            raise TypeError("the audit clock must return timezone-aware datetimes")
        return moment.astimezone(UTC)

    # -- writing ----------------------------------------------------------------------------

    def finalize(
        self, record: FinalizedRecord, expected_version: int | None = None
    ) -> StoredRecord:
        """Store `record` as the next version of its case, in one transaction.

        `expected_version` is the version the reviewer opened (None = the case had never been
        finalized). Raises FinalizeConflictError if a newer version exists, AmendmentVersionError
        if the version never existed; nothing is written in either case.
        """
        case_id = record.case_id
        if expected_version is not None and expected_version < 1:
            raise AmendmentVersionError(
                f"expected_version must be 1 or more (got {expected_version}); pass None for a "
                "case that has never been finalized"
            )
        try:
            with self._connection(immediate=True) as conn, conn.begin():
                latest = self._latest_row(conn, case_id)
                _check_expected(case_id, latest, expected_version)
                stored, count, link = self._write(conn, record, latest)
        except IntegrityError as exc:
            # Lost a race that the version check could not see (databases without BEGIN IMMEDIATE).
            winner = self._read_latest_row(case_id)
            if winner is not None and winner.version > (expected_version or 0):
                raise _conflict(case_id, winner) from exc
            raise AuditDatabaseError(
                f"the audit database refused the record for case {case_id} ({one_line(exc)}); "
                "nothing was stored; report this"
            ) from exc
        except DBAPIError as exc:
            raise AuditDatabaseError(
                f"could not store the record for case {case_id} in {self.url} "
                f"({one_line(exc)}); nothing was stored; try finalizing again"
            ) from exc
        with suppress(OSError, AuditDatabaseError):  # stored; the next finalize writes a newer head
            write_head(self._head, count, link)
        return stored

    def _write(
        self, conn: sa.Connection, record: FinalizedRecord, latest: Row | None
    ) -> tuple[StoredRecord, int, str]:
        """Insert the record as the chain's next link; (stored, chain length, its link)."""
        content = record.model_dump(mode="json") | {
            "version": 1 if latest is None else latest.version + 1,
            "kind": "original" if latest is None else "amendment",
            "amends_record_id": None if latest is None else latest.id,
            "finalized_at": _iso(self._now()),
            "letter_sha256": sha256_hex(record.letter_text),
        }
        text = canonical_json(content)
        digest = sha256_hex(text)
        stored = StoredRecord.model_validate(
            {**json.loads(text), "record_id": 0, "record_sha256": digest}
        )
        t = records_table
        previous = conn.execute(sa.select(t.c.chain_hmac).order_by(t.c.id.desc()).limit(1))
        count = conn.execute(sa.select(sa.func.count(t.c.id))).scalar_one() + 1
        link = chain_hmac(
            self._key, previous.scalar() or "", digest, stored.case_id, stored.version
        )
        columns = _record_columns(stored) | {
            "record_sha256": digest, "record_json": text, "chain_hmac": link,
        }  # fmt: skip
        insert = sa.insert(t).values(**columns).returning(t.c.id)
        record_id = conn.execute(insert).scalar_one()
        _insert_details(conn, record_id, record)
        return stored.model_copy(update={"record_id": record_id}), count, link

    # -- reading ----------------------------------------------------------------------------

    @staticmethod
    def _latest_row(conn: sa.Connection, case_id: str) -> Row | None:
        t = records_table
        query = sa.select(t.c.id, t.c.version, t.c.reviewer, t.c.finalized_at)
        query = query.where(t.c.case_id == case_id).order_by(t.c.version.desc()).limit(1)
        return conn.execute(query).one_or_none()

    def _read_latest_row(self, case_id: str) -> Row | None:
        with self._reading() as conn:
            return self._latest_row(conn, case_id)

    def current_version(self, case_id: str) -> int | None:
        """The latest finalized version of the case (None if never finalized): open with this."""
        row = self._read_latest_row(case_id)
        return None if row is None else int(row.version)

    def get(self, record_id: int) -> StoredRecord:
        """The record with this id, after checking it against its sha256."""
        with self._reading() as conn:
            row = conn.execute(
                sa.select(records_table).where(records_table.c.id == record_id)
            ).one_or_none()
            if row is None:
                raise AuditRecordNotFoundError(
                    f"there is no audit record {record_id}; pick one from History"
                )
            lines, overrides = (
                conn.execute(
                    sa.select(table)
                    .where(table.c.record_id == record_id)
                    .order_by(table.c.position)
                ).all()
                for table in (lines_table, overrides_table)
            )
            t = records_table
            previous = conn.execute(
                sa.select(t.c.chain_hmac).where(t.c.id < record_id).order_by(t.c.id.desc()).limit(1)
            ).scalar()
        stored = _verified(row, lines, overrides)
        link = chain_hmac(self._key, previous or "", row.record_sha256, row.case_id, row.version)
        if not same(link, row.chain_hmac):
            raise AuditIntegrityError(
                f"audit record {row.id} (case {row.case_id}, version {row.version}) breaks the "
                f"audit chain (rewritten, a record before it deleted, or another key): {_ADVICE}"
            )
        return stored

    def latest(self, case_id: str) -> StoredRecord | None:
        """The newest version of the case, verified; None if it was never finalized."""
        row = self._read_latest_row(case_id)
        return None if row is None else self.get(int(row.id))

    def history(
        self, limit: int = 50, offset: int = 0, case_id: str | None = None
    ) -> list[RecordSummary]:
        """Finalized records, newest first (by time, then id); one case's only if case_id given."""
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise ValueError(f"limit must be 1..{MAX_PAGE} and offset 0 or more")
        t = records_table
        query = sa.select(t.c.id)
        if case_id is not None:
            query = query.where(t.c.case_id == case_id)
        query = query.order_by(t.c.finalized_at.desc(), t.c.id.desc()).limit(limit).offset(offset)
        with self._reading() as conn:
            check_head(conn, self._head)
            ids = list(conn.execute(query).scalars())
        # each shown record is verified (hash, columns, chain link)
        return [RecordSummary.of(self.get(record_id)) for record_id in ids]

    def verify_all(self) -> int:
        """Check every stored record against its sha256; returns how many passed.

        Raises AuditIntegrityError at the first record that fails.
        """
        with self._reading() as conn:
            ids = conn.execute(sa.select(records_table.c.id).order_by(records_table.c.id)).scalars()
            record_ids = list(ids)
            check_head(conn, self._head)
        for record_id in record_ids:
            self.get(record_id)
        return len(record_ids)


def _conflict(case_id: str, latest: Row) -> FinalizeConflictError:
    return FinalizeConflictError(
        case_id, latest.reviewer, datetime.fromisoformat(latest.finalized_at), latest.version
    )


def _check_expected(case_id: str, latest: Row | None, expected: int | None) -> None:
    """Raise unless `expected` is exactly the case's latest version (None = never finalized)."""
    if latest is None:
        if expected is not None:
            raise AmendmentVersionError(
                f"case {case_id} has never been finalized, so there is no version {expected} to "
                "amend; finalize it without an expected version"
            )
        return
    if expected is None or expected < latest.version:
        raise _conflict(case_id, latest)
    if expected > latest.version:
        raise AmendmentVersionError(
            f"case {case_id} has no version {expected} (latest is {latest.version}); reopen it "
            "from History and finalize again"
        )
