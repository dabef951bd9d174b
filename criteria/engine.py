"""The deterministic decision engine: criteria + facts -> a line decision with a full trace.

Pure functions, no I/O. Each criterion gets a status (``met | not_met | not_documented |
not_applicable``) from three-valued logic (see ``criteria.compile``); the line's decision follows
one policy, in this order:

1. a criterion that is ``not_met`` with ``on_fail: deny`` (a contradicted requirement or an
   applicable exclusion/contraindication/limit) -> **denied**. ``not_met`` needs evidence: the
   criterion must also be false under the strict reading (``criteria.compile``: no silence
   defaults, no shortfall in a count of things found) and carry a quote from the record or rest
   on the request itself; otherwise it is ``not_documented`` and pends;
2. otherwise anything ``not_documented``, or ``not_met`` with ``on_fail: pend`` -> **pended**,
   listing exactly which facts are missing and what document would supply them;
3. otherwise -> **approved**. A line with no criteria at all is pended, never approved.

This module owns that policy (`decide`, `summarize`); criteria are evaluated by
``criteria.evaluator`` and results are the models of ``criteria.results``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from criteria.errors import CriteriaError
from criteria.evaluator import CompiledSet
from criteria.fact_values import FactValues, fact_values
from criteria.facts import CaseFacts, LineFacts
from criteria.results import CriterionResult, Decision, LineDecision, construct


def line_values(line: LineFacts) -> dict[str, Any]:
    """``line.*`` plain values of a LineFacts (unset names are left out)."""
    keys = _LINE_KEYS
    return {keys[k]: v for k, v in line.__dict__.items() if v is not None}


_LINE_KEYS = {name: f"line.{name}" for name in LineFacts.model_fields}
# a planned fact the request's lines state, over what the notes say: what is requested is the
# request's to say ("63650 - ... permanent, 2 percutaneous leads" after notes about the trial)
_REQUEST_STATES = {"planned.stimulator_action": "line.stimulator_action"}


def decide(
    line: LineFacts,
    facts: CaseFacts | FactValues,
    criteria_set: CompiledSet,
    request_date: dt.date | None = None,
) -> LineDecision:
    """Decide one line against one compiled criteria set. Pure: same inputs, same decision."""
    base = facts if isinstance(facts, FactValues) else fact_values(facts)
    values = {**base.values, **line_values(line)}
    for planned, stated in _REQUEST_STATES.items():
        if stated in values:
            values[planned] = values[stated]  # the request says what is requested
    today = request_date or values.get("request.date")
    if not isinstance(today, dt.date):
        raise CriteriaError("decide() needs a request date: pass request_date or set request.date")
    evaluator = criteria_set.evaluator
    ctx = evaluator.context(values, today)
    results = [
        evaluator.evaluate(cid, ctx, base.evidence, line.section)
        for cid in criteria_set.criterion_ids
    ]
    definitions = [
        evaluator.evaluate(d, ctx, base.evidence, line.section) for d in criteria_set.definition_ids
    ]
    return summarize(line.code or "", results, definitions, criteria_set.set_ids, line.purpose)


def summarize(
    code: str,
    results: list[CriterionResult],
    definitions: list[CriterionResult],
    set_ids: list[str],
    purpose: str | None,
) -> LineDecision:
    """Apply the decision policy (deny > pend > approve) to evaluated criteria."""
    denying = [r for r in results if r.effect == "deny"]
    pending = [r for r in results if r.effect == "pend"]
    if denying:
        decision: Decision = "denied"
        reasons = [r.reason for r in denying]
    elif pending or not results:
        decision = "pended"
        reasons = [r.reason for r in pending] or ["No criteria are encoded for this line."]
    else:
        decision = "approved"
        reasons = ["Every applicable criterion is documented as met and no exclusion applies."]
    missing = sorted({m for r in pending for m in r.missing})
    info = list(dict.fromkeys(r.missing_info for r in pending if r.missing_info))
    fields = {
        "code": code, "decision": decision, "reasons": reasons, "sets": set_ids,
        "purpose": purpose, "criteria": results, "definitions": definitions, "missing": missing,
        "missing_info": info, "route": None, "follows": None, "notification_only": False,
        "out_of_scope": False, "alternatives": [],
    }  # fmt: skip
    return construct(LineDecision, fields)
