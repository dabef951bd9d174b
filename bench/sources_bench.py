"""Decisions and facts per case source and split: python -m bench.sources_bench [--split test].

Prints, for each source (own / external / real / new, see eval.sources): cases right, lines
right, wrong denials, wrong approvals, the pend rate on lines whose gold is approved or denied,
fact F1, and the worst fact groups; then every wrong line with the criteria that decided it.
"""

from __future__ import annotations

import argparse
import sys
import time

from drafting.pipeline import determine
from eval.fact_match import Tally
from eval.gold_set import load_gold
from eval.metrics import fact_scores
from eval.sources import SOURCES, decision_right, split_of, wrong_approval, wrong_denial


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--source", choices=sorted(SOURCES), action="append")
    args = parser.parse_args(argv)
    wrong_rows: list[str] = []
    print(
        "| source | split | cases right | lines right | wrong denials | wrong approvals "
        "| pend rate (gold A/D) | fact F1 | worst fact groups |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for source in args.source or list(SOURCES):
        folder = SOURCES[source]
        if not (folder / "cases").is_dir():
            continue
        gold_cases = [
            g for g in load_gold(folder) if args.split == "all" or split_of(g.case_id) == args.split
        ]
        cases_right = lines = lines_right = denials = approvals = decided = pends = 0
        total = Tally()
        by_group: dict[str, Tally] = {}
        started = time.perf_counter()
        for gold in gold_cases:
            result = determine(gold.case)
            right_case = True
            for row, line in zip(gold.gold_lines, result.decisions, strict=False):
                want, got = str(row["decision"]), line.decision
                lines += 1
                ok = decision_right(want, got)
                lines_right += ok
                right_case &= ok
                denials += wrong_denial(want, got)
                approvals += wrong_approval(want, got)
                if want in ("approved", "denied"):
                    decided += 1
                    pends += got == "pended"
                if not ok:
                    deciding = [f"{c.id}={c.status}" for c in line.criteria if c.effect != "none"]
                    wrong_rows.append(
                        f"{source} {gold.case_id} {line.code}: {got} (gold {want}) {deciding[:4]}"
                    )
            cases_right += right_case
            scores = fact_scores(gold.case, gold.gold_facts, result.case_facts)
            for name, tally in scores.by_group().items():
                agg = by_group.setdefault(name, Tally())
                agg.tp, agg.fp, agg.fn = agg.tp + tally.tp, agg.fp + tally.fp, agg.fn + tally.fn
                total.tp, total.fp, total.fn = (
                    total.tp + tally.tp,
                    total.fp + tally.fp,
                    total.fn + tally.fn,
                )
        worst = sorted(((t.f1, g) for g, t in by_group.items() if t.tp + t.fn >= 3))[:3]
        print(
            f"| {source} | {args.split} | {cases_right}/{len(gold_cases)} | {lines_right}/{lines} "
            f"| {denials} | {approvals} | {pends}/{decided} ({pends / max(decided, 1):.0%}) "
            f"| {total.f1:.3f} | {', '.join(f'{g} {f:.2f}' for f, g in worst)} |"
            f"  ({time.perf_counter() - started:.1f} s)"
        )
    print()
    for wrong in wrong_rows:
        print(" -", wrong)
    return 0


if __name__ == "__main__":
    sys.exit(main())
