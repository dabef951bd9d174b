"""Compare two eval runs: per-metric deltas and the cases whose outcome changed.

A run is named by its directory, or by its run id under the results directory. Outcome changes
are per line: a line whose predicted decision differs between the runs is listed with the gold
decision, so a reader sees at once whether the change is a fix or a regression.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drafting.errors import DeterminationError
from eval.runner import DEFAULT_OUT_DIR, load_rows
from eval.scoring import CaseRow

# Metrics where a lower value is better (a rise is a regression).
LOWER_IS_BETTER = frozenset({"wrong_approvals", "wrong_denials", "unsupported_claim_rate"})


class RunNotFoundError(DeterminationError):
    """A run named for comparison has no summary.json."""


def resolve_run(name: str, out_dir: Path = DEFAULT_OUT_DIR) -> Path:
    """The directory of a run given as a path or as a run id under `out_dir`."""
    for candidate in (Path(name), out_dir / name):
        if (candidate / "summary.json").is_file():
            return candidate
    raise RunNotFoundError(
        f"no eval run {name!r} (looked for {name}/summary.json and {out_dir / name}/summary.json); "
        "run `determine eval --run-id NAME` first"
    )


def _summary(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    return data


def metric_deltas(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """(metric, value in A, value in B, delta text) for every metric either run has."""
    out: list[tuple[str, Any, Any, str]] = []
    names = list(dict.fromkeys([*a["metrics"], *b["metrics"]]))
    for name in names:
        va = a["metrics"].get(name, {}).get("value")
        vb = b["metrics"].get(name, {}).get("value")
        if va is None or vb is None:
            delta = "n/a"
        else:
            diff = vb - va
            better = diff < 0 if name in LOWER_IS_BETTER else diff > 0
            mark = "" if abs(diff) < 1e-9 else (" (better)" if better else " (worse)")
            delta = f"{diff:+.3f}{mark}"
        out.append((name, va, vb, delta))
    return out


def changed_outcomes(rows_a: list[CaseRow], rows_b: list[CaseRow]) -> list[str]:
    """One text line per requested line whose decision differs between the runs."""
    by_case = {row.case_id: row for row in rows_a}
    changes: list[str] = []
    for row in rows_b:
        before = by_case.get(row.case_id)
        if before is None:
            changes.append(f"{row.case_id}: only in B")
            continue
        for old, new in zip(before.lines, row.lines, strict=False):
            if old.predicted != new.predicted:
                verdict = "fixed" if new.correct else ("broke" if old.correct else "still wrong")
                changes.append(
                    f"{row.case_id}/{new.code}: {old.predicted} -> {new.predicted} "
                    f"(gold {new.gold}, {verdict})"
                )
    only_a = sorted(set(by_case) - {row.case_id for row in rows_b})
    changes += [f"{case_id}: only in A" for case_id in only_a]
    return changes


def _show(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def compare_runs(name_a: str, name_b: str, out_dir: Path = DEFAULT_OUT_DIR) -> list[str]:
    """The comparison as printable lines."""
    dir_a, dir_b = resolve_run(name_a, out_dir), resolve_run(name_b, out_dir)
    a, b = _summary(dir_a), _summary(dir_b)
    lines = [
        f"A: {a['run_id']} ({a['mode']}, {a['extractor']}/{a['drafter']}, {a['cases']} cases)",
        f"B: {b['run_id']} ({b['mode']}, {b['extractor']}/{b['drafter']}, {b['cases']} cases)",
        f"{'metric':<24} {'A':>8} {'B':>8}  delta",
    ]
    for name, va, vb, delta in metric_deltas(a, b):
        lines.append(f"{name:<24} {_show(va):>8} {_show(vb):>8}  {delta}")
    changes = changed_outcomes(load_rows(dir_a), load_rows(dir_b))
    lines.append(f"lines whose outcome changed: {len(changes)}")
    lines += [f"  {change}" for change in changes]
    return lines
