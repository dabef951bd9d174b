"""Audit records for the audit-store tests: a valid `FinalizedRecord` with any field changed
(`make_record`), a clock that steps one second per call, and raw sqlite access to the tables.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from criteria.results import Decision
from drafting.audit.models import (
    DrafterRef,
    ExtractorRef,
    FactRecord,
    FinalizedRecord,
    GuidelineRef,
    LineRecord,
    Override,
)

REPO = Path(__file__).resolve().parents[1]


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


def raw(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection (autocommit), bypassing the store."""
    return sqlite3.connect(db_path, isolation_level=None)


def counts(db_path: Path) -> dict[str, int]:
    with raw(db_path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
