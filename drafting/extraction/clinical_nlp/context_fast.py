"""ConText at the cost of its nearby pairs: the same modifiers, scopes and edges as medSpaCy's.

medSpaCy's ConText compares every modifier with every other one (`update_scopes`) and every
target with every modifier (`apply_modifiers`) of a window, and finds its 55 token-pattern
triggers ("no ... evidence of", "was not") with spaCy's `Matcher`, whose set predicates
(``{"LOWER": {"IN": [...]}}``) are evaluated in Python for every token. Here, with the same
results:

- `update_scopes` compares only modifiers whose hulls touch, the hull of a modifier being the
  span from the least to the greatest of its match and scope bounds. `limit_scope` only ever
  moves a scope bound to the bound of another modifier's match inside the hull, and does
  nothing to two modifiers whose scopes do not overlap; so modifiers in separate chains of
  touching hulls never change each other, and within a chain the pairs run in medSpaCy's order;
- `apply_modifiers` asks `modifies` only of the modifiers whose scope touches the target
  (`modifies` is false for the others), in medSpaCy's order, so each modifier lists its
  targets in the same order and the edges are the same;
- `TokenPatterns` finds the token patterns by looking up each token's lower-case text: every
  (rule, start, end) that spaCy's `Matcher` finds, which deduplicates its matches too. Only
  their order differs, and medSpaCy sorts them by (start, end) before pruning overlaps; a window
  where two token rules match the same span (where the order would matter) is left to spaCy.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

Match = tuple[int, int, int]
MEDSPACY: dict[str, Callable[[Any], None]] = {}  # medSpaCy's own graph methods, once replaced


def _hull(modifier: Any) -> tuple[int, int]:
    bounds = (*modifier.scope_span, *modifier.modifier_span)
    return min(bounds), max(bounds)


def update_scopes(graph: Any) -> None:
    """`ConTextGraph.update_scopes`, pair by pair only within chains of touching hulls."""
    modifiers = graph.modifiers
    if len(modifiers) < 2:
        return
    hulls = [_hull(modifier) for modifier in modifiers]
    chains: list[list[int]] = []
    reach = 0
    for index in sorted(range(len(modifiers)), key=lambda i: hulls[i][0]):
        low, high = hulls[index]
        if chains and low <= reach:
            chains[-1].append(index)
            reach = max(reach, high)
        else:
            chains.append([index])
            reach = high
    for chain in chains:
        members = [modifiers[index] for index in sorted(chain)]
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                first.limit_scope(second)
                second.limit_scope(first)


def apply_modifiers(graph: Any, original: Callable[[Any], None]) -> None:
    """`ConTextGraph.apply_modifiers`, asking each target only the modifiers near it."""
    if graph.prune_on_modifier_overlap:
        original(graph)
        return
    modifiers = graph.modifiers
    scopes = [modifier.scope_span for modifier in modifiers]
    by_start = sorted(range(len(modifiers)), key=lambda i: scopes[i][0])
    starts = [scopes[index][0] for index in by_start]
    longest = max((end - start for start, end in scopes), default=0)
    for target in graph.targets:
        first = bisect.bisect_left(starts, target.start - longest)
        last = bisect.bisect_right(starts, target.end)
        near = sorted(
            index
            for index in by_start[first:last]
            if scopes[index][0] < scopes[index][1] and scopes[index][1] >= target.start
        )
        for index in near:
            if modifiers[index].modifies(target):
                modifiers[index].modify(target)
    edges = []
    for modifier in modifiers:
        modifier.reduce_targets()
        for target in modifier._targets:
            edges.append((target, modifier))
    graph.edges = edges


class TokenPatterns:
    """spaCy's `Matcher` for token patterns of LOWER values and sets, each token once or "?".

    Tokens are compared by the id of their lower-case form, as spaCy's matcher compares them.
    """

    def __init__(
        self, fallback: Any, patterns: list[tuple[int, list[dict[str, Any]]]], strings: Any
    ) -> None:
        self.fallback = fallback
        self._patterns: list[tuple[int, list[_Step]]] = []
        self._by_first: dict[int, list[int]] = {}
        for key, pattern in patterns:
            steps = [_step(token, strings) for token in pattern]
            number = len(self._patterns)
            self._patterns.append((key, steps))
            for lower in _first_tokens(steps):
                self._by_first.setdefault(lower, []).append(number)

    def __call__(self, doc: Any) -> list[Match]:
        from spacy.attrs import LOWER

        lowers = doc.to_array(LOWER).tolist() if len(doc) else []
        found: list[tuple[int, int, int, int]] = []
        by_first = self._by_first
        for start, lower in enumerate(lowers):
            if lower in by_first:
                for number in by_first[lower]:
                    key, steps = self._patterns[number]
                    found.extend((start, end, number, key) for end in _ends(steps, lowers, start))
        found.sort()
        spans = [(start, end) for start, end, _, _ in found]
        if len(set(spans)) < len(spans):  # two rules on one span: spaCy's order decides
            return list(self.fallback(doc))
        return [(key, start, end) for start, end, _, key in found]


_Step = tuple[frozenset[int], bool]  # the ids a token's lower-case form may have; optional


def _step(token: dict[str, Any], strings: Any) -> _Step:
    value = token["LOWER"]
    values = value["IN"] if isinstance(value, dict) else [value]
    return frozenset(strings.add(v) for v in values), token.get("OP") == "?"


def _first_tokens(steps: list[_Step]) -> set[int]:
    first: set[int] = set()
    for values, optional in steps:
        first |= values
        if not optional:
            break
    return first


def _ends(steps: list[_Step], lowers: list[int], start: int) -> set[int]:
    """Ends of the non-empty matches of `steps` from `start`, over every optional choice."""
    reached = {start}
    for values, optional in steps:
        following = {at + 1 for at in reached if at < len(lowers) and lowers[at] in values}
        reached = following | reached if optional else following
        if not reached:
            return set()
    return {end for end in reached if end > start}


def supported(pattern: Any) -> bool:
    """True for a token pattern `TokenPatterns` reads exactly: LOWER values, once or "?"."""
    if not isinstance(pattern, list) or not pattern:
        return False
    for token in pattern:
        if not isinstance(token, dict) or set(token) - {"LOWER", "OP"} or "LOWER" not in token:
            return False
        if token.get("OP", "?") != "?":
            return False
        value = token["LOWER"]
        if isinstance(value, dict):
            if set(value) != {"IN"} or not all(isinstance(v, str) for v in value["IN"]):
                return False
        elif not isinstance(value, str):
            return False
    return any("OP" not in token for token in pattern)


def install(context: Any) -> None:
    """Give one ConText component the fast token matcher (when its rules allow it)."""
    matcher = context._ConText__matcher
    spacy_matcher = matcher._MedspacyMatcher__matcher
    rules = [rule for rule in matcher.rules if isinstance(rule.pattern, list)]
    if not matcher._prune or any(rule.on_match or not supported(rule.pattern) for rule in rules):
        return
    strings = context.nlp.vocab.strings
    patterns = [(strings.add(rule._rule_id), rule.pattern) for rule in rules]
    matcher._MedspacyMatcher__matcher = TokenPatterns(spacy_matcher, patterns, strings)


def patch_graph() -> None:
    """Make medSpaCy's `ConTextGraph` use `update_scopes` and `apply_modifiers` above (once)."""
    from medspacy.context.context_graph import ConTextGraph

    if MEDSPACY:
        return
    MEDSPACY["update_scopes"] = ConTextGraph.update_scopes
    MEDSPACY["apply_modifiers"] = original = ConTextGraph.apply_modifiers
    ConTextGraph.update_scopes = update_scopes
    ConTextGraph.apply_modifiers = lambda graph: apply_modifiers(graph, original)
