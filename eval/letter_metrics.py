"""Letter metrics: plain functions returning ``(value, reason)``.

- citation validity: every cited passage id resolves in the guideline and was provided to the
  drafter (the passages governing the requested codes and the criteria's own);
- citation precision and recall against the passages of the gold letter
  (`eval/gold/letters/<case_id>.json`); ``None`` with reason "no gold letter" when there is none;
- required-element coverage: the share of the DOMAIN.md checklist the letter satisfies, by eval's
  own check (`eval.letter_checks.required_elements`, never the drafter's linter);
- unsupported-claim rate: quotations, patient dates and figures the record and the guideline do
  not hold, per letter sentence (`eval.letter_checks.unsupported_claims`);
- ROUGE-L F1 against the gold letter's text (longest common subsequence of word tokens).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from drafting.case.contract import Case
from drafting.result import LineOutcome
from eval.letter_checks import required_elements, unsupported_claims
from eval.metrics import Metric
from eval.text import CITATION, sentences

NO_GOLD_LETTER = "no gold letter"
_TOKEN = re.compile(r"[a-z0-9]+(?:['.-][a-z0-9]+)*")


def cited_ids(text: str, citations: Sequence[str] = ()) -> list[str]:
    """Passage ids the letter cites: its citation list and every ``[id]`` in its text."""
    return list(dict.fromkeys([*citations, *CITATION.findall(text)]))


def citation_validity(
    cited: Sequence[str], known: Collection[str], provided: Collection[str]
) -> Metric:
    """1.0 when every cited id is a guideline passage that was provided, else the valid share."""
    if not cited:
        return None, "the letter cites no passage"
    unknown = [c for c in cited if c not in known]
    unprovided = [c for c in cited if c in known and c not in provided]
    valid = len(cited) - len(unknown) - len(unprovided)
    problems = [f"unknown {c}" for c in unknown] + [f"not provided {c}" for c in unprovided]
    reason = f"{valid}/{len(cited)} citations resolve and were provided"
    return valid / len(cited), reason + (f": {', '.join(problems)}" if problems else "")


def citation_precision(cited: Sequence[str], gold_passages: Sequence[str] | None) -> Metric:
    """Share of the letter's citations that the gold letter also cites."""
    if gold_passages is None:
        return None, NO_GOLD_LETTER
    if not cited:
        return None, "the letter cites no passage"
    hits = [c for c in cited if c in set(gold_passages)]
    extra = [c for c in cited if c not in set(gold_passages)]
    reason = f"{len(hits)}/{len(cited)} citations are in the gold letter"
    return len(hits) / len(cited), reason + (f"; extra: {', '.join(extra)}" if extra else "")


def citation_recall(cited: Sequence[str], gold_passages: Sequence[str] | None) -> Metric:
    """Share of the gold letter's passages that the letter cites."""
    if gold_passages is None:
        return None, NO_GOLD_LETTER
    gold = list(dict.fromkeys(gold_passages))
    if not gold:
        return None, "the gold letter cites no passage"
    missed = [g for g in gold if g not in set(cited)]
    reason = f"{len(gold) - len(missed)}/{len(gold)} gold passages cited"
    return (len(gold) - len(missed)) / len(gold), reason + (
        f"; missed: {', '.join(missed)}" if missed else ""
    )


def element_coverage(
    text: str, lines: Sequence[LineOutcome], case: Case, guideline_title: str
) -> Metric:
    """Share of the required letter elements present (eval's own checklist for this case)."""
    checklist = required_elements(text, lines, case, guideline_title)
    if not checklist:
        return None, "no required elements apply"
    missing = [e.name for e in checklist if not e.present]
    present = len(checklist) - len(missing)
    reason = f"{present}/{len(checklist)} required elements present"
    return present / len(checklist), reason + (
        f"; missing: {'; '.join(missing[:3])}" if missing else ""
    )


def unsupported_claim_rate(text: str, case: Case, guideline: Iterable[str]) -> Metric:
    """Unsupported claims (quotations, patient dates, figures) per sentence of the letter.

    `guideline` is the text of every guideline passage (a quote may come from any of them).
    """
    count = len(sentences(text))
    if not count:
        return None, "empty letter"
    problems = unsupported_claims(text, case, guideline)
    reason = f"{len(problems)} unsupported claim(s) in {count} sentences"
    return len(problems) / count, reason + (f": {'; '.join(problems[:3])}" if problems else "")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (numbers, levels like l4-l5 and 80% -> '80' kept)."""
    return _TOKEN.findall(text.lower())


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (dynamic programming, two rows)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for item in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if item == other else max(previous[j], current[-1]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str | None) -> Metric:
    """ROUGE-L F1 of the letter against the gold letter's text."""
    if reference is None:
        return None, NO_GOLD_LETTER
    cand, ref = tokens(candidate), tokens(reference)
    if not cand or not ref:
        return None, "empty letter or empty gold letter"
    lcs = lcs_length(cand, ref)
    precision, recall = lcs / len(cand), lcs / len(ref)
    f1 = 2 * precision * recall / (precision + recall) if lcs else 0.0
    reason = f"LCS {lcs} tokens of {len(cand)} (letter) / {len(ref)} (gold): P {precision:.3f}"
    return f1, reason + f", R {recall:.3f}"
