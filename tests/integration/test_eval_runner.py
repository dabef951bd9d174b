"""The eval runner end to end: offline run files, scoring against a gold letter, compare, replay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from drafting.extraction.rules import EXTRACTOR_NAME
from drafting.llm.settings import Settings
from drafting.pipeline import Result, determine, load_guideline
from eval import letter_metrics as lm
from eval import replay
from eval.commands import eval_main
from eval.compare import changed_outcomes
from eval.gold_set import DEFAULT_GOLD_DIR, load_gold_case
from eval.runner import RunOptions, RunOutcome, load_rows, run_eval
from eval.scoring import score_result

CASES = ("G10", "G24")


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    out = tmp_path_factory.mktemp("results")
    return run_eval(RunOptions(cases=CASES, out_dir=out, run_id="a", progress=False))


@pytest.fixture(scope="module")
def g10_result() -> Result:
    gold = load_gold_case("G10")
    return determine(gold.case, Settings(), today=gold.case.received)


def _label(case_id: str) -> dict[str, object]:
    path = DEFAULT_GOLD_DIR / "labels" / f"{case_id}.yaml"
    data: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_offline_run_writes_one_row_per_case_keyed_by_case_id(offline_run: RunOutcome) -> None:
    rows = load_rows(offline_run.run_dir)
    assert [row.case_id for row in rows] == list(CASES)
    for row in rows:
        gold_lines = _label(row.case_id)["lines"]
        assert isinstance(gold_lines, list)
        assert [(x.code, x.gold) for x in row.lines] == [
            (str(g["code"]), g["decision"]) for g in gold_lines
        ]
        assert row.error is None
        assert row.extractor == EXTRACTOR_NAME and row.drafter == "template"
        assert row.tokens == {} and row.seconds > 0
        assert {"decision_accuracy", "criterion_agreement", "element_coverage"} <= set(row.metrics)


def test_letters_are_dated_with_the_received_date(offline_run: RunOutcome) -> None:
    for row in offline_run.rows:
        received = load_gold_case(row.case_id).case.received
        assert row.letter_date == received.isoformat()


def test_summary_pools_the_rows(offline_run: RunOutcome) -> None:
    summary = json.loads((offline_run.run_dir / "summary.json").read_text(encoding="utf-8"))
    lines = [line for row in offline_run.rows for line in row.lines]
    assert summary["cases"] == 2 and summary["lines"] == len(lines) == 3
    right = sum(line.correct for line in lines)
    assert summary["metrics"]["decision_accuracy"]["value"] == pytest.approx(right / 3, abs=1e-4)
    assert sum(sum(row.values()) for row in summary["confusion"].values()) == 3
    letters = [DEFAULT_GOLD_DIR / "letters" / f"{c}.json" for c in CASES]
    recall = summary["metrics"]["citation_recall"]
    if any(path.is_file() for path in letters):
        assert recall["value"] is not None and "cases" in recall["reason"]
    else:
        assert recall == {"value": None, "reason": "no gold letter"}


def test_report_and_plots_are_written(offline_run: RunOutcome) -> None:
    report = (offline_run.run_dir / "report.md").read_text(encoding="utf-8")
    assert "| decision_accuracy |" in report and "## Worst cases" in report
    for name in ("confusion", "criterion_agreement", "fact_group_f1", "latency"):
        data = (offline_run.run_dir / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_gold_letter_metrics(tmp_path: Path, g10_result: Result) -> None:
    gold_dir = tmp_path / "gold"
    for sub, suffix in (("cases", "json"), ("labels", "yaml")):
        (gold_dir / sub).mkdir(parents=True)
        shutil.copy(DEFAULT_GOLD_DIR / sub / f"G10.{suffix}", gold_dir / sub)
    (gold_dir / "letters").mkdir()
    letter = {"case_id": "G10", "text": g10_result.letter.text, "passages": ["x/never-cited"]}
    (gold_dir / "letters" / "G10.json").write_text(json.dumps(letter), encoding="utf-8")
    gold = load_gold_case("G10", gold_dir)
    row = score_result(gold, g10_result, 1.0, load_guideline().passages)
    assert row.metrics["rouge_l"].value == pytest.approx(1.0)
    assert row.metrics["citation_recall"].value == 0.0
    assert "missed: x/never-cited" in row.metrics["citation_recall"].reason
    assert row.metrics["citation_validity"].value == 1.0


def test_element_coverage_and_claims_on_a_real_letter(g10_result: Result) -> None:
    r = g10_result
    title = r.guideline.title
    full = lm.element_coverage(r.letter.text, r.lines, r.case, title)
    assert full[0] == 1.0
    cut = "\n".join(r.letter.text.splitlines()[:3])
    value, reason = lm.element_coverage(cut, r.lines, r.case, title)
    assert value is not None and value < 1.0 and "missing:" in reason
    guideline = [p.text for p in load_guideline().passages.values()]
    clean = lm.unsupported_claim_rate(r.letter.text, r.case, guideline)
    assert clean[0] == 0.0
    invented = r.letter.text + "\nThe patient reported 97% relief on 2019-03-04.\n"
    rate = lm.unsupported_claim_rate(invented, r.case, guideline)
    assert rate[0] is not None and rate[0] > 0 and "97%" in rate[1] and "2019-03-04" in rate[1]


def test_compare_lists_changed_outcomes(
    offline_run: RunOutcome, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_b = tmp_path / "b"
    shutil.copytree(offline_run.run_dir, run_b)
    rows = load_rows(run_b)
    line = rows[1].lines[1]
    flipped = "approved" if line.predicted != "approved" else "pended"
    line.predicted = flipped
    (run_b / "cases.jsonl").write_text(
        "".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8"
    )
    changes = changed_outcomes(offline_run.rows, rows)
    assert len(changes) == 1 and changes[0].startswith(f"G24/{line.code}:")
    assert eval_main(["--compare", str(offline_run.run_dir), str(run_b)]) == 0
    printed = capsys.readouterr().out
    assert "decision_accuracy" in printed and "lines whose outcome changed: 1" in printed


def test_unknown_cases_and_runs_fail_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_main(["--cases", "ZZ99", "--no-progress"]) == 2
    assert "no labelled gold case ZZ99" in capsys.readouterr().err
    assert eval_main(["--compare", "no-such-run", "nor-this"]) == 2


def test_record_needs_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(replay.CassetteError, match="OPENAI_BASE_URL"):
        run_eval(RunOptions(mode="record", cases=("G10",), progress=False))


def test_a_failed_recording_keeps_the_previous_cassette(tmp_path: Path) -> None:
    case_id = _recorded()[0]
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    shutil.copy(replay.cassette_path(case_id), cassettes)
    shutil.copy(replay.CASSETTE_DIR / replay.INDEX_NAME, cassettes)
    before = replay.cassette_path(case_id, cassettes).read_bytes()
    options = RunOptions(
        mode="record",
        extractor="llm",
        drafter="template",
        cases=(case_id,),
        out_dir=tmp_path / "results",
        cassette_dir=cassettes,
        base_url="http://127.0.0.1:9/v1",  # nothing listens: every call fails at once
        model="unreachable-test-model",
        progress=False,
    )
    (row,) = run_eval(options).rows
    assert row.error is not None and "previous cassette" in row.error
    assert replay.cassette_path(case_id, cassettes).read_bytes() == before
    assert replay.load_index(cassettes) == replay.load_index()
    assert not list(cassettes.glob("*.recording.yaml"))


# --- replay of the recorded cassettes -----------------------------------------------------------


def _recorded() -> list[str]:
    return sorted(replay.load_index())


def test_cassettes_are_recorded_without_credentials() -> None:
    recorded = _recorded()
    assert recorded, "eval/cassettes/index.json lists no case: record with determine eval --record"
    for case_id in recorded:
        text = replay.cassette_path(case_id).read_text(encoding="utf-8").lower()
        assert "authorization" not in text and "bearer" not in text
        assert replay.interactions_in(replay.cassette_path(case_id)) > 0


def test_replay_serves_every_llm_answer_from_the_cassette(tmp_path: Path) -> None:
    case_id = _recorded()[0]
    outcome = run_eval(
        RunOptions(mode="replay", cases=(case_id,), out_dir=tmp_path, run_id="r", progress=False)
    )
    (row,) = outcome.rows
    assert row.error is None, row.error
    assert row.extractor.startswith("llm(") and row.tokens["calls"] > 0
    assert row.metrics["llm_tokens"].value is not None and row.metrics["llm_tokens"].value > 0
    assert outcome.summary["mode"] == "replay"


def test_replay_of_a_changed_case_is_reported_as_diverged(tmp_path: Path) -> None:
    case_id = _recorded()[0]
    gold_dir = tmp_path / "gold"
    for sub, suffix in (("cases", "json"), ("labels", "yaml")):
        (gold_dir / sub).mkdir(parents=True)
        shutil.copy(DEFAULT_GOLD_DIR / sub / f"{case_id}.{suffix}", gold_dir / sub)
    path = gold_dir / "cases" / f"{case_id}.json"
    case = json.loads(path.read_text(encoding="utf-8"))
    case["documents"][0]["text"] += "\nAddendum: pain unchanged."
    path.write_text(json.dumps(case), encoding="utf-8")
    options = RunOptions(
        gold_dir=gold_dir, mode="replay", cases=(case_id,), out_dir=tmp_path, progress=False
    )
    (row,) = run_eval(options).rows
    assert row.error is not None and "diverged" in row.error


def test_worker_processes_give_the_rows_one_by_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tuple(f"G{n:02d}" for n in range(1, 23))  # enough cases for the workers to share
    rows = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("DETERMINE_EVAL_WORKERS", workers)
        run = run_eval(RunOptions(cases=cases, out_dir=tmp_path, run_id=workers, progress=False))
        rows[workers] = [
            (r.case_id, [line.model_dump() for line in r.lines], r.error) for r in run.rows
        ]
    assert [case_id for case_id, _, _ in rows["2"]] == list(cases)
    assert rows["2"] == rows["1"]
