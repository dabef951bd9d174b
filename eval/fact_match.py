"""Fact-level matching of extracted facts against gold facts (shared by the eval and the bench).

Matching, per case and per dotted fact name:

- Scalar facts (booleans, numbers, strings, dates, lists): one unit each. A name in both gold and
  extraction is a true positive when the values are equal, else it counts once as a false positive
  and once as a false negative. Numbers match within a tolerance: pain scores 0.5, percentages 5,
  months 0.5, weeks 1, anything else 2% (relative). Strings compare case-insensitively; dates as
  ISO strings; lists as sets after normalising each item (spinal levels to ``L4-L5`` form, ADL
  phrases to the canonical activity `drafting.extraction.quantities.find_adls` names; other strings
  lower-cased).
- Event lists (``procedures.prior``, ``surgery.prior``, ``imaging.studies``): ``[]`` against
  ``[]`` is one true positive. Otherwise each gold event is one unit, paired with an extracted
  event of the same key (procedures: type and date; surgeries: type and date, or type when the
  gold has no date; imaging: modality and date). A pair is a true positive when every field the
  gold event states (findings aside) matches under the rules above; an unpaired gold event is a
  false negative and an unpaired extracted event a false positive.
- Imaging findings are scored as their own group (``imaging.findings``): the gold and extracted
  findings of paired studies become (level, field, value) triples; the intersection is true
  positives. Extracted triples at levels the gold does not annotate are not judged.
- An extracted name the gold does not annotate for that case is not judged (counted in
  ``unjudged``); gold names outside the facts vocabulary are skipped and counted.

Moved here from ``bench/extraction_bench.py`` (which now imports it) so the eval harness and the
extraction bench score facts the same way.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from criteria.fact_values import compact_facts
from criteria.facts import CaseFacts, fact_names
from criteria.levels import normalize_level
from drafting.case.contract import Case
from drafting.extraction.quantities import find_adls

EVENT_KEYS = {
    "procedures.prior": ("type", "date"),
    "surgery.prior": ("type", "date"),
    "imaging.studies": ("modality", "date"),
}
_SKIP_FIELDS = {
    "quote", "document", "start", "end", "evidence", "findings", "region_group",
    "compressed_roots",  # added 2026-12-05, after the gold labels: not judged
}  # fmt: skip


@dataclass
class Tally:
    """True positives, false positives and false negatives of one fact type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class FactScores:
    """Tallies per dotted fact name, plus what could not be judged and every mismatch."""

    by_name: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    unjudged: Counter[str] = field(default_factory=Counter)
    skipped_gold: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, other: FactScores) -> None:
        """Pool another case's scores into these."""
        for name, tally in other.by_name.items():
            mine = self.by_name[name]
            mine.tp += tally.tp
            mine.fp += tally.fp
            mine.fn += tally.fn
        self.unjudged.update(other.unjudged)
        self.skipped_gold.update(other.skipped_gold)
        self.errors.extend(other.errors)

    def by_group(self) -> dict[str, Tally]:
        """Tallies summed per facts group (``pain``, ``imaging``, ``imaging.findings``, ...)."""
        groups: dict[str, Tally] = defaultdict(Tally)
        for name, tally in self.by_name.items():
            target = groups[group_of(name)]
            target.tp += tally.tp
            target.fp += tally.fp
            target.fn += tally.fn
        return dict(groups)


def group_of(name: str) -> str:
    """The facts group of a dotted name (imaging findings are their own group)."""
    return "imaging.findings" if name == "imaging.findings" else name.split(".")[0]


# ------------------------------------------------------------------ value comparison
def _tolerance(name: str) -> tuple[float, float]:
    """(absolute, relative) tolerance for a numeric field name."""
    if name.endswith("score") or name.endswith("_vas"):
        return 0.5, 0.0
    if "percent" in name:
        return 5.0, 0.0
    if name.endswith("months"):
        return 0.5, 0.0
    if name.endswith("weeks"):
        return 1.0, 0.0
    return 0.0, 0.02


def _item(value: Any, name: str) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if name.endswith("adls_impaired"):
            found = find_adls(text)
            return found[0].name if found else text.lower()
        try:
            return normalize_level(text)
        except ValueError:
            return text.lower()
    return value


def values_match(name: str, gold: Any, got: Any) -> bool:
    """Gold and extracted values are equal under the bench's rules (see module docstring)."""
    if isinstance(gold, bool) or isinstance(got, bool):
        return gold is got
    if isinstance(gold, int | float) and isinstance(got, int | float):
        absolute, relative = _tolerance(name)
        return abs(gold - got) <= max(absolute, relative * abs(gold))
    if isinstance(gold, list) and isinstance(got, list):
        return {_item(v, name) for v in gold} == {_item(v, name) for v in got}
    if isinstance(gold, str) and isinstance(got, str):
        return _item(gold, name) == _item(got, name)
    return gold == got


# ------------------------------------------------------------------ events
def _key(name: str, event: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(event.get(k) for k in EVENT_KEYS[name])


def _pair(name: str, gold: dict[str, Any], candidates: list[dict[str, Any]]) -> int | None:
    first, second = EVENT_KEYS[name]
    keyed = [
        index
        for index, event in enumerate(candidates)
        if event.get(first) == gold.get(first)
        and (gold.get(second) is None or event.get(second) == gold.get(second))
    ]
    # of several events with the same keys (a cervical and a lumbar MRI the same day), the one
    # that agrees on the most other fields
    return min(keyed, key=lambda i: len(_field_mismatches(name, gold, candidates[i])), default=None)


def _field_mismatches(name: str, gold: dict[str, Any], got: dict[str, Any]) -> list[str]:
    return [
        f"{key}: gold {value!r} got {got.get(key)!r}"
        for key, value in gold.items()
        if key not in _SKIP_FIELDS and value is not None
        and not values_match(f"{name}.{key}", value, got.get(key))
    ]  # fmt: skip


def _triples(study: dict[str, Any]) -> set[tuple[str, str, Any]]:
    triples: set[tuple[str, str, Any]] = set()
    findings = study.get("findings") or []
    # a label that writes its findings as free text ("solid L5-S1 fusion") has none to score
    for finding in findings if isinstance(findings, list) else []:
        if not isinstance(finding, dict):
            continue
        level = _item(finding.get("level") or "", "level")
        for key, value in finding.items():
            if key in _SKIP_FIELDS or key == "level" or value is None:
                continue
            if isinstance(value, list):  # named roots: compared as a set
                value = tuple(sorted(str(v).upper() for v in value))
            triples.add((level, key, float(value) if isinstance(value, int | float)
                         and not isinstance(value, bool) else value))  # fmt: skip
    return triples


def _score_events(name: str, gold: list[dict[str, Any]], got: list[dict[str, Any]] | None,
                  report: FactScores, case_id: str) -> None:  # fmt: skip
    tally = report.by_name[name]
    if got is None:
        tally.fn += max(1, len(gold))
        report.errors.append(f"{case_id} {name}: missing (gold {len(gold)} events)")
        return
    if not gold or not got:
        if not gold and not got:
            tally.tp += 1
        else:
            tally.fn += max(1, len(gold))
            tally.fp += max(1, len(got))
            report.errors.append(f"{case_id} {name}: gold {len(gold)} events, got {len(got)}")
        return
    remaining = list(got)
    for event in gold:
        index = _pair(name, event, remaining)
        if index is None:
            tally.fn += 1
            report.errors.append(f"{case_id} {name}: no match for {_key(name, event)}")
            continue
        match = remaining.pop(index)
        problems = _field_mismatches(name, event, match)
        if problems:
            tally.fp += 1
            tally.fn += 1
            report.errors.append(f"{case_id} {name} {_key(name, event)}: {'; '.join(problems)}")
        else:
            tally.tp += 1
        if name == "imaging.studies":
            _score_findings(event, match, report, case_id)
    tally.fp += len(remaining)
    for event in remaining:
        report.errors.append(f"{case_id} {name}: extra event {_key(name, event)}")


def _score_findings(
    gold: dict[str, Any], got: dict[str, Any], report: FactScores, case_id: str
) -> None:
    tally = report.by_name["imaging.findings"]
    expected, found = _triples(gold), _triples(got)
    levels = {level for level, _, _ in expected}
    tally.tp += len(expected & found)
    tally.fn += len(expected - found)
    judged_extra = {t for t in found - expected if t[0] in levels}
    tally.fp += len(judged_extra)
    for triple in sorted(expected - found, key=str):
        report.errors.append(f"{case_id} imaging.findings missing {triple}")
    for triple in sorted(judged_extra, key=str):
        report.errors.append(f"{case_id} imaging.findings extra {triple}")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def score_case(case: Case, gold: dict[str, Any], extracted: CaseFacts, report: FactScores) -> None:
    """Add one case's units to the report."""
    known = set(fact_names())
    got = {name: _plain(entry["value"]) for name, entry in compact_facts(extracted).items()}
    for name, entry in gold.items():
        if name not in known:
            report.skipped_gold[name] += 1
            continue
        value = _plain(entry.get("value") if isinstance(entry, dict) else entry)
        if name in EVENT_KEYS:
            _score_events(name, value, got.get(name), report, case.case_id)
            continue
        tally = report.by_name[name]
        if name not in got:
            tally.fn += 1
            report.errors.append(f"{case.case_id} {name}: missing (gold {value!r})")
        elif values_match(name, value, got[name]):
            tally.tp += 1
        else:
            tally.fp += 1
            tally.fn += 1
            report.errors.append(f"{case.case_id} {name}: gold {value!r} got {got[name]!r}")
    for name in got:
        if name not in gold and not name.startswith("request."):
            report.unjudged[name] += 1
