"""Routing: which criteria sets apply to each requested line, then the decision of every line.

Order of rules for one line (``decide_request``):

1. notification-only codes with a listed diagnosis (62320/62322 with G89.11/G89.12/G89.18)
   -> approved without medical necessity review;
2. add-on codes (``addon_of``) and drug codes (``drug_code_pattern``, e.g. J-codes) follow the
   decision of their primary line on the same request (pended if there is none);
3. routed codes: ``pending`` -> pended with the route's reason; ``sets`` -> decided on those
   sets; ``by_purpose`` -> the purpose is read from the plan, then the injectate, then the drug
   codes; when none says, the line is decided both ways and the outcomes are compared;
4. codes the guideline does not list -> the ``unlisted`` sets (named exclusions that apply by
   the procedure's attributes) deny when one applies; otherwise the line is pended as outside
   this guideline's scope.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from criteria.engine import CriterionResult, LineDecision, decide
from criteria.fact_values import FactValues, fact_values, level_or_text, region_group
from criteria.facts import STAND_IN_FACTS, CaseFacts, LineFacts, ServiceLine, fact_names
from criteria.loader import CriteriaLibrary, item_nodes, load_library
from criteria.logic import def_refs, fact_refs
from criteria.model import CodeRoute

_REGION_BY_LETTER = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
_DRG_WORDS = re.compile(r"dorsal\s+root\s+ganglion|\bDRG\b", re.IGNORECASE)
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


def clean_code(code: str) -> str:
    return code.strip().rstrip("*").upper()


def infer_purpose(values: dict[str, Any], library: CriteriaLibrary) -> tuple[str | None, str]:
    """Diagnostic or therapeutic, and why: the plan, then the injectate, then drug codes."""
    stated = values.get("planned.purpose")
    if stated:
        return stated, f"the plan states a {stated} purpose"
    injectate = values.get("planned.injectate")
    if injectate:
        if "steroid" in injectate:
            return "therapeutic", "the injectate includes a steroid"
        if set(injectate) <= {"anesthetic", "contrast", "saline"}:
            return "diagnostic", "the injectate is local anesthetic only"
    agents = [
        library.routing.drug_agents.get(clean_code(c)) for c in values.get("request.codes", [])
    ]
    if "steroid" in agents:
        return "therapeutic", "a steroid drug code is on the request"
    if "anesthetic" in agents:
        return "diagnostic", "only an anesthetic drug code is on the request"
    return None, "neither the plan, the injectate nor the drug codes state the purpose"


class _Request:
    """The lines of one request, classified once."""

    def __init__(self, facts: CaseFacts, library: CriteriaLibrary) -> None:
        self.library = library
        self.lines = list(facts.request.lines)
        self.codes = [clean_code(line.code) for line in self.lines]
        self.routes = [library.routing.routes.get(code) for code in self.codes]
        pattern = library.routing.drug_pattern
        self.is_drug = [
            route is None and pattern is not None and bool(pattern.match(code))
            for code, route in zip(self.codes, self.routes, strict=True)
        ]
        self.is_addon = [route is not None and bool(route.addon_of) for route in self.routes]

    def primary_of(self, index: int) -> int | None:
        """The line an add-on or drug line follows."""
        route = self.routes[index]
        for other, code in enumerate(self.codes):
            if other == index or self.is_addon[other] or self.is_drug[other]:
                continue
            if route is None or not route.addon_of or code in route.addon_of:
                return other
        return None

    def siblings(self, index: int) -> list[int]:
        """Other primary lines with the same code (another side or level of one procedure)."""
        return [
            i
            for i, code in enumerate(self.codes)
            if i != index
            and code == self.codes[index]
            and not (self.is_addon[i] or self.is_drug[i])
        ]

    def followers(self, index: int) -> list[int]:
        return [
            i
            for i in range(len(self.lines))
            if (self.is_addon[i] or self.is_drug[i]) and self.primary_of(i) == index
        ]

    def region_group_of(self, index: int, values: dict[str, Any]) -> str | None:
        route = self.routes[index]
        if route is not None and route.attributes.get("region_group"):
            return str(route.attributes["region_group"])
        levels = self.lines[index].levels or values.get("planned.levels") or []
        region = _region_from_levels(levels) or values.get("planned.region")
        return region_group(region)


def _region_from_levels(levels: list[str]) -> str | None:
    for level in levels:
        letter = level_or_text(level)[:1].upper()
        if letter in _REGION_BY_LETTER:
            return _REGION_BY_LETTER[letter]
    return None


def build_line_facts(req: _Request, index: int, values: dict[str, Any]) -> LineFacts:
    """The ``line.*`` facts of one primary line (levels and units of its add-ons included)."""
    line, route = req.lines[index], req.routes[index]
    attributes = dict(route.attributes) if route is not None else {}
    followers = [i for i in req.followers(index) if req.is_addon[i]]
    levels, level_count, injections = _line_levels(req, index, values)
    session_levels, session_count, session_injections = set(levels), level_count, injections
    for sibling in req.siblings(index):  # the same code on another side or level: one session
        other_levels, other_count, other_injections = _line_levels(req, sibling, values)
        if other_levels and levels:
            session_levels |= set(other_levels)
            session_count = len(session_levels)
        else:
            session_count += other_count
        session_injections += other_injections
    side = line.side or values.get("planned.side")
    region = _region_from_levels(levels) or values.get("planned.region") or attributes.get("region")
    approach = attributes.get("approach")
    if isinstance(approach, list):
        planned = values.get("planned.approach")
        approach = planned if planned in approach else approach[0]
    elif approach is None:
        approach = values.get("planned.approach")
    entry = req.library.code_entry(req.codes[index])
    others = [
        req.codes[i]
        for i in range(len(req.lines))
        if i != index
        and req.codes[i] != req.codes[index]
        and not req.is_addon[i]
        and not req.is_drug[i]
        and req.library.code_entry(req.codes[i]) is not None
    ]
    groups = {
        req.region_group_of(i, values)
        for i in [index, *(i for i in range(len(req.lines)) if req.codes[i] in others)]
    }
    return LineFacts.model_validate(
        {
            "code": req.codes[index],
            "description": line.description or (entry.description if entry else None),
            "side": side,
            "levels": levels or None,
            "level_count": session_count,
            "units": line.units,
            "region": region,
            "region_group": attributes.get("region_group") or region_group(region),
            "approach": approach,
            "guidance": _guidance(attributes.get("guidance"), values.get("planned.guidance")),
            "purpose": attributes.get("purpose"),
            "injection_count": session_injections,
            "addon_codes": [req.codes[i] for i in followers],
            "other_codes": others,
            "session_region_groups": sorted(g for g in groups if g),
            "section": entry.section if entry else None,
            "group": entry.group if entry else None,
            "stimulator_type": (
                "dorsal_root_ganglion"
                if line.description and _DRG_WORDS.search(line.description)
                else None
            ),
        }
    )


def _line_levels(req: _Request, index: int, values: dict[str, Any]) -> tuple[list[str], int, int]:
    """One primary line's levels (its add-ons' included), level count and injection count."""
    line = req.lines[index]
    followers = [i for i in req.followers(index) if req.is_addon[i]]
    levels = [level_or_text(v) for i in [index, *followers] for v in req.lines[i].levels]
    levels = list(dict.fromkeys(levels)) or list(values.get("planned.levels") or [])
    units = max(1, line.units) + sum(req.lines[i].units for i in followers)
    count = len(levels) if levels else units
    side = line.side or values.get("planned.side")
    return levels, count, count * (2 if side == "bilateral" else 1)


def _guidance(attribute: str | None, planned: str | None) -> str | None:
    """The line's guidance: a code "without imaging guidance" keeps its own attribute.

    62320, 62322, 62324 and 62326 are without imaging guidance by definition, whatever the note
    says; a code "with fluoroscopy or CT" takes what the plan states (fluoroscopy, CT, or another
    guidance the plan names, which the guidance limit then reads).
    """
    if attribute == "none":
        return attribute
    return planned or attribute


def guideline_date_warning(library: CriteriaLibrary, received: dt.date) -> str | None:
    """A warning when the request was received before the guideline version took effect.

    The criteria are this version's; a request received earlier falls under the version in force
    on its date, so the reviewer is told to check it against that one.
    """
    if not library.effective_date:
        return None
    effective = dt.date.fromisoformat(library.effective_date)
    if received >= effective:
        return None
    return (
        f"Check the guideline version: the request was received on {received.isoformat()}, "
        f"before this guideline version ({library.guideline_version}) became effective on "
        f"{library.effective_date}. It is decided on this version's criteria; confirm them "
        "against the version in force on the date received."
    )


def decide_request(
    facts: CaseFacts,
    library: CriteriaLibrary | None = None,
    request_date: dt.date | None = None,
) -> list[LineDecision]:
    """A decision for every requested line, in request order."""
    library = library or load_library()
    base = fact_values(facts)
    today = request_date or facts.request.date
    if today is None:
        raise ValueError("the request has no date: set facts.request.date or pass request_date")
    req = _Request(facts, library)
    decisions: dict[int, LineDecision] = {}
    for index in range(len(req.lines)):
        if not (req.is_addon[index] or req.is_drug[index]):
            decisions[index] = _decide_primary(req, index, base, today, facts)
    for index in range(len(req.lines)):
        if index not in decisions:
            decisions[index] = _follow(req, index, decisions)
    return [decisions[i] for i in range(len(req.lines))]


def _decide_primary(
    req: _Request, index: int, base: FactValues, today: dt.date, facts: CaseFacts
) -> LineDecision:
    code, route = req.codes[index], req.routes[index]
    notification = _notification_only(req, code, facts.request.diagnosis_codes)
    if notification is not None:
        return notification
    line = build_line_facts(req, index, base.values)
    if route is None:
        return _decide_unlisted(req, line, base, today)
    if route.pending:
        return LineDecision(
            code=code,
            decision="pended",
            reasons=[route.pending],
            route=f"{code}: {route.pending}",
            missing_info=[route.pending],
        )
    if route.sets:
        decision = decide(line, base, req.library.resolve(route.sets), today)
        decision.route = f"{code} is decided on: {_titles(req, route.sets)}."
        return decision
    return _decide_by_purpose(req, route, line, base, today)


def _titles(req: _Request, set_ids: list[str]) -> str:
    return "; ".join(req.library.sets[s].title for s in set_ids)


def _notification_only(req: _Request, code: str, diagnoses: list[str]) -> LineDecision | None:
    wanted = {d.strip().upper() for d in diagnoses}
    for rule in req.library.routing.notification_only:
        matched = sorted(wanted & {d.upper() for d in rule.diagnoses})
        if code in rule.codes and matched:
            reason = (
                f"Notification only: {code} for post-procedural pain with diagnosis "
                f"{', '.join(matched)} needs no medical necessity review."
            )
            row = CriterionResult(
                id="routing.notification_only",
                title="Notification-only code and diagnosis",
                kind="requirement",
                status="met",
                passage=rule.passage,
                quote=rule.quote,
                reason=reason,
                facts={"request.diagnosis_codes": sorted(wanted)},
            )
            return LineDecision(
                code=code,
                decision="approved",
                reasons=[reason],
                criteria=[row],
                notification_only=True,
                route=reason,
            )
    return None


def _decide_unlisted(
    req: _Request, line: LineFacts, base: FactValues, today: dt.date
) -> LineDecision:
    policy = req.library.routing.unlisted
    code = line.code or ""
    if policy.sets:
        decision = decide(line, base, req.library.resolve(policy.sets), today)
        if decision.decision == "denied":
            decision.route = (
                f"{code} is not listed in this guideline; a named exclusion "
                "applies to the procedure described."
            )
            return decision
        criteria = decision.criteria
    else:
        criteria = []
    return LineDecision(
        code=code,
        decision="pended",
        reasons=[policy.reason],
        criteria=criteria,
        sets=list(policy.sets),
        out_of_scope=True,
        missing_info=[policy.reason],
        route=f"{code} is not listed in this guideline.",
    )


def _purpose_words(library: CriteriaLibrary, set_ids: list[str], purpose: str) -> str:
    """What the line is decided as, in the words of its criteria sets' titles."""
    titles = [library.sets[s].title for s in set_ids if s in library.sets]
    return "; ".join(titles) if titles else f"{purpose} procedure"


def _decide_by_purpose(
    req: _Request, route: CodeRoute, line: LineFacts, base: FactValues, today: dt.date
) -> LineDecision:
    code = line.code or ""
    purpose, why = infer_purpose(base.values, req.library)
    if purpose is None and route.default_purpose:
        purpose, why = route.default_purpose, "the route's default purpose"
    if purpose is not None and purpose in route.by_purpose:
        sets = route.by_purpose[purpose]
        decision = decide(
            line.model_copy(update={"purpose": purpose}), base, req.library.resolve(sets), today
        )
        words = _purpose_words(req.library, list(sets), purpose)
        decision.route = f"{code} is decided on: {words} ({why})."
        return decision
    ways = {
        p: decide(line.model_copy(update={"purpose": p}), base, req.library.resolve(s), today)
        for p, s in route.by_purpose.items()
    }
    first = next(iter(ways.values()))
    outcomes = "; ".join(
        f"on the criteria for {_purpose_words(req.library, list(route.by_purpose[p]), p)} "
        f"it would be {d.decision}"
        for p, d in ways.items()
    )
    route_text = f"The purpose of {code} is not documented ({why}); it was evaluated both ways."
    if len({d.decision for d in ways.values()}) == 1:
        combined = first.model_copy(update={"alternatives": list(ways.values())})
        combined.route = route_text
        combined.reasons = [f"{route_text} The outcome is the same: {outcomes}.", *first.reasons]
        return combined
    need = (
        "The procedure plan stating whether this is a therapeutic steroid injection or a "
        "diagnostic block before surgery, and the injectate."
    )
    return LineDecision(
        code=code,
        decision="pended",
        sets=[s for sets in route.by_purpose.values() for s in sets],
        reasons=[f"{route_text} The outcome depends on it: {outcomes}."],
        criteria=first.criteria,
        definitions=first.definitions,
        missing=sorted({"planned.purpose", *(m for d in ways.values() for m in d.missing)}),
        missing_info=[need],
        route=route_text,
        alternatives=list(ways.values()),
    )


def _follow(req: _Request, index: int, decisions: dict[int, LineDecision]) -> LineDecision:
    code = req.codes[index]
    kind = "Add-on code" if req.is_addon[index] else "Drug code"
    primary = req.primary_of(index)
    if primary is None or primary not in decisions:
        reason = f"{kind} {code} has no primary procedure line on this request to follow."
        return LineDecision(
            code=code,
            decision="pended",
            reasons=[reason],
            route=reason,
            missing_info=["The primary procedure code this line belongs to."],
        )
    lead = decisions[primary]
    reason = f"{kind} {code} follows the decision on {lead.code}."
    return LineDecision(
        code=code,
        decision=lead.decision,
        reasons=[reason, *lead.reasons],
        sets=lead.sets,
        purpose=lead.purpose,
        missing=lead.missing,
        missing_info=lead.missing_info,
        follows=lead.code,
        route=reason,
        notification_only=lead.notification_only,
        out_of_scope=lead.out_of_scope,
    )


__all__ = [
    "ServiceLine",
    "build_line_facts",
    "decide_request",
    "guideline_date_warning",
    "infer_purpose",
]


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
