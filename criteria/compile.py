"""Compiles logic trees into fast closures with three-valued (Kleene) results.

Truth values are small ints so that AND is ``min``, OR is ``max`` and NOT is ``2 - x``::

    FALSE = 0, UNKNOWN = 1, TRUE = 2

Unknown means "not documented": it propagates like json-logic's ``missing`` and is never
treated as true. ``Compiler.missing`` explains an unknown result: the fact names (or
``list[field]`` event fields) whose absence made it unknown.

A *strict* context (``Context.strict``) evaluates the same closures as evidence: silence is
unknown even where a leaf sets ``if_missing`` (unless it says ``read_silence``), and a shortfall
in a list of things the reader found (``len>=`` on activities or sign categories) is unknown
rather than false, because a reader that found two activities has not shown there is no third.
Dated events (``count``/``latest``) are read as documented: an injection with a stated date and
relief is evidence either way; but an event older than an ``exists`` window does not show that
no recent one exists (an 8-year-old MRI asks for a current one, it does not deny). The engine
denies only on a result that is false under the strict reading (see ``criteria.engine``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from criteria.errors import LogicSyntaxError
from criteria.facts import AT_LEAST
from criteria.logic import All, Any_, AtLeast, Const, Node, Not, Quantifier, Ref, Test
from criteria.spine_ops import (
    exiting_root_correlates,
    levels_near,
    levels_overlap,
    roots_correlate,
    roots_treated_at,
    side_matches,
)

FALSE, UNKNOWN, TRUE = 0, 1, 2
_MISSING: Any = object()
_LOWER_BOUND_LEN_OPS = {"len>=", "len>", "len=="}


class Context:
    """What one evaluation reads: plain fact values, the request date, definition results."""

    __slots__ = ("_flipped", "_strict_twin", "defs", "ref_cache", "strict", "today", "values")

    def __init__(
        self, values: dict[str, Any], today: dt.date, defs: dict[str, DefFn], strict: bool = False
    ) -> None:
        self.values, self.today, self.defs = values, today, defs
        self.strict = strict  # read as evidence: true only in the affirmative parts of a tree
        self.ref_cache: dict[str, int] = {}
        self._strict_twin: Context | None = None
        self._flipped: Context | None = None

    def strict_twin(self) -> Context:
        """The same values read as evidence only (see the module docstring)."""
        if self._strict_twin is None:
            self._strict_twin = Context(self.values, self.today, self.defs, strict=True)
            self._strict_twin._flipped = Context(self.values, self.today, self.defs)
            self._strict_twin._flipped._flipped = self._strict_twin
            self._strict_twin._flipped._strict_twin = self._strict_twin
        return self._strict_twin

    def negated(self) -> Context:
        """The context for the inside of a ``not``.

        Under a strict reading, what a criterion says must hold is read as evidence, while the
        exceptions it negates ("unless ...", "no ...") keep their YAML defaults: an exclusion
        whose condition is quoted applies unless the record states the exception.
        """
        return self if self._flipped is None else self._flipped

    def ref(self, name: str) -> int:
        result = self.ref_cache.get(name)
        if result is None:
            result = self.ref_cache[name] = self.defs[name](self)
        return result


Fn = Callable[[Context, Any], int]
DefFn = Callable[[Context], int]


def shift_date(day: dt.date, amount: float, unit: str) -> dt.date:
    """``day`` moved back by ``amount`` months/weeks/days (whole months keep the day of month).

    A window reaching before the first representable date (year 1) starts at that date.
    """
    if unit == "days":
        back = dt.timedelta(days=amount)
    elif unit == "weeks":
        back = dt.timedelta(weeks=amount)
    elif amount != int(amount):
        back = dt.timedelta(days=round(amount * 30.4375))
    else:
        back = None
    if back is not None:
        try:
            return day - back
        except OverflowError:
            return dt.date.min if back > dt.timedelta(0) else dt.date.max
    total = day.year * 12 + (day.month - 1) - int(amount)
    year, month = divmod(total, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip


def _on_length(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda actual, expected: compare(len(actual), expected)


_BINARY: dict[str, Callable[[Any, Any], bool]] = {
    **_COMPARE,
    "in": lambda a, e: a in e,
    "not_in": lambda a, e: a not in e,
    "contains": lambda a, e: e in a,
    "contains_any": lambda a, e: bool(set(a) & set(e)),
    "subset_of": lambda a, e: bool(a) and set(a) <= set(e),
    "levels_overlap": levels_overlap,
    "levels_near": levels_near,
    "roots_correlate": roots_correlate,
    "exiting_root_correlates": exiting_root_correlates,
    "roots_treated_at": roots_treated_at,
    "side_matches": side_matches,
}
_BINARY.update({f"len{op}": _on_length(f) for op, f in _COMPARE.items()})


def _window(op: str) -> Callable[[Any, Any, dt.date], bool]:
    kind, unit = op.rsplit("_", 1)
    if kind == "within":
        return lambda a, e, today: a > shift_date(today, e, unit)
    return lambda a, e, today: a <= shift_date(today, e, unit)


class Compiler:
    """Compiles nodes once (memoised by identity) and explains unknown results."""

    def __init__(self) -> None:
        self._fns: dict[int, Fn] = {}
        self._nodes: dict[int, Node] = {}
        self.def_nodes: dict[str, list[Node]] = {}

    def fn(self, node: Node) -> Fn:
        key = id(node)
        compiled = self._fns.get(key)
        if compiled is None:
            compiled = self._fns[key] = self._compile(node)
            self._nodes[key] = node
        return compiled

    def _compile(self, node: Node) -> Fn:
        if isinstance(node, All | Any_):
            return _junction([self.fn(c) for c in node.items], isinstance(node, All))
        if isinstance(node, Not):
            inner = self.fn(node.item)
            return lambda ctx, ev: 2 - inner(ctx.negated(), ev)
        if isinstance(node, AtLeast):
            return self._at_least(node)
        if isinstance(node, Ref):
            name = node.name
            return lambda ctx, ev: ctx.ref(name)
        if isinstance(node, Const):
            result = UNKNOWN if node.value is None else TRUE if node.value else FALSE
            return lambda ctx, ev: result
        if isinstance(node, Test):
            return self._test(node)
        if isinstance(node, Quantifier):
            return self._quantifier(node)
        raise LogicSyntaxError(f"cannot compile node {node!r}")

    def _at_least(self, node: AtLeast) -> Fn:
        parts, n = [self.fn(c) for c in node.items], node.n

        def at_least(ctx: Context, ev: Any) -> int:
            results = [p(ctx, ev) for p in parts]
            true = results.count(TRUE)
            if true >= n:
                return TRUE
            return FALSE if true + results.count(UNKNOWN) < n else UNKNOWN

        return at_least

    def _test(self, node: Test) -> Fn:
        name, op, const, ref = node.name, node.op, node.value, node.value_ref
        on_missing = UNKNOWN if node.if_missing is None else (TRUE if node.if_missing else FALSE)
        on_event = node.on_event
        lenient = on_event or node.read_silence  # keeps its default under a strict reading
        if op == "present":
            want = bool(const)

            def present(ctx: Context, ev: Any) -> int:
                source = ev if on_event else ctx.values
                documented = source.get(name) is not None
                if ctx.strict and not documented and not lenient:
                    return UNKNOWN
                return TRUE if documented == want else FALSE

            return present
        window = _window(op) if op.startswith(("within_", "older_than_")) else None
        binary = _BINARY.get(op)
        if not lenient and ref is None and window is None and op in ("==", "in"):
            return _fast_test(name, op, const, on_missing)
        lower_bound = op in _LOWER_BOUND_LEN_OPS

        def test(ctx: Context, ev: Any) -> int:
            actual = (ev if on_event else ctx.values).get(name)
            if actual is None:  # an event's unstated field keeps its default: the event is quoted
                return UNKNOWN if ctx.strict and not lenient else on_missing
            expected = const if ref is None else ctx.values.get(ref)
            if expected is None:
                return UNKNOWN
            try:
                if window is not None:
                    ok = window(actual, expected, ctx.today)
                else:
                    ok = binary(actual, expected)  # type: ignore[misc]
            except TypeError as error:
                raise LogicSyntaxError(
                    f"cannot apply {op!r} to {name}={actual!r} and {expected!r}: {error}; "
                    "fix the value type in the criteria YAML"
                ) from error
            if not ok and lower_bound and ctx.strict and len(actual) < expected:
                return UNKNOWN  # fewer found than needed is not evidence that there are none
            if not ok and ctx.strict and op in (">=", ">") and ctx.values.get(name + AT_LEAST):
                return UNKNOWN  # "at least 3.4 weeks" is no evidence of fewer than 6
            return TRUE if ok else FALSE

        return test

    def _quantifier(self, node: Quantifier) -> Fn:
        source, kind, lenient = node.source, node.kind, node.read_silence
        on_missing = UNKNOWN if node.if_missing is None else (TRUE if node.if_missing else FALSE)
        where = self.fn(node.where) if node.where is not None else None
        prefer = self.fn(node.prefer) if node.prefer is not None else None
        test = self.fn(node.test) if node.test is not None else None
        window = None
        if node.window is not None:
            key, amount = node.window
            unit = key.rsplit("_", 1)[1]
            window = (amount, unit)
        compare = _COMPARE.get(node.op or "==")
        threshold = node.value

        def membership(ctx: Context, item: dict[str, Any]) -> int:
            result = TRUE
            if window is not None:
                day = item.get("date")
                if day is None:
                    result = UNKNOWN
                elif not day > shift_date(ctx.today, window[0], window[1]):
                    # an older study does not show that no recent one exists: asked for, not denied
                    return UNKNOWN if ctx.strict and kind == "exists" else FALSE
            if where is not None:
                result = min(result, where(ctx, item))
            return result

        def quantify(ctx: Context, ev: Any) -> int:
            items = ctx.values.get(source)
            if items is None:
                return UNKNOWN if ctx.strict and not lenient else on_missing
            marks = [membership(ctx, item) for item in items]
            if kind == "exists":
                return max(marks, default=FALSE)
            if kind == "count":
                low = len(_occasions(items, marks, TRUE))
                high = low + len(_occasions(items, marks, UNKNOWN))
                return _count_result(compare, low, high, threshold)  # type: ignore[arg-type]
            matches = [item for item, mark in zip(items, marks, strict=True) if mark == TRUE]
            if not matches:
                return UNKNOWN if UNKNOWN in marks else FALSE
            if prefer is not None:  # the line's own side's events, when it has any
                matches = [m for m in matches if prefer(ctx, m) == TRUE] or matches
            latest = max(matches, key=lambda item: item.get("date") or dt.date.min)
            return test(ctx, latest)  # type: ignore[misc]

        return quantify

    # --- explaining unknown results ----------------------------------------------------------

    def missing(self, node: Node, ctx: Context, ev: Any = None, prefix: str = "") -> set[str]:
        """Names whose absence makes ``node`` unknown here (empty when it is not unknown)."""
        if self.fn(node)(ctx, ev) != UNKNOWN:
            return set()
        if isinstance(node, Test):
            label = f"{prefix}[{node.name}]" if node.on_event else node.name
            source = ev if node.on_event else ctx.values
            shortfall = node.op in _LOWER_BOUND_LEN_OPS  # unknown with a value: too few found
            names = {label} if source.get(node.name) is None or shortfall else set()
            if node.value_ref and ctx.values.get(node.value_ref) is None:
                names.add(node.value_ref)
            return names
        if isinstance(node, Ref):
            parts = self.def_nodes.get(node.name, [])
            return {n for part in parts for n in self.missing(part, ctx)}
        if isinstance(node, Quantifier):
            return self._quantifier_missing(node, ctx)
        if isinstance(node, Not):
            return self.missing(node.item, ctx.negated(), ev, prefix)
        return {n for child in node.children() for n in self.missing(child, ctx, ev, prefix)}

    def _quantifier_missing(self, node: Quantifier, ctx: Context) -> set[str]:
        items = ctx.values.get(node.source)
        if items is None:
            return {node.source}
        names: set[str] = set()
        for item in items:
            if node.window is not None and item.get("date") is None:
                names.add(f"{node.source}[date]")
            for child in (node.where, node.test):  # a preference picks, it is never missing
                if child is not None:
                    names |= self.missing(child, ctx, item, node.source)
        return names


def _junction(parts: list[Fn], conjunction: bool) -> Fn:
    """Kleene AND (conjunction) or OR over parts, stopping at the first deciding value."""
    stop, start = (FALSE, TRUE) if conjunction else (TRUE, FALSE)

    def junction(ctx: Context, ev: Any) -> int:
        result = start
        for part in parts:
            value = part(ctx, ev)
            if value == stop:
                return stop
            if value == UNKNOWN:
                result = UNKNOWN
        return result

    return junction


def _fast_test(name: str, op: str, const: Any, on_missing: int) -> Fn:
    """The common leaf: a fact compared with a constant by equality or membership."""
    if op == "==":

        def equals(ctx: Context, ev: Any) -> int:
            actual = ctx.values.get(name)
            if actual is None:
                return UNKNOWN if ctx.strict else on_missing
            return TRUE if actual == const else FALSE

        return equals
    members = const

    def member(ctx: Context, ev: Any) -> int:
        actual = ctx.values.get(name)
        if actual is None:
            return UNKNOWN if ctx.strict else on_missing
        return TRUE if actual in members else FALSE

    return member


def _occasions(items: list[dict[str, Any]], marks: list[int], mark: int) -> set[Any]:
    """The occasions among the items marked `mark`: the two sides of one bilateral procedure,
    reported apart (same kind, date and levels, one left and one right), are one occasion."""
    found: set[Any] = set()
    for index, (item, value) in enumerate(zip(items, marks, strict=True)):
        if value != mark:
            continue
        one_side = item.get("side") in ("left", "right") and item.get("date") is not None
        levels = tuple(item.get("levels") or ())
        found.add((item.get("type"), item["date"], levels) if one_side else index)
    return found


def _count_result(compare: Callable[[int, int], bool], low: int, high: int, value: int) -> int:
    if low == high:
        return TRUE if compare(low, value) else FALSE
    if compare in (operator.eq, operator.ne):
        inside = low <= value <= high
        if not inside:
            return TRUE if compare is operator.ne else FALSE
        return UNKNOWN
    at_low, at_high = compare(low, value), compare(high, value)
    if at_low == at_high:
        return TRUE if at_low else FALSE
    return UNKNOWN
