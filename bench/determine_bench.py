"""Benchmark of the whole pipeline on the gold cases: `python -m bench.determine_bench`.

Runs `drafting.pipeline.determine` (offline settings: rules extractor, template drafter, unless
`--extractor`/`--drafter` say otherwise) on every case in ``eval/gold/cases`` and prints:

- start-up: the first determine call in the process, including loading the clinical NLP
  pipeline, the criteria library and the guideline passages, reported on its own;
- time per case after start-up (p50/p95/max, every gold case run once more, first one included);
- decision accuracy per requested line against ``eval/gold/labels/<id>.yaml`` ``lines[].decision``,
  with wrong approvals (engine approved, gold denied or pended: the costly error) and wrong
  denials (engine denied, gold approved or pended) counted separately, and the confusion table;
- the letters that have blocking lint findings, and every line the engine got wrong.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from drafting.case.contract import Case
from drafting.case.loaders import load_case
from drafting.lint.linter import blocking
from drafting.llm.settings import Settings

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"
OUTCOMES = ("approved", "denied", "pended")
LETTER_DATE = date(2026, 12, 1)


@dataclass
class Report:
    """Everything the bench prints."""

    startup_seconds: float = 0.0
    seconds: list[float] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, engine)
    wrong: list[str] = field(default_factory=list)
    blocked_letters: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(self.confusion.values())

    @property
    def correct(self) -> int:
        return sum(n for (gold, got), n in self.confusion.items() if gold == got)

    @property
    def wrong_approvals(self) -> int:
        return sum(n for (gold, got), n in self.confusion.items() if got == "approved" != gold)

    @property
    def wrong_denials(self) -> int:
        return sum(n for (gold, got), n in self.confusion.items() if got == "denied" != gold)


def gold_pairs(gold_dir: Path = GOLD_DIR) -> list[tuple[Case, list[str]]]:
    """Every gold case with its gold line decisions, in request order."""
    pairs = []
    for case_path in sorted((gold_dir / "cases").glob("*.json")):
        label_path = gold_dir / "labels" / f"{case_path.stem}.yaml"
        label: dict[str, Any] = yaml.safe_load(label_path.read_text(encoding="utf-8")) or {}
        pairs.append((load_case(case_path), [str(x["decision"]) for x in label.get("lines", [])]))
    return pairs


def run(settings: Settings, gold_dir: Path = GOLD_DIR) -> Report:
    """Start up on the first case, then determine and score every gold case."""
    from drafting.pipeline import determine

    report = Report()
    pairs = gold_pairs(gold_dir)
    started = time.perf_counter()
    determine(pairs[0][0], settings, today=LETTER_DATE)
    report.startup_seconds = time.perf_counter() - started
    for case, gold in pairs:
        started = time.perf_counter()
        try:
            result = determine(case, settings, today=LETTER_DATE)
        except Exception as error:  # a bench reports a failing case and goes on
            report.errors.append(f"{case.case_id}: {type(error).__name__}: {error}")
            continue
        report.seconds.append(time.perf_counter() - started)
        got = result.outcomes
        if len(got) != len(gold):
            report.errors.append(f"{case.case_id}: {len(got)} lines decided, gold has {len(gold)}")
        for line, expected, decided in zip(result.lines, gold, got, strict=False):
            report.confusion[(expected, decided)] += 1
            if expected != decided:
                report.wrong.append(f"{case.case_id} {line.code}: gold {expected}, got {decided}")
        kinds = sorted({f.kind for f in blocking(result.letter.lint)})
        if kinds:
            report.blocked_letters.append(f"{case.case_id}: {', '.join(kinds)}")
    return report


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def print_report(report: Report, settings: Settings, out: Any = sys.stdout) -> None:
    """The figures, as plain text."""
    cases = len(report.seconds)
    print(f"Determine bench: {cases} gold cases, {report.lines} lines "
          f"(extractor {settings.extractor}, drafter {settings.drafter})", file=out)  # fmt: skip
    startup = report.startup_seconds
    print(f"start-up (first determine, incl. model loads): {startup:.2f} s", file=out)
    if report.seconds:
        print(f"time per case after start-up: p50 {statistics.median(report.seconds):.3f} s, "
              f"p95 {percentile(report.seconds, 0.95):.3f} s, max {max(report.seconds):.3f} s",
              file=out)  # fmt: skip
    if report.lines:
        share = report.correct / report.lines
        print(f"line decisions correct: {report.correct}/{report.lines} ({share:.1%})", file=out)
    print(f"wrong approvals (engine approved, gold denied/pended): {report.wrong_approvals}",
          file=out)  # fmt: skip
    print(f"wrong denials (engine denied, gold approved/pended): {report.wrong_denials}", file=out)
    print("confusion (rows gold, columns engine):", file=out)
    print("  " + "gold \\ engine".ljust(14) + "".join(o.rjust(10) for o in OUTCOMES), file=out)
    for gold in OUTCOMES:
        cells = "".join(str(report.confusion[(gold, got)]).rjust(10) for got in OUTCOMES)
        print("  " + gold.ljust(14) + cells, file=out)
    print(f"letters with blocking lint findings: {len(report.blocked_letters)}", file=out)
    for line in report.blocked_letters:
        print(f"  {line}", file=out)
    for line in report.wrong:
        print(f"WRONG {line}", file=out)
    for line in report.errors:
        print(f"ERROR {line}", file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the bench; exit 1 if a case failed or a letter has blocking lint findings."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold directory")
    parser.add_argument("--extractor", choices=["rules", "llm", "hybrid"], default="rules")
    parser.add_argument("--drafter", choices=["template", "llm"], default="template")
    args = parser.parse_args(argv)
    settings = Settings(extractor=args.extractor, drafter=args.drafter)
    report = run(settings, args.gold)
    print_report(report, settings)
    return 1 if report.errors or report.blocked_letters else 0


if __name__ == "__main__":
    raise SystemExit(main())
