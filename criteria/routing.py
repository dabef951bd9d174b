"""Routing: which criteria sets apply to each requested line, then the decision of every line.

Order of rules for one line (``decide_request``):

1. notification-only codes with a listed diagnosis (62320/62322 with G89.11/G89.12/G89.18)
   -> approved without medical necessity review;
2. add-on codes (``addon_of``) and drug codes (``drug_code_pattern``, e.g. J-codes) follow the
   decision of their primary line on the same request (pended if there is none), except the
   add-on levels beyond a session's level limit, which are denied (``criteria.level_limits``),
   and add-on levels the record contradicts at their own level (``criteria.addon_levels``);
3. routed codes: ``pending`` -> pended with the route's reason; ``sets`` -> decided on those
   sets; ``by_purpose`` -> the purpose is read from the plan, then the injectate, then the drug
   codes; when none says, the line is decided both ways and the outcomes are compared;
4. codes the guideline does not list -> the ``unlisted`` sets (named exclusions that apply by
   the procedure's attributes) deny when one applies; otherwise the line is pended as outside
   this guideline's scope.

The ``line.*`` facts a line is decided on are built by ``criteria.line_facts``; which facts the
codes' criteria can read is ``criteria.facts_needed``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from criteria.addon_levels import own_level_decisions, primary_at_own_levels
from criteria.engine import decide
from criteria.fact_values import FactValues, fact_values
from criteria.facts import CaseFacts, LineFacts
from criteria.level_limits import split_at_level_limit
from criteria.line_facts import RequestLines, build_line_facts, clean_code
from criteria.loader import CriteriaLibrary, load_library
from criteria.model import CodeRoute
from criteria.plan_owner import plan_for_line, without_own_plan
from criteria.results import CriterionResult, LineDecision


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
    req = RequestLines(facts, library)
    decisions: dict[int, LineDecision] = {}
    for index in range(len(req.lines)):
        if not (req.is_addon[index] or req.is_drug[index]):
            decision = _decide_primary(req, index, base, today, facts)
            decision, beyond = split_at_level_limit(
                req, index, decision, partial(_decide_primary, req, index, base, today, facts)
            )
            decision = primary_at_own_levels(
                req, index, decision, partial(_decide_at_levels, req, index, base, today, facts)
            )
            decisions[index] = decision
            decisions.update(beyond)
            decisions.update(
                own_level_decisions(
                    req,
                    index,
                    decision,
                    partial(_decide_at_levels, req, index, base, today, facts),
                    set_aside=frozenset(beyond),
                )
            )
    for index in range(len(req.lines)):
        if index not in decisions:
            decisions[index] = _follow(req, index, decisions)
    return [decisions[i] for i in range(len(req.lines))]


def _decide_at_levels(
    req: RequestLines,
    index: int,
    base: FactValues,
    today: dt.date,
    facts: CaseFacts,
    levels: list[str],
) -> LineDecision:
    """Primary line `index` decided as if it named only `levels` (an add-on line's own)."""
    return _decide_primary(req, index, base, today, facts, levels=levels)


def _decide_primary(
    req: RequestLines,
    index: int,
    base: FactValues,
    today: dt.date,
    facts: CaseFacts,
    levels: list[str] | None = None,
) -> LineDecision:
    code, route = req.codes[index], req.routes[index]
    notification = _notification_only(req, code, facts.request.diagnosis_codes)
    if notification is not None:
        return notification
    line = build_line_facts(req, index, base.values)
    if levels is not None:
        line = line.model_copy(update={"levels": levels})
    others = {
        entry.section
        for i, other in enumerate(req.codes)
        if i != index and (entry := req.library.code_entry(other)) is not None and entry.section
    }
    if others - {line.section}:  # another family's drug line is not this line's drug
        own = [code, *(req.codes[i] for i in req.followers(index))]
        base = base.with_values({"request.codes": own})
    own_plan = plan_for_line(base, line.section, others)
    if own_plan is not base:  # the plan read is another requested line's
        decision = _decide_line(req, index, route, line, own_plan, today)
        return without_own_plan(decision, base)
    return _decide_line(req, index, route, line, base, today)


def _decide_line(
    req: RequestLines,
    index: int,
    route: CodeRoute | None,
    line: LineFacts,
    base: FactValues,
    today: dt.date,
) -> LineDecision:
    code = req.codes[index]
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


def _titles(req: RequestLines, set_ids: list[str]) -> str:
    return "; ".join(req.library.sets[s].title for s in set_ids)


def _notification_only(req: RequestLines, code: str, diagnoses: list[str]) -> LineDecision | None:
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
    req: RequestLines, line: LineFacts, base: FactValues, today: dt.date
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
    req: RequestLines, route: CodeRoute, line: LineFacts, base: FactValues, today: dt.date
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


def _follow(req: RequestLines, index: int, decisions: dict[int, LineDecision]) -> LineDecision:
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
    "decide_request",
    "guideline_date_warning",
    "infer_purpose",
]
