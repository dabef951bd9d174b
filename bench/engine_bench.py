"""Engine speed: criteria load time and line decisions per second.

    python -m bench.engine_bench [--seconds 2]

Prints figures only (no thresholds): speed is measured here, never asserted in tests.
Times are process CPU time, so other processes sharing the cores do not distort them.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from criteria.engine import decide
from criteria.fact_values import fact_values, facts_from_compact
from criteria.line_facts import RequestLines, build_line_facts
from criteria.loader import build_library, criteria_dir, load_library, read_files
from criteria.routing import decide_request
from tests.epidural_facts import RADICULOPATHY_HISTORY

# The epidural tests' patient (tests/epidural_facts.py), here asking for a repeat therapeutic ESI.
FACTS: dict[str, Any] = {
    **RADICULOPATHY_HISTORY,
    "conservative.ongoing": True,
    "planned.injectate": ["steroid"],
    "procedures.prior": [
        {"type": "esi", "date": "2025-07-01", "region": "lumbar", "relief_percent": 70,
         "relief_duration_months": 4, "functional_improvement": True},
    ],
    "imaging.studies": [
        {"modality": "mri", "date": "2025-09-12", "independent_radiologist": True,
         "findings": [{"level": "L4-L5", "side": "left", "herniation": True,
                       "root_compression": True}]},
    ],
}  # fmt: skip
REQUEST = {
    "date": "2026-01-15",
    "codes": ["64483", "64484", "J1040"],
    "diagnosis_codes": ["M54.16"],
    "lines": [
        {"code": "64483", "side": "left", "levels": ["L4-L5"]},
        {"code": "64484", "side": "left", "levels": ["L5-S1"]},
        {"code": "J1040"},
    ],
}


def _rate(run: Callable[[], object], seconds: float, rounds: int = 5) -> tuple[float, int]:
    """Best rate of several short rounds (the least disturbed one), and the total runs."""
    best, total = 0.0, 0
    for _ in range(rounds):
        count, start = 0, time.process_time()
        while time.process_time() - start < seconds / rounds:
            run()
            count += 1
        best = max(best, count / (time.process_time() - start))
        total += count
    return best, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()

    start = time.process_time()
    files = read_files(criteria_dir())
    parsed = time.process_time()
    library = build_library(files, check=True)
    built = time.process_time()
    load_library.cache_clear()
    print(f"criteria files: {len(files)}; criteria: {len(library.criteria)}; "
          f"definitions: {len(library.definitions)}; sets: {len(library.sets)}")  # fmt: skip
    print(f"load: parse YAML {parsed - start:.3f} s, compile + check {built - parsed:.3f} s, "
          f"total {built - start:.3f} s")  # fmt: skip

    facts = facts_from_compact(FACTS, request=REQUEST)
    values = fact_values(facts)
    request = RequestLines(facts, library)
    line = build_line_facts(request, 0, values.values).model_copy(update={"purpose": "therapeutic"})
    compiled = library.resolve(["epidural.therapeutic_esi"])
    today = facts.request.date
    per_line, n = _rate(lambda: decide(line, values, compiled, today), args.seconds)
    print(f"decide() on one line ({len(compiled.criterion_ids)} criteria): "
          f"{per_line:,.0f} line decisions/s ({n} runs)")  # fmt: skip
    per_request, n = _rate(lambda: decide_request(facts, library), args.seconds)
    print(f"decide_request() with 3 lines (flatten + route + decide): {per_request * 3:,.0f} "
          f"line decisions/s, {per_request:,.0f} requests/s ({n} runs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
