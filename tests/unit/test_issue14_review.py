"""Issue 14, review screens: progress per document while facts are extracted (item 3), overrides
of nested facts (imaging studies and findings, prior procedures), evidence that decided a
criterion, and quotes shown as whole sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from drafting.case.loaders import load_case
from drafting.extraction.rules import extract_facts_timed
from drafting.llm.settings import Settings
from drafting.pipeline import determine

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "cases"
TODAY = date(2026, 12, 4)
RULES = Settings(extractor="rules", drafter="template")


def test_progress_names_each_document_as_it_is_read() -> None:
    case = load_case(GOLD / "G01.json")
    heard: list[tuple[int, int, str]] = []
    extract_facts_timed(case, lambda number, count, title: heard.append((number, count, title)))
    titles = [d.title for d in case.documents]
    assert heard == [(i + 1, len(titles), t) for i, t in enumerate(titles)]
    stages: list[str] = []
    determine(case, RULES, today=TODAY, progress=stages.append)
    reading = [s for s in stages if s.startswith("reading document")]
    assert reading == [f"reading document {i + 1} of 3: {t}" for i, t in enumerate(titles)]
    assert stages.index(reading[-1]) < stages.index("deciding and drafting")
