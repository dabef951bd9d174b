"""One case of a batch under a time limit: decided in a forked worker the batch can abandon.

The parent loads the guideline and the clinical reader once (`warm_up`); each case then runs in a
child forked from it (copy-on-write, so no model is loaded twice) that sends back its row. A case
still running after the limit is killed and becomes a row with the reason, and the batch goes on.
A limit of 0 decides in this process with no limit. Where fork is unavailable, cases run in this
process too (the limit is then not enforced).

    DETERMINE_CASE_TIMEOUT   seconds per case in a batch (default 120; 0 = no limit);
                             `determine DIR --case-timeout SECONDS` overrides it
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from drafting.case.loaders import load_case
from drafting.errors import KNOWN_ERRORS, DeterminationError
from drafting.llm.settings import Settings

CASE_TIMEOUT_ENV = "DETERMINE_CASE_TIMEOUT"
DEFAULT_CASE_TIMEOUT = 120.0


class CaseTimeoutError(DeterminationError):
    """The --case-timeout / DETERMINE_CASE_TIMEOUT value is not a number of seconds."""


@dataclass
class Outcome:
    """What deciding one case gave: its row fields, or the one-line reason it failed."""

    case_id: str = ""
    lines: str = ""
    decisions: str = ""
    contract: dict[str, Any] | None = None
    error: str | None = None


def case_timeout(option: str | None) -> float:
    """Seconds per case: --case-timeout, else DETERMINE_CASE_TIMEOUT, else 120 (0 = no limit)."""
    text, where = option, "--case-timeout"
    if text is None:
        text, where = os.environ.get(CASE_TIMEOUT_ENV, "").strip() or None, CASE_TIMEOUT_ENV
    if text is None:
        return DEFAULT_CASE_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 1e6:
        raise CaseTimeoutError(
            f"{where} {text[:40]!r} is not a number of seconds; give e.g. 120 (0 = no limit)"
        )
    return seconds


def decide(path: Path, settings: Settings, today: date) -> Outcome:
    """Decide one case in this process; a failure becomes the outcome's one-line error."""
    from drafting.pipeline import determine

    try:
        result = determine(load_case(path), settings, today=today)
    except Exception as error:  # one bad case (or a bug on one case) must not stop a batch
        shown = (
            str(error) if isinstance(error, KNOWN_ERRORS) else f"{type(error).__name__}: {error}"
        )
        return Outcome(error=" ".join(shown.split()))
    return Outcome(
        case_id=result.case_id,
        lines=" ".join(line.code for line in result.lines),
        decisions=" ".join(line.decision for line in result.lines),
        contract=result.contract(),
    )


def warm_up() -> None:
    """Load the guideline and the clinical reader once, before workers are forked from us."""
    from drafting.extraction.clinical_nlp.pipeline import load_pipeline
    from drafting.pipeline import load_guideline

    try:
        load_guideline()
    except KNOWN_ERRORS:
        return  # every case will report it on its own row
    load_pipeline()


def _child(sender: Connection, decide_case: Callable[[], Outcome]) -> None:
    try:
        sender.send(decide_case())
    finally:
        sender.close()


def decide_within(path: Path, settings: Settings, today: date, seconds: float) -> Outcome:
    """Decide one case in a forked worker, abandoning (killing) it after `seconds`."""
    if seconds <= 0 or "fork" not in multiprocessing.get_all_start_methods():
        return decide(path, settings, today)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(
        target=_child, args=(sender, lambda: decide(path, settings, today)), daemon=True
    )
    worker.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            worker.kill()
            return Outcome(error=f"timed out after {seconds:g} s (--case-timeout); not decided")
        try:
            outcome: Outcome = receiver.recv()
        except EOFError:
            worker.join(5)
            return Outcome(error=f"the worker deciding it stopped (exit code {worker.exitcode})")
        return outcome
    finally:
        receiver.close()
        worker.join(5)
