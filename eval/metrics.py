"""Decision, criterion and fact metrics: plain functions returning ``(value, reason)``.

Each metric takes plain inputs (pairs of gold and predicted labels, gold rows and engine rows,
gold and extracted facts), so the same function scores one case or the pooled set. ``value`` is
a float, or ``None`` when the metric cannot be computed (nothing to score), and ``reason`` says in
one line what the value rests on (counts, the lines that went wrong). Letter metrics are in
`eval.letter_metrics`.

Criterion-level agreement: gold labels name the criteria that decide each line by their verbatim
guideline quote; an engine criterion matches a gold row when one quote contains the other (after
normalising case, whitespace, quote marks and Markdown emphasis), else when at least 60% of the
gold quote's content words appear in it (the best such); else, when the gold quote is a list item
under an engine criterion's lead sentence (one ending in a colon or saying "the following":
"Evidence of EITHER of the following ..."), the lead sentence that comes last before it in the
same guideline passage. Definitions count as engine criteria.
Status vocabularies are brought together before comparing: gold ``excluded`` (an exclusion
applies) is the engine's ``not_met``; an engine exclusion or contraindication that is
``not_applicable`` does not apply, which gold records as ``met``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from criteria.facts import CaseFacts
from criteria.results import CriterionResult
from drafting.case.contract import Case
from eval.fact_match import FactScores, Tally, score_case
from eval.sources import decision_right, wrong_approval, wrong_denial
from eval.text import quote_key

Metric = tuple[float | None, str]
UNMATCHED = "unmatched"
_SHOWN = 6  # at most this many items named in a reason


class LinePair(NamedTuple):
    """One requested line: its gold decision and the pipeline's."""

    case_id: str
    code: str
    gold: str
    predicted: str


class CriterionPair(NamedTuple):
    """One gold deciding criterion and the status of the engine criterion matched to it."""

    case_id: str
    code: str
    quote: str
    gold: str
    engine: str  # a status, or UNMATCHED when no engine criterion carries the quote
    engine_id: str | None = None
    section: str = ""


def _named(pairs: Iterable[LinePair]) -> str:
    items = [f"{p.case_id}/{p.code} ({p.gold}->{p.predicted})" for p in pairs]
    more = f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else ""
    return ", ".join(items[:_SHOWN]) + more


# --- decisions --------------------------------------------------------------------------------


def decision_accuracy(pairs: Sequence[LinePair]) -> Metric:
    """Share of lines whose decision is right (``not_approved`` gold accepts deny or pend)."""
    if not pairs:
        return None, "no lines"
    wrong = [p for p in pairs if not decision_right(p.gold, p.predicted)]
    value = (len(pairs) - len(wrong)) / len(pairs)
    reason = f"{len(pairs) - len(wrong)}/{len(pairs)} lines match gold"
    return value, reason + (f"; wrong: {_named(wrong)}" if wrong else "")


def wrong_approvals(pairs: Sequence[LinePair]) -> Metric:
    """How many lines were approved although gold denies or pends them (the costly error)."""
    if not pairs:
        return None, "no lines"
    wrong = [p for p in pairs if wrong_approval(p.gold, p.predicted)]
    return float(len(wrong)), (f"approved against gold: {_named(wrong)}" if wrong else "none")


def wrong_denials(pairs: Sequence[LinePair]) -> Metric:
    """How many lines were denied although gold approves or pends them (the worst error)."""
    if not pairs:
        return None, "no lines"
    wrong = [p for p in pairs if wrong_denial(p.gold, p.predicted)]
    return float(len(wrong)), (f"denied against gold: {_named(wrong)}" if wrong else "none")


def pend_rate(pairs: Sequence[LinePair]) -> Metric:
    """Share of lines gold approves or denies that were pended (asking for what the record had)."""
    decided = [p for p in pairs if p.gold in ("approved", "denied")]
    if not decided:
        return None, "no line with an approve or deny gold"
    pended = [p for p in decided if p.predicted == "pended"]
    reason = f"{len(pended)}/{len(decided)} decided lines pended"
    return len(pended) / len(decided), reason + (f": {_named(pended)}" if pended else "")


def confusion(pairs: Sequence[LinePair]) -> dict[str, dict[str, int]]:
    """Counts of gold decision (rows) against predicted decision (columns)."""
    table: dict[str, dict[str, int]] = {}
    for pair in pairs:
        row = table.setdefault(pair.gold, {})
        row[pair.predicted] = row.get(pair.predicted, 0) + 1
    return table


# --- criteria ---------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    """Content words: short function words ("the", "of", "may") say nothing about the criterion."""
    return {w for w in re.findall(r"[a-z0-9]+", text) if len(w) > 3 or w.isdigit()}


def quote_similarity(gold_quote: str, engine_quote: str) -> float:
    """1.0 when one quote contains the other, else the share of gold words found in the engine's."""
    gold, engine = quote_key(gold_quote), quote_key(engine_quote)
    if not gold or not engine:
        return 0.0
    if gold in engine or engine in gold:
        return 1.0
    gold_words = _words(gold)
    return len(gold_words & _words(engine)) / len(gold_words) if gold_words else 0.0


# A lead sentence that introduces a list of items ("... EITHER of the following ...:").
_LEAD_IN = re.compile(r":\s*$|\bthe following\b", re.IGNORECASE)


def _preceding_in_passage(
    gold_quote: str, engine: Sequence[CriterionResult], passages: Mapping[str, str]
) -> CriterionResult | None:
    """The engine lead-in criterion whose quote comes last before the gold quote in its passage."""
    gold = quote_key(gold_quote)
    best: tuple[int, CriterionResult] | None = None
    for criterion in engine:
        if not _LEAD_IN.search(criterion.quote):
            continue
        text = quote_key(passages.get(criterion.passage, ""))
        at, own = text.find(gold), text.find(quote_key(criterion.quote))
        if at < 0 or own < 0 or own > at:
            continue
        if best is None or own > best[0]:
            best = (own, criterion)
    return best[1] if best else None


def match_criterion(
    gold_quote: str,
    engine: Sequence[CriterionResult],
    passages: Mapping[str, str] | None = None,
    threshold: float = 0.6,
) -> CriterionResult | None:
    """The engine criterion that carries the gold quote.

    Best quote similarity first (containment, else >= `threshold` of the gold words); failing
    that, when the gold quote is a list item under an engine criterion's lead sentence, the
    criterion whose quote comes last before it in the same passage (`passages`: id -> text).
    """
    best: tuple[float, CriterionResult] | None = None
    for criterion in engine:
        score = quote_similarity(gold_quote, criterion.quote)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, criterion)
    if best is not None:
        return best[1]
    return _preceding_in_passage(gold_quote, engine, passages) if passages else None


def gold_status(status: str) -> str:
    """A gold label status in the engine's vocabulary (``excluded`` is ``not_met``)."""
    return "not_met" if status == "excluded" else status


def engine_status(criterion: CriterionResult) -> str:
    """An engine status in the gold's terms: an exclusion that does not apply is ``met``."""
    exclusion = criterion.kind in {"exclusion", "contraindication"}
    if criterion.status == "not_applicable" and exclusion:
        return "met"
    return criterion.status


def criterion_pairs(
    case_id: str,
    code: str,
    gold_rows: Sequence[Mapping[str, Any]],
    engine: Sequence[CriterionResult],
    passages: Mapping[str, str] | None = None,
) -> list[CriterionPair]:
    """Pair each gold deciding row of a line with the engine criterion carrying its quote."""
    pairs: list[CriterionPair] = []
    for row in gold_rows:
        quote = str(row.get("quote", ""))
        match = match_criterion(quote, engine, passages)
        pairs.append(
            CriterionPair(
                case_id=case_id,
                code=code,
                quote=quote,
                gold=gold_status(str(row.get("status", ""))),
                engine=engine_status(match) if match else UNMATCHED,
                engine_id=match.id if match else None,
                section=str(row.get("section", "")),
            )
        )
    return pairs


def criterion_agreement(pairs: Sequence[CriterionPair]) -> Metric:
    """Share of gold deciding criteria whose engine status agrees (unmatched rows disagree)."""
    if not pairs:
        return None, "no gold deciding criteria"
    agree = sum(p.gold == p.engine for p in pairs)
    unmatched = sum(p.engine == UNMATCHED for p in pairs)
    disagreements = Counter(f"{p.gold}->{p.engine}" for p in pairs if p.gold != p.engine)
    common = ", ".join(f"{k} x{n}" for k, n in disagreements.most_common(4))
    reason = f"{agree}/{len(pairs)} gold criteria agree; {unmatched} without an engine match"
    return agree / len(pairs), reason + (f"; {common}" if common else "")


def cohen_kappa(pairs: Sequence[CriterionPair]) -> Metric:
    """Cohen's kappa between gold and engine statuses over the matched criteria."""
    matched = [(p.gold, p.engine) for p in pairs if p.engine != UNMATCHED]
    if not matched:
        return None, "no matched criteria"
    n = len(matched)
    observed = sum(g == e for g, e in matched) / n
    gold_counts = Counter(g for g, _ in matched)
    engine_counts = Counter(e for _, e in matched)
    expected = sum(gold_counts[k] * engine_counts[k] for k in gold_counts) / (n * n)
    if expected >= 1.0:
        return None, f"{n} matched criteria all in one category: kappa undefined"
    kappa = (observed - expected) / (1.0 - expected)
    return kappa, f"{n} matched criteria: observed {observed:.3f}, chance {expected:.3f}"


# --- facts ------------------------------------------------------------------------------------


def fact_scores(case: Case, gold_facts: Mapping[str, Any], extracted: CaseFacts) -> FactScores:
    """Tallies of extracted facts against gold facts (rules in `eval.fact_match`)."""
    scores = FactScores()
    score_case(case, dict(gold_facts), extracted, scores)
    return scores


def _tally_metric(tally: Tally, what: str) -> tuple[Metric, Metric, Metric]:
    counts = f"tp {tally.tp}, fp {tally.fp}, fn {tally.fn}"
    if tally.tp + tally.fp + tally.fn == 0:
        empty: Metric = (None, f"no gold or judged {what}")
        return empty, empty, empty
    precision: Metric = (
        (tally.precision, f"{what}: {counts}") if tally.tp + tally.fp else (None, "none judged")
    )
    recall: Metric = (
        (tally.recall, f"{what}: {counts}") if tally.tp + tally.fn else (None, "no gold")
    )
    return precision, recall, (tally.f1, f"{what}: {counts}")


def fact_prf(scores: FactScores) -> tuple[Metric, Metric, Metric]:
    """Overall (precision, recall, F1) of the judged facts."""
    total = Tally()
    for tally in scores.by_name.values():
        total.tp, total.fp, total.fn = total.tp + tally.tp, total.fp + tally.fp, total.fn + tally.fn
    return _tally_metric(total, "all facts")


def fact_f1_by_group(scores: FactScores) -> dict[str, Metric]:
    """F1 per facts group (``pain``, ``conservative``, ``imaging.findings``, ...)."""
    return {
        group: _tally_metric(tally, group)[2] for group, tally in sorted(scores.by_group().items())
    }


def group_f1(group: str, tally: Tally) -> Metric:
    """F1 of one group's pooled tally."""
    return _tally_metric(tally, group)[2]


# --- cost -------------------------------------------------------------------------------------


def case_seconds(timings: Mapping[str, float]) -> Metric:
    """Seconds the pipeline spent on a case, summed over its stages."""
    if not timings:
        return None, "no timings"
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    return float(sum(timings.values())), stages


def llm_tokens(usage: Mapping[str, int]) -> Metric:
    """Prompt plus completion tokens the case cost (0 when no model was called)."""
    if not usage:
        return 0.0, "no LLM used"
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    calls, attempts = usage.get("calls", 0), usage.get("attempts", 0)
    reason = f"{calls} calls ({attempts} requests): {prompt} prompt + {completion} completion"
    return float(prompt + completion), reason
