"""What the engine returns: a criterion's result (`CriterionResult`), a line's decision
(`LineDecision`) and their vocabularies (`Decision`, `Effect`, `STATUSES`), plus `construct`,
the trusted constructor the engine's hot path builds them with.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from criteria.facts import Evidence
from criteria.model import Status

Decision = Literal["approved", "denied", "pended"]
_M = TypeVar("_M", bound=BaseModel)
STATUSES: tuple[Status, ...] = ("met", "not_met", "not_documented", "not_applicable")
Effect = Literal["none", "deny", "pend"]


class CriterionResult(BaseModel):
    """One row of the trace: a criterion (or definition), its status and why.

    Read-only: the engine reuses one instance for results that read no documented fact.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    kind: str
    status: Status
    effect: Effect = "none"
    passage: str
    quote: str
    reason: str
    facts: dict[str, Any] = Field(default_factory=dict, description="Documented facts used.")
    evidence: list[Evidence] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Fact names not documented.")
    missing_info: str | None = None
    requires: list[str] = Field(default_factory=list)

    @property
    def passages(self) -> list[str]:
        return [self.passage]


class LineDecision(BaseModel):
    """The decision for one requested line and the trace of every criterion applied."""

    model_config = ConfigDict(extra="forbid")
    code: str
    decision: Decision
    reasons: list[str] = Field(default_factory=list, description="Plain-language why.")
    sets: list[str] = Field(default_factory=list)
    purpose: str | None = None
    criteria: list[CriterionResult] = Field(default_factory=list)
    definitions: list[CriterionResult] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    missing_info: list[str] = Field(default_factory=list)
    route: str | None = Field(
        default=None, description="How routing chose the criteria for this line."
    )
    follows: str | None = Field(
        default=None, description="Primary code an add-on or drug line follows."
    )
    notification_only: bool = False
    out_of_scope: bool = False
    alternatives: list[LineDecision] = Field(default_factory=list)

    @property
    def passages(self) -> list[str]:
        """Passages of every criterion that decided the line (deny/pend), else of all met ones."""
        deciding = [c for c in self.criteria if c.effect != "none"] or [
            c for c in self.criteria if c.status == "met"
        ]
        return list(dict.fromkeys(c.passage for c in deciding))


_FIELDS_SET: dict[type[BaseModel], set[str]] = {}
_set_attr = object.__setattr__


def construct(cls: type[_M], fields: dict[str, Any]) -> _M:
    """Build a trusted model without validation: every field given (the engine's hot path).

    All instances of a class share one fields-set holding every field name; pydantic only ever
    adds names to it, which are already there.
    """
    obj = cls.__new__(cls)
    _set_attr(obj, "__dict__", fields)
    fields_set = _FIELDS_SET.get(cls)
    if fields_set is None:
        fields_set = _FIELDS_SET[cls] = set(cls.model_fields)
    _set_attr(obj, "__pydantic_fields_set__", fields_set)
    _set_attr(obj, "__pydantic_extra__", None)
    _set_attr(obj, "__pydantic_private__", None)
    return obj
