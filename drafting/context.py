"""What a letter is written and checked against: one `DeterminationContext` per determination.

The case, the engine's decision of every requested line, the facts those decisions read, the
guideline passages the letter may cite and the guideline itself travel together from the pipeline
to the template letter, the LLM narrative, the linter and its claim checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from criteria.facts import CaseFacts
from criteria.results import LineDecision
from drafting.case.contract import Case
from guideline_corpus.corpus import Manifest
from guideline_corpus.passages import Passage


@dataclass(frozen=True)
class DeterminationContext:
    """The case, its decisions, the facts they read, the citable passages, the guideline."""

    case: Case
    decisions: list[LineDecision]
    facts: CaseFacts
    passages: Mapping[str, Passage]
    guideline: Manifest

    def with_decisions(self, decisions: list[LineDecision]) -> DeterminationContext:
        """The same determination with other decisions (a test of what the linter catches)."""
        return DeterminationContext(self.case, decisions, self.facts, self.passages, self.guideline)
