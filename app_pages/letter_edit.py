"""The reviewer's edited letter text back into a `Letter`, so exports carry the edits.

The plain text comes from `Letter.to_text()`: title, identifiers, the lines table, then sections
each starting with an upper-case heading line. Identifiers and the lines table are kept from the
drafted letter (they come from the case); the body sections are read from the edited text.
`export_bytes` writes that letter as .md, .docx or .pdf; `lint_text` runs the linter on the edited
text (the Letter page shows its findings, the Finalize page warns about the blocking ones).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from app_pages import resources
from drafting.letters.export import export_letter
from drafting.letters.model import Letter, LetterSection
from drafting.lint.linter import Finding, lint_letter
from drafting.pipeline import Result

LINES_HEADER = "Requested services:"


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = raw.rstrip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _is_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and line == line.upper() and len(line) <= 120


def letter_from_text(drafted: Letter, text: str) -> Letter:
    """`drafted` itself when the text is unchanged, else a copy whose body is the edited text."""
    if text.strip() == drafted.to_text().strip():
        return drafted
    body = text
    header_at = text.find(LINES_HEADER)
    if header_at >= 0:
        after = text[header_at:].split("\n\n", 1)
        body = after[1] if len(after) > 1 else ""
    headings = {section.heading.upper(): section.heading for section in drafted.sections}
    sections: list[LetterSection] = []
    for block in _blocks(body):
        if block[0] in headings or _is_heading(block[0]):
            heading = headings.get(block[0], block[0].capitalize())
            sections.append(LetterSection(heading=heading, paragraphs=block[1:]))
        elif sections:
            sections[-1].paragraphs.extend(block)
        else:
            sections.append(LetterSection(heading="Letter", paragraphs=block))
    return drafted.model_copy(update={"sections": sections})


def export_bytes(drafted: Letter, text: str, suffix: str) -> bytes:
    """The letter with the reviewer's edits, exported in the format named by `suffix`."""
    letter = letter_from_text(drafted, text)
    with tempfile.TemporaryDirectory() as folder:
        path = export_letter(letter, Path(folder) / f"letter-{letter.case_id}{suffix}")
        return path.read_bytes()


def lint_text(result: Result, text: str) -> list[Finding]:
    """The linter's findings for `text` as the letter of `result`'s decisions."""
    return lint_letter(
        text,
        result.decisions,
        result.case_facts,
        result.passages,
        result.case,
        guideline_title=resources.guideline().manifest.title,
    )
