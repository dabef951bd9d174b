"""Benchmark of the fact extractors against gold facts: `python -m bench.extraction_bench`.

Reads every case in ``eval/gold/cases`` with a ``facts:`` map in ``eval/gold/labels`` and prints,
per extractor, fact-level precision, recall and F1 (overall and per facts group), the share of
extracted quotes that verify, extraction time per case (p50/p95) and the five worst fact types.

``--extractor`` picks what runs (default ``all``):

- ``rules``: `drafting.extraction.rules.extract_facts_timed` over every gold case (time after the
  model is loaded; the load time is printed apart);
- ``llm`` / ``hybrid``: `drafting.pipeline.extract` replayed from the recorded cassettes
  (`eval/cassettes`, record mode ``none``: nothing leaves the machine), over the cases recorded
  with that extractor only, next to the rules extractor's figures on the same cases, with LLM
  calls and tokens per case (`bench.extraction_llm`);
- ``all``: rules, then each LLM mode that has cassettes.

A replay that does not match its cassette is reported (case, request, what differs) and left out
of the LLM figures; the exit status is then 1, as it is when a quote does not verify.

Matching (per case and per dotted fact name: scalar facts, event lists paired by key, imaging
findings as triples) is `eval.fact_match`, shared with the eval harness; read its docstring. The
gold annotates only facts that bear on a criterion, so an extracted name the gold does not
annotate is not judged: the headline precision counts judged extractions only, "strict
precision" counts every unjudged extra name as a false positive too; both are printed.

A quote verifies when it occurs in its document after whitespace normalisation and its
``start``/``end`` span holds exactly that text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from criteria.facts import CaseFacts, Evidence
from drafting.case.contract import Case
from drafting.case.loaders import parse_case_json
from drafting.extraction.evidence import normalize_whitespace
from drafting.extraction.rules import extract_facts_timed
from eval.fact_match import (  # noqa: F401  (re-exported for callers of the bench)
    EVENT_KEYS,
    FactScores,
    Tally,
    group_of,
    score_case,
    values_match,
)
from eval.replay import CASSETTE_DIR

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"
ExtractorChoice = Literal["rules", "llm", "hybrid", "all"]


@dataclass
class Report(FactScores):
    """Everything the bench prints: the fact scores plus quote checks and timings."""

    quotes_total: int = 0
    quotes_ok: int = 0
    bad_quotes: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    load_seconds: float | None = None


@dataclass
class GoldExtraction:
    """One gold case, its gold facts, what an extractor made of it and how long that took."""

    case: Case
    gold: dict[str, Any]
    facts: CaseFacts
    seconds: float


# ------------------------------------------------------------------ cases
def gold_cases(
    gold_dir: Path = GOLD_DIR, only: Iterable[str] | None = None
) -> Iterator[tuple[Case, dict[str, Any]]]:
    """Every gold case with its annotated facts (cases whose label has no facts are skipped).

    With `only`, just the cases whose id is in it (file order kept).
    """
    wanted = set(only) if only is not None else None
    for case_path in sorted((gold_dir / "cases").glob("*.json")):
        label_path = gold_dir / "labels" / f"{case_path.stem}.yaml"
        if not label_path.exists():
            continue
        label = yaml.safe_load(label_path.read_text(encoding="utf-8")) or {}
        facts = label.get("facts") or {}
        if not facts:
            continue
        case = parse_case_json(case_path.read_text(encoding="utf-8"), str(case_path))
        if wanted is None or case.case_id in wanted:
            yield case, facts


def evidence_of(facts: CaseFacts) -> Iterator[Evidence]:
    """Every Evidence object anywhere in the facts (facts, events, findings)."""

    def walk(node: Any) -> Iterator[Evidence]:
        if isinstance(node, Evidence):
            yield node
        elif isinstance(node, BaseModel):
            for key in type(node).model_fields:
                yield from walk(getattr(node, key))
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(facts)


def quote_verifies(case: Case, evidence: Evidence) -> bool:
    """The quote is in its document (whitespace-normalised) and its span holds exactly it."""
    if evidence.document >= len(case.documents):
        return False
    text = case.documents[evidence.document].text
    if normalize_whitespace(evidence.quote) not in normalize_whitespace(text):
        return False
    if evidence.start is None or evidence.end is None:
        return True
    return text[evidence.start : evidence.end] == evidence.quote


def score_extractions(extractions: Iterable[GoldExtraction]) -> Report:
    """Fact scores, quote checks and times of some extracted gold cases."""
    report = Report()
    for item in extractions:
        report.seconds.append(item.seconds)
        score_case(item.case, item.gold, item.facts, report)
        for evidence in evidence_of(item.facts):
            report.quotes_total += 1
            if quote_verifies(item.case, evidence):
                report.quotes_ok += 1
            else:
                report.bad_quotes.append(
                    f"{item.case.case_id} doc {evidence.document}: {evidence.quote!r}"
                )
    return report


def load_rules_model() -> float:
    """Load the clinical NLP pipeline the rules extractor uses; the seconds it took."""
    from drafting.extraction.clinical_nlp import load_pipeline

    started = time.perf_counter()
    load_pipeline()
    return time.perf_counter() - started


def rules_extractions(
    gold_dir: Path = GOLD_DIR, only: Iterable[str] | None = None
) -> list[GoldExtraction]:
    """The offline rules extractor over the gold cases (time excludes the model load)."""
    extractions = []
    for case, gold in gold_cases(gold_dir, only):
        facts, timing = extract_facts_timed(case)
        extractions.append(GoldExtraction(case, gold, facts, timing.annotate + timing.rules))
    return extractions


def run(gold_dir: Path = GOLD_DIR) -> Report:
    """Extract every gold case with the rules extractor and score it."""
    load_seconds = load_rules_model()
    report = score_extractions(rules_extractions(gold_dir))
    report.load_seconds = load_seconds
    return report


# ------------------------------------------------------------------ printing
def _line(label: str, tally: Tally) -> str:
    return (f"{label:<22} P {tally.precision:5.3f}  R {tally.recall:5.3f}  F1 {tally.f1:5.3f}"
            f"   (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")  # fmt: skip


def overall_tally(report: FactScores) -> Tally:
    """Every fact type's tally summed (judged extractions only)."""
    total = Tally()
    for tally in report.by_name.values():
        total.tp += tally.tp
        total.fp += tally.fp
        total.fn += tally.fn
    return total


def quote_share(report: Report) -> float:
    """The share of extracted quotes that verify (1.0 when nothing was extracted)."""
    return report.quotes_ok / report.quotes_total if report.quotes_total else 1.0


def print_report(
    report: Report,
    *,
    verbose: bool = False,
    out: Any = None,
    title: str = "Extraction bench",
    time_label: str = "time per case after load",
) -> None:
    """The figures, as plain text."""
    out = sys.stdout if out is None else out
    overall = overall_tally(report)
    extra = sum(report.unjudged.values())
    strict = Tally(tp=overall.tp, fp=overall.fp + extra, fn=overall.fn)
    print(f"{title}: {len(report.seconds)} gold cases", file=out)
    print(_line("overall (judged)", overall), file=out)
    print(_line("overall (strict)", strict) + f"  [{extra} unjudged extra names]", file=out)
    groups = report.by_group()
    for group in sorted(groups):
        print(_line(f"  {group}", groups[group]), file=out)
    print(f"quotes verified: {report.quotes_ok}/{report.quotes_total} "
          f"({quote_share(report):.1%})", file=out)  # fmt: skip
    if report.seconds:
        ordered = sorted(report.seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{time_label}: p50 {statistics.median(ordered):.3f} s, "
              f"p95 {p95:.3f} s, max {ordered[-1]:.3f} s", file=out)  # fmt: skip
    if report.load_seconds is not None:
        print(f"model load: {report.load_seconds:.2f} s", file=out)
    worst = sorted(
        ((name, t) for name, t in report.by_name.items() if t.fp + t.fn),
        key=lambda item: (-(item[1].fp + item[1].fn), item[1].f1),
    )[:5]
    print("five worst fact types (most errors):", file=out)
    for name, tally in worst:
        print(_line(f"  {name}", tally), file=out)
    common = ", ".join(f"{name} ({count})" for name, count in report.unjudged.most_common(8))
    print(f"most frequent unjudged names: {common}", file=out)
    if report.skipped_gold:
        print("gold names not in the vocabulary (skipped): " + ", ".join(
            f"{n} ({c})" for n, c in report.skipped_gold.most_common()), file=out)  # fmt: skip
    for line in report.bad_quotes[:10]:
        print(f"UNVERIFIED QUOTE {line}", file=out)
    if verbose:
        for line in report.errors:
            print(line, file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the bench; `--verbose` lists every mismatch."""
    from bench.extraction_llm import LLM_MODES, recorded_modes, run_llm_mode

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", choices=["rules", "llm", "hybrid", "all"], default="all",
                        help="rules over every gold case; llm/hybrid replayed from cassettes over "
                        "the recorded cases; all: rules then each recorded LLM mode")  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold directory")
    parser.add_argument("--cassettes", type=Path, default=CASSETTE_DIR, help="cassette directory")
    args = parser.parse_args(argv)
    choice: ExtractorChoice = args.extractor
    ok = True
    rules_by_case: dict[str, GoldExtraction] | None = None
    if choice in ("rules", "all"):
        load_seconds = load_rules_model()
        extractions = rules_extractions(args.gold)
        rules_by_case = {item.case.case_id: item for item in extractions}
        report = score_extractions(extractions)
        report.load_seconds = load_seconds
        print_report(report, verbose=args.verbose, title="Extraction bench [rules]")
        ok = report.quotes_ok == report.quotes_total
    modes = recorded_modes(args.cassettes) if choice == "all" else [choice]
    for mode in modes:
        if mode not in LLM_MODES:
            continue
        print(file=sys.stdout)
        mode_ok = run_llm_mode(mode, args.gold, args.cassettes, rules_by_case, verbose=args.verbose)
        ok = mode_ok and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
