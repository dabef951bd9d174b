"""Facts the offline reader extracts from a short synthetic note: shared by the reader tests."""

from __future__ import annotations

import json
from typing import Any

from criteria.facts import CaseFacts
from drafting.case.loaders import parse_case_json
from drafting.extraction.rules import extract_facts


def facts(text: str, code: str = "64493") -> CaseFacts:
    data: dict[str, Any] = {
        "case_id": "T2",
        "received": "2026-09-14",
        "patient": {"age": 60, "sex": "M"},
        "request": {
            "services": [{"code": code, "description": "test", "side": "left", "levels": []}],
            "diagnoses": [{"code": "M47.816", "description": "test"}],
        },
        "documents": [{"title": "Office note", "date": "2026-09-01", "text": text}],
    }
    return extract_facts(parse_case_json(json.dumps(data)))


def value(facts: CaseFacts, name: str) -> Any:
    fact = facts.get(name)
    return None if fact is None else fact.value


def si_facts(text: str) -> CaseFacts:
    return facts(text, code="27096")
