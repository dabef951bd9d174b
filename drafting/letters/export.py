"""Export one `Letter` to Markdown, .docx (python-docx: headings, a table of lines) or PDF.

Record text (titles, descriptions, quotes) is text, never markup: the Markdown export escapes
every character Markdown or HTML would act on (`escape_markdown`), and every format drops control
and zero-width characters (`plain_letter`), which .docx's XML refuses and a reader cannot see.
The PDF embeds DejaVu Sans from matplotlib's bundled fonts so that the guideline's typography
(’ “ ” ≥ °) prints on a machine without system fonts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from drafting.case.contract import strip_hidden
from drafting.errors import DeterminationError
from drafting.letters.model import Audience, Letter

EXPORT_FORMATS = (".md", ".docx", ".pdf")


class ExportError(DeterminationError):
    """The letter could not be written in the requested format."""


# What could turn record text into markup: emphasis, code, table cells, strikethrough, an image
# or link target, intraword-free underscores; an HTML tag or autolink (`<` before a name);
# a heading or quote at the start of a line. Brackets and '>' elsewhere stay as they are.
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*|]|~(?=~)|!(?=\[)|\](?=[(\[])|(?<!\w)_|_(?!\w))")
_HTML_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """`text` shown as itself by a Markdown renderer: no HTML tag, image, link, emphasis, code,
    table cell or heading can form; text without such constructs comes out unchanged."""
    escaped = _HTML_OPENING.sub("&lt;", strip_hidden(text))
    escaped = _MARKDOWN_ANYWHERE.sub(r"\\\1", escaped)
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


def plain_letter(letter: Letter, convert: Callable[[str], str] = strip_hidden) -> Letter:
    """The letter with `convert` applied to every text it shows (default: hidden chars dropped)."""
    return letter.model_copy(
        update={
            "title": convert(letter.title),
            "recipient": convert(letter.recipient),
            "member_id": convert(letter.member_id) if letter.member_id else letter.member_id,
            "lines": [
                line.model_copy(
                    update={
                        "description": convert(line.description),
                        "levels": [convert(level) for level in line.levels],
                        "side": convert(line.side) if line.side else line.side,
                    }
                )
                for line in letter.lines
            ],
            "sections": [
                section.model_copy(
                    update={
                        "heading": convert(section.heading),
                        "paragraphs": [convert(p) for p in section.paragraphs],
                    }
                )
                for section in letter.sections
            ],
        }
    )


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
        markdown = plain_letter(letter, escape_markdown).to_markdown()
        target.write_text(markdown, encoding="utf-8")
        return target
    if suffix == ".docx":
        return to_docx(plain_letter(letter), target)
    return to_pdf(plain_letter(letter), target)
