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


def _g01():  # type: ignore[no-untyped-def]
    return determine(load_case(GOLD / "G01.json"), RULES, today=TODAY)


def test_evidence_of_a_criterion_is_the_events_that_decided_it() -> None:
    from drafting.review import deciding_evidence

    result = _g01()
    index = 0
    quotes = [e.quote for e in deciding_evidence(result, index, "epidural.esi.imaging")]
    assert any(q.startswith("L5-S1: Left paracentral disc extrusion") for q in quotes), quotes
    assert not [q for q in quotes if "No disc herniation" in q], quotes
    assert len(quotes) == len(set(quotes))
    everything = [e.quote for c in result.lines[0].criteria if c.id == "epidural.esi.imaging"
                  for e in c.evidence]  # fmt: skip
    assert any("No disc herniation" in q for q in everything)  # what the engine offered


def test_a_quote_is_shown_as_its_whole_sentence() -> None:
    from app_pages.highlight import whole_sentence

    text = "S: Pain 7/10, worse sitting, better lying. Next.\nL1-L2: No disc herniation. Canal ok."
    assert whole_sentence(text, "worse sitting") == "S: Pain 7/10, worse sitting, better lying."
    assert whole_sentence(text, "No disc herniation") == "L1-L2: No disc herniation."
    assert whole_sentence(text, "not in the text") == "not in the text"


def test_nested_facts_are_overridden_event_by_event() -> None:
    from drafting.review import apply_overrides, event_choices, new_entry

    result = _g01()
    paths = [path for path, _label in event_choices(result.case_facts, "imaging.findings")]
    assert "imaging.studies[0].findings[4]" in paths and "imaging.studies[1]" in paths
    entry = new_entry(
        result,
        "imaging.studies[0].modality",
        "xray",
        "the report is a radiograph",
        "Dr. Rivera",
        quote="MRI LUMBAR SPINE WITHOUT CONTRAST",
        document="MRI lumbar spine report",
    )
    assert (entry["old"], entry["new"]) == ("mri", "xray")
    after = apply_overrides(result, [entry], RULES)
    # with the MRI corrected to a radiograph no MRI or CT is left to show a compressed root:
    # the decision re-runs and asks for the advanced imaging report
    assert [line.decision for line in result.lines] != [line.decision for line in after.lines]
    assert [line.decision for line in after.lines] == ["pended"] * 3
    assert after.case_facts.imaging.studies[0].evidence[0].quote.startswith("MRI LUMBAR")
    procedure = new_entry(
        after,
        "procedures.prior[0].type",
        "esi",
        "a prior injection the note mentions",
        "Dr. Rivera",
        quote="Failed 8 wks PT + NSAID + gabapentin.",
        document="Pain management consultation",
    )
    added = apply_overrides(result, [entry, procedure], RULES)
    assert [p.type for p in added.case_facts.procedures.prior or []] == ["esi"]
