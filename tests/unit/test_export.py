"""Export: each format is written from the same Letter and its text reads back from the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from drafting.letters.export import ExportError, export_letter
from drafting.letters.model import Letter, LetterLine, LetterSection


def _letter() -> Letter:
    return Letter(
        case_id="H01",
        member_id="M-889",
        letter_date=date(2025, 11, 3),
        title="Notice of determination",
        lines=[
            LetterLine(
                code="64483",
                description="Transforaminal epidural steroid injection, lumbar",
                levels=["L4-L5"],
                side="left",
                units=1,
                decision="denied",
            ),
            LetterLine(code="64484", description="Each additional level", decision="denied"),
        ],
        sections=[
            LetterSection(
                heading="Why the request was denied",
                paragraphs=[
                    "The MRI of 10/02/2025 shows no nerve root compression at L4–L5 (≥ 50%)."
                ],
            ),
            LetterSection(
                heading="Your appeal rights", paragraphs=["You may appeal within 180 days."]
            ),
        ],
        citations=["epidural/exclusions/1"],
    )


def _read_back(path: Path) -> str:
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_export_round_trips_the_letter_text(tmp_path: Path, suffix: str) -> None:
    letter = _letter()
    path = export_letter(letter, tmp_path / f"letter{suffix}")
    text = " ".join(_read_back(path).split())
    for expected in (
        "Notice of determination",
        "H01",
        "M-889",
        "64483",
        "Transforaminal epidural steroid injection, lumbar",
        "DENIED",
        "Why the request was denied",
        "no nerve root compression",
        "Your appeal rights",
        "within 180 days",
    ):
        assert expected in text, f"{expected!r} missing from {suffix} export"


def test_pdf_keeps_guideline_typography(tmp_path: Path) -> None:
    text = _read_back(export_letter(_letter(), tmp_path / "l.pdf"))
    assert "L4–L5" in text and "≥" in text


def test_unknown_format_is_refused_with_the_formats_named(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError, match=r"letter\.rtf: unsupported letter format '\.rtf'.*\.docx"
    ):
        export_letter(_letter(), tmp_path / "letter.rtf")
