"""Every gold source (eval.sources: external, real, new) holds the same promises as the own set:
cases load under the contract, every fact quote is verbatim in its document, every event list is
a list of events, every guideline quote is verbatim in the guideline, and every decision follows
its own criteria rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.fact_match import EVENT_KEYS
from eval.gold_set import load_gold
from eval.sources import SOURCES, decision_right

GUIDELINE = Path(__file__).resolve().parents[2] / "guideline_corpus/carelon_ipm/guideline.md"
OTHER_SOURCES = [name for name in SOURCES if name != "own"]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _quotes(entry: Any) -> list[tuple[str, int]]:
    """(quote, document) of a compact fact and of every event and finding inside it."""
    found: list[tuple[str, int]] = []
    if isinstance(entry, dict):
        if isinstance(entry.get("quote"), str) and isinstance(entry.get("document"), int):
            found.append((entry["quote"], entry["document"]))
        for value in entry.values():
            found.extend(_quotes(value))
    elif isinstance(entry, list):
        for value in entry:
            found.extend(_quotes(value))
    return found


def _rule(rows: list[dict[str, Any]]) -> str:
    statuses = {row["status"] for row in rows}
    if statuses & {"excluded", "not_met"}:
        return "denied"
    return "pended" if "not_documented" in statuses else "approved"


@pytest.mark.parametrize("source", OTHER_SOURCES)
def test_source_quotes_and_decisions(source: str) -> None:
    gold_cases = load_gold(SOURCES[source])
    assert len(gold_cases) >= (12 if source == "fresh" else 19)
    guideline = _norm(GUIDELINE.read_text(encoding="utf-8"))
    for gold in gold_cases:
        documents = [_norm(d.text) for d in gold.case.documents]
        for name, entry in gold.gold_facts.items():
            for quote, index in _quotes(entry):
                assert _norm(quote) in documents[index], (gold.case_id, name, quote)
            if name in EVENT_KEYS:  # an event list is a list of events, each a mapping
                events = entry.get("value") if isinstance(entry, dict) else entry
                assert isinstance(events, list), (gold.case_id, name)
                assert all(isinstance(e, dict) for e in events), (gold.case_id, name, events)
        codes = [s.code for s in gold.case.request.services]
        assert [str(row["code"]) for row in gold.gold_lines] == codes, gold.case_id
        for row in gold.gold_lines:
            for deciding in row.get("deciding") or []:
                assert _norm(deciding["quote"]) in guideline, (gold.case_id, deciding["quote"])
            expected = _rule(row.get("deciding") or [])
            assert decision_right(str(row["decision"]), expected), (gold.case_id, row["code"])
