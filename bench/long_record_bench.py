"""The reader on long records: python -m bench.long_record_bench [--repeat N] [SIZES...].

Builds records of 100k to 1M characters from the gold notes (own and new sources, repeated in
order, cut at the size) and times the offline extractor end to end (clinical NLP + rules) on
each, printing seconds, seconds per 100k characters and the split between the clinical NLP
(`annotate`) and the extraction rules; with ``--repeat N`` each figure is the median of N runs
(the machine is shared: single runs are noisy). Targets: the cost per 100k characters stays
flat from 100k to 1 MB (issue 15) and 1 MB of notes is read in under 10 s; notes over spaCy's
max_length are handled.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from drafting.case.loaders import parse_case_json
from drafting.extraction.clinical_nlp import load_pipeline
from drafting.extraction.rules import extract_facts_timed

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100_000, 200_000, 400_000, 1_000_000)


def corpus() -> str:
    texts = [
        document["text"]
        for folder in ("eval/gold/cases", "eval/gold/new/cases")
        for path in sorted((ROOT / folder).glob("*.json"))
        for document in json.loads(path.read_text(encoding="utf-8"))["documents"]
    ]
    return "\n\n".join(texts)


def long_case(text: str) -> str:
    return json.dumps(
        {
            "case_id": "LONG",
            "received": "2026-11-30",
            "patient": {"age": 60, "sex": "F"},
            "request": {
                "services": [{"code": "64483", "side": "left", "levels": ["L5-S1"], "units": 1}],
                "diagnoses": [{"code": "M54.16", "description": "Radiculopathy, lumbar"}],
            },
            "documents": [{"title": "Office notes", "date": "2026-11-20", "text": text}],
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="record sizes in characters")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median shown)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    sizes = args.sizes or list(SIZES)
    load_pipeline()
    source = corpus()
    print("| characters | seconds | seconds per 100k | clinical NLP s | rules s |")
    print("| --- | --- | --- | --- | --- |")
    for size in sizes:
        text = (source * (size // len(source) + 1))[:size]
        case = parse_case_json(long_case(text))
        runs = [extract_facts_timed(case)[1] for _ in range(max(1, args.repeat))]
        seconds = statistics.median(run.annotate + run.rules for run in runs)
        annotate = statistics.median(run.annotate for run in runs)
        rules = statistics.median(run.rules for run in runs)
        print(
            f"| {size:,} | {seconds:.1f} | {seconds / size * 100_000:.2f} "
            f"| {annotate:.1f} | {rules:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
