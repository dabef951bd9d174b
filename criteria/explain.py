"""Plain-text rendering of criteria: logic trees, criteria with their quotes, routes of codes."""

from __future__ import annotations

from collections.abc import Iterable

from criteria.loader import CriteriaLibrary
from criteria.logic import All, Any_, AtLeast, Const, Node, Not, Quantifier, Ref, Test
from criteria.model import Criterion, Item

_OP_WORDS = {
    "==": "is", "!=": "is not", "in": "is one of", "not_in": "is none of",
    "contains": "includes", "contains_any": "includes any of", "subset_of": "only from",
    "levels_overlap": "overlaps levels", "side_matches": "matches side",
    "len>=": "has at least", "len<=": "has at most", "len==": "has exactly",
    "len>": "has more than", "len<": "has fewer than",
}  # fmt: skip


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _test(node: Test) -> str:
    name = f"[{node.name}]" if node.on_event else node.name
    if node.op == "present":
        text = f"{name} is {'documented' if node.value else 'not documented'}"
    elif node.op.startswith(("within_", "older_than_")):
        kind, unit = node.op.rsplit("_", 1)
        words = "within the last" if kind == "within" else "at least"
        text = f"{name} {words} {node.value} {unit}{'' if kind == 'within' else ' ago'}"
    else:
        text = f"{name} {_OP_WORDS.get(node.op, node.op)} {_value(node.value)}"
    if node.if_missing is not None:
        text += f"  (if not documented: {'true' if node.if_missing else 'false'})"
    return text


def render_logic(node: Node, indent: int = 0) -> list[str]:
    """The tree as indented lines."""
    pad = "  " * indent
    if isinstance(node, All | Any_ | AtLeast):
        head = {All: "ALL of:", Any_: "ANY of:"}.get(type(node)) or f"AT LEAST {node.n} of:"  # type: ignore[union-attr]
        return [
            pad + head,
            *(line for c in node.children() for line in render_logic(c, indent + 1)),
        ]
    if isinstance(node, Not):
        return [pad + "NOT:", *render_logic(node.item, indent + 1)]
    if isinstance(node, Ref):
        return [pad + f"definition {node.name}"]
    if isinstance(node, Const):
        return [pad + ("always" if node.value else "never")]
    if isinstance(node, Test):
        return [pad + _test(node)]
    assert isinstance(node, Quantifier)
    window = (
        f" within the last {node.window[1]} {node.window[0].split('_')[1]}" if node.window else ""
    )
    missing = "" if node.if_missing is None else f"  (if not documented: {node.if_missing})"
    if node.kind == "count":
        head = f"number of {node.source}{window} {node.op} {node.value}{missing}, counting:"
    elif node.kind == "exists":
        head = f"some {node.source}{window}{missing} where:"
    else:
        head = f"the latest {node.source}{window}{missing} where:"
    lines = [pad + head]
    lines += render_logic(node.where, indent + 1) if node.where else [pad + "  (any)"]
    if node.prefer is not None:
        lines += [pad + "preferring, when any match:", *render_logic(node.prefer, indent + 1)]
    if node.test is not None:
        lines += [pad + "satisfies:", *render_logic(node.test, indent + 1)]
    return lines


def render_item(item: Item, indent: int = 1) -> list[str]:
    """One criterion or definition: kind, id, title, passage, quote, guard and logic."""
    pad = "  " * indent
    policy = ""
    if isinstance(item, Criterion):
        policy = f", on fail: {item.on_fail}, if not documented: {item.missing_policy}"
    lines = [
        f"{pad}[{item.kind}] {item.id}: {item.title}",
        f"{pad}  passage: {item.passage}{policy}",
        f'{pad}  quote: "{item.quote}"',
    ]
    if isinstance(item, Criterion) and item.applies_when is not None:
        lines += [f"{pad}  applies when:", *render_logic(item.applies_when, indent + 2)]
    if item.requires:
        lines.append(f"{pad}  requires: {', '.join(item.requires)}")
    lines += [f"{pad}  logic:", *render_logic(item.logic, indent + 2)]
    return lines


def render_sets(library: CriteriaLibrary, set_ids: Iterable[str]) -> list[str]:
    """Every criterion of the sets, then every definition they use."""
    lines: list[str] = []
    used: set[str] = set()
    for set_id in set_ids:
        crit_set = library.sets[set_id]
        lines.append(f"Set {set_id}: {crit_set.title}")
        for cid in library.set_criteria(set_id):
            lines += render_item(library.criteria[cid])
            used |= set(library.evaluator.items[cid].definitions)
    if used:
        lines.append("Definitions used:")
        for def_id in sorted(used):
            lines += render_item(library.definitions[def_id])
    return lines


def explain_code(library: CriteriaLibrary, code: str) -> list[str]:
    """How a code is routed and the criteria tree that applies to it."""
    code = code.strip().rstrip("*").upper()
    entry = library.code_entry(code)
    route = library.routing.routes.get(code)
    head = f"{code}: {entry.description} ({entry.section})" if entry else f"{code}: not listed"
    lines = [head]
    for rule in library.routing.notification_only:
        if code in rule.codes:
            lines += [f"Notification only with diagnoses {', '.join(rule.diagnoses)} "
                      f"({rule.passage}):", f'  "{rule.quote}"']  # fmt: skip
    pattern = library.routing.drug_pattern
    if route is None and pattern is not None and pattern.match(code):
        return [*lines, "Drug code: follows the decision on its primary procedure line."]
    if route is None:
        policy = library.routing.unlisted
        return [*lines, f"Not listed in this guideline. {policy.reason}",
                "Named exclusions checked first:", *render_sets(library, policy.sets)]  # fmt: skip
    if route.note:
        lines.append(f"Note: {route.note}")
    if route.addon_of:
        return [*lines, f"Add-on code: follows the decision on {', '.join(route.addon_of)}."]
    if route.pending:
        return [*lines, f"Pending: {route.pending}"]
    if route.attributes:
        lines.append(
            "Implied by the code: "
            + ", ".join(f"{k}={_value(v)}" for k, v in route.attributes.items())
        )
    if route.by_purpose:
        for purpose, sets in route.by_purpose.items():
            lines += [f"When {purpose} (from the plan, the injectate or the drug codes):",
                      *render_sets(library, sets)]  # fmt: skip
        return lines
    return [*lines, *render_sets(library, route.sets)]
