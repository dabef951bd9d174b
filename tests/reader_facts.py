"""Facts the offline reader extracts from a short synthetic note, and the synthetic request
those notes come in: shared by the reader and extraction tests."""

from __future__ import annotations

import json
from typing import Any

from criteria.facts import CaseFacts
from drafting.case.contract import Case
from drafting.case.loaders import parse_case_json
from drafting.extraction.rules import extract_facts


def note_case(
    *documents: tuple[str, str, str],
    code: str = "64493",
    patient: tuple[int, str] = (60, "M"),
    diagnosis: str = "M47.816",
    case_id: str = "T2",
) -> Case:
    """A request for one left-sided `code`, its `documents` given as (title, date, text)."""
    age, sex = patient
    data: dict[str, Any] = {
        "case_id": case_id,
        "received": "2026-09-14",
        "patient": {"age": age, "sex": sex},
        "request": {
            "services": [{"code": code, "description": "test", "side": "left", "levels": []}],
            "diagnoses": [{"code": diagnosis, "description": "test"}],
        },
        "documents": [{"title": t, "date": d, "text": x} for t, d, x in documents],
    }
    return parse_case_json(json.dumps(data))


def facts(text: str, code: str = "64493") -> CaseFacts:
    """What the reader takes from one office note on a request for `code`."""
    return extract_facts(note_case(("Office note", "2026-09-01", text), code=code))


def value(facts: CaseFacts, name: str) -> Any:
    fact = facts.get(name)
    return None if fact is None else fact.value


def si_facts(text: str) -> CaseFacts:
    return facts(text, code="27096")


def documents_facts(*documents: tuple[str, str, str], code: str = "64635") -> CaseFacts:
    """What the reader takes from several (title, date, text) documents on a request for `code`."""
    return extract_facts(note_case(*documents, code=code))
