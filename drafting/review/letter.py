"""The edited letter: read back from the reviewer's text, re-linted, exported, signed."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from drafting.errors import DeterminationError
from drafting.letters.export import export_letter
from drafting.letters.model import Audience, Letter, LetterSection
from drafting.letters.notices import PHYSICIAN_LABEL, REVIEWER_LABEL, UNSIGNED
from drafting.lint.linter import Finding, lint_letter
from drafting.lint.rules import is_capitals_heading
from drafting.result import Result

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
    headings |= {section.heading: section.heading for section in drafted.sections}
    sections: list[LetterSection] = []
    for block in _blocks(body):
        if block[0] in headings or is_capitals_heading(block[0]):
            heading = headings.get(block[0], block[0].capitalize())
            sections.append(LetterSection(heading=heading, paragraphs=block[1:]))
        elif sections:
            sections[-1].paragraphs.extend(block)
        else:
            sections.append(LetterSection(heading="Letter", paragraphs=block))
    return drafted.model_copy(update={"sections": sections})


def relint(result: Result, text: str) -> list[Finding]:
    """The linter's findings for `text` as the letter of `result`'s decisions."""
    return lint_letter(text, result.context)


def export(result: Result, text: str, suffix: str, audience: Audience = "provider") -> bytes:
    """The letter of `result` with the reviewer's edits `text`, in the format named by `suffix`
    (the member's copy without raw passage ids when `audience` is "member")."""
    letter = letter_from_text(result.letter_model, text)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"letter-{letter.case_id}{suffix}"
        path = export_letter(letter, target, audience)
        return path.read_bytes()


# ---------------------------------------------------------------- signing at finalization


class SignatureError(DeterminationError):
    """The letter cannot be signed as asked; the message says what to enter."""


_PHYSICIAN_CREDENTIALS = re.compile(r"\b(?:MD|DO|M\.D\.|D\.O\.)\b")


def sign(
    text: str,
    *,
    reviewer: str,
    credentials: str,
    physician: str | None = None,
) -> str:
    """The letter with its signature block filled: the reviewer, and for a denial the physician.

    A denial is made by a physician: without `physician`, the reviewer signs as the physician
    only when their credentials are MD or DO. Raises SignatureError naming what is missing.
    """
    if not reviewer.strip() or not credentials.strip():
        raise SignatureError("enter your name and credentials (e.g. RN, MD) to sign the letter")
    signed_reviewer = f"{reviewer.strip()}, {credentials.strip()}"
    out = text.replace(f"{REVIEWER_LABEL}: {UNSIGNED}", f"{REVIEWER_LABEL}: {signed_reviewer}")
    placeholder = f"{PHYSICIAN_LABEL}: {UNSIGNED}"
    if placeholder in out:
        who = (physician or "").strip()
        if not who:
            if not _PHYSICIAN_CREDENTIALS.search(credentials):
                raise SignatureError(
                    "a denial is made by a physician: enter the reviewing physician's name and "
                    "credentials (e.g. Dr. Ana Lee, MD)"
                )
            who = signed_reviewer
        out = out.replace(placeholder, f"{PHYSICIAN_LABEL}: {who}")
    return out


def unsigned(text: str) -> bool:
    """True while the letter's signature block still waits for a name."""
    return UNSIGNED in text
