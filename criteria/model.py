"""The criteria model: YAML-loadable pydantic models for definitions, criteria, sets and routing.

Every ``*.yaml`` file in ``guideline_corpus/<id>/criteria/`` has the same shape; each top-level
key is optional::

    section: epidural                  # slug of the guideline section the file encodes
    definitions: [Definition, ...]     # shared terms, referenced with {ref: id} or requires
    criteria:    [Criterion, ...]
    sets:        [CriteriaSet, ...]    # what routing applies to a requested line
    routing:     Routing               # code -> sets (see criteria.routing)

A **criterion** (a definition is the same without ``kind``/``on_fail``/``on_missing``)::

    - id: epidural.esi.radicular_pain              # unique, dotted, lower case
      title: Significant radicular pain or radiculopathy with functional impairment
      kind: requirement        # requirement | exclusion | contraindication | limit
      passage: epidural/clinical-indications/therapeutic-epidural-steroid-injection-.../1
      quote: "Significant radicular pain (corresponding to a specific dermatomal ..."
      applies_when: {fact: line.purpose, is: therapeutic}     # optional guard
      requires: [general.significant_pain]                    # definitions that must also hold
      logic:
        any:
          - {fact: neuro.radicular_pain, is: true}
          - {fact: neuro.radiculopathy, is: true}
      missing_info: Office note describing the radicular pain and the physical exam.
      examples:
        - facts: {neuro.radicular_pain: true, pain.score: 7, function.adls_impaired: [a, b]}
          expect: met
        - facts: {}
          expect: not_documented

Meaning of ``logic`` by kind (the logic grammar is in ``criteria.logic``):

- ``requirement`` and ``limit``: ``logic`` is what must hold. true -> met, false -> not_met,
  unknown -> not_documented (``on_missing: pend``, the default) or not_applicable
  (``on_missing: pass``).
- ``exclusion`` and ``contraindication``: ``logic`` describes the excluded condition. true ->
  not_met (the exclusion applies), false -> met, unknown -> not_applicable with the note that the
  record does not mention it (``on_missing: pass``, the default) or not_documented (``pend``).
- ``on_fail``: ``deny`` (default) or ``pend`` (e.g. contraindications the guideline says
  "should prompt further evaluation"; scope limits such as "this guideline does not apply").
- ``applies_when``: false -> not_applicable; unknown -> not_documented (use ``if_missing`` on
  its leaves when silence should decide, e.g. no prior injection documented = initial).
- ``requires``: ids of definitions that must hold as well (an implicit ``all``).
- ``section_passages``: the same text's passage in other sections, by section slug; the
  trace cites the copy in the line's section (the general definitions use this).
- ``reasons``: optional plain-language reason per status, replacing the generated one.
- ``quote`` must appear in guideline.md and inside ``passage`` (and each section passage),
  compared after whitespace normalisation with markdown ``*`` removed; the loader checks it.
- ``examples``: ``facts`` (plain values by fact name, ``line.*`` included; event lists as lists
  of mappings), optional ``request_date`` (default 2026-01-15), ``expect`` status. Every
  criterion should have one passing and one failing or undocumented example; tests run them.

Leaves that test silence explicitly (``if_missing``) keep the trace honest: an exclusion built
as ``any`` of several signals should give each signal ``if_missing: false``, so that one
documented "no" with the rest silent reads as met rather than not mentioned. Inside event
filters, a finding a report does not mention is usually absent (``if_missing: false``).

A **set** groups criteria for a kind of request and may include other sets::

    - id: epidural.therapeutic_esi
      title: Therapeutic epidural steroid injection
      includes: [epidural.esi_procedural, epidural.contraindications, epidural.exclusions]
      criteria: [epidural.esi.radicular_pain, ...]

**Routing** (any file may route its own codes; see ``CodeRoute`` and ``criteria.routing``)::

    routing:
      codes:
        - codes: ['64483']
          by_purpose:
            therapeutic: [epidural.therapeutic_esi]
            diagnostic: [epidural.diagnostic_snrb]
          attributes: {approach: transforaminal, region_group: lumbosacral}
        - {codes: ['64484'], addon_of: ['64483']}
        - {codes: ['64493'], sets: [facet.diagnostic_mbb]}   # replaces a placeholder route
      notification_only: [{codes: [...], diagnoses: [...], passage: ..., quote: ...}]
      unlisted: {sets: [scope.unlisted_code_exclusions], reason: ...}
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from criteria.logic import Node, parse_logic

Status = Literal["met", "not_met", "not_documented", "not_applicable"]
Kind = Literal["requirement", "exclusion", "contraindication", "limit"]
ID_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"
DEFAULT_EXAMPLE_DATE = dt.date(2026, 1, 15)

LogicTree = Annotated[Node, BeforeValidator(parse_logic)]
_CONFIG = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class Example(BaseModel):
    """A small fact set and the status the criterion must reach on it."""

    model_config = _CONFIG
    facts: dict[str, Any] = Field(default_factory=dict)
    request_date: dt.date = DEFAULT_EXAMPLE_DATE
    expect: Status
    note: str | None = None


class _Item(BaseModel):
    """Fields shared by definitions and criteria."""

    model_config = _CONFIG
    id: str = Field(pattern=ID_PATTERN)
    title: str
    passage: str
    quote: str
    logic: LogicTree
    requires: list[str] = Field(default_factory=list)
    missing_info: str | None = None
    reasons: dict[Status, str] = Field(default_factory=dict)
    section_passages: dict[str, str] = Field(default_factory=dict)
    examples: list[Example] = Field(default_factory=list)
    note: str | None = None


class Definition(_Item):
    """A shared term of the guideline (e.g. conservative management), usable by any criterion."""

    kind: Literal["definition"] = "definition"


class Criterion(_Item):
    """One checkable statement of the guideline, with its kind and decision policy."""

    kind: Kind = "requirement"
    applies_when: LogicTree | None = None
    on_fail: Literal["deny", "pend"] = "deny"
    on_missing: Literal["pend", "pass"] | None = None

    @property
    def missing_policy(self) -> Literal["pend", "pass"]:
        """``on_missing`` or the default of the kind (requirements pend, exclusions pass)."""
        if self.on_missing is not None:
            return self.on_missing
        return "pend" if self.kind in ("requirement", "limit") else "pass"

    @property
    def describes_condition(self) -> bool:
        """Exclusions/contraindications: ``logic`` describes the excluded condition."""
        return self.kind in ("exclusion", "contraindication")


Item = Definition | Criterion


class CriteriaSet(BaseModel):
    """A named group of criteria applied together to a requested line."""

    model_config = _CONFIG
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str | None = None
    includes: list[str] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)


class CodeRoute(BaseModel):
    """Which sets apply to a code, and what the code itself says about the procedure.

    ``sets`` apply as is; ``by_purpose`` picks sets by the line's purpose (one code, several
    indications, e.g. 64483: therapeutic ESI or diagnostic SNRB); ``addon_of`` makes the line
    follow its primary line's decision; ``pending`` marks a code whose criteria are not encoded
    yet (the line pends with that reason); ``placeholder`` lets a section file's routing replace
    this entry.
    """

    model_config = _CONFIG
    codes: list[str]
    sets: list[str] = Field(default_factory=list)
    by_purpose: dict[Literal["diagnostic", "therapeutic"], list[str]] = Field(default_factory=dict)
    default_purpose: Literal["diagnostic", "therapeutic"] | None = None
    addon_of: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    pending: str | None = None
    placeholder: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _one_way(self) -> CodeRoute:
        ways = sum(bool(x) for x in (self.sets, self.by_purpose, self.addon_of, self.pending))
        if ways != 1:
            raise ValueError(
                f"route for {self.codes} needs exactly one of sets/by_purpose/addon_of/pending"
            )
        return self


class NotificationRule(BaseModel):
    """Codes that need notification only (no medical necessity review) with these diagnoses."""

    model_config = _CONFIG
    codes: list[str]
    diagnoses: list[str]
    passage: str
    quote: str


class UnlistedPolicy(BaseModel):
    """What happens to a code the guideline does not list."""

    model_config = _CONFIG
    sets: list[str] = Field(default_factory=list)
    reason: str = (
        "This code is not addressed by this guideline; the request needs review under the "
        "health plan's policy for this service."
    )


class Routing(BaseModel):
    """Routing of requested codes to criteria sets (see ``criteria.routing``)."""

    model_config = _CONFIG
    codes: list[CodeRoute] = Field(default_factory=list)
    drug_code_pattern: str | None = None
    drug_agents: dict[str, Literal["steroid", "anesthetic", "other"]] = Field(default_factory=dict)
    notification_only: list[NotificationRule] = Field(default_factory=list)
    unlisted: UnlistedPolicy | None = None


class CriteriaFile(BaseModel):
    """The content of one criteria YAML file."""

    model_config = _CONFIG
    section: str | None = None
    description: str | None = None
    definitions: list[Definition] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    sets: list[CriteriaSet] = Field(default_factory=list)
    routing: Routing | None = None
