"""The Letter model: one structured letter, rendered to plain text and Markdown here and to
.docx/.pdf by `drafting.letters.export`. Template and LLM drafts both produce this model, so the
linter, the app and every export read the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from criteria.engine import Decision

LetterSource = Literal["template", "llm"]

DECISION_WORDS: dict[str, str] = {
    "approved": "APPROVED",
    "denied": "DENIED (not medically necessary)",
    "pended": "PENDED (additional information requested)",
}


class LetterLine(BaseModel):
    """One requested service line as the letter names it."""

    code: str
    description: str
    levels: list[str] = Field(default_factory=list)
    side: str | None = None
    units: int = 1
    decision: Decision

    @property
    def service_text(self) -> str:
        """Description with levels, side and units: 'Transforaminal ... (L4-L5; left; 1 unit)'."""
        parts = [", ".join(self.levels)] if self.levels else []
        if self.side:
            parts.append(self.side)
        parts.append(f"{self.units} unit" + ("" if self.units == 1 else "s"))
        return f"{self.description} ({'; '.join(parts)})"


class LetterSection(BaseModel):
    """A headed part of the letter body."""

    heading: str
    paragraphs: list[str] = Field(default_factory=list)


class Letter(BaseModel):
    """A determination letter: identifiers, the lines table, headed sections and citations."""

    case_id: str
    member_id: str | None = None
    letter_date: date
    title: str
    recipient: str = "Requesting provider"
    lines: list[LetterLine]
    sections: list[LetterSection]
    citations: list[str] = Field(default_factory=list, description="Passage ids cited in the text.")
    source: LetterSource = "template"

    def lines_table_rows(self) -> list[tuple[str, str, str]]:
        """(code, service, outcome) rows for the table of requested lines."""
        return [(ln.code, ln.service_text, DECISION_WORDS[ln.decision]) for ln in self.lines]

    def to_text(self) -> str:
        """Plain-text rendering (what the linter reads and what the app edits)."""
        out = [self.title, "", f"Date: {self.letter_date.isoformat()}", f"Case: {self.case_id}"]
        if self.member_id:
            out.append(f"Member: {self.member_id}")
        out += [f"To: {self.recipient}", "", "Requested services:"]
        out += [
            f"- {code}: {service}: {outcome}" for code, service, outcome in self.lines_table_rows()
        ]
        for section in self.sections:
            out += ["", section.heading.upper(), *section.paragraphs]
        return "\n".join(out).strip() + "\n"

    def to_markdown(self) -> str:
        """Markdown rendering with a table of lines and one heading per section."""
        out = [f"# {self.title}", "", f"**Date:** {self.letter_date.isoformat()}  "]
        out.append(f"**Case:** {self.case_id}  ")
        if self.member_id:
            out.append(f"**Member:** {self.member_id}  ")
        out += [f"**To:** {self.recipient}", "", "| Code | Requested service | Outcome |"]
        out.append("| --- | --- | --- |")
        for code, service, outcome in self.lines_table_rows():
            out.append(f"| {code} | {service.replace('|', '/')} | {outcome} |")
        for section in self.sections:
            out += ["", f"## {section.heading}", ""]
            for paragraph in section.paragraphs:
                out += [paragraph, ""]
        return "\n".join(out).strip() + "\n"
