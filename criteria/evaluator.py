"""Criteria compiled for evaluation: one criterion's (or definition's) status on fact values.

`Evaluator` compiles every definition and criterion of a library once (closures over the
three-valued logic of ``criteria.compile``, the fact names each reads transitively) and gives a
`CriterionResult` per item: met, not_met (false under the strict reading too, with a quote or
from the request; otherwise it pends), not_documented (with the missing facts) or not_applicable
(guard false, or silence on an exclusion that passes when missing). `CompiledSet` is the
criteria of one resolved set. The line's decision from these results is ``criteria.engine``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from criteria.compile import FALSE, TRUE, UNKNOWN, Compiler, Context, DefFn
from criteria.errors import UnknownReferenceError
from criteria.fact_values import values_from_plain
from criteria.facts import Evidence
from criteria.logic import Ref, def_refs, fact_refs
from criteria.model import Criterion, Definition, Example, Item, Status
from criteria.quote_scope import of_another_scope
from criteria.results import STATUSES, CriterionResult, Effect, construct


class CompiledItem:
    """A definition or criterion with its closures and the fact names it reads (transitively)."""

    __slots__ = (
        "definitions", "describes", "fact_names", "guard", "is_criterion", "item", "logic",
        "on_fail", "pass_missing", "reasons", "requires", "static",
    )  # fmt: skip

    def __init__(
        self,
        item: Item,
        compiler: Compiler,
        fact_names: tuple[str, ...],
        definitions: tuple[str, ...],
    ) -> None:
        self.item = item
        self.definitions = definitions
        self.logic = compiler.fn(item.logic)
        guard = item.applies_when if isinstance(item, Criterion) else None
        self.guard = compiler.fn(guard) if guard is not None else None
        self.requires = tuple(item.requires)
        self.fact_names = fact_names
        crit = item if isinstance(item, Criterion) else None
        self.describes = crit is not None and crit.describes_condition
        self.pass_missing = crit is not None and crit.missing_policy == "pass"
        self.on_fail: Effect = crit.on_fail if crit is not None else "deny"
        self.is_criterion = crit is not None
        self.static: dict[str, Any] = {  # a CriterionResult's fields, copied per evaluation
            "id": item.id, "title": item.title, "kind": item.kind, "status": "not_applicable",
            "effect": "none", "passage": item.passage, "quote": item.quote, "reason": "",
            "facts": {}, "evidence": [], "missing": [], "missing_info": item.missing_info,
            "requires": list(item.requires),
        }  # fmt: skip
        self.reasons = {
            (status, guard_false): _reason(item, status, guard_false)
            for status in STATUSES
            for guard_false in (False, True)
        }


class Evaluator:
    """Compiled definitions and criteria, ready to evaluate against fact values."""

    def __init__(self, definitions: Iterable[Definition], criteria: Iterable[Criterion]) -> None:
        self.compiler = Compiler()
        self.definitions = {d.id: d for d in definitions}
        self.criteria = {c.id: c for c in criteria}
        self.items: dict[str, CompiledItem] = {}
        self.ref_nodes = {d: Ref(d) for d in self.definitions}
        self._cache: dict[tuple[str, str | None, bool], CriterionResult] = {}
        everything: list[Item] = [*self.definitions.values(), *self.criteria.values()]
        for item in everything:
            nodes = [item.logic]
            if isinstance(item, Criterion) and item.applies_when is not None:
                nodes.append(item.applies_when)
            self.compiler.def_nodes[item.id] = [item.logic]
            names, defs = self._names(item.id, nodes)
            self.items[item.id] = CompiledItem(item, self.compiler, names, defs)
        for item in self.definitions.values():
            parts = self.compiler.def_nodes[item.id]
            parts.extend(self.ref_nodes[r] for r in item.requires)
        self.def_fns: dict[str, DefFn] = {i: self._def_fn(i) for i in self.definitions}

    def _names(
        self, item_id: str, nodes: Sequence[Any], seen: frozenset[str] = frozenset()
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Fact names and definition ids an item reads, following refs transitively."""
        if item_id in seen:
            raise UnknownReferenceError(f"definition cycle through {item_id!r}; break the loop")
        item = self.definitions.get(item_id) or self.criteria.get(item_id)
        if item is None:
            raise UnknownReferenceError(f"unknown definition {item_id!r}; define it in a YAML file")
        names: set[str] = set()
        refs: set[str] = set(item.requires)
        for node in nodes:
            names |= fact_refs(node)
            refs |= def_refs(node)
        defs = set(refs)
        for ref in sorted(refs):
            if ref not in self.definitions:
                raise UnknownReferenceError(f"{item_id!r} refers to unknown definition {ref!r}")
            sub_names, sub_defs = self._names(ref, [self.definitions[ref].logic], seen | {item_id})
            names |= set(sub_names)
            defs |= set(sub_defs)
        return tuple(sorted(names)), tuple(sorted(defs))

    def _def_fn(self, def_id: str) -> DefFn:
        compiled = self.items[def_id]
        logic, requires = compiled.logic, compiled.requires

        def evaluate(ctx: Context) -> int:
            result = logic(ctx, None)
            for name in requires:
                if result == FALSE:
                    break
                result = min(result, ctx.ref(name))
            return result

        return evaluate

    def context(self, values: dict[str, Any], today: dt.date) -> Context:
        return Context(values, today, self.def_fns)

    def evaluate(
        self,
        item_id: str,
        ctx: Context,
        evidence: dict[str, list[Evidence]],
        section: str | None = None,
    ) -> CriterionResult:
        """Status, reason and used facts of one criterion or definition."""
        compiled = self.items[item_id]
        item = compiled.item
        guard = compiled.guard(ctx, None) if compiled.guard is not None else TRUE
        if guard == FALSE:
            return self._reuse((item_id, section, True), compiled, section)
        values = ctx.values
        used = {n: values[n] for n in compiled.fact_names if n in values}
        if not used:  # nothing documented is read: the result is the same for every case
            key = (item_id, section, False)
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        missing: list[str] = []
        effect: Effect = "none"
        status: Status
        if item_id in ctx.defs:
            result = ctx.ref(item_id)  # a definition: already evaluated (and cached) by its users
        else:
            result = compiled.logic(ctx, None) if guard == TRUE else UNKNOWN
            for name in compiled.requires:
                result = min(result, ctx.ref(name))
        if compiled.describes:
            result = 2 - result  # the logic describes the excluded condition
        unconfirmed = False  # documented, but only in a quote that may state its absence
        if result == FALSE and compiled.on_fail == "deny" and compiled.is_criterion:
            ctx = ctx.strict_twin()
            result = self._strict_result(compiled, ctx, evidence, used)
            unconfirmed = result == UNKNOWN and _only_negating_quotes(compiled, evidence, used)
        if result == TRUE:
            status = "met"
        elif result == FALSE:
            status, effect = "not_met", compiled.on_fail
        elif compiled.pass_missing and guard == TRUE and not unconfirmed:
            status = "not_applicable"  # silence on an exclusion: treated as absent
        else:
            status, effect = "not_documented", "pend"
            missing = sorted(self._missing(compiled, ctx, guard))
        fields = compiled.static.copy()
        fields["status"], fields["effect"] = status, effect
        fields["reason"], fields["facts"], fields["missing"] = (
            compiled.reasons[status, False],
            used,
            missing,
        )
        if used:
            fields["evidence"] = [ev for n in used if n in evidence for ev in evidence[n]]
        else:
            fields["evidence"] = []
        fields["requires"] = list(compiled.requires)
        if section and item.section_passages:
            fields["passage"] = item.section_passages.get(section, item.passage)
        obj = _new(CriterionResult)
        _set_attr(obj, "__dict__", fields)
        _set_attr(obj, "__pydantic_fields_set__", _RESULT_FIELDS)
        _set_attr(obj, "__pydantic_extra__", None)
        _set_attr(obj, "__pydantic_private__", None)
        if not used:
            self._cache[item_id, section, False] = obj
        return obj

    def _strict_result(
        self,
        compiled: CompiledItem,
        ctx: Context,
        evidence: dict[str, list[Evidence]],
        used: dict[str, Any],
    ) -> int:
        """FALSE only when documented facts contradict the criterion, else UNKNOWN (pend)."""
        if _criterion_result(compiled, ctx) != FALSE:
            return UNKNOWN
        if not any(evidence.values()):  # plain values (YAML examples, tests): no quotes at all
            return FALSE
        quoted = any(evidence.get(n) for n in used)
        from_request = any(n.startswith(_REQUEST_PREFIXES) for n in used)
        if _only_negating_quotes(compiled, evidence, used):
            return UNKNOWN
        if quoted and self._contradicted_elsewhere(compiled, ctx, evidence, used):
            return UNKNOWN
        return FALSE if quoted or from_request else UNKNOWN

    def _contradicted_elsewhere(
        self,
        compiled: CompiledItem,
        ctx: Context,
        evidence: dict[str, list[Evidence]],
        used: dict[str, Any],
    ) -> bool:
        """Every fact whose quote makes the criterion false tells only of another region or side
        than the line's ("R arm pain ... since May 2026" against a left lumbar line): a patient
        with two spines' worth of complaints contradicts nothing about this line with it."""
        # a criterion that itself compares the line's region or side (imaging "at the requested
        # level and side") is contradicted by the other side's finding: that part is its own
        names = compiled.fact_names
        region = None if "line.region_group" in names else ctx.values.get("line.region_group")
        side = None if "line.side" in names else ctx.values.get("line.side")
        if region is None and side not in ("left", "right"):
            return False
        contradicting = []
        for name in used:
            if name.startswith(_REQUEST_PREFIXES) or not evidence.get(name):
                continue
            without = {k: v for k, v in ctx.values.items() if k != name}
            if (
                _criterion_result(compiled, Context(without, ctx.today, ctx.defs).strict_twin())
                != FALSE
            ):
                contradicting.append(name)
        return bool(contradicting) and all(
            of_another_scope(ev.quote, region, side)
            for name in contradicting
            for ev in evidence[name]
        )

    def _reuse(
        self, key: tuple[str, str | None, bool], compiled: CompiledItem, section: str | None
    ) -> CriterionResult:
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._not_applicable(compiled, section)
        return cached

    def _not_applicable(self, compiled: CompiledItem, section: str | None) -> CriterionResult:
        """The result of a criterion whose guard is false: nothing read, nothing missing."""
        item = compiled.item
        fields = compiled.static.copy()
        fields["reason"] = compiled.reasons["not_applicable", True]
        fields["facts"], fields["evidence"], fields["missing"] = {}, [], []
        fields["requires"] = list(compiled.requires)
        if section and item.section_passages:
            fields["passage"] = item.section_passages.get(section, item.passage)
        return construct(CriterionResult, fields)

    def _missing(self, compiled: CompiledItem, ctx: Context, guard: int) -> set[str]:
        item = compiled.item
        if guard == UNKNOWN and isinstance(item, Criterion) and item.applies_when is not None:
            return self.compiler.missing(item.applies_when, ctx)
        names = self.compiler.missing(item.logic, ctx)
        for ref in compiled.requires:
            names |= self.compiler.missing(self.ref_nodes[ref], ctx)
        return names

    def run_example(self, item_id: str, example: Example) -> CriterionResult:
        """Evaluate one criterion/definition on a YAML example's plain facts."""
        values = values_from_plain(example.facts)
        return self.evaluate(item_id, self.context(values.values, example.request_date), {})


_REQUEST_PREFIXES = ("line.", "request.")


def _criterion_result(compiled: CompiledItem, ctx: Context) -> int:
    """A criterion's logic and its required definitions on `ctx`, read as the criterion says
    (an exclusion's logic describes the excluded condition)."""
    result = compiled.logic(ctx, None)
    for name in compiled.requires:
        result = min(result, ctx.ref(name))
    return 2 - result if compiled.describes else result


_set_attr = object.__setattr__
_new = BaseModel.__new__


def _only_negating_quotes(
    compiled: CompiledItem, evidence: dict[str, list[Evidence]], used: dict[str, Any]
) -> bool:
    """An exclusion or contraindication whose every quote also carries a negation ("Specifically
    neg: incontinence, retention, fever") may be a stated absence the reader missed: it pends for
    the reviewer to confirm, never denies and never passes as absent."""
    if not compiled.describes or any(n.startswith(_REQUEST_PREFIXES) for n in used):
        return False
    quotes = [ev.quote for n in used for ev in evidence.get(n, [])]
    return bool(quotes) and all(_NEGATION_WORD.search(q) for q in quotes)


# words and marks that can state an absence: a deny never rests on a quote holding only these
_NEGATION_WORD = re.compile(
    r"\b(?:no|not|denies|denied|negative|negs?|without|none|never|absent|unremarkable|free\s+of|"
    r"ruled\s+out|resolved)\b|\(\s*-\s*\)|\[\s*\]|☐|[:-]\s*N\b",
    re.IGNORECASE,
)
_RESULT_FIELDS = set(CriterionResult.model_fields)


def _reason(item: Item, status: Status, guard_false: bool) -> str:
    custom = item.reasons.get(status)
    if custom:
        return custom
    title = item.title
    condition = isinstance(item, Criterion) and item.describes_condition
    if status == "not_applicable":
        if guard_false:
            return f"Does not apply to this request: {title}."
        return f"Not mentioned in the record, so treated as absent: {title}."
    if status == "not_documented":
        need = f" Needed: {item.missing_info}" if item.missing_info else ""
        return f"Not documented: {title}.{need}"
    if condition:
        if status == "met":
            return f"Does not apply on this record: {title}."
        if isinstance(item, Criterion) and item.on_fail == "pend":
            return f"Documented: {title}. The guideline asks for further evaluation first."
        return f"Applies on this record: {title}."
    return f"{'Met' if status == 'met' else 'Not met'}: {title}."


class CompiledSet:
    """The criteria of one resolved set, evaluated together."""

    def __init__(self, set_ids: Sequence[str], criterion_ids: Sequence[str], evaluator: Evaluator):
        missing = [c for c in criterion_ids if c not in evaluator.criteria]
        if missing:
            raise UnknownReferenceError(f"sets {list(set_ids)} name unknown criteria {missing}")
        self.set_ids = list(set_ids)
        self.criterion_ids = list(criterion_ids)
        self.evaluator = evaluator
        items = evaluator.items
        self.definition_ids = sorted({d for c in criterion_ids for d in items[c].definitions})
