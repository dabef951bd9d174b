"""The Passage contract: one chunk of guideline text with a stable id and its heading path.

Produced by `guideline_corpus.chunking`, stored by `retrieval.store`, cited by criteria and
letters.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PassageKind = Literal["body", "references", "codes", "history"]


class Passage(BaseModel):
    """A contiguous run of guideline text that never crosses a section boundary."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(
        description="Stable, readable id from the heading path, e.g. 'epidural/exclusions/1'."
    )
    section: str = Field(
        description="Slug of the top-level section (e.g. 'epidural', 'facet', 'general')."
    )
    heading_path: tuple[str, ...] = Field(
        description="Heading texts from the top-level section down."
    )
    text: str = Field(description="The passage text as it appears in guideline.md (markdown kept).")
    kind: PassageKind = "body"
    start_line: int = Field(
        ge=1, description="1-based line in guideline.md where the passage starts."
    )

    @property
    def title(self) -> str:
        """Heading path as one readable string."""
        return " > ".join(self.heading_path)
