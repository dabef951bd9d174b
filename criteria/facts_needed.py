"""Which facts the criteria of some requested codes can read (`facts_needed`), statically.

What an extractor is asked for: the facts of every set a code may be decided on, what routing
itself reads (`ROUTING_FACTS`) and the documented facts that may stand in for a needed one
(`stand_in_sources`).
"""

from __future__ import annotations

import re

from criteria.facts import STAND_IN_FACTS, fact_names
from criteria.line_facts import clean_code
from criteria.loader import CriteriaLibrary, item_nodes, load_library
from criteria.logic import def_refs, fact_refs

# Planned-procedure facts routing itself reads (purpose, region, line attributes).
ROUTING_FACTS = (
    "planned.purpose",
    "planned.injectate",
    "planned.levels",
    "planned.side",
    "planned.region",
    "planned.approach",
    "planned.guidance",
)


def facts_needed(codes: list[str], library: CriteriaLibrary | None = None) -> list[str]:
    """Every fact name the criteria of these requested codes can read, on every branch.

    Static, from the routing table and the criteria trees (definitions followed), so it does not
    depend on what an extractor found: the sets of every purpose a code may be decided as, the
    unlisted-code sets for a code the guideline does not list, and what routing reads. An
    extractor asks for these facts and no others.
    """
    library = library or load_library()
    routing = library.routing
    set_ids: list[str] = []
    for code in map(clean_code, codes):
        route = routing.routes.get(code)
        if route is None:
            if routing.drug_pattern is None or not routing.drug_pattern.match(code):
                set_ids.extend(routing.unlisted.sets)
            continue
        set_ids.extend(route.sets)
        set_ids.extend(set_id for sets in route.by_purpose.values() for set_id in sets)
    names = set(ROUTING_FACTS)
    pending = [library.item(i) for s in dict.fromkeys(set_ids) for i in library.set_criteria(s)]
    seen: set[str] = set()
    while pending:
        item = pending.pop()
        if item.id in seen:
            continue
        seen.add(item.id)
        for node in item_nodes(item):
            names |= fact_refs(node)
            pending.extend(library.definitions[ref] for ref in def_refs(node))
    for name in list(names):  # the documented facts that may stand in for a needed one
        names |= stand_in_sources(name)
    return sorted(names)


def stand_in_sources(name: str) -> set[str]:
    """The fact names ``STAND_IN_FACTS`` reads to fill `name` when it is absent (else empty)."""
    description = STAND_IN_FACTS.get(name, "")
    return set(re.findall(r"\b[a-z_]+\.[a-z_]+\b", description)) & set(fact_names())
