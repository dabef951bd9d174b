"""Score one pipeline result against its gold case, and pool case rows into a run summary.

`score_result` turns a `drafting.pipeline.Result` and its `GoldCase` into a `CaseRow` (one line
of cases.jsonl): every line's decision against gold, every gold deciding criterion against the
engine's, fact tallies per group, the letter metrics and the cost. `summarize` pools the rows:
line-level metrics over all lines, criterion metrics over all gold criteria, fact F1 over pooled
tallies, letter metrics as the mean over the cases where they are defined.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from criteria.results import CriterionResult, LineDecision
from drafting.pipeline import Result
from eval import letter_metrics as lm
from eval import metrics as m
from eval.fact_match import FactScores
from eval.gold_set import GoldCase
from guideline_corpus.passages import Passage


class MetricValue(BaseModel):
    """A metric's value (None when undefined) and the one-line reason behind it."""

    value: float | None
    reason: str

    @classmethod
    def of(cls, metric: m.Metric) -> MetricValue:
        value, reason = metric
        return cls(value=None if value is None else round(value, 4), reason=reason)


class LineRow(BaseModel):
    """One requested line of a case: gold and predicted decision."""

    code: str
    gold: str
    predicted: str
    deciding: list[str] = Field(
        default_factory=list, description="engine criteria that denied or pended the line, why"
    )

    @property
    def correct(self) -> bool:
        return self.gold == self.predicted


class CaseRow(BaseModel):
    """Everything the eval records about one case (a line of cases.jsonl)."""

    case_id: str
    error: str | None = None
    lines: list[LineRow] = Field(default_factory=list)
    metrics: dict[str, MetricValue] = Field(default_factory=dict)
    fact_groups: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="tp/fp/fn per facts group"
    )
    criteria: list[dict[str, Any]] = Field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = Field(default_factory=dict)
    tokens: dict[str, int] = Field(default_factory=dict)
    extractor: str = ""
    drafter: str = ""
    letter_date: str | None = None
    letter_fallback: str | None = None
    flags: list[str] = Field(default_factory=list)

    def line_pairs(self) -> list[m.LinePair]:
        return [m.LinePair(self.case_id, x.code, x.gold, x.predicted) for x in self.lines]

    def criterion_pairs(self) -> list[m.CriterionPair]:
        return [m.CriterionPair(**row) for row in self.criteria]


def _engine_criteria(decision: LineDecision, decisions: Sequence[LineDecision]) -> list[Any]:
    """The line's criteria and definitions; an add-on or drug line with none takes its primary's."""
    if not decision.criteria and decision.follows:
        for other in decisions:
            if other.code == decision.follows:
                return [*other.criteria, *other.definitions]
    return [*decision.criteria, *decision.definitions]


def _aligned(gold: GoldCase, decisions: Sequence[LineDecision]) -> list[tuple[Any, Any]]:
    gold_lines = gold.gold_lines
    if [g.get("code") for g in gold_lines] == [d.code for d in decisions]:
        return list(zip(gold_lines, decisions, strict=True))
    remaining = list(decisions)
    pairs: list[tuple[Any, Any]] = []
    for line in gold_lines:
        match = next((d for d in remaining if d.code == str(line.get("code"))), None)
        if match is not None:
            remaining.remove(match)
        pairs.append((line, match))
    return pairs


def score_result(
    gold: GoldCase, result: Result, seconds: float, guideline: Mapping[str, Passage]
) -> CaseRow:
    """One case's row: decisions, criteria, facts, letter and cost against gold.

    `guideline` holds every passage of the guideline by id (citations must resolve in it; gold
    criteria are located in its text).
    """
    texts = {pid: p.text for pid, p in guideline.items()}
    row = CaseRow(case_id=gold.case_id, seconds=round(seconds, 4))
    criteria: list[m.CriterionPair] = []
    for gold_line, decision in _aligned(gold, result.decisions):
        code, expected = str(gold_line.get("code")), str(gold_line.get("decision"))
        predicted = decision.decision if decision is not None else "missing"
        deciding = [
            f"{c.id} {c.status}: {c.reason}"
            for c in (decision.criteria if decision else [])
            if c.effect != "none"
        ]
        row.lines.append(LineRow(code=code, gold=expected, predicted=predicted, deciding=deciding))
        engine: list[CriterionResult] = (
            _engine_criteria(decision, result.decisions) if decision else []
        )
        rows = gold_line.get("deciding") or []
        criteria += m.criterion_pairs(gold.case_id, code, rows, engine, texts)
    row.criteria = [pair._asdict() for pair in criteria]
    pairs = row.line_pairs()
    scores = m.fact_scores(result.case, gold.gold_facts, result.case_facts)
    row.fact_groups = {g: vars(t).copy() for g, t in scores.by_group().items()}
    precision, recall, f1 = m.fact_prf(scores)
    text, letter = result.letter.text, result.letter_model
    cited = lm.cited_ids(text, result.letter.citations)
    gold_passages = gold.letter.passages if gold.letter else None
    title = result.guideline.title
    row.metrics = {
        name: MetricValue.of(metric)
        for name, metric in {
            "decision_accuracy": m.decision_accuracy(pairs),
            "wrong_approvals": m.wrong_approvals(pairs),
            "wrong_denials": m.wrong_denials(pairs),
            "criterion_agreement": m.criterion_agreement(criteria),
            "cohen_kappa": m.cohen_kappa(criteria),
            "fact_precision": precision,
            "fact_recall": recall,
            "fact_f1": f1,
            "citation_validity": lm.citation_validity(cited, guideline, result.passages),
            "citation_precision": lm.citation_precision(cited, gold_passages),
            "citation_recall": lm.citation_recall(cited, gold_passages),
            "element_coverage": lm.element_coverage(text, result.lines, result.case, title),
            "unsupported_claim_rate": lm.unsupported_claim_rate(
                text, result.case, [p.text for p in guideline.values()]
            ),
            "rouge_l": lm.rouge_l(text, gold.letter.text if gold.letter else None),
            "seconds": m.case_seconds(result.timings),
            "llm_tokens": m.llm_tokens(result.llm_usage),
        }.items()
    }
    row.timings = dict(result.timings)
    row.tokens = dict(result.llm_usage)
    row.extractor, row.drafter = result.extractor, result.drafter
    row.letter_date = letter.letter_date.isoformat()
    row.letter_fallback = result.letter.fallback_reason
    row.flags = list(result.flags)
    return row


def error_row(gold: GoldCase, error: BaseException, seconds: float) -> CaseRow:
    """The row of a case the pipeline could not run (every line scored as ``error``)."""
    row = CaseRow(case_id=gold.case_id, error=f"{type(error).__name__}: {error}", seconds=seconds)
    row.lines = [
        LineRow(code=str(g.get("code")), gold=str(g.get("decision")), predicted="error")
        for g in gold.gold_lines
    ]
    return row


# --- the run summary --------------------------------------------------------------------------

MEAN_OF_CASES = (
    "fact_precision",
    "fact_recall",
    "citation_validity",
    "citation_precision",
    "citation_recall",
    "element_coverage",
    "unsupported_claim_rate",
    "rouge_l",
)


def _mean(rows: Sequence[CaseRow], name: str) -> m.Metric:
    values = [r.metrics[name].value for r in rows if name in r.metrics]
    defined = [v for v in values if v is not None]
    if not defined:
        reasons = {r.metrics[name].reason for r in rows if name in r.metrics}
        return None, "; ".join(sorted(reasons)[:2]) or "no case scored"
    low = min(defined)
    return statistics.fmean(defined), f"mean of {len(defined)}/{len(rows)} cases, min {low:.3f}"


def pooled_facts(rows: Sequence[CaseRow]) -> FactScores:
    """Fact tallies summed over the rows, per group."""
    scores = FactScores()
    for row in rows:
        for group, counts in row.fact_groups.items():
            tally = scores.by_name[group]
            tally.tp, tally.fp, tally.fn = (
                tally.tp + counts["tp"],
                tally.fp + counts["fp"],
                tally.fn + counts["fn"],
            )
    return scores


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(rows: Sequence[CaseRow]) -> dict[str, Any]:
    """Pooled metrics, per-group fact F1, the confusion matrix and cost over the run."""
    pairs = [p for r in rows for p in r.line_pairs()]
    criteria = [c for r in rows for c in r.criterion_pairs()]
    scored = [r for r in rows if r.error is None]
    facts = pooled_facts(scored)
    groups: dict[str, m.Metric] = {}
    for group, tally in sorted(facts.by_name.items()):
        groups[group] = m.group_f1(group, tally)
    metrics: dict[str, m.Metric] = {
        "decision_accuracy": m.decision_accuracy(pairs),
        "wrong_approvals": m.wrong_approvals(pairs),
        "wrong_denials": m.wrong_denials(pairs),
        "pend_rate": m.pend_rate(pairs),
        "criterion_agreement": m.criterion_agreement(criteria),
        "cohen_kappa": m.cohen_kappa(criteria),
        "fact_f1": m.fact_prf(facts)[2],
    }
    metrics.update({name: _mean(scored, name) for name in MEAN_OF_CASES})
    seconds = [r.seconds for r in rows]
    tokens = sum(r.metrics["llm_tokens"].value or 0 for r in scored if "llm_tokens" in r.metrics)
    return {
        "cases": len(rows),
        "lines": len(pairs),
        "errors": {r.case_id: r.error for r in rows if r.error},
        "metrics": {k: MetricValue.of(v).model_dump() for k, v in metrics.items()},
        "fact_groups": {k: MetricValue.of(v).model_dump() for k, v in groups.items()},
        "confusion": m.confusion(pairs),
        "seconds_per_case": {
            "mean": round(statistics.fmean(seconds), 4) if seconds else None,
            "p50": round(_percentile(seconds, 0.5), 4) if seconds else None,
            "p95": round(_percentile(seconds, 0.95), 4) if seconds else None,
        },
        "llm_tokens_total": int(tokens),
    }


def worst_cases(rows: Sequence[CaseRow], count: int = 5) -> list[CaseRow]:
    """Cases ranked worst first: wrong approvals, then wrong lines, then criterion disagreement."""

    def badness(row: CaseRow) -> tuple[float, ...]:
        def metric(name: str, default: float) -> float:
            value = row.metrics.get(name)
            return default if value is None or value.value is None else value.value

        wrong_lines = sum(not line.correct for line in row.lines)
        return (
            float(row.error is not None),
            metric("wrong_approvals", 0.0),
            float(wrong_lines),
            1.0 - metric("criterion_agreement", 1.0),
            1.0 - metric("element_coverage", 1.0),
        )

    return sorted(rows, key=badness, reverse=True)[:count]
