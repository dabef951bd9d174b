"""The evidence that decided a criterion: the quotes of the facts (and of the events of a list)
that made its status, for the review page."""

from __future__ import annotations

from criteria.compile import TRUE, Compiler, Context
from criteria.fact_values import fact_values
from criteria.facts import EVENT_LISTS, CaseFacts, Evidence
from criteria.loader import CriteriaLibrary
from criteria.logic import Node, Not, Quantifier, Ref, Test
from drafting.result import Result


def _quantifiers(item_id: str, library: CriteriaLibrary) -> list[Quantifier]:
    """Every quantifier over an event list a criterion reads, through its definitions."""
    found: list[Quantifier] = []
    seen: set[str] = set()
    todo = [item_id]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            item = library.item(name)
        except KeyError:
            continue
        stack: list[Node] = [item.logic]
        while stack:
            node = stack.pop()
            if isinstance(node, Not):
                continue  # what must be absent selects no event
            if isinstance(node, Quantifier) and node.source in EVENT_LISTS:
                found.append(node)
            elif isinstance(node, Ref):
                todo.append(node.name)
            stack.extend(node.children())
    return found


def _event_evidence(facts: CaseFacts, source: str) -> list[list[Evidence]]:
    """Each event's evidence, in the order `criteria.fact_values` lists the events."""
    if source == "imaging.findings":
        return [
            list(finding.evidence or study.evidence)
            for study in facts.imaging.studies or []
            for finding in study.findings
        ]
    return [list(event.evidence) for event in facts.get(source) or []]


# fields that place an event (when, where, what kind) rather than say what it found
_CONTEXT_FIELDS = {
    "modality", "date", "region", "region_group", "level", "levels", "side", "type", "approach",
    "independent_radiologist", "purpose", "target",
}  # fmt: skip


def _tested_fields(node: Node) -> set[str]:
    return {n.name for n in node.walk() if isinstance(n, Test) and n.on_event}


def deciding_evidence(result: Result, line_index: int, criterion_id: str) -> list[Evidence]:
    """The criterion's evidence without the quotes of events that did not decide it.

    A criterion over an event list ("imaging shows root compression at the requested level") is
    decided by the events its condition holds for: when one holds, the quotes of the others
    ("L1-L2: No disc herniation") are not evidence of it. When none holds, only events that
    document a field the condition tests are kept. Quotes of other facts are all kept, each once.
    """
    decision = result.context.decisions[line_index]
    criterion = next((c for c in decision.criteria if c.id == criterion_id), None)
    if criterion is None:
        return []
    from drafting.pipeline import load_guideline

    library = load_guideline(result.guideline.id).library
    flat = fact_values(result.case_facts)
    values = {**flat.values, **criterion.facts}
    context = Context(values, result.case.received, {})
    matched: dict[str, list[bool]] = {}
    fields: dict[str, set[str]] = {}
    for node in _quantifiers(criterion_id, library):
        items = values.get(node.source)
        tested = _tested_fields(node.where) - _CONTEXT_FIELDS if node.where is not None else set()
        if not isinstance(items, list) or node.source not in criterion.facts or not tested:
            continue  # a condition on where or when an event was, not on what it found
        try:
            where = Compiler().fn(node.where) if node.where is not None else None
            marks = [where(context, item) == TRUE if where else True for item in items]
        except Exception:  # a condition that needs more than the event: keep every quote
            marks = [True] * len(items)
        before = matched.setdefault(node.source, [False] * len(items))
        matched[node.source] = [a or b for a, b in zip(before, marks, strict=True)]
        fields.setdefault(node.source, set()).update(tested)
    dropped: set[tuple[str, int]] = set()
    kept: set[tuple[str, int]] = set()
    for source, marks in matched.items():
        evidence = _event_evidence(result.case_facts, source)
        items = values[source]
        if len(evidence) != len(items):
            continue
        for item, mark, quotes in zip(items, marks, evidence, strict=True):
            documented = any(item.get(f) is not None for f in fields[source])
            relevant = mark if any(marks) else documented
            for quote in quotes:
                (kept if relevant else dropped).add((quote.quote, quote.document))
    out: list[Evidence] = []
    seen: set[tuple[str, int]] = set()
    for quote in criterion.evidence:
        key = (quote.quote, quote.document)
        if key in seen or (key in dropped and key not in kept):
            continue
        seen.add(key)
        out.append(quote)
    return out
