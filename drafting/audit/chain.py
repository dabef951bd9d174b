"""The keyed chain over the audit records: what makes a consistent rewrite or a deletion visible.

Each record stores `chain_hmac` = HMAC-SHA256(key, previous record's chain_hmac, its own
record_sha256, case id and version), in insertion (id) order. Rewriting a record, even with its
sha256, columns and lines recomputed, breaks its link (the key is not in the database); deleting
a record breaks the next one's link. Deleting the newest records leaves a shorter chain that is
still valid, so the store also keeps the head it last wrote (count and chain_hmac) outside the
database (`<database file>.head` for SQLite, `<data dir>/audit-heads/` otherwise): a chain shorter
than its head, or one whose record at the head's position differs, lost records.

    DETERMINE_AUDIT_KEY   the chain key (at least 16 characters); unset, a random key is kept in
                          <DETERMINE_DATA_DIR>/audit.key, created on first use with mode 0600
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

import sqlalchemy as sa

from drafting.audit.models import AuditDatabaseError, AuditIntegrityError
from drafting.audit.schema import records_table
from retrieval.config import get_settings

AUDIT_KEY_ENV = "DETERMINE_AUDIT_KEY"
KEY_FILE_NAME = "audit.key"
MIN_KEY_CHARS = 16


def audit_key() -> bytes:
    """The chain key: DETERMINE_AUDIT_KEY, else the data dir's key file (created if missing)."""
    configured = os.environ.get(AUDIT_KEY_ENV, "").strip()
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise AuditDatabaseError(
                f"{AUDIT_KEY_ENV} is {len(configured)} characters; use at least {MIN_KEY_CHARS} "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return configured.encode("utf-8")
    return _key_file(get_settings().data_dir / KEY_FILE_NAME)


def _key_file(path: Path) -> bytes:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32) + "\n")
        for _ in range(50):  # another process may have created it a moment ago
            text = path.read_text(encoding="ascii").strip()
            if text:
                break
            time.sleep(0.02)
        if path.stat().st_mode & 0o077:
            raise AuditDatabaseError(
                f"the audit key file {path} can be read by other users; chmod 600 it"
            )
    except OSError as exc:
        raise AuditDatabaseError(
            f"cannot read or create the audit key file {path} ({exc.strerror or exc}); "
            f"check the data folder or set {AUDIT_KEY_ENV}"
        ) from exc
    if len(text) < MIN_KEY_CHARS:
        raise AuditDatabaseError(f"the audit key file {path} is empty or too short; restore it")
    return text.encode("ascii")


def chain_hmac(key: bytes, previous: str, record_sha256: str, case_id: str, version: int) -> str:
    """The link of one record: keyed over its predecessor's link and its own identity."""
    message = "\n".join([previous, record_sha256, case_id, str(version)])
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def same(expected: str, stored: str | None) -> bool:
    """Constant-time comparison of two links."""
    return stored is not None and hmac.compare_digest(expected, stored)


def head_path(url_text: str, sqlite_file: str | None) -> Path:
    """Where the head of this database's chain is kept."""
    if sqlite_file and sqlite_file != ":memory:":
        return Path(sqlite_file).with_name(Path(sqlite_file).name + ".head")
    digest = hashlib.sha256(url_text.encode("utf-8")).hexdigest()[:16]
    return get_settings().data_dir / "audit-heads" / f"{digest}.json"


def read_head(path: Path) -> tuple[int, str] | None:
    """(count, chain_hmac) of the last head written; None when none was written yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["count"]), str(data["chain_hmac"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AuditDatabaseError(
            f"the audit chain head {path} cannot be read ({exc}); restore it from a backup"
        ) from exc


def write_head(path: Path, count: int, link: str) -> None:
    """Record the chain's head, unless a longer one is already recorded (another writer)."""
    current = read_head(path)
    if current is not None and current[0] >= count:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"count": count, "chain_hmac": link}), encoding="utf-8")
    os.replace(temporary, path)


def check_head(conn: sa.Connection, path: Path) -> None:
    """Raise if records the chain's head (kept outside the database) counted are gone."""
    head = read_head(path)
    if head is None:
        return
    count, link = head
    t = records_table
    total = conn.execute(sa.select(sa.func.count(t.c.id))).scalar_one()
    at_head = conn.execute(
        sa.select(t.c.chain_hmac).order_by(t.c.id).offset(count - 1).limit(1)
    ).scalar()
    if total < count or not same(link, at_head):
        lost = f"{count - total} record(s)" if total < count else "records"
        raise AuditIntegrityError(
            f"the audit chain held {count} records when last written, {lost} were deleted or "
            "replaced since: it was changed outside this tool; do not rely on it, restore the "
            "audit database from a backup and report the incident"
        )
