"""Export one `Letter` to Markdown, .docx (python-docx: headings, a table of lines) or PDF.

The PDF embeds DejaVu Sans from matplotlib's bundled fonts so that the guideline's typography
(’ “ ” ≥ °) prints on a machine without system fonts.
"""

from __future__ import annotations

from pathlib import Path

from drafting.errors import DeterminationError
from drafting.letters.model import Audience, Letter

EXPORT_FORMATS = (".md", ".docx", ".pdf")


class ExportError(DeterminationError):
    """The letter could not be written in the requested format."""


def _font_path(name: str = "DejaVuSans.ttf") -> Path:
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    if not path.is_file():
        raise ExportError(f"PDF font missing at {path}: reinstall matplotlib (pip install -e .)")
    return path


def to_docx(letter: Letter, path: Path) -> Path:
    """Write a Word document: title, identifiers, a table of requested lines, headed sections."""
    from docx import Document

    doc = Document()
    doc.add_heading(letter.title, level=0)
    for label, value in letter.identifiers():
        doc.add_paragraph(f"{label}: {value}")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Code", "Requested service", "Outcome"), strict=True
    ):
        cell.text = text
    for row in letter.lines_table_rows():
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for section in letter.sections:
        doc.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            doc.add_paragraph(paragraph)
    doc.save(str(path))
    return path


def to_pdf(letter: Letter, path: Path) -> Path:
    """Write a PDF with the same content as the Markdown export."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(_font_path()))
    pdf.add_font("DejaVu", "B", str(_font_path("DejaVuSans-Bold.ttf")))
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: int = 10, gap: float = 2) -> None:
        pdf.set_font("DejaVu", size=size)
        # left-aligned: fpdf2's default (justified) opens gaps between words
        pdf.multi_cell(width, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(gap)

    para(letter.title, size=15, gap=4)
    para("\n".join(f"{label}: {value}" for label, value in letter.identifiers()))
    pdf.set_font("DejaVu", size=9)
    with pdf.table(col_widths=(14, 60, 26), text_align="LEFT") as table:
        table.row(("Code", "Requested service", "Outcome"))
        for row in letter.lines_table_rows():
            table.row(row)
    pdf.ln(4)
    for section in letter.sections:
        para(section.heading, size=12, gap=1)
        for paragraph in section.paragraphs:
            para(paragraph)
    pdf.output(str(path))
    return path


def export_letter(letter: Letter, path: Path | str, audience: Audience = "provider") -> Path:
    """Write the letter to `path`; the extension chooses the format (.md, .docx or .pdf).

    The member's copy leaves out the raw passage ids the provider's copy cites.
    """
    letter = letter.member_copy() if audience == "member" else letter
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ExportError(
            f"{target.name}: unsupported letter format '{suffix or '(none)'}'; "
            f"use one of {', '.join(EXPORT_FORMATS)}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".md":
        target.write_text(letter.to_markdown(), encoding="utf-8")
        return target
    if suffix == ".docx":
        return to_docx(letter, target)
    return to_pdf(letter, target)
