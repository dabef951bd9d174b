"""Where the audit trail lives and how the database is held to it: tables, triggers, engine.

Three tables: `audit_records` (one row per finalized version of a case: queryable columns plus
the canonical record JSON and its sha256), `audit_lines` (code and decision per line) and
`audit_overrides` (one row per reviewer override). `immutability_ddl` makes the database itself
refuse UPDATE and DELETE (SQLite triggers; PostgreSQL trigger function). `create_audit_engine`
turns a URL into an engine with one-line errors for a bad URL, an unknown database kind or a
missing driver; on SQLite it sets WAL, synchronous=FULL and foreign keys on every connection and
lets a connection ask for BEGIN IMMEDIATE (`IMMEDIATE_OPTION`) so finalizes queue one at a time.

    DETERMINE_AUDIT_URL   any SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db); unset
                          means SQLite at <DETERMINE_DATA_DIR>/audit.sqlite3 (retrieval.config)
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from drafting.audit.models import AuditDatabaseError
from retrieval.config import get_settings

AUDIT_URL_ENV = "DETERMINE_AUDIT_URL"
AUDIT_FILE_NAME = "audit.sqlite3"
BUSY_TIMEOUT_S = 30.0
IMMEDIATE_OPTION = "audit_begin_immediate"
_EXAMPLE_URLS = "sqlite:////abs/path/audit.sqlite3 or postgresql+psycopg://user@host/dbname"

metadata = sa.MetaData()
records_table = sa.Table(
    "audit_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("amends_record_id", sa.Integer, sa.ForeignKey("audit_records.id")),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("finalized_at", sa.String(32), nullable=False),  # ISO 8601 UTC, sorts as text
    sa.Column("guideline_id", sa.Text, nullable=False),
    sa.Column("guideline_version", sa.Text, nullable=False),
    sa.Column("extractor", sa.String(16), nullable=False),
    sa.Column("extractor_model", sa.Text),
    sa.Column("drafter", sa.String(16), nullable=False),
    sa.Column("drafter_model", sa.Text),
    sa.Column("letter_sha256", sa.String(64), nullable=False),
    sa.Column("record_sha256", sa.String(64), nullable=False),
    sa.Column("record_json", sa.Text, nullable=False),
    sa.Column("chain_hmac", sa.String(64)),  # drafting.audit.chain; null only before chaining
    sa.UniqueConstraint("case_id", "version", name="uq_audit_records_case_version"),
    sa.Index("ix_audit_records_finalized_at", "finalized_at"),
)


def _record_rows(name: str, *columns: sa.Column[Any]) -> sa.Table:
    """A table of rows that belong to one audit record, each at its own position in it."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.ForeignKey("audit_records.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        *columns,
        sa.UniqueConstraint("record_id", "position", name=f"uq_{name}_position"),
    )


lines_table = _record_rows(
    "audit_lines",
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
)
overrides_table = _record_rows(
    "audit_overrides",
    sa.Column("fact", sa.Text, nullable=False),
    sa.Column("old_value_json", sa.Text, nullable=False),
    sa.Column("new_value_json", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),  # ISO 8601 UTC
)
AUDIT_TABLES = tuple(metadata.tables)
_IMMUTABLE = "rows are immutable; finalize an amendment instead"


def immutability_ddl(dialect: str) -> list[str]:
    """Statements that make the audit tables refuse UPDATE and DELETE on this database."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} {_IMMUTABLE} ({action} refused)'); END"
            for table in AUDIT_TABLES
            for action in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        function = (
            "CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN RAISE EXCEPTION 'audit {_IMMUTABLE}'; END $$"
        )
        return [function] + [
            f"CREATE OR REPLACE TRIGGER {table}_{name} BEFORE {what} ON {table} "
            f"FOR EACH {each} EXECUTE FUNCTION audit_reject_change()"
            for table in AUDIT_TABLES
            for name, what, each in (
                ("immutable", "UPDATE OR DELETE", "ROW"),
                ("no_truncate", "TRUNCATE", "STATEMENT"),
            )
        ]
    return []


def add_missing_columns(conn: sa.Connection) -> None:
    """Add columns newer than an existing database (ALTER TABLE ADD COLUMN; rows keep null)."""
    present = {column["name"] for column in sa.inspect(conn).get_columns("audit_records")}
    if "chain_hmac" not in present:
        conn.exec_driver_sql("ALTER TABLE audit_records ADD COLUMN chain_hmac VARCHAR(64)")


def audit_url_from_environment() -> str:
    """DETERMINE_AUDIT_URL, else the default SQLite file (its folder is created)."""
    configured = os.environ.get(AUDIT_URL_ENV, "").strip()
    if configured:
        return configured
    path = default_audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def default_audit_path() -> Path:
    """`<data dir>/audit.sqlite3`, the database used when DETERMINE_AUDIT_URL is unset."""
    return get_settings().data_dir / AUDIT_FILE_NAME


def masked_url(url_text: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url_text).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url_text)


def one_line(exc: BaseException) -> str:
    """The database's own message for `exc`, on one short line."""
    text = " ".join(str(getattr(exc, "orig", None) or exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: switching a fresh file to WAL needs a lock that other
        # processes opening it at the same moment may hold. SQLite does not always wait for it
        # (it answers "database is locked" at once where waiting could deadlock), so the switch
        # is retried until the same timeout.
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if not locked or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        for pragma in ("synchronous=FULL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: sa.Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_audit_engine(url_text: str) -> sa.Engine:
    """An engine for `url_text`; AuditDatabaseError says how to fix a bad URL or driver."""
    shown = masked_url(url_text)
    try:
        url = make_url(url_text)
    except ArgumentError as exc:
        raise AuditDatabaseError(
            f"audit database URL {shown!r} is not a database URL; "
            f"set {AUDIT_URL_ENV} to e.g. {_EXAMPLE_URLS}"
        ) from exc
    is_sqlite = url.get_backend_name() == "sqlite"
    connect_args = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False} if is_sqlite else {}
    try:
        engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=not is_sqlite)
    except NoSuchModuleError as exc:
        raise AuditDatabaseError(
            f"audit database URL {shown!r} names an unknown database kind "
            f"{url.drivername!r}; set {AUDIT_URL_ENV} to e.g. {_EXAMPLE_URLS}"
        ) from exc
    except ImportError as exc:
        raise AuditDatabaseError(
            f"audit database URL {shown!r} needs the Python driver {exc.name!r}, which is not "
            "installed; install it (psycopg[binary] for postgresql+psycopg) or use SQLite"
        ) from exc
    if is_sqlite:
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
    return engine
