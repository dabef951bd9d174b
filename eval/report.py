"""The run report: report.md with a summary table, the worst cases and four PNG plots.

Plots (matplotlib, Agg backend, no display needed): the decision confusion matrix (gold rows,
predicted columns), agreement per engine criterion (agreeing and disagreeing gold rows for the
criteria that gold cites most), F1 per facts group, and the distribution of seconds per case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from eval.metrics import UNMATCHED
from eval.scoring import CaseRow, worst_cases

OUTCOMES = ["approved", "denied", "pended"]
PLOTS = {
    "confusion": "confusion.png",
    "criteria": "criterion_agreement.png",
    "facts": "fact_group_f1.png",
    "latency": "latency.png",
}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def plot_confusion(confusion: dict[str, dict[str, int]], path: Path) -> None:
    """Gold decision (rows) against predicted decision (columns), with counts in the cells."""
    predicted = OUTCOMES + sorted({p for row in confusion.values() for p in row} - set(OUTCOMES))
    grid = [[confusion.get(g, {}).get(p, 0) for p in predicted] for g in OUTCOMES]
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(predicted)), predicted)
    ax.set_yticks(range(len(OUTCOMES)), OUTCOMES)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    top = max((v for row in grid for v in row), default=0)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            color = "white" if top and value > top / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", color=color)
    ax.set_title("Line decisions: gold vs predicted")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_criteria(rows: Sequence[CaseRow], path: Path, limit: int = 25) -> None:
    """Agreeing and disagreeing gold rows per matched engine criterion (most cited first)."""
    agree: Counter[str] = Counter()
    disagree: Counter[str] = Counter()
    for pair in (p for r in rows for p in r.criterion_pairs()):
        name = pair.engine_id or f"{UNMATCHED} ({pair.section})"
        (agree if pair.gold == pair.engine else disagree)[name] += 1
    names = [n for n, _ in (agree + disagree).most_common(limit)][::-1]
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.28 * len(names) + 1)))
    ax.barh(names, [agree[n] for n in names], color="tab:green", label="agrees")
    ax.barh(
        names,
        [disagree[n] for n in names],
        left=[agree[n] for n in names],
        color="tab:red",
        label="disagrees",
    )
    ax.set_xlabel("gold deciding criteria")
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right")
    ax.set_title("Criterion-level agreement with gold")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_fact_groups(groups: dict[str, dict[str, Any]], path: Path) -> None:
    """F1 per facts group (pooled over the run)."""
    names = [g for g, v in groups.items() if v.get("value") is not None]
    fig, ax = plt.subplots(figsize=(7, max(3.0, 0.3 * len(names) + 1)))
    ax.barh(names[::-1], [groups[n]["value"] for n in names[::-1]], color="tab:blue")
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title("Fact extraction F1 per facts group")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_latency(rows: Sequence[CaseRow], path: Path) -> None:
    """Histogram of seconds per case."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([r.seconds for r in rows], bins=20, color="tab:gray")
    ax.set_xlabel("seconds per case")
    ax.set_ylabel("cases")
    ax.set_title("Latency distribution")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def summary_table(summary: dict[str, Any]) -> list[str]:
    """Markdown table of the summary metrics."""
    lines = ["| metric | value | basis |", "|---|---|---|"]
    for name, metric in summary["metrics"].items():
        reason = str(metric["reason"]).replace("|", "/")
        lines.append(f"| {name} | {_fmt(metric['value'])} | {reason[:160]} |")
    return lines


def why_row_fails(row: CaseRow) -> str:
    """One paragraph on what went wrong in a case."""
    if row.error:
        return row.error
    parts = []
    for line in (x for x in row.lines if not x.correct):
        because = f" because {' / '.join(line.deciding[:2])}" if line.deciding else ""
        parts.append(f"{line.code}: gold {line.gold}, got {line.predicted}{because}")
    wrong = [p for p in row.criterion_pairs() if p.gold != p.engine]
    for pair in wrong[:3]:
        parts.append(f"criterion {pair.engine_id or 'unmatched'} gold {pair.gold} vs {pair.engine}")
    coverage = row.metrics.get("element_coverage")
    if coverage is not None and coverage.value is not None and coverage.value < 1:
        parts.append(coverage.reason)
    return "; ".join(parts) or "no failure"


def write_report(run_dir: Path, rows: Sequence[CaseRow], summary: dict[str, Any]) -> Path:
    """Write report.md and the plots into the run directory; returns the report path."""
    plot_confusion(summary["confusion"], run_dir / PLOTS["confusion"])
    plot_criteria(rows, run_dir / PLOTS["criteria"])
    plot_fact_groups(summary["fact_groups"], run_dir / PLOTS["facts"])
    plot_latency(rows, run_dir / PLOTS["latency"])
    seconds = summary["seconds_per_case"]
    lines = [
        f"# Eval run {summary['run_id']}",
        "",
        f"Mode {summary['mode']}, extractor {summary['extractor']}, drafter {summary['drafter']}"
        f", model {summary.get('model') or '-'}; {summary['cases']} cases, {summary['lines']} "
        f"lines; {summary['wall_seconds']} s wall (per case p50 {seconds['p50']} s, "
        f"p95 {seconds['p95']} s); {summary['llm_tokens_total']} LLM tokens.",
        "",
        *summary_table(summary),
        "",
        "## Fact F1 per group",
        "",
        "| group | F1 | counts |",
        "|---|---|---|",
        *[
            f"| {g} | {_fmt(v['value'])} | {v['reason']} |"
            for g, v in summary["fact_groups"].items()
        ],
        "",
        "## Plots",
        "",
        *[f"![{name}]({file})" for name, file in PLOTS.items()],
        "",
        "## Worst cases",
        "",
        *[f"- **{row.case_id}**: {why_row_fails(row)}" for row in worst_cases(rows)],
    ]
    if summary["errors"]:
        lines += ["", "## Errors", "", *[f"- {k}: {v}" for k, v in summary["errors"].items()]]
    path = run_dir / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
