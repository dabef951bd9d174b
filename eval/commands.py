"""`determine eval`: run the harness over gold cases, compare two runs, or gate on thresholds.

    determine eval [GOLD_DIR] [--extractor rules|llm|hybrid] [--drafter template|llm]
                   [--replay | --record [--start-server]] [--out eval/results] [--run-id ID]
                   [--gate] [--cases G01,G02] [--no-progress]
    determine eval --compare RUN_A RUN_B [--out eval/results]

Prints the summary table, the run directory and the total run time; with ``--gate`` returns 1
when a metric breaks `eval/thresholds.yaml`.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from drafting.errors import DeterminationError
from eval.gate import gate_failures, load_thresholds
from eval.gold_set import DEFAULT_GOLD_DIR
from eval.runner import DEFAULT_OUT_DIR, Mode, RunOptions, run_eval
from eval.sources import SOURCES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="determine eval", description="Run the evaluation harness over gold cases."
    )
    parser.add_argument("gold_dir", nargs="?", type=Path, default=None)
    parser.add_argument(
        "--source",
        choices=sorted(SOURCES),
        help="a gold source by who wrote it (eval.sources); its own gate block",
    )
    parser.add_argument("--extractor", choices=["rules", "llm", "hybrid"])
    parser.add_argument("--drafter", choices=["template", "llm"])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--replay", action="store_true", help="LLM answers from eval/cassettes")
    mode.add_argument("--record", action="store_true", help="record eval/cassettes (live LLM)")
    mode.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"), help="compare two runs")
    parser.add_argument(
        "--start-server",
        action="store_true",
        help="with --record: start the local llama.cpp SmolLM2 server for the recording",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="results directory")
    parser.add_argument("--run-id", help="name of the run directory (default: mode-settings-time)")
    parser.add_argument("--gate", action="store_true", help="exit 1 below eval/thresholds.yaml")
    parser.add_argument("--cases", help="comma-separated case ids (default: all)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


@contextmanager
def _endpoint(start_server: bool) -> Iterator[tuple[str | None, str | None]]:
    """(base URL, model) of a local server started for the block, or (None, None)."""
    if not start_server:
        yield None, None
        return
    from tools.llm_server import running_server

    with running_server(install=False) as server:
        print(f"llama.cpp server {server.model_alias} at {server.base_url}", file=sys.stderr)
        yield server.base_url, server.model_alias


def _print_summary(summary: dict[str, object], run_dir: Path) -> None:
    metrics = summary["metrics"]
    assert isinstance(metrics, dict)
    print(
        f"eval {summary['run_id']}: {summary['cases']} cases, {summary['lines']} lines "
        f"({summary['mode']}, extractor {summary['extractor']}, drafter {summary['drafter']})"
    )
    for name, metric in metrics.items():
        value = metric["value"]
        shown = "n/a" if value is None else f"{value:.3f}"
        print(f"  {name:<24} {shown:>7}  {metric['reason'][:110]}")
    errors = summary.get("errors") or {}
    assert isinstance(errors, dict)
    for case_id, error in errors.items():
        print(f"  ERROR {case_id}: {error}")
    print(f"report: {run_dir / 'report.md'}")


def eval_main(argv: Sequence[str]) -> int:
    """The `determine eval` subcommand; returns the exit code."""
    started = time.perf_counter()
    args = build_parser().parse_args(list(argv))
    # instructor logs every failed re-ask at ERROR; the rows keep the flags, the console stays calm
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        if args.compare:
            from eval.compare import compare_runs

            print("\n".join(compare_runs(args.compare[0], args.compare[1], args.out)))
            return 0
        if args.start_server and not args.record:
            print("--start-server only makes sense with --record", file=sys.stderr)
            return 2
        mode: Mode = "replay" if args.replay else "record" if args.record else "offline"
        gold_dir = args.gold_dir or (SOURCES[args.source] if args.source else DEFAULT_GOLD_DIR)
        gate_block = f"{mode}:{args.source}" if args.source and args.source != "own" else mode
        cases = tuple(c.strip() for c in (args.cases or "").split(",") if c.strip())
        with _endpoint(args.start_server) as (base_url, model):
            options = RunOptions(
                gold_dir=gold_dir,
                mode=mode,
                extractor=args.extractor,
                drafter=args.drafter,
                cases=cases,
                out_dir=args.out,
                run_id=args.run_id,
                base_url=base_url,
                model=model,
                progress=not args.no_progress,
            )
            outcome = run_eval(options)
        _print_summary(outcome.summary, outcome.run_dir)
        code = 0
        if args.gate:
            failures = gate_failures(outcome.summary, load_thresholds(mode=gate_block))
            for failure in failures:
                print(f"GATE FAILED: {failure}", file=sys.stderr)
            print("gate: " + ("FAILED" if failures else "passed"))
            code = 1 if failures else 0
    except DeterminationError as error:
        print(f"determine eval: {error}", file=sys.stderr)
        return 2
    print(f"total run time: {time.perf_counter() - started:.1f} s")
    return code
