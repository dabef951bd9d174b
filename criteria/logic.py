"""Logic trees of criteria: the node classes and the parser from YAML dictionaries.

Grammar (every node is a one-key mapping, except leaves which name ``fact`` or ``field``)::

    {all: [N, ...]}            every child holds             (Kleene AND)
    {any: [N, ...]}            at least one child holds      (Kleene OR)
    {not: N}                   negation                       (Kleene NOT)
    {at_least: {n: 2, of: [N, ...]}}
    {ref: general.significant_pain}          a shared definition, by id
    {const: true}              also false, or unknown (a case the criterion leaves to the reviewer)

    leaf on a fact:   {fact: pain.score, op: '>=', value: 3}
                      {fact: neuro.radicular_pain, is: true}          (sugar for op '==')
                      {fact: planned.injectate, contains: steroid}    (any OP as a key works)
                      {fact: imaging.latest_advanced_date, within_months: 18}
                      {fact: x, present: true}                        documented at all?
    leaf in an event: {field: relief_percent, op: '>=', value: 50}    (inside where/test only)
    any leaf may add  if_missing: true|false   (value to use when the fact is not documented)
                      read_silence: true  the leaf keeps its if_missing default even when a denial
                                          is checked for evidence (criteria.compile): an exception
                                          the record must state ("unless a contrast allergy"), or
                                          a second source of a fact read elsewhere
    a value '$line.levels' reads another fact.

    events:  {count: procedures.prior, where: W, within_months: 12, op: '<', value: 4}
             {exists: imaging.findings, where: W, within_months: 18}
             {latest: procedures.prior, where: W, test: N}   the most recent match satisfies N
             {latest: ..., where: W, prefer: P, test: N}   of the matches, those P holds for when
                                                          any does (the line's own side), else all
             where W is a tree of field leaves, or the shorthand {type: esi, region: [lumbar]}
             (scalar = equality, list = 'in', mapping = {OP: value}).

Operators: == != < <= > >= in not_in contains contains_any subset_of len== len>= len<= len> len<
levels_overlap levels_near roots_correlate exiting_root_correlates roots_treated_at side_matches
within_months
within_weeks within_days
older_than_months older_than_weeks older_than_days present.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from criteria.errors import LogicSyntaxError

COMPARE_OPS = {"==", "!=", "<", "<=", ">", ">="}
LIST_OPS = {
    "in", "not_in", "contains", "contains_any", "subset_of", "levels_overlap", "levels_near",
    "roots_correlate", "exiting_root_correlates", "roots_treated_at",
}  # fmt: skip
LEN_OPS = {"len==", "len>=", "len<=", "len>", "len<"}
WINDOW_OPS = {
    "within_months", "within_weeks", "within_days",
    "older_than_months", "older_than_weeks", "older_than_days",
}  # fmt: skip
OTHER_OPS = {"side_matches", "present"}
ALL_OPS = COMPARE_OPS | LIST_OPS | LEN_OPS | WINDOW_OPS | OTHER_OPS
_OP_ALIASES = {"is": "==", "is_not": "!=", "eq": "==", "ne": "!="}
WINDOW_KEYS = ("within_months", "within_weeks", "within_days")


class Node:
    """Base of every logic node."""

    __slots__ = ()

    def children(self) -> list[Node]:
        return []

    def walk(self) -> Iterator[Node]:
        """This node and every node below it."""
        yield self
        for child in self.children():
            yield from child.walk()


class _Junction(Node):
    """A node over a list of child nodes (``all``, ``any``, ``at_least``)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items

    def children(self) -> list[Node]:
        return list(self.items)


class All(_Junction):
    __slots__ = ()


class Any_(_Junction):
    __slots__ = ()


class Not(Node):
    __slots__ = ("item",)

    def __init__(self, item: Node) -> None:
        self.item = item

    def children(self) -> list[Node]:
        return [self.item]


class AtLeast(_Junction):
    __slots__ = ("n",)

    def __init__(self, n: int, items: list[Node]) -> None:
        super().__init__(items)
        self.n = n


class Ref(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, value: bool | None) -> None:
        self.value = value  # None: unknown


class Test(Node):
    """A comparison on a fact (``fact``) or on a field of the current event (``field``)."""

    __slots__ = ("if_missing", "name", "on_event", "op", "read_silence", "value")

    def __init__(
        self,
        name: str,
        op: str,
        value: Any,
        on_event: bool,
        if_missing: bool | None,
        read_silence: bool = False,
    ) -> None:
        self.name, self.op, self.value = name, op, value
        self.on_event, self.if_missing, self.read_silence = on_event, if_missing, read_silence

    @property
    def value_ref(self) -> str | None:
        """The fact a ``$name`` value refers to, if any."""
        if isinstance(self.value, str) and self.value.startswith("$"):
            return self.value[1:]
        return None


class Quantifier(Node):
    """``count`` / ``exists`` / ``latest`` over an event list fact."""

    __slots__ = (
        "if_missing", "kind", "op", "prefer", "read_silence", "source", "test", "value", "where",
        "window",
    )  # fmt: skip

    def __init__(
        self,
        kind: str,
        source: str,
        where: Node | None,
        window: tuple[str, int] | None,
        op: str | None = None,
        value: Any = None,
        test: Node | None = None,
        if_missing: bool | None = None,
        read_silence: bool = False,
        prefer: Node | None = None,
    ) -> None:
        self.kind, self.source, self.where, self.window = kind, source, where, window
        self.op, self.value, self.test, self.if_missing = op, value, test, if_missing
        self.read_silence, self.prefer = read_silence, prefer

    def children(self) -> list[Node]:
        return [n for n in (self.where, self.prefer, self.test) if n is not None]


def _fail(message: str, raw: Any) -> LogicSyntaxError:
    return LogicSyntaxError(f"{message} in logic node {raw!r}; see criteria.logic for the grammar")


def parse_logic(raw: Any, in_event: bool = False) -> Node:
    """Parse a YAML mapping into a Node; ``in_event`` allows ``field`` leaves."""
    if isinstance(raw, Node):
        return raw
    if not isinstance(raw, dict) or not raw:
        raise _fail("expected a non-empty mapping", raw)
    keys = set(raw)
    if "fact" in keys or "field" in keys:
        return _parse_test(raw, in_event)
    for kind in ("count", "exists", "latest"):
        if kind in keys:
            return _parse_quantifier(kind, raw)
    if len(keys) != 1:
        expected = "exactly one of all/any/not/at_least/ref/const"
        raise _fail(f"expected {expected}, got {sorted(keys)}", raw)
    (key, body) = next(iter(raw.items()))
    if key in ("all", "any"):
        if not isinstance(body, list) or not body:
            raise _fail(f"'{key}' needs a non-empty list", raw)
        items = [parse_logic(item, in_event) for item in body]
        return All(items) if key == "all" else Any_(items)
    if key == "not":
        return Not(parse_logic(body, in_event))
    if key == "at_least":
        if not isinstance(body, dict) or set(body) != {"n", "of"} or not isinstance(body["n"], int):
            raise _fail("'at_least' needs {n: INT, of: [...]}", raw)
        return AtLeast(body["n"], [parse_logic(item, in_event) for item in body["of"]])
    if key == "ref":
        return Ref(str(body))
    if key == "const":
        if body not in (True, False, "unknown"):
            raise _fail("'const' must be true, false or unknown", raw)
        return Const(None if body == "unknown" else bool(body))
    raise _fail(f"unknown key {key!r}", raw)


def _parse_test(raw: dict[str, Any], in_event: bool) -> Test:
    on_event = "field" in raw
    if on_event and not in_event:
        raise _fail("'field' leaves are only allowed inside where/test of count/exists/latest", raw)
    if on_event and "fact" in raw:
        raise _fail("a leaf names either 'fact' or 'field', not both", raw)
    name = str(raw["field" if on_event else "fact"])
    rest = {
        k: v for k, v in raw.items() if k not in ("fact", "field", "if_missing", "read_silence")
    }
    if_missing = raw.get("if_missing")
    if if_missing is not None and not isinstance(if_missing, bool):
        raise _fail("'if_missing' must be true or false", raw)
    read_silence = raw.get("read_silence", False)
    if not isinstance(read_silence, bool) or (
        read_silence and if_missing is None and "present" not in rest
    ):
        raise _fail("'read_silence: true' needs an if_missing default (or 'present')", raw)
    if "op" in rest:
        if set(rest) != {"op", "value"}:
            raise _fail("'op' needs exactly 'value' beside it", raw)
        op, value = str(rest["op"]), rest["value"]
    elif len(rest) == 1:
        op, value = next(iter(rest.items()))
    else:
        raise _fail("a leaf needs one operator (op/value, is, within_months, ...)", raw)
    op = _OP_ALIASES.get(op, op)
    if op not in ALL_OPS:
        raise _fail(f"unknown operator {op!r}", raw)
    if op in WINDOW_OPS and not isinstance(value, int | float):
        raise _fail(f"'{op}' needs a number", raw)
    return Test(name, op, value, on_event, if_missing, read_silence)


def _parse_where(raw: Any) -> Node:
    if isinstance(raw, dict) and not (set(raw) & {"all", "any", "not", "at_least", "field"}):
        items: list[Node] = []
        for key, value in raw.items():
            if isinstance(value, list):
                items.append(Test(key, "in", value, True, None))
            elif isinstance(value, dict) and len(value) == 1:
                op, operand = next(iter(value.items()))
                items.append(_parse_test({"field": key, op: operand}, True))
            else:
                items.append(Test(key, "==", value, True, None))
        return items[0] if len(items) == 1 else All(items)
    return parse_logic(raw, in_event=True)


def _parse_quantifier(kind: str, raw: dict[str, Any]) -> Quantifier:
    allowed = {kind, "where", "if_missing", "read_silence", *WINDOW_KEYS}
    if kind == "count":
        allowed |= {"op", "value"}
    elif kind == "latest":
        allowed |= {"test", "prefer"}
    unknown = set(raw) - allowed
    if unknown:
        raise _fail(f"unexpected keys {sorted(unknown)} for '{kind}'", raw)
    windows = [(k, raw[k]) for k in WINDOW_KEYS if k in raw]
    if len(windows) > 1:
        raise _fail("at most one window (within_months/weeks/days)", raw)
    where = _parse_where(raw["where"]) if "where" in raw else None
    if kind == "count" and ("op" not in raw or "value" not in raw):
        raise _fail("'count' needs op and value", raw)
    if kind == "count" and raw["op"] not in COMPARE_OPS:
        raise _fail(f"'count' op must be one of {sorted(COMPARE_OPS)}", raw)
    if kind == "latest" and "test" not in raw:
        raise _fail("'latest' needs a test", raw)
    test = _parse_where(raw["test"]) if "test" in raw else None
    return Quantifier(
        kind,
        str(raw[kind]),
        where,
        windows[0] if windows else None,
        op=raw.get("op"),
        value=raw.get("value"),
        test=test,
        if_missing=raw.get("if_missing"),
        read_silence=bool(raw.get("read_silence", False)),
        prefer=_parse_where(raw["prefer"]) if "prefer" in raw else None,
    )


def fact_refs(node: Node) -> set[str]:
    """Fact names a tree reads directly (not through refs), including ``$name`` values."""
    names: set[str] = set()
    for n in node.walk():
        if isinstance(n, Test):
            if not n.on_event:
                names.add(n.name)
            if n.value_ref:
                names.add(n.value_ref)
        elif isinstance(n, Quantifier):
            names.add(n.source)
    return names


def def_refs(node: Node) -> set[str]:
    """Definition ids a tree references with ``ref``."""
    return {n.name for n in node.walk() if isinstance(n, Ref)}


def event_field_refs(node: Node) -> list[tuple[str, str]]:
    """(event list, field) pairs used inside quantifiers, for name checking."""
    pairs: list[tuple[str, str]] = []
    for n in node.walk():
        if isinstance(n, Quantifier):
            for child in n.children():
                pairs.extend(
                    (n.source, t.name) for t in child.walk() if isinstance(t, Test) and t.on_event
                )
    return pairs
