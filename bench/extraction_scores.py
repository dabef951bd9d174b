"""Gold extractions and their scores, shared by the rules and the LLM extraction benches.

Owns the gold cases with a ``facts:`` map (`gold_cases`), the rules extractor's run over them
(`rules_extractions`), scoring (`score_extractions`, via `eval.fact_match`), quote verification
(`quote_verifies`: a quote occurs in its document after whitespace normalisation and its
``start``/``end`` span holds exactly that text) and the printed report (`print_report`). The
command line is `bench.extraction_bench`; the LLM modes are `bench.extraction_llm`.
"""

from __future__ import annotations

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
from drafting.extraction.rules import extract_facts_timed
from eval.fact_match import FactScores, Tally, score_case
from guideline_corpus.corpus import normalize_ws

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
    if normalize_ws(evidence.quote) not in normalize_ws(text):
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
