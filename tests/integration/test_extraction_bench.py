"""The extraction bench's LLM path: replaying one recorded cassette case, scoring it, and
reporting a cassette mismatch instead of crashing (`bench.extraction_llm`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.extraction_bench import main
from bench.extraction_llm import bench_mode, first_difference, replay_case
from bench.extraction_scores import evidence_of, gold_cases
from criteria.fact_values import compact_facts
from eval.fact_match import EVENT_KEYS
from eval.replay import CASSETTE_DIR, CassetteEntry, cassette_path, interactions_in, load_index

# The recording of G27 is the one in which SmolLM2 got a fact past quote validation, so its
# replay gives the quote check something to check; any other llm cassette case is used if absent.
FILLED_CASE = "G27"


def _one_llm_case() -> CassetteEntry:
    """One recorded llm-extractor case with gold facts (G27 when recorded)."""
    gold_ids = {case.case_id for case, _ in gold_cases()}
    entries = [e for e in load_index().values() if e.extractor == "llm" and e.case_id in gold_ids]
    if not entries:
        pytest.skip("no llm cassette for a gold case with facts in eval/cassettes")
    return min(entries, key=lambda entry: (entry.case_id != FILLED_CASE, entry.case_id))


def test_llm_replay_of_one_cassette_case_is_scored() -> None:
    entry = _one_llm_case()
    result = bench_mode("llm", only={entry.case_id})

    assert [replay.case_id for replay in result.replays] == [entry.case_id]
    replay = result.replays[0]
    assert replay.problems == []
    assert replay.extraction is not None
    # every recorded answer was played, one per HTTP request the extractor made
    assert replay.usage["attempts"] == interactions_in(cassette_path(entry.case_id))
    assert 1 <= replay.usage["calls"] <= replay.usage["attempts"]
    assert replay.usage["prompt_tokens"] > 0
    assert replay.recorded_seconds == entry.seconds

    report, facts = result.llm, replay.extraction.facts
    assert len(report.seconds) == 1
    # whatever reached the facts carries a quote that verifies against the record
    assert report.quotes_total == sum(1 for _ in evidence_of(facts))
    if entry.case_id == FILLED_CASE:
        assert report.quotes_total > 0
    assert report.quotes_ok == report.quotes_total
    assert report.bad_quotes == []

    # counts are consistent with the gold and the extraction, name by name
    gold = replay.extraction.gold
    extracted = {name for name in compact_facts(facts) if not name.startswith("request.")}
    for name, tally in report.by_name.items():
        assert tally.tp + tally.fp + tally.fn > 0, name
        if name not in EVENT_KEYS and name in gold:
            assert tally.tp + tally.fn == 1, name  # each scalar gold fact judged exactly once
            assert tally.tp == 0 or name in extracted, name
    assert sum(report.unjudged.values()) == len(extracted - set(gold))

    # the rules extractor is scored on exactly the same case for the comparison
    assert len(result.rules.seconds) == 1
    assert result.rules.quotes_ok == result.rules.quotes_total


def test_cassette_mismatch_is_reported_with_case_and_request() -> None:
    entry = _one_llm_case()
    case, gold = next(gold_cases(only={entry.case_id}))
    wrong = entry.model_copy(update={"model": "not-the-recorded-model"})

    replay = replay_case(case, gold, wrong)

    assert replay.extraction is None
    first = replay.problems[0]
    assert first.startswith("request 1 (extract:")
    assert "body.model" in first and "not-the-recorded-model" in first
    assert any("fell back to the rules extractor" in problem for problem in replay.problems)


def test_missing_cassette_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    entry = _one_llm_case()
    case, gold = next(gold_cases(only={entry.case_id}))

    replay = replay_case(case, gold, entry, tmp_path)

    assert replay.extraction is None
    assert replay.problems and "CassetteError" in replay.problems[0]


def test_bench_prints_both_extractors_for_the_cassette_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = _one_llm_case()
    shutil.copy(cassette_path(entry.case_id), cassette_path(entry.case_id, tmp_path))
    index = {entry.case_id: entry.model_dump(mode="json")}
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")

    status = main(["--extractor", "llm", "--cassettes", str(tmp_path)])

    printed = capsys.readouterr().out
    assert status == 0
    assert "Extraction bench [llm, replayed]: 1 gold cases" in printed
    assert "Extraction bench [rules, same cases as llm]: 1 gold cases" in printed
    assert f"  {entry.case_id} " in printed and "CASSETTE MISMATCH" not in printed


def test_hybrid_without_cassettes_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    if any(entry.extractor == "hybrid" for entry in load_index(CASSETTE_DIR).values()):
        pytest.skip("hybrid cassettes exist")
    assert main(["--extractor", "hybrid"]) == 0
    assert "no cassettes recorded with extractor hybrid" in capsys.readouterr().out


def test_first_difference_points_at_the_changed_place() -> None:
    recorded = {"model": "m", "messages": [{"content": "abc def"}], "temperature": 0}
    assert first_difference(recorded, recorded) is None
    sent = {"model": "m", "messages": [{"content": "abc xef"}], "temperature": 0}
    assert (first_difference(recorded, sent) or "").startswith(
        "body.messages[0].content differs at character 4"
    )
    assert "body.seed was sent" in (first_difference(recorded, {**recorded, "seed": 1}) or "")
    assert first_difference([1, 2], [1]) == "body has 1 items, 2 recorded"
