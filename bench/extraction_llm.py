"""The LLM part of the extraction bench: `drafting.pipeline.extract` replayed from cassettes.

For one LLM extractor mode (``llm`` or ``hybrid``) this module takes the gold cases recorded with
that extractor (`eval/cassettes/index.json`), rebuilds each recording's settings
(`eval.replay.llm_settings` with the recorded model, the placeholder URL, no transport retries)
and runs `pipeline.extract(case, settings, client)` inside the case's cassette in record mode
``none``: every answer comes from the cassette and nothing leaves the machine. The facts are
scored with the same code as the rules extractor (`bench.extraction_scores.score_extractions`,
i.e. `eval.fact_match`), next to the rules extractor's figures on the same cases, and the LLM
calls, HTTP requests and tokens of each case are printed.

A replay that does not fit its cassette is a `problem` of that case, never a crash: a request
the cassette has no answer for (its number, the extractor call it belonged to and the first
place its body differs from the next unplayed recorded request), recorded answers left unplayed,
the pipeline falling back to the rules extractor, or any exception. Such a case is left out of
both the LLM and the same-subset rules figures, and the bench exits with status 1.

Replay times are the offline pass `extract` always makes plus cassette playback, not model
latency; the recording's wall time (whole `determine` run against the live model) is printed
from the index instead.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bench.extraction_scores import (
    GOLD_DIR,
    GoldExtraction,
    Report,
    gold_cases,
    print_report,
    rules_extractions,
    score_extractions,
)
from drafting.case.contract import Case
from drafting.extraction.rules import EXTRACTOR_NAME
from drafting.llm.client import LLMClient
from drafting.pipeline import extract
from eval.replay import CASSETTE_DIR, REPLAY_BASE_URL, CassetteEntry, cassette, llm_settings
from eval.replay import load_index as load_cassette_index

if TYPE_CHECKING:  # vcrpy is a test extra: imported only when a replay runs (eval.replay.cassette)
    from vcr.cassette import Cassette
    from vcr.request import Request

LLMMode = Literal["llm", "hybrid"]
LLM_MODES: tuple[LLMMode, ...] = ("llm", "hybrid")
_PREVIEW_CHARS = 60
Miss = tuple["Request", int, int]  # the request, the index of its LLM call, its request number


@dataclass
class CaseReplay:
    """One case replayed: its extraction (None when the replay failed), usage and problems."""

    case_id: str
    extraction: GoldExtraction | None
    usage: dict[str, int] = field(default_factory=dict)
    recorded_seconds: float = 0.0
    flags: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class ModeResult:
    """An LLM mode over its cassette cases, and the rules extractor over the same cases."""

    mode: LLMMode
    replays: list[CaseReplay]
    llm: Report
    rules: Report

    @property
    def failed(self) -> list[CaseReplay]:
        """The cases whose replay did not fit the cassette."""
        return [replay for replay in self.replays if replay.problems]


def recorded_modes(cassette_dir: Path = CASSETTE_DIR) -> list[LLMMode]:
    """The LLM extractor modes that have at least one cassette in the index."""
    recorded = {entry.extractor for entry in load_cassette_index(cassette_dir).values()}
    return [mode for mode in LLM_MODES if mode in recorded]


# ------------------------------------------------------------------ mismatch reporting
def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return repr(text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS] + "...")


def _string_difference(path: str, recorded: str, sent: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(recorded, sent, strict=False)) if a != b),
        min(len(recorded), len(sent)),
    )
    lo = max(0, at - 20)
    return (f"{path} differs at character {at}: recorded {_short(recorded[lo:at + 40])}, "
            f"sent {_short(sent[lo:at + 40])}")  # fmt: skip


def first_difference(recorded: Any, sent: Any, path: str = "body") -> str | None:
    """Where two JSON values first differ, as a short readable line (None when equal)."""
    if isinstance(recorded, dict) and isinstance(sent, dict):
        for key in sorted(set(recorded) | set(sent)):
            if key not in sent:
                return f"{path}.{key} was recorded but not sent"
            if key not in recorded:
                return f"{path}.{key} was sent but not recorded ({_short(sent[key])})"
            found = first_difference(recorded[key], sent[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(sent, list):
        for index, (old, new) in enumerate(zip(recorded, sent, strict=False)):
            found = first_difference(old, new, f"{path}[{index}]")
            if found:
                return found
        if len(recorded) != len(sent):
            return f"{path} has {len(sent)} items, {len(recorded)} recorded"
        return None
    if recorded == sent:
        return None
    if isinstance(recorded, str) and isinstance(sent, str):
        return _string_difference(path, recorded, sent)
    return f"{path}: recorded {_short(recorded)}, sent {_short(sent)}"


def _json_body(request: Request) -> Any:
    body = request.body or b""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def describe_miss(recorded: Cassette, request: Request, number: int, purpose: str) -> str:
    """Which request found no recorded answer, and how it differs from the one expected next."""
    head = f"request {number} ({purpose}, {request.method} {request.path}) has no recorded answer"
    unplayed = [i for i in range(len(recorded)) if not recorded.play_counts[i]]
    if not unplayed:
        return f"{head}: every recorded answer was already used"
    expected = recorded.requests[unplayed[0]]
    if (expected.method, expected.path) != (request.method, request.path):
        return f"{head}: recorded request {unplayed[0] + 1} is {expected.method} {expected.path}"
    diff = first_difference(_json_body(expected), _json_body(request))
    return f"{head}: vs recorded request {unplayed[0] + 1}, {diff or 'bodies equal'}"


@contextmanager
def _watch_misses(recorded: Cassette, client: LLMClient) -> Iterator[list[Miss]]:
    """Note every request the cassette cannot answer: (request, its call's index, its number)."""
    misses: list[Miss] = []
    can_play = recorded.can_play_response_for

    def noting(request: Request) -> bool:
        found = bool(can_play(request))
        if not found:
            misses.append((request, len(client.calls), recorded.play_count + 1))
        return found

    recorded.can_play_response_for = noting
    try:
        yield misses
    finally:
        del recorded.can_play_response_for


@contextmanager
def _quiet_instructor() -> Iterator[None]:
    """Instructor logs every exhausted re-ask at ERROR; the extractor turns those into flags."""
    logger = logging.getLogger("instructor")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# ------------------------------------------------------------------ replay
def replay_case(
    case: Case, gold: dict[str, Any], entry: CassetteEntry, cassette_dir: Path = CASSETTE_DIR
) -> CaseReplay:
    """Extract one case with the recording's settings, every LLM answer from its cassette."""
    outcome = CaseReplay(case.case_id, None, recorded_seconds=entry.seconds)
    settings = llm_settings(entry.extractor, entry.drafter, entry.model, REPLAY_BASE_URL, None)
    client = LLMClient.from_settings(settings)
    try:
        with (
            cassette(case.case_id, "none", cassette_dir) as recorded,
            _watch_misses(recorded, client) as misses,
            _quiet_instructor(),
        ):
            extraction = extract(case, settings, client)
    except Exception as error:  # a broken replay is reported, never fatal to the bench
        outcome.problems.append(f"replay failed: {type(error).__name__}: {error}")
        return outcome
    outcome.usage = client.usage_totals()
    outcome.flags = len(extraction.flags)
    for request, call_index, number in misses:
        purpose = client.calls[call_index].purpose if call_index < len(client.calls) else "?"
        outcome.problems.append(describe_miss(recorded, request, number, purpose))
    if not misses and not recorded.all_played:
        outcome.problems.append(
            f"replay diverged: {recorded.play_count} of {len(recorded)} recorded answers used"
        )
    if extraction.extractor == EXTRACTOR_NAME and misses:
        outcome.problems.append("so the pipeline fell back to the rules extractor")
    elif extraction.extractor == EXTRACTOR_NAME:
        reasons = [flag for flag in extraction.flags if "LLM extractor" in flag]
        outcome.problems.append(
            "the pipeline fell back to the rules extractor: " + ("; ".join(reasons) or "no reason")
        )
    if not outcome.problems:
        outcome.extraction = GoldExtraction(case, gold, extraction.facts, extraction.seconds)
    return outcome


def bench_mode(
    mode: LLMMode,
    gold_dir: Path = GOLD_DIR,
    cassette_dir: Path = CASSETTE_DIR,
    rules_by_case: dict[str, GoldExtraction] | None = None,
    only: set[str] | None = None,
) -> ModeResult:
    """Replay every case recorded with `mode` (or those in `only`) and score both extractors."""
    index = {
        case_id: entry
        for case_id, entry in load_cassette_index(cassette_dir).items()
        if entry.extractor == mode and (only is None or case_id in only)
    }
    replays = [
        replay_case(case, gold, index[case.case_id], cassette_dir)
        for case, gold in gold_cases(gold_dir, index)
    ]
    found = {replay.case_id for replay in replays}
    replays += [
        CaseReplay(case_id, None, problems=["no gold facts for this case: nothing to score"])
        for case_id in sorted(set(index) - found)
    ]
    scored = [replay.extraction for replay in replays if replay.extraction is not None]
    scored_ids = {item.case.case_id for item in scored}
    if rules_by_case is not None and scored_ids <= set(rules_by_case):
        baseline = [rules_by_case[case_id] for case_id in sorted(scored_ids)]
    else:
        baseline = rules_extractions(gold_dir, scored_ids)
    return ModeResult(mode, replays, score_extractions(scored), score_extractions(baseline))


# ------------------------------------------------------------------ printing
def _usage_line(replay: CaseReplay) -> str:
    usage = replay.usage
    return (f"  {replay.case_id:<6} calls {usage.get('calls', 0):>2}  requests "
            f"{usage.get('attempts', 0):>2}  tokens {usage.get('prompt_tokens', 0):>6} prompt + "
            f"{usage.get('completion_tokens', 0):>5} completion  flags {replay.flags:>2}  "
            f"recorded {replay.recorded_seconds:6.1f} s")  # fmt: skip


def print_mode(result: ModeResult, *, verbose: bool = False, out: Any = None) -> None:
    """The LLM mode's figures, the rules figures on the same cases, usage and problems."""
    out = sys.stdout if out is None else out
    mode = result.mode
    if not result.replays:
        print(f"Extraction bench [{mode}]: no cassettes recorded with extractor {mode}", file=out)
        return
    print_report(
        result.llm,
        verbose=verbose,
        out=out,
        title=f"Extraction bench [{mode}, replayed]",
        time_label="replay time per case (offline pass + playback, not model latency)",
    )
    ok = [replay for replay in result.replays if not replay.problems]
    if ok:
        recorded = statistics.median(replay.recorded_seconds for replay in ok)
        print(f"recorded wall time per case (live model): p50 {recorded:.1f} s", file=out)
        print(f"LLM usage per case ({mode}):", file=out)
        for replay in ok:
            print(_usage_line(replay), file=out)
        mean = {key: statistics.mean(r.usage.get(key, 0) for r in ok) for key in ok[0].usage}
        print(f"  mean   calls {mean.get('calls', 0):.1f}  requests {mean.get('attempts', 0):.1f}  "
              f"tokens {mean.get('prompt_tokens', 0):.0f} prompt + "
              f"{mean.get('completion_tokens', 0):.0f} completion", file=out)  # fmt: skip
    print(file=out)
    print_report(result.rules, verbose=verbose, out=out,
                 title=f"Extraction bench [rules, same cases as {mode}]")  # fmt: skip
    for replay in result.failed:
        for problem in replay.problems:
            print(f"CASSETTE MISMATCH {replay.case_id} [{mode}]: {problem}", file=out)


def run_llm_mode(
    mode: LLMMode,
    gold_dir: Path = GOLD_DIR,
    cassette_dir: Path = CASSETTE_DIR,
    rules_by_case: dict[str, GoldExtraction] | None = None,
    *,
    verbose: bool = False,
    out: Any = None,
) -> bool:
    """Bench one LLM mode and print it; False when a replay failed or a quote did not verify."""
    out = sys.stdout if out is None else out
    started = time.perf_counter()
    result = bench_mode(mode, gold_dir, cassette_dir, rules_by_case)
    print_mode(result, verbose=verbose, out=out)
    print(f"({mode} bench took {time.perf_counter() - started:.1f} s)", file=out)
    return not result.failed and result.llm.quotes_ok == result.llm.quotes_total
