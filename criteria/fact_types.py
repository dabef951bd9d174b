"""Base types of the facts vocabulary: evidence, the tri-state ``Fact`` and dated ``Event``s.

Also the shared enumerations (sides, regions, injectates, techniques, targets, procedure types).
``criteria.facts`` re-exports everything here; import from there.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")
Side = Literal["left", "right", "bilateral"]
Region = Literal["cervical", "thoracic", "lumbar", "sacral"]
RegionGroup = Literal["cervicothoracic", "lumbosacral"]
Severity = Literal["mild", "moderate", "severe"]
Purpose = Literal["diagnostic", "therapeutic"]
Approach = Literal["transforaminal", "interlaminar", "caudal"]
Guidance = Literal["fluoroscopy", "ct", "ultrasound", "none"]
Injectate = Literal[
    "anesthetic", "steroid", "contrast", "saline", "opioid", "biologic", "prp", "prolotherapy",
    "botulinum_toxin", "neurolytic", "hypertonic_saline", "hyaluronidase", "chemonucleolysis",
    "allogeneic_cellular", "other",
]  # fmt: skip
Technique = Literal[
    "thermal", "pulsed", "cooled", "chemical", "laser", "cryo", "endoscopic", "open_surgical",
    "other",
]  # fmt: skip
Target = Literal[
    "epidural", "nerve_root", "medial_branch", "facet_joint", "facet_synovial_cyst",
    "sacral_lateral_branches", "si_joint", "intervertebral_disc", "basivertebral_nerve",
    "stellate_ganglion", "lumbar_sympathetic", "ganglion_impar", "dorsal_column",
    "dorsal_root_ganglion", "other",
]  # fmt: skip
ProcedureType = Literal[
    "esi", "snrb", "mbb", "facet_ia", "facet_cyst_aspiration", "rfa_medial_branch",
    "bvn_ablation", "si_injection", "sacral_lateral_branch", "sympathetic_block", "scs_trial",
    "scs_implant", "drg_stimulator", "intradiscal", "lysis_of_adhesions", "other",
]  # fmt: skip
STRICT = ConfigDict(extra="forbid", validate_assignment=True)


def doc(text: str) -> Any:
    return Field(default=None, description=text)


class Evidence(BaseModel):
    """Where a fact was read: a verbatim quote, the document index, optional character span."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    quote: str
    document: int = Field(ge=0, description="Index into the case's documents list.")
    start: int | None = None
    end: int | None = None


def compact_evidence(data: Any) -> Any:
    """Accept ``{quote, document, start, end}`` keys in place of an ``evidence`` list."""
    if isinstance(data, dict) and "quote" in data and "evidence" not in data:
        data = dict(data)
        quote = data.pop("quote")
        span = {k: data.pop(k, None) for k in ("document", "start", "end")}
        span["document"] = span["document"] or 0
        data["evidence"] = [] if quote is None else [{"quote": quote, **span}]
    return data


class Fact(BaseModel, Generic[T]):
    """A documented value with the evidence it was read from."""

    model_config = STRICT
    value: T
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _accept_compact(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {"value": data}
        return compact_evidence(data)


class Event(BaseModel):
    """Base for dated events in a list fact; every field but evidence is tri-state."""

    model_config = STRICT
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _accept_compact(cls, data: Any) -> Any:
        return compact_evidence(data)
