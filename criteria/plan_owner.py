"""Whose plan the `planned.*` facts describe on a request of several procedure families.

The reader fills one `planned.*` group, from the plan sentence of the first procedure it meets.
When the request also lists a line of another guideline section (an epidural with a cervical
medial branch block on its own date, an adhesiolysis with the caudal injection offered as its
alternative), that group describes the line of its own section: a line of another section is
decided without it (its drug, target, purpose and approach are not documented for it), so
another procedure's steroid never makes a medial branch block therapeutic. Facts of the whole
session (`planned.same_session_procedures`) and of the product (`planned.fda_approved`) stay.
Such a line is never approved on a plan nobody read: it pends for its own plan (a denial on
other facts stands).
"""

from __future__ import annotations

import re

from criteria.fact_values import FactValues
from criteria.results import LineDecision

# the guideline section of each planned procedure type (criteria.fact_types.ProcedureType)
SECTION_OF_TYPE = {
    "esi": "epidural", "snrb": "epidural", "intradiscal": "epidural",
    "lysis_of_adhesions": "epidural", "mbb": "facet", "facet_ia": "facet",
    "facet_cyst_aspiration": "facet", "rfa_medial_branch": "facet", "bvn_ablation": "facet",
    "si_injection": "sacroiliac", "sacral_lateral_branch": "sacroiliac",
    "sympathetic_block": "sympathetic", "scs_trial": "stimulators", "scs_implant": "stimulators",
    "drg_stimulator": "stimulators",
}  # fmt: skip
# words that name a procedure of each section in a plan sentence or a request line's description
NAMES_SECTION = {
    "epidural": re.compile(
        r"\bepidural|\b(?:TF|IL)?ESI\b|transforaminal|interlaminar|caudal|nerve\s+root\s+block",
        re.I,
    ),
    "facet": re.compile(
        r"\bfacet|medial\s+branch|\bMBB|\bRFA\b|radiofrequency|basivertebral", re.I
    ),
    "sacroiliac": re.compile(r"\bsacroiliac|\bSI\s+joint|\bSIJ\b", re.I),
    "sympathetic": re.compile(r"\bsympathetic|\bstellate|\bSGB\b", re.I),
    "stimulators": re.compile(r"\bstimulat|\bSCS\b|\bDRG\b", re.I),
}
_SESSION_FACTS = {
    "planned.same_session_procedures",
    "planned.separate_session_sections",
    "planned.fda_approved",
    "planned.synovial_cyst_aspiration",  # the exception the epidural line reads of the session
}


def plan_for_line(
    base: FactValues, line_section: str | None, other_sections: set[str]
) -> FactValues:
    """`base` without the plan's procedure facts when they describe another requested line."""
    planned = SECTION_OF_TYPE.get(str(base.values.get("planned.procedure_type")))
    if planned is None or line_section is None or planned == line_section:
        return base
    if planned not in other_sections:
        return base  # no other line is that plan's: the plan may simply be named loosely
    quotes = " ".join(e.quote for e in base.evidence.get("planned.procedure_type", []))
    if NAMES_SECTION.get(line_section) and NAMES_SECTION[line_section].search(quotes):
        return base  # the plan sentence names this line's procedure too ("same session: ...")
    kept = {
        name: value
        for name, value in base.values.items()
        if not name.startswith("planned.") or name in _SESSION_FACTS
    }
    return FactValues(kept, base.evidence)


def without_own_plan(decision: LineDecision, base: FactValues) -> LineDecision:
    """An approval reached without the line's own plan pends and asks for it."""
    if decision.decision != "approved":
        return decision
    kind = base.values.get("planned.procedure_type")
    need = (
        f"The plan for this procedure (drug, target, levels, guidance): the plan in the record "
        f"describes another requested procedure ({kind})."
    )
    return decision.model_copy(
        update={
            "decision": "pended",
            "reasons": [need, *decision.reasons],
            "missing": sorted({*decision.missing, "planned.procedure_type"}),
            "missing_info": [need, *decision.missing_info],
        }
    )
