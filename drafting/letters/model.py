"""The Letter model: one structured letter, rendered to plain text and Markdown here and to
.docx/.pdf by `drafting.letters.export`. Template and LLM drafts both produce this model, so the
linter, the app and every export read the same thing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from criteria.results import Decision
from drafting.letters.text import service_terms

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
        return f"{self.description} ({service_terms(self.levels, self.side, self.units)})"


Audience = Literal["provider", "member"]
NOT_GIVEN = "not given on the request"
# A cited passage id as the text shows it (" [epidural/exclusions/1]"), the linter's grammar.
_CITATION = re.compile(r"\s?\[[a-z0-9][a-z0-9_.\-]*(?:/[a-z0-9_.\-]+)+\]")
CITATION_NOTE = "Passages of the guideline are cited in square brackets by their identifier."


def letter_date_text(day: date) -> str:
    """MM/DD/YYYY: the one date format of a letter."""
    return day.strftime("%m/%d/%Y")


def _pair(first: str | None, first_label: str, second: str | None, second_label: str) -> str:
    """'Ana Ruiz, member ID M-1'; what the request did not give is said to be not given."""
    if not first and not second:
        return f"{NOT_GIVEN} ({first_label} and {second_label})"
    head = first or f"{first_label} {NOT_GIVEN}"
    tail = f"{second_label} {second}" if second else f"{second_label} {NOT_GIVEN}"
    return f"{head}, {tail}"


class LetterSection(BaseModel):
    """A headed part of the letter body."""

    heading: str
    paragraphs: list[str] = Field(default_factory=list)


class Letter(BaseModel):
    """A determination letter: identifiers, the lines table, headed sections and citations."""

    case_id: str
    member_id: str | None = None
    member_name: str | None = None
    provider_name: str | None = None
    provider_npi: str | None = None
    date_of_service: date | None = None
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

    def identifiers(self) -> list[tuple[str, str]]:
        """(label, value) of the identifiers under the title: date, case, member, provider, ..."""
        member = _pair(self.member_name, "name", self.member_id, "member ID")
        provider = _pair(
            self.provider_name, "name", self.provider_npi, "National Provider Identifier (NPI)"
        )
        service_date = letter_date_text(self.date_of_service) if self.date_of_service else NOT_GIVEN
        return [
            ("Date", letter_date_text(self.letter_date)),
            ("Case", self.case_id),
            ("Member", member),
            ("Requesting provider", provider),
            ("Date of service requested", service_date),
            ("To", self.recipient),
        ]

    def member_copy(self) -> Letter:
        """The member's copy: the same letter without raw passage ids (kept in the provider's)."""
        sections = [
            LetterSection(
                heading=section.heading,
                paragraphs=[
                    _CITATION.sub("", p.replace(CITATION_NOTE, "")).strip()
                    for p in section.paragraphs
                ],
            )
            for section in self.sections
        ]
        return self.model_copy(update={"sections": sections, "citations": []})

    def to_text(self, audience: Audience = "provider") -> str:
        """Plain-text rendering (what the linter reads and what the app edits)."""
        if audience == "member":
            return self.member_copy().to_text()
        out = [self.title, ""]
        out += [f"{label}: {value}" for label, value in self.identifiers()]
        out += ["", "Requested services:"]
        out += [
            f"- {code}: {service}: {outcome}" for code, service, outcome in self.lines_table_rows()
        ]
        for section in self.sections:
            out += ["", section.heading, *section.paragraphs]
        return "\n".join(out).strip() + "\n"

    def to_markdown(self, audience: Audience = "provider") -> str:
        """Markdown rendering with a table of lines and one heading per section."""
        if audience == "member":
            return self.member_copy().to_markdown()
        out = [f"# {self.title}", ""]
        out += [f"**{label}:** {value}  " for label, value in self.identifiers()]
        out[-1] = out[-1].rstrip()
        out += ["", "| Code | Requested service | Outcome |"]
        out.append("| --- | --- | --- |")
        for code, service, outcome in self.lines_table_rows():
            out.append(f"| {code} | {service.replace('|', '/')} | {outcome} |")
        for section in self.sections:
            out += ["", f"## {section.heading}", ""]
            for paragraph in section.paragraphs:
                out += [paragraph, ""]
        return "\n".join(out).strip() + "\n"
