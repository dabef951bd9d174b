"""The regression gate: a run's summary against the floors and ceilings in eval/thresholds.yaml.

One block per run mode (``offline``: rules + template; ``replay``: the LLM path from cassettes;
a ``record`` run is held to the replay block):

    offline:
      minimum:  {metric: lowest acceptable value}   e.g. decision_accuracy, element_coverage
      maximum:  {metric: highest acceptable value}  e.g. wrong_approvals

A metric named in the thresholds but undefined in the run (``None``) fails the gate: a gate that
cannot measure must not pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from drafting.errors import DeterminationError
from eval.sources import SOURCES

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.yaml"
# run mode -> the thresholds block it is held to
MODES = {"offline": "offline", "replay": "replay", "record": "replay"}


class ThresholdsError(DeterminationError):
    """thresholds.yaml is missing or malformed."""


def load_thresholds(
    path: Path = THRESHOLDS_PATH, mode: str = "offline"
) -> dict[str, dict[str, float]]:
    """The minimum and maximum maps of the thresholds file for a run mode."""
    if not path.is_file():
        raise ThresholdsError(f"{path} is missing: the gate needs minimum/maximum metric values")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = set(MODES) | {f"{m}:{source}" for m in MODES for source in SOURCES}
    unknown_modes = set(raw) - known
    if unknown_modes:
        raise ThresholdsError(
            f"{path}: unknown run modes {sorted(unknown_modes)}; use {', '.join(MODES)}, "
            "optionally followed by :SOURCE (eval.sources)"
        )
    run_mode, _, source = mode.partition(":")
    block_name = MODES.get(run_mode, run_mode) + (f":{source}" if source else "")
    block = raw.get(block_name)
    if not isinstance(block, dict):
        raise ThresholdsError(f"{path}: no thresholds for {mode} runs; add a {block_name}: block")
    unknown = set(block) - {"minimum", "maximum"}
    if unknown:
        raise ThresholdsError(f"{path}: unknown keys {sorted(unknown)}; use minimum and maximum")
    try:
        return {
            kind: {str(k): float(v) for k, v in (block.get(kind) or {}).items()}
            for kind in ("minimum", "maximum")
        }
    except (TypeError, ValueError) as error:
        raise ThresholdsError(f"{path}: every threshold must be a number ({error})") from None


def gate_failures(summary: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """One message per threshold the run breaks (empty: the gate passes)."""
    failures: list[str] = []
    metrics = summary.get("metrics", {})
    for kind, limits in thresholds.items():
        for name, limit in limits.items():
            value = metrics.get(name, {}).get("value")
            if value is None:
                failures.append(f"{name} is undefined in this run (gate needs {kind} {limit})")
            elif kind == "minimum" and value < limit:
                failures.append(f"{name} {value:.3f} is below the minimum {limit:.3f}")
            elif kind == "maximum" and value > limit:
                failures.append(f"{name} {value:.3f} is above the maximum {limit:.3f}")
    return failures
