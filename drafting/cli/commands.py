"""`determine CASE.json|DIR ...`: decide cases from the command line and print or export the result.

    determine CASE.json [--json] [--out letter.md|.docx|.pdf] [--extractor rules|llm|hybrid]
                        [--drafter template|llm] [--date YYYY-MM-DD]
    determine DIR [--case-timeout SECONDS]
                                    every case in DIR (a batch), with a progress bar and a table;
                                    each case gets SECONDS (default 120) before it is abandoned

A case is a .json file or a folder holding request.json (`drafting.case.load_case`). A directory
that is not itself a case folder is a batch: every *.json file and every case folder in it. One
case prints a readable summary (or the result contract with --json) and then the letter; a batch
prints a table and counts, carries on past a bad case and exits 1 if any case failed. User errors
(bad paths, bad JSON, invalid settings, an unknown export format) print one line to stderr and
exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from drafting.case.contract import Case
from drafting.case.loaders import REQUEST_FILE_NAME, load_case
from drafting.cli.batch import CASE_TIMEOUT_ENV, DEFAULT_CASE_TIMEOUT, case_timeout
from drafting.errors import KNOWN_ERRORS, DeterminationError
from drafting.letters.export import EXPORT_FORMATS, ExportError, export_letter
from drafting.lint.linter import blocking
from drafting.llm.settings import Settings, load_settings

if TYPE_CHECKING:
    from drafting.pipeline import Result

QUOTE_CHARS = 160
USER_ERROR = 2
BATCH_FAILED = 1


class UsageError(DeterminationError):
    """The command line itself is wrong (an unknown option, a bad date, --out with a batch)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so the error is one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see determine --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `determine CASE.json|DIR ...`."""
    parser = _Parser(
        prog="determine",
        description="Decide a prior-authorization case under the guideline and draft its letter.",
    )
    parser.add_argument(
        "cases", nargs="+", metavar="CASE", help="case .json file, case folder, or folder of cases"
    )
    parser.add_argument("--json", action="store_true", help="print the result contract as JSON")
    parser.add_argument("--out", type=Path, help="write the letter to FILE (.md, .docx or .pdf)")
    parser.add_argument("--extractor", choices=["rules", "llm", "hybrid"], help="fact extractor")
    parser.add_argument("--drafter", choices=["template", "llm"], help="letter drafter")
    parser.add_argument("--date", help="letter date YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--case-timeout",
        metavar="SECONDS",
        help=f"batch: seconds per case before it is abandoned (default ${CASE_TIMEOUT_ENV} or "
        f"{DEFAULT_CASE_TIMEOUT:g}; 0 = no limit)",
    )
    return parser


# --- inputs ------------------------------------------------------------------------------------


def letter_date(text: str | None) -> date:
    """The --date value as a date (today when not given)."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; write it as YYYY-MM-DD") from None


def settings_with(extractor: str | None, drafter: str | None) -> Settings:
    """Settings from the environment, with the command line's --extractor/--drafter on top."""
    settings = load_settings()
    overrides = {
        key: value
        for key, value in (("extractor", extractor), ("drafter", drafter))
        if value is not None
    }
    return settings.model_copy(update=overrides) if overrides else settings


def is_case_folder(path: Path) -> bool:
    """A folder holding request.json is one case, not a batch."""
    return path.is_dir() and (path / REQUEST_FILE_NAME).is_file()


def case_sources(arguments: Sequence[str]) -> tuple[list[Path], bool]:
    """The case paths the arguments name, and whether they form a batch (more than one case,
    or a directory of cases). A missing path is kept: loading it gives the one-line error."""
    sources: list[Path] = []
    batch = len(arguments) > 1
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() and not is_case_folder(path):
            batch = True
            found = sorted(
                item
                for item in path.iterdir()
                if not item.name.startswith(".")
                and ((item.is_file() and item.suffix.lower() == ".json") or is_case_folder(item))
            )
            if not found:
                raise UsageError(
                    f"{path}: no case files (*.json) or case folders ({REQUEST_FILE_NAME}) in it"
                )
            sources.extend(found)
        else:
            sources.append(path)
    return sources, batch


# --- a readable summary ------------------------------------------------------------------------


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line of at most about `limit` characters, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " ..."


def _service_label(case: Case, index: int, code: str) -> str:
    services = case.request.services
    if index >= len(services) or services[index].code != code:
        return code
    service = services[index]
    levels = ", ".join(service.levels) or "no levels"
    return f"{code}  {service.side or 'no side'}  {levels}"


def print_summary(result: Result, out: TextIO | None = None) -> None:
    """The determination as a reviewer reads it: lines, reasons with quotes, flags, the letter."""
    out = out or sys.stdout

    def say(text: str = "") -> None:
        print(text, file=out)

    guideline = result.guideline
    say(f"Case {result.case_id}: {guideline.title or guideline.id}")
    say(f"Guideline {guideline.id} version {guideline.version}; extractor {result.extractor}")
    say()
    for index, line in enumerate(result.lines):
        say(f"{_service_label(result.case, index, line.code)}: {line.decision.upper()}")
        if line.follows:
            say(f"    follows its primary line {line.follows}")
        if line.decision == "approved":
            continue
        for criterion in line.criteria:
            if criterion.status not in {"not_met", "not_documented"} or criterion.effect == "none":
                continue
            status = criterion.status.replace("_", " ")
            if criterion.kind == "exclusion" and criterion.status == "not_met":
                status = "exclusion applies"
            say(f"  - {status}: {criterion.title} ({criterion.id})")
            say(f'      guideline: "{shorten(criterion.quote)}"')
            say(f"      passage: {', '.join(criterion.passages)}")
        for info in line.missing_info:
            say(f"  - missing: {shorten(info, 200)}")
    say()
    say("Flags: " + ("; ".join(result.flags) if result.flags else "none"))
    findings = result.letter.lint
    blocking_count = len(blocking(findings))
    source: str = result.letter.source
    if result.letter.fallback_reason:
        source += f" (LLM draft not used: {result.letter.fallback_reason})"
    say(f"Letter: {source}; lint findings: {len(findings)} ({blocking_count} blocking)")
    for finding in findings:
        say(f"  - {finding.kind}: {shorten(finding.message, 200)}")
    say("-" * 72)
    say(result.letter.text)


# --- running -----------------------------------------------------------------------------------


@dataclass
class BatchRow:
    """One case of a batch: what it decided, or why it failed."""

    source: Path
    case_id: str = ""
    lines: str = ""
    decisions: str = ""
    seconds: float = 0.0
    error: str | None = None
    contract: dict[str, Any] | None = None


def _one_case(path: Path, settings: Settings, today: date, args: argparse.Namespace) -> int:
    from drafting.pipeline import determine

    result = determine(load_case(path), settings, today=today)
    if args.json:
        print(json.dumps(result.contract(), indent=2, ensure_ascii=False))
    else:
        print_summary(result)
    if args.out is not None:
        try:
            written = export_letter(result.letter_model, args.out)
        except OSError as error:
            raise ExportError(f"{args.out}: cannot write the letter ({error.strerror})") from None
        print(f"letter written to {written}", file=sys.stderr)
    return 0


def check_out_path(out: Path | None) -> None:
    """Refuse an unknown --out format before any work is done."""
    if out is not None and out.suffix.lower() not in EXPORT_FORMATS:
        raise ExportError(
            f"--out {out.name}: unsupported letter format '{out.suffix or '(none)'}'; "
            f"use one of {', '.join(EXPORT_FORMATS)}"
        )


def run_batch(
    sources: list[Path], settings: Settings, today: date, case_timeout: float = 0.0
) -> list[BatchRow]:
    """Decide every case, each within `case_timeout` seconds (0 = no limit); a case that fails
    or runs out of time keeps its one-line reason and the batch goes on."""
    from tqdm import tqdm

    from drafting.cli.batch import decide_within, warm_up

    if case_timeout > 0:
        warm_up()
    rows: list[BatchRow] = []
    bar = tqdm(sources, desc="determine", unit="case", file=sys.stderr, leave=False)
    for path in bar:
        bar.set_postfix_str(path.name)
        started = time.perf_counter()
        outcome = decide_within(path, settings, today, case_timeout)
        row = BatchRow(
            source=path,
            case_id=outcome.case_id,
            lines=outcome.lines,
            decisions=outcome.decisions,
            error=outcome.error,
            contract=outcome.contract,
            seconds=time.perf_counter() - started,
        )
        if row.error is not None:
            tqdm.write(f"{path.name}: {row.error}", file=sys.stderr)
        rows.append(row)
    bar.close()
    return rows


def print_batch(rows: list[BatchRow], out: TextIO | None = None) -> None:
    """A table (file, case, lines, decisions, seconds) and the counts of cases and decisions."""
    out = out or sys.stdout
    header = ("file", "case", "lines", "decisions", "seconds")
    table = [
        (
            row.source.name,
            row.case_id or "-",
            row.lines or "-",
            row.decisions if row.error is None else f"ERROR: {shorten(row.error, 100)}",
            f"{row.seconds:.2f}",
        )
        for row in rows
    ]
    widths = [max(len(header[i]), *(len(r[i]) for r in table)) for i in range(4)]
    for cells in [header, *table]:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + f"  {cells[4]}",
              file=out)  # fmt: skip
    failed = sum(1 for row in rows if row.error is not None)
    counts: dict[str, int] = {"approved": 0, "denied": 0, "pended": 0}
    for row in rows:
        for decision in row.decisions.split():
            counts[decision] = counts.get(decision, 0) + 1
    total = sum(row.seconds for row in rows)
    print(
        f"\n{len(rows)} cases: {len(rows) - failed} decided, {failed} failed; "
        f"lines: {counts['approved']} approved, {counts['denied']} denied, "
        f"{counts['pended']} pended; {total:.1f} s",
        file=out,
    )


def determine_main(argv: Sequence[str]) -> int:
    """Decide one case (summary or --json, optional --out) or a batch; return the exit code."""
    try:
        args = build_parser().parse_args(list(argv))
        today = letter_date(args.date)
        check_out_path(args.out)
        settings = settings_with(args.extractor, args.drafter)
        sources, batch = case_sources(args.cases)
        if not batch:
            return _one_case(sources[0], settings, today, args)
        if args.out is not None:
            raise UsageError("--out writes one letter: give a single case, not a batch")
        seconds = case_timeout(args.case_timeout)
    except KNOWN_ERRORS as error:
        print(f"determine: {error}", file=sys.stderr)
        return USER_ERROR
    rows = run_batch(sources, settings, today, seconds)
    if args.json:
        print(json.dumps(
            [{"source": row.source.name, **(row.contract or {"error": row.error})} for row in rows],
            indent=2, ensure_ascii=False,
        ))  # fmt: skip
    else:
        print_batch(rows)
    return BATCH_FAILED if any(row.error is not None for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(determine_main(sys.argv[1:]))
