"""Exceptions raised by the criteria package; each message says what to fix and where."""

from __future__ import annotations


class CriteriaError(Exception):
    """Base class: the criteria YAML or a request cannot be used as it stands."""


class LogicSyntaxError(CriteriaError):
    """A logic tree in a criteria YAML file is malformed (unknown key, operator or shape)."""


class UnknownFactError(CriteriaError):
    """A criterion names a fact (or event field) that criteria.facts does not define."""


class QuoteNotFoundError(CriteriaError):
    """A criterion's quote is not in guideline.md, or not inside the passage it cites."""


class UnknownPassageError(CriteriaError):
    """A criterion cites a passage id the chunker does not produce."""


class DuplicateIdError(CriteriaError):
    """Two criteria, definitions or sets share one id."""


class UnknownReferenceError(CriteriaError):
    """A ref/requires/includes/set name points at nothing (or forms a cycle)."""


class RoutingError(CriteriaError):
    """A code in the guideline's code table has no route, or a route is inconsistent."""


class DenialWithoutFactError(CriteriaError):
    """A criterion that can deny reads no fact, so its denial could carry no quote."""
