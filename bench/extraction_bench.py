"""Benchmark of the offline fact extractor against gold facts: `python -m bench.extraction_bench`.

Reads every case in ``eval/gold/cases`` with a ``facts:`` map in ``eval/gold/labels``, runs
`drafting.extract_rules.extract_facts_timed`, and prints fact-level precision, recall and F1
(overall and per facts group), the share of extracted quotes that verify, extraction time per
case (p50/p95, after the model is loaded), the model load time and the five worst fact types.

Matching rules (per case and per dotted fact name) live in `eval.fact_match`, shared with the
eval harness; in short:

- Scalar facts (booleans, numbers, strings, dates, lists): one unit each. A name in both gold and
  extraction is a true positive when the values are equal, else it counts once as a false positive
  and once as a false negative. Numbers match within a tolerance: pain scores 0.5, percentages 5,
  months 0.5, weeks 1, anything else 2% (relative). Strings compare case-insensitively; dates as
  ISO strings; lists as sets after normalising each item (spinal levels to ``L4-L5`` form, ADL
  phrases to the canonical activity `drafting.quantities.find_adls` names, e.g. "putting on
  socks/shoes" -> dressing; other strings lower-cased).
- Event lists (``procedures.prior``, ``surgery.prior``, ``imaging.studies``): ``[]`` against
  ``[]`` is one true positive. Otherwise each gold event is one unit, paired with an extracted
  event of the same key (procedures: type and date; surgeries: type and date, or type when the
  gold has no date; imaging: modality and date). A pair is a true positive when every field the
  gold event states (findings aside) matches under the rules above; an unpaired gold event is a
  false negative and an unpaired extracted event a false positive.
- Imaging findings are scored as their own group (``imaging.findings``): the gold and extracted
  findings of paired studies become (level, field, value) triples; the intersection is true
  positives. Extracted triples at levels the gold does not annotate are not judged.
- The gold annotates only facts that bear on a criterion ("incidental details are left out"), so
  an extracted name the gold does not annotate for that case cannot be judged right or wrong.
  The headline precision counts only judged extractions; "strict precision" counts every such
  extra name as a false positive too. Both are printed, with the most frequent unjudged names.
- Gold names that are not in the facts vocabulary are skipped and counted.

A quote verifies when it occurs in its document after whitespace normalisation and its
``start``/``end`` span holds exactly that text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from criteria.facts import CaseFacts, Evidence
from drafting.case import Case, parse_case_json
from drafting.evidence import normalize_whitespace
from drafting.extract_rules import extract_facts_timed
from eval.fact_match import (  # noqa: F401  (re-exported for callers of the bench)
    EVENT_KEYS,
    FactScores,
    Tally,
    group_of,
    score_case,
    values_match,
)

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"


@dataclass
class Report(FactScores):
    """Everything the bench prints: the fact scores plus quote checks and timings."""

    quotes_total: int = 0
    quotes_ok: int = 0
    bad_quotes: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    load_seconds: float = 0.0


# ------------------------------------------------------------------ cases
def gold_cases(gold_dir: Path = GOLD_DIR) -> Iterator[tuple[Case, dict[str, Any]]]:
    """Every gold case with its annotated facts (cases whose label has no facts are skipped)."""
    for case_path in sorted((gold_dir / "cases").glob("*.json")):
        label_path = gold_dir / "labels" / f"{case_path.stem}.yaml"
        if not label_path.exists():
            continue
        label = yaml.safe_load(label_path.read_text(encoding="utf-8")) or {}
        facts = label.get("facts") or {}
        if facts:
            yield parse_case_json(case_path.read_text(encoding="utf-8"), str(case_path)), facts


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


def run(gold_dir: Path = GOLD_DIR) -> Report:
    """Extract every gold case and score it."""
    report = Report()
    started = time.perf_counter()
    from drafting.clinical_nlp import load_pipeline

    load_pipeline()
    report.load_seconds = time.perf_counter() - started
    for case, gold in gold_cases(gold_dir):
        facts, timing = extract_facts_timed(case)
        report.seconds.append(timing.annotate + timing.rules)
        score_case(case, gold, facts, report)
        for evidence in evidence_of(facts):
            report.quotes_total += 1
            if quote_verifies(case, evidence):
                report.quotes_ok += 1
            else:
                report.bad_quotes.append(
                    f"{case.case_id} doc {evidence.document}: {evidence.quote!r}"
                )
    return report


# ------------------------------------------------------------------ printing
def _line(label: str, tally: Tally) -> str:
    return (f"{label:<22} P {tally.precision:5.3f}  R {tally.recall:5.3f}  F1 {tally.f1:5.3f}"
            f"   (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")  # fmt: skip


def print_report(report: Report, *, verbose: bool = False, out: Any = sys.stdout) -> None:
    """The figures, as plain text."""
    overall = Tally()
    groups: dict[str, Tally] = defaultdict(Tally)
    for name, tally in report.by_name.items():
        for target in (overall, groups[group_of(name)]):
            target.tp += tally.tp
            target.fp += tally.fp
            target.fn += tally.fn
    extra = sum(report.unjudged.values())
    strict = Tally(tp=overall.tp, fp=overall.fp + extra, fn=overall.fn)
    cases = len(report.seconds)
    print(f"Extraction bench: {cases} gold cases", file=out)
    print(_line("overall (judged)", overall), file=out)
    print(_line("overall (strict)", strict) + f"  [{extra} unjudged extra names]", file=out)
    for group in sorted(groups):
        print(_line(f"  {group}", groups[group]), file=out)
    share = report.quotes_ok / report.quotes_total if report.quotes_total else 1.0
    print(f"quotes verified: {report.quotes_ok}/{report.quotes_total} ({share:.1%})", file=out)
    if report.seconds:
        ordered = sorted(report.seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"time per case after load: p50 {statistics.median(ordered):.3f} s, "
              f"p95 {p95:.3f} s, max {ordered[-1]:.3f} s", file=out)  # fmt: skip
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold directory")
    args = parser.parse_args(argv)
    report = run(args.gold)
    print_report(report, verbose=args.verbose)
    return 0 if report.quotes_ok == report.quotes_total else 1


if __name__ == "__main__":
    raise SystemExit(main())
