"""Run `drafting.pipeline.determine` over the gold cases and write the run's files.

Modes:

- ``offline`` (default): rules extractor and template drafter unless told otherwise; no network.
  Asking for an LLM extractor or drafter here calls the endpoint the environment configures
  (``DETERMINE_LLM_MODEL``, ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``) live, with no cassette.
- ``replay``: the cases recorded in `eval/cassettes/index.json`, each with the settings it was
  recorded with, every LLM answer served from its cassette (`eval.replay`); nothing leaves the
  machine and a request the cassette does not hold fails.
- ``record``: runs against a live endpoint and writes `eval/cassettes/<case_id>.yaml` (extractor
  ``llm`` and drafter ``template`` unless told otherwise).

Every letter is dated with the case's received date, so runs are comparable. A run writes
``<out>/<run_id>/cases.jsonl`` (one `CaseRow` per case), ``summary.json`` and ``report.md`` with
its plots (`eval.report`).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from tqdm import tqdm

from drafting.llm.client import LLMClient
from drafting.llm.settings import DrafterName, ExtractorName, Settings, load_settings
from drafting.pipeline import determine, load_guideline
from eval import replay
from eval.gold_set import DEFAULT_GOLD_DIR, GoldCase, load_gold
from eval.scoring import CaseRow, error_row, score_result, summarize
from guideline_corpus.passages import Passage
from tools.llm_server import MODEL_ALIAS

Mode = Literal["offline", "replay", "record"]
DEFAULT_OUT_DIR = Path("eval/results")


class RunOptions(BaseModel):
    """What to run: which cases, with which extractor/drafter, live, replayed or recorded."""

    model_config = ConfigDict(frozen=True)

    gold_dir: Path = DEFAULT_GOLD_DIR
    mode: Mode = "offline"
    extractor: ExtractorName | None = None
    drafter: DrafterName | None = None
    cases: tuple[str, ...] = ()
    out_dir: Path = DEFAULT_OUT_DIR
    run_id: str | None = None
    cassette_dir: Path = replay.CASSETTE_DIR
    base_url: str | None = Field(default=None, description="record: the live endpoint")
    model: str | None = Field(default=None, description="record: the model name to send")
    progress: bool = True


@dataclass
class RunOutcome:
    """A finished run: its directory, rows and summary, and how long it took."""

    run_dir: Path
    rows: list[CaseRow]
    summary: dict[str, Any]
    seconds: float


@dataclass
class CasePlan:
    """How one case runs: its settings, and the cassette mode when an LLM is replayed/recorded."""

    gold: GoldCase
    settings: Settings
    cassette: replay.RecordMode | None


def _default_run_id(options: RunOptions, settings: Settings) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{options.mode}-{settings.extractor}-{settings.drafter}-{stamp}"


def _offline_settings(options: RunOptions) -> Settings:
    base = load_settings()
    return base.model_copy(
        update={"extractor": options.extractor or "rules", "drafter": options.drafter or "template"}
    )


def _record_settings(options: RunOptions) -> Settings:
    base_url = options.base_url or os.environ.get("OPENAI_BASE_URL")
    if not base_url:
        raise replay.CassetteError(
            "--record needs a live endpoint: set OPENAI_BASE_URL or pass --start-server"
        )
    return replay.llm_settings(
        options.extractor or "llm",
        options.drafter or "template",
        options.model or os.environ.get("DETERMINE_LLM_MODEL") or MODEL_ALIAS,
        base_url,
        os.environ.get("OPENAI_API_KEY"),
    )


def plan_cases(options: RunOptions) -> list[CasePlan]:
    """The cases to run and the settings of each (replay: as recorded, per case)."""
    if options.mode == "offline":
        settings = _offline_settings(options)
        return [CasePlan(g, settings, None) for g in load_gold(options.gold_dir, options.cases)]
    if options.mode == "record":
        settings = _record_settings(options)
        return [CasePlan(g, settings, "all") for g in load_gold(options.gold_dir, options.cases)]
    index = replay.load_index(options.cassette_dir)
    wanted = [c for c in (options.cases or tuple(index)) if c in index]
    if not wanted:
        raise replay.CassetteError(
            f"no recorded cassette for {', '.join(options.cases) or 'any case'} in "
            f"{options.cassette_dir}: record some with `determine eval --record --cases ...`"
        )
    plans = []
    for gold in load_gold(options.gold_dir, wanted):
        entry = index[gold.case_id]
        settings = replay.llm_settings(
            options.extractor or entry.extractor,
            options.drafter or entry.drafter,
            entry.model,
            replay.REPLAY_BASE_URL,
            None,
        )
        plans.append(CasePlan(gold, settings, "none"))
    return plans


def _cassette(plan: CasePlan, directory: Path) -> AbstractContextManager[Any]:
    if plan.cassette is None:
        return nullcontext()
    return replay.cassette(plan.gold.case_id, plan.cassette, directory)


def _refuse_a_fallback_recording(case_id: str, kind: ExtractorName, flags: list[str]) -> None:
    """A recording whose LLM extractor fell back to the rules would replay a failure: refuse it."""
    if kind == "rules":
        reason = next((flag for flag in flags if "LLM extractor" in flag), "the LLM was not used")
        raise replay.CassetteError(
            f"recording {case_id}: the LLM extractor fell back to the rules ({reason[:160]}); "
            "the previous cassette is kept"
        )


def run_case(plan: CasePlan, options: RunOptions, guideline: Mapping[str, Passage]) -> CaseRow:
    """Determine one case (replaying or recording its LLM calls if asked) and score it."""
    gold, settings = plan.gold, plan.settings
    started = time.perf_counter()
    try:
        client = LLMClient.from_settings(settings) if settings.wants_llm else None
        with _cassette(plan, options.cassette_dir) as cassette:
            result = determine(gold.case, settings, today=gold.case.received, client=client)
            if plan.cassette == "all" and settings.extractor != "rules":
                _refuse_a_fallback_recording(gold.case_id, result.extractor_kind, result.flags)
        seconds = time.perf_counter() - started
    except Exception as error:
        return error_row(gold, error, time.perf_counter() - started)
    row = score_result(gold, result, seconds, guideline)
    if plan.cassette == "none" and cassette is not None and not cassette.all_played:
        # Replay is deterministic: the same requests in the same order play every recorded answer.
        # An unplayed answer means a request differed (prompt, model, settings or code changed).
        row.error = (
            f"replay diverged from the recording: {cassette.play_count} of {len(cassette)} "
            "recorded answers used (re-record the case with --record)"
        )
    if plan.cassette == "all":
        replay.save_entry(replay.new_entry(gold.case_id, settings, seconds, options.cassette_dir))
    return row


def _progress(plans: list[CasePlan], enabled: bool) -> Iterator[CasePlan]:
    bar = tqdm(plans, file=sys.stderr, disable=not enabled, unit="case", desc="eval")
    for plan in bar:
        bar.set_postfix_str(plan.gold.case_id)
        yield plan


# offline runs (rules extractor, template drafter: no LLM, no cassette) share the cases among
# worker processes; DETERMINE_EVAL_WORKERS=1 runs them one by one
WORKERS_ENV = "DETERMINE_EVAL_WORKERS"


def _workers(plans: list[CasePlan]) -> int:
    offline = all(p.cassette is None and not p.settings.wants_llm for p in plans)
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    count = int(wanted) if wanted.isdigit() else (os.cpu_count() or 1)
    return max(1, min(count, 4)) if offline and len(plans) >= 20 else 1


def _run_all(
    plans: list[CasePlan], options: RunOptions, guideline: Mapping[str, Passage]
) -> list[CaseRow]:
    """Every case's row, in plan order; offline runs of many cases in worker processes (forked
    after the reader's models are loaded, so each starts warm)."""
    workers = _workers(plans)
    if workers == 1:
        return [run_case(plan, options, guideline) for plan in _progress(plans, options.progress)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from drafting.extraction.clinical_nlp import load_pipeline

    load_pipeline()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = pool.map(partial(run_case, options=options, guideline=guideline), plans, chunksize=8)
        bar = tqdm(done, total=len(plans), file=sys.stderr, disable=not options.progress,
                   unit="case", desc=f"eval x{workers}")  # fmt: skip
        return list(bar)


def run_eval(options: RunOptions) -> RunOutcome:
    """Run every planned case, score it, write cases.jsonl, summary.json and the report."""
    from eval.report import write_report

    started = time.perf_counter()
    plans = plan_cases(options)
    guideline = load_guideline().passages
    rows = _run_all(plans, options, guideline)
    seconds = time.perf_counter() - started
    first = plans[0].settings
    run_id = options.run_id or _default_run_id(options, first)
    run_dir = options.out_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    summary = summarize(rows)
    summary = {
        "run_id": run_id,
        "mode": options.mode,
        "extractor": first.extractor,
        "drafter": first.drafter,
        "model": first.llm_model if first.wants_llm else None,
        "gold_dir": str(options.gold_dir),
        "created": datetime.now().isoformat(timespec="seconds"),
        "wall_seconds": round(seconds, 2),
        **summary,
    }
    with (run_dir / "cases.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(row.model_dump_json() + "\n")
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    write_report(run_dir, rows, summary)
    return RunOutcome(run_dir, rows, summary, seconds)


def load_rows(run_dir: Path) -> list[CaseRow]:
    """The case rows of a finished run."""
    lines = (run_dir / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [CaseRow.model_validate_json(line) for line in lines if line.strip()]
