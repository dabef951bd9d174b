"""The facts vocabulary: everything the guideline's criteria ask about, as pydantic models.

A fact is addressed by a dotted name ``<group>.<field>`` (``pain.score``,
``conservative.pt_formal``, ``imaging.studies``). Each group is a model an extractor can fill on
its own. A fact is tri-state: the field is ``None`` (not documented) or holds a ``Fact`` whose
``value`` may be true/false/a number/a date/a list, with the ``Evidence`` it was read from.
Event lists (``imaging.studies``, ``procedures.prior``, ``surgery.prior``) are ``None`` when the
record is silent and ``[]`` when it says there were none; each event carries its own evidence.

``request`` facts come from the case itself (codes, side, levels, dates, age), not from notes;
``line`` facts are filled per requested line by ``criteria.routing``. A few names are derived
when values are flattened (see ``DERIVED_FACTS``). The compact JSON form of a fact is
``{"value": ..., "quote": ..., "document": ...}``; ``Fact`` and events accept it as input.
Flattening (to that compact form, or to the plain values the engine reads) lives in
``criteria.fact_values``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from criteria.fact_groups import (
    BvnFacts,
    ConservativeFacts,
    ContraindicationFacts,
    CrpsFacts,
    FacetFacts,
    FunctionFacts,
    ImagingFacts,
    ImagingStudy,
    LevelFinding,
    NeuroFacts,
    PainFacts,
    PatientFacts,
    PlannedFacts,
    ProcedureEvent,
    ProcedureFacts,
    SacroiliacFacts,
    StimulatorFacts,
    SurgeryEvent,
    SurgeryFacts,
    SymptomFacts,
)
from criteria.fact_types import (
    STRICT,
    Approach,
    Event,
    Evidence,
    Fact,
    Guidance,
    Purpose,
    Region,
    RegionGroup,
    Side,
    compact_evidence,
    doc,
)

_STRICT = STRICT
_doc = doc
_compact_evidence = compact_evidence

# --- request and line ------------------------------------------------------------------------


class ServiceLine(BaseModel):
    """One requested service line as submitted (code, side, levels, units)."""

    model_config = _STRICT
    code: str
    description: str = ""
    side: Side | None = None
    levels: list[str] = Field(default_factory=list)
    units: int = 1


class RequestFacts(BaseModel):
    """Facts taken from the request itself, not from clinical notes."""

    model_config = _STRICT
    date: dt.date | None = _doc("Date the request was received; windows are counted back from it.")
    age: int | None = _doc("Patient age in years.")
    sex: str | None = _doc("Patient sex as submitted.")
    codes: list[str] = Field(default_factory=list, description="All requested codes.")
    diagnosis_codes: list[str] = Field(default_factory=list, description="ICD-10-CM codes.")
    lines: list[ServiceLine] = Field(default_factory=list)
    document_dates: list[dt.date | None] = Field(
        default_factory=list,
        description="Each document's date, by its index (an evidence's `document`); none for "
        "a request form, whose date is the day it was sent, not the day what it tells was seen.",
    )


class LineFacts(BaseModel):
    """Facts of the one requested line being decided; filled by ``criteria.routing``."""

    model_config = _STRICT
    code: str | None = None
    description: str | None = None
    side: Side | None = None
    levels: list[str] | None = None
    level_count: int | None = _doc(
        "Distinct levels on this line, its add-on lines and lines of the same code (one session)."
    )
    units: int | None = None
    region: Region | None = None
    region_group: RegionGroup | None = _doc("cervicothoracic or lumbosacral (epidural regions).")
    approach: Approach | None = None
    guidance: Guidance | Literal["fluoroscopy_or_ct"] | None = _doc(
        "Guidance stated in the plan, else implied by the code."
    )
    purpose: Purpose | None = _doc("Diagnostic or therapeutic, as decided by routing.")
    injection_count: int | None = _doc(
        "Levels x sides over this line and lines of the same code (a bilateral level counts twice)."
    )
    addon_codes: list[str] = Field(default_factory=list)
    other_codes: list[str] = Field(
        default_factory=list,
        description="Other listed primary procedure codes on the request (not this line's code: "
        "the same code on another side or level is the same procedure, counted in "
        "level_count and injection_count).",
    )
    session_region_groups: list[RegionGroup] = Field(
        default_factory=list, description="Region groups of every spine procedure line requested."
    )
    section: str | None = None
    group: str | None = None
    target: Literal["ganglion_impar", "medial_branch"] | None = _doc(
        "The block's target when the line's description names one its code does not tell (a "
        "ganglion impar block billed with the lumbar sympathetic code; the medial branches of a "
        "facet code that covers the joint and its nerves alike)."
    )
    stimulator_type: Literal["dorsal_root_ganglion"] | None = _doc(
        "The stimulator the request line describes, when its description names one (a dorsal "
        "root ganglion stimulator is billed with the spinal cord stimulator codes)."
    )
    stimulator_action: Literal["trial", "implant", "replacement", "revision", "removal"] | None = (
        _doc(
            "What the request line's description says is done with the stimulator (63650 bills "
            "the leads of a trial and of a permanent percutaneous system alike)."
        )
    )
    follow_on: bool | None = _doc(
        "The line is a later block of a series the same request asks for ('second block about "
        "two weeks later, only if the diagnostic block is positive'): it follows an earlier line "
        "of its code."
    )


class CaseFacts(BaseModel):
    """Every fact about one case, one group per concern."""

    model_config = _STRICT
    request: RequestFacts = Field(default_factory=RequestFacts)
    pain: PainFacts = Field(default_factory=PainFacts)
    function: FunctionFacts = Field(default_factory=FunctionFacts)
    symptoms: SymptomFacts = Field(default_factory=SymptomFacts)
    neuro: NeuroFacts = Field(default_factory=NeuroFacts)
    imaging: ImagingFacts = Field(default_factory=ImagingFacts)
    conservative: ConservativeFacts = Field(default_factory=ConservativeFacts)
    procedures: ProcedureFacts = Field(default_factory=ProcedureFacts)
    surgery: SurgeryFacts = Field(default_factory=SurgeryFacts)
    contra: ContraindicationFacts = Field(default_factory=ContraindicationFacts)
    patient: PatientFacts = Field(default_factory=PatientFacts)
    bvn: BvnFacts = Field(default_factory=BvnFacts)
    crps: CrpsFacts = Field(default_factory=CrpsFacts)
    stimulator: StimulatorFacts = Field(default_factory=StimulatorFacts)
    si: SacroiliacFacts = Field(default_factory=SacroiliacFacts)
    facet: FacetFacts = Field(default_factory=FacetFacts)
    planned: PlannedFacts = Field(default_factory=PlannedFacts)
    list_evidence: dict[str, list[Evidence]] = Field(
        default_factory=dict,
        description="Evidence for an event list as a whole, e.g. 'No prior spinal injections' "
        "for procedures.prior = [].",
    )

    def get(self, name: str) -> Any:
        """The stored object for a dotted name (a Fact, an event list, a request value, or None)."""
        group, _, field = _split(name)
        return getattr(getattr(self, group), field)

    def set(self, name: str, value: Any) -> None:
        """Validate and store a value (a Fact, its compact dict, a raw value, or an event list)."""
        group_name, _, field = _split(name)
        if name in EVENT_LISTS and isinstance(value, dict) and "value" in value:
            evidence = _compact_evidence({k: v for k, v in value.items() if k != "value"})
            value = value["value"]
            # compact_facts repeats the first event's quote at the top: not list evidence then
            event_quotes = {e.get("quote") for e in value if isinstance(e, dict)}
            listed = [Evidence.model_validate(e) for e in evidence.get("evidence", [])]
            listed = [e for e in listed if e.quote not in event_quotes]
            if listed:
                self.list_evidence[name] = listed
        setattr(getattr(self, group_name), field, value)


# Names computed when values are flattened by ``criteria.fact_values``.
DERIVED_FACTS: dict[str, str] = {
    "imaging.findings": "Every finding of every study, with the study's modality, date, "
    "region (and its region_group, from the level when the study names none) and "
    "independent_radiologist copied onto it.",
    "imaging.latest_advanced_date": "Date of the most recent MRI or CT.",
    "imaging.advanced_completed": "An MRI or CT is documented (false when studies is []).",
    "surgery.fusion_levels": "Levels of every prior fusion.",
    "neuro.radicular_region_group": "The region group (cervicothoracic or lumbosacral) of the "
    "radicular dermatome: a C7 radiculopathy is not the lumbar facet line's.",
    "neuro.radicular_limb_region_group": "The region group whose roots serve the one limb the "
    "radicular pain's quotes name (down the leg: lumbosacral; down the arm: cervicothoracic); "
    "absent when they name both limbs or none.",
    "si.exam_after_last_injection": "Whether a document dated after the most recent dated "
    "sacroiliac joint injection tells the sacroiliac examination (sulcus tenderness or a "
    "provocative test): false when every one that tells it predates the injection; absent when "
    "no injection or no exam is dated.",
}
# Fields computed onto the events of a list when values are flattened (``criteria.fact_values``).
DERIVED_EVENT_FIELDS: dict[str, dict[str, str]] = {
    "procedures.prior": {
        "days_after_first_positive_block": "On each dated medial branch block: "
        "the days since the first dated medial branch block at an overlapping level (or either "
        "without levels) with at least 80% relief in the 6 months up to it, itself included (0 "
        "on that first block; absent when no such block precedes it). Two positive blocks at "
        "least one week apart have a positive block with 7 or more.",
    },
}
# Documented facts that stand in for a fact the record does not state directly (filled by
# ``criteria.fact_values`` only when the fact itself is absent; the evidence is carried over).
# A stand-in whose value is only a lower bound ("at least as long as") is marked in the plain
# values under its name plus this suffix: under a denial's reading (criteria.compile, strict) a
# bound short of a threshold is no evidence of a shortfall.
AT_LEAST = "#at_least"
STAND_IN_FACTS: dict[str, str] = {
    "conservative.duration_weeks": "conservative.pt_weeks: conservative care lasted at least as "
    "long as the physical therapy that is part of it.",
    "pain.axial_predominant": "pain.axial true and neuro.radicular_pain false: axial pain with no "
    "limb pain is predominantly axial.",
    "planned.contrast": "planned.injectate listing contrast: the plan injects contrast.",
}
EVENT_LISTS: dict[str, type[Event]] = {
    "imaging.studies": ImagingStudy,
    "imaging.findings": LevelFinding,
    "procedures.prior": ProcedureEvent,
    "surgery.prior": SurgeryEvent,
}
_EXTRA_EVENT_FIELDS = {
    "imaging.findings": {"modality", "date", "region", "region_group", "independent_radiologist"},
    "procedures.prior": {"region_group", *DERIVED_EVENT_FIELDS["procedures.prior"]},
    "surgery.prior": {"region_group"},
}


def _split(name: str) -> tuple[str, str, str]:
    group, dot, field = name.partition(".")
    if not dot or (group not in CaseFacts.model_fields and group != "line"):
        raise KeyError(f"unknown fact name {name!r}: expected '<group>.<field>'")
    return group, dot, field


def fact_names() -> list[str]:
    """Every valid dotted fact name, including ``line.*`` and derived names."""
    names = [f"line.{f}" for f in LineFacts.model_fields]
    for group, info in CaseFacts.model_fields.items():
        if group == "list_evidence":
            continue
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        names.extend(f"{group}.{f}" for f in model.model_fields)
    return sorted({*names, *DERIVED_FACTS})


def event_fields(name: str) -> set[str]:
    """Field names usable in ``where`` filters over an event list fact."""
    model = EVENT_LISTS[name]
    return (set(model.model_fields) - {"evidence"}) | _EXTRA_EVENT_FIELDS.get(name, set())


__all__ = [
    "DERIVED_EVENT_FIELDS",
    "DERIVED_FACTS",
    "EVENT_LISTS",
    "STAND_IN_FACTS",
    "Approach",
    "BvnFacts",
    "CaseFacts",
    "ConservativeFacts",
    "ContraindicationFacts",
    "CrpsFacts",
    "Event",
    "Evidence",
    "FacetFacts",
    "Fact",
    "FunctionFacts",
    "Guidance",
    "ImagingFacts",
    "ImagingStudy",
    "LevelFinding",
    "LineFacts",
    "NeuroFacts",
    "PainFacts",
    "PatientFacts",
    "PlannedFacts",
    "ProcedureEvent",
    "ProcedureFacts",
    "Purpose",
    "Region",
    "RegionGroup",
    "RequestFacts",
    "SacroiliacFacts",
    "ServiceLine",
    "Side",
    "StimulatorFacts",
    "SurgeryEvent",
    "SurgeryFacts",
    "SymptomFacts",
    "event_fields",
    "fact_names",
]
