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
import sys
from pathlib import Path

from bench.extraction_llm import LLM_MODES, recorded_modes, run_llm_mode
from bench.extraction_scores import (
    GOLD_DIR,
    ExtractorChoice,
    GoldExtraction,
    load_rules_model,
    print_report,
    rules_extractions,
    score_extractions,
)
from eval.replay import CASSETTE_DIR


def main(argv: list[str] | None = None) -> int:
    """Run the bench; `--verbose` lists every mismatch."""
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
