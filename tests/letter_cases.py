"""Cases, facts and line decisions for the letter and linter tests.

Decisions are built directly (the engine's pydantic models) with real passage ids and quotes
from `load_passages()`, so the tests do not depend on the criteria YAML being finished.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from criteria.facts import CaseFacts, Evidence
from criteria.model import Status
from criteria.results import CriterionResult, Decision, Effect, LineDecision
from drafting.case.contract import Case
from drafting.context import DeterminationContext
from drafting.letters.model import Letter
from drafting.letters.template import draft_template_letter
from guideline_corpus.chunking import load_passages
from guideline_corpus.corpus import Manifest, load_corpus
from guideline_corpus.passages import Passage

TODAY = date(2026, 9, 20)

ESI = "epidural/clinical-indications/therapeutic-epidural-steroid-injection-interlaminar-caudal/1"
GENERAL = "epidural/clinical-indications/general-information/1"
LIMITS = (
    "epidural/clinical-indications/epidural-injections/procedural-requirements-and-restrictions/1"
)
RFA = "facet/clinical-indications/thermal-medial-branch-radiofrequency-neurotomy/1"
SI = "sacroiliac/clinical-indications/patient-requirements/1"

CONSULT = (
    "PAIN CLINIC CONSULTATION\nCC: low back pain radiating down the left leg.\n"
    "HPI: Pain radiates to the left lateral calf and dorsum of foot. VAS 6/10 today. "
    "Unable to stand more than 15 minutes or carry groceries. "
    "Completed PT at Summit PT from 06/01/2026 to 07/13/2026 with HEP.\n"
    "EXAM: SLR positive on the left at 40 degrees. Decreased sensation L5 dermatome.\n"
    "PLAN: left L4-5 and L5-S1 TFESI under fluoroscopy.\n"
)
MRI = (
    "MRI LUMBAR SPINE WITHOUT CONTRAST\nFINDINGS:\nL4-5: Mild disc bulge. "
    "No foraminal or central stenosis at L4-5. No nerve root compression.\n"
    "L5-S1: Mild facet arthropathy.\nIMPRESSION: No compressive lesion.\n"
)
FACET_NOTE = (
    "FACET FOLLOW-UP\nDiagnostic medial branch block 08/01/2026 at right L4-5 gave 50% relief "
    "for 3 hours.\nAxial low back pain, worse with extension.\n"
)


@cache
def passages() -> dict[str, Passage]:
    return {p.id: p for p in load_passages()}


def manifest() -> Manifest:
    return load_corpus().manifest


def context(
    case: Case, decisions: list[LineDecision], provided: dict[str, Passage] | None = None
) -> DeterminationContext:
    """The determination a test letter is drafted and linted against (all passages by default)."""
    return DeterminationContext(
        case, decisions, make_facts(case), passages() if provided is None else provided, manifest()
    )


def guideline_line(passage_id: str, starts: str) -> str:
    """The guideline line (list marker removed) of a passage that starts with `starts`."""
    for line in passages()[passage_id].text.splitlines():
        text = line.strip().lstrip("-* ").strip()
        if text.startswith(starts):
            return text
    raise AssertionError(f"no line starting {starts!r} in {passage_id}")


def evidence(document: int, quote: str, case: Case) -> Evidence:
    start = case.documents[document].text.index(quote)
    return Evidence(quote=quote, document=document, start=start, end=start + len(quote))


def make_case(services: list[dict[str, object]] | None = None, extra_note: str = "") -> Case:
    services = services or [
        {"code": "64483", "side": "left", "levels": ["L4-L5"], "units": 1},
        {"code": "64484", "side": "left", "levels": ["L5-S1"], "units": 1},
    ]
    return Case.model_validate(
        {
            "case_id": "T-100",
            "received": "2026-09-14",
            "patient": {"age": 52, "sex": "F"},
            "request": {
                "services": services,
                "diagnoses": [{"code": "M54.16", "description": "Radiculopathy, lumbar region"}],
            },
            "documents": [
                {
                    "title": "Pain clinic consultation",
                    "date": "2026-09-02",
                    "text": CONSULT + extra_note,
                },
                {"title": "MRI lumbar spine report", "date": "2025-10-02", "text": MRI},
                {"title": "Facet follow-up note", "date": "2026-08-20", "text": FACET_NOTE},
            ],
        }
    )


def make_facts(case: Case) -> CaseFacts:
    facts = CaseFacts()
    facts.set("pain.score", {"value": 6, "quote": "VAS 6/10 today.", "document": 0})
    facts.set(
        "neuro.radicular_pain",
        {
            "value": True,
            "quote": "Pain radiates to the left lateral calf and dorsum of foot.",
            "document": 0,
        },
    )
    facts.set(
        "conservative.pt_formal",
        {
            "value": True,
            "evidence": [
                evidence(
                    0, "Completed PT at Summit PT from 06/01/2026 to 07/13/2026 with HEP.", case
                )
            ],
        },
    )
    return facts


def criterion(
    id: str,
    title: str,
    status: Status,
    passage: str,
    quote: str,
    reason: str,
    *,
    kind: str = "requirement",
    effect: Effect = "none",
    **more: Any,
) -> CriterionResult:
    """One criterion row of a test decision (`more`: facts, evidence, missing, missing_info)."""
    return CriterionResult(
        id=id,
        title=title,
        kind=kind,
        status=status,
        effect=effect,
        passage=passage,
        quote=quote,
        reason=reason,
        **more,
    )


def with_addon(decision: Decision, *criteria: CriterionResult) -> list[LineDecision]:
    """64483 decided on `criteria`, and its add-on 64484 following it with the same decision."""
    return [
        LineDecision(code="64483", decision=decision, criteria=list(criteria)),
        LineDecision(code="64484", decision=decision, follows="64483"),
    ]


def radicular_met(case: Case) -> CriterionResult:
    return criterion(
        "epidural.esi.radicular_pain",
        "Significant radicular pain with functional impairment and a completed physical exam",
        "met",
        ESI,
        guideline_line(ESI, "Significant radicular pain"),
        "Met: significant radicular pain.",
        facts={"neuro.radicular_pain": True},
        evidence=[evidence(0, "Pain radiates to the left lateral calf and dorsum of foot.", case)],
    )


def imaging_not_met(case: Case) -> CriterionResult:
    return criterion(
        "epidural.esi.imaging_compression",
        "Advanced imaging shows nerve root compression or spinal stenosis at the level",
        "not_met",
        ESI,
        guideline_line(ESI, "Nerve root compression secondary"),
        "Not met: imaging shows compression or stenosis.",
        effect="deny",
        facts={"imaging.findings": [{"level": "L4-L5", "stenosis": None}]},
        evidence=[evidence(1, "No foraminal or central stenosis at L4-5.", case)],
        missing_info="An MRI or CT report, read by a radiologist within the last 18 months, "
        "showing nerve root compression or stenosis at the requested level",
    )


def conservative_missing() -> CriterionResult:
    return criterion(
        "epidural.esi.conservative_care",
        "Radicular pain has not responded to at least 4 weeks of conservative management "
        "including PT",
        "not_documented",
        GENERAL,
        guideline_line(GENERAL, "Conservative management"),
        "Not documented: conservative care.",
        effect="pend",
        missing=["conservative.duration_weeks", "conservative.no_significant_improvement"],
        missing_info="Therapy notes with the dates of PT and the reevaluation after it showing "
        "no significant improvement",
    )


def guidance_met() -> CriterionResult:
    return criterion(
        "epidural.limits.guidance",
        "Performed under fluoroscopy or CT guidance",
        "met",
        LIMITS,
        guideline_line(LIMITS, "Injections must be performed"),
        "Met.",
        kind="limit",
    )


def esi_decisions(case: Case, outcome: str) -> list[LineDecision]:
    """64483 + add-on 64484 with the given outcome (approved, denied or pended)."""
    criteria = [radicular_met(case), guidance_met()]
    if outcome == "denied":
        criteria += [imaging_not_met(case), conservative_missing()]
    elif outcome == "pended":
        criteria += [conservative_missing()]
    missing_info = [c.missing_info for c in criteria if c.effect == "pend" and c.missing_info]
    primary = LineDecision(
        code="64483",
        decision=outcome,
        criteria=criteria,
        reasons=[c.reason for c in criteria if c.effect != "none"],
        missing_info=missing_info,
    )
    addon = LineDecision(
        code="64484", decision=outcome, follows="64483", reasons=["Follows the primary line 64483."]
    )
    return [primary, addon]


PARTIAL_SERVICES: list[dict[str, object]] = [
    {"code": "64483", "side": "left", "levels": ["L5-S1"], "units": 1},
    {"code": "64635", "side": "right", "levels": ["L4-L5"], "units": 1},
    {"code": "27096", "side": "right", "levels": [], "units": 1},
]


def partial_decisions(case: Case) -> list[LineDecision]:
    """64483 approved, 64635 denied (dual blocks not shown), 27096 pended (tests missing)."""
    rfa = criterion(
        "facet.rfa.dual_blocks",
        "Two diagnostic MBBs each with at least 80% relief",
        "not_met",
        RFA,
        guideline_line(RFA, "Medial branch radiofrequency neurotomy"),
        "Not met.",
        effect="deny",
        facts={"procedures.prior": [{"relief_percent": 50.0}]},
        evidence=[
            evidence(
                2,
                "Diagnostic medial branch block 08/01/2026 at right L4-5 gave 50% "
                "relief for 3 hours.",
                case,
            )
        ],
    )
    si_tests = criterion(
        "sacroiliac.patient.provocative_tests",
        "At least one provocative SI joint test is positive",
        "not_documented",
        SI,
        guideline_line(SI, "At least **ONE** of the following provocative tests"),
        "Not documented.",
        effect="pend",
        missing=["si.provocative_tests_positive"],
        missing_info="An exam note naming the provocative SI joint tests done and their results",
    )
    return [
        LineDecision(
            code="64483", decision="approved", criteria=[radicular_met(case), guidance_met()]
        ),
        LineDecision(code="64635", decision="denied", criteria=[rfa], reasons=["Not met."]),
        LineDecision(
            code="27096",
            decision="pended",
            criteria=[si_tests],
            missing_info=[si_tests.missing_info or ""],
        ),
    ]


def drafted(outcome: str) -> tuple[Case, list[LineDecision], Letter]:
    """The template letter for `outcome`: approved, denied or pended (the ESI request, see
    `esi_decisions`) or partial (`PARTIAL_SERVICES`, see `partial_decisions`)."""
    if outcome == "partial":
        case = make_case(PARTIAL_SERVICES)
        decisions = partial_decisions(case)
    else:
        case = make_case()
        decisions = esi_decisions(case, outcome)
    letter = draft_template_letter(context(case, decisions), today=TODAY)
    return case, decisions, letter
