"""Convert the extracted guideline text into a corpus folder (guideline.md, MANIFEST, codes.csv).

Usage: python -m guideline_corpus.convert SOURCE.txt OUT_DIR [--corpus-id ID]

The output is deterministic (same source, same bytes) so a new version of the document is
converted by running the command again. Parsing rules live in `guideline_corpus.source_parser`
and `guideline_corpus.list_nesting`; this module renders markdown and writes the three files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from guideline_corpus.corpus import Manifest, SectionRef
from guideline_corpus.errors import SourceFormatError
from guideline_corpus.list_nesting import render_items
from guideline_corpus.sections import section_slug
from guideline_corpus.source_parser import (
    Block,
    CodeBlock,
    Heading,
    ListBlock,
    Paragraph,
    ParsedSource,
    TableBlock,
    parse_source,
)

CONVERTER_VERSION = "1.0.0"
GUIDELINE_FILE = "guideline.md"
MANIFEST_FILE = "MANIFEST.json"
CODES_FILE = "codes.csv"
CODES_COLUMNS = ("code", "description", "section", "group", "flags", "line")

# Source lines (outside the Table of Contents) that guideline.md deliberately does not contain.
# The fidelity test fails if any other source line is missing. Every one of these is kept in
# MANIFEST.json ("front_matter"), so nothing of the document is lost.
DELIBERATE_OMISSIONS: dict[str, str] = {
    # Page header the PDF prints on every page; extraction left one copy above the title page.
    "Approval and implementation dates for specific health plans may vary. Please consult the "
    "applicable health plan for more details.": "page header (kept in MANIFEST front_matter)",
    # Title-page lines around the title: series, category, proprietary mark, copyright.
    "Clinical Appropriateness Guidelines": "title page: series (MANIFEST front_matter)",
    "Musculoskeletal": "title page: category (MANIFEST front_matter)",
    "Proprietary": "title page: proprietary mark (MANIFEST front_matter)",
    "© 2026 Carelon Medical Benefits Management, Inc. All rights reserved.": (
        "title page: copyright (MANIFEST front_matter and publisher)"
    ),
}

_ADDON_RE = re.compile(r"list separately in addition", re.IGNORECASE)
_DATE_RE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


@dataclass(frozen=True)
class CodeRow:
    """One row of codes.csv."""

    code: str
    description: str
    section: str
    group: str
    flags: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Conversion:
    """Everything the converter produces, before it is written to disk."""

    markdown: str
    codes: list[CodeRow]
    manifest: Manifest


def table_row(cells: list[str]) -> str:
    """A markdown table row; '|' inside a cell is escaped."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def render_markdown(parsed: ParsedSource) -> str:
    """guideline.md text: ATX headings, nested lists, one-line codes, the History table."""
    out: list[str] = [f"# {parsed.title}"]
    for block in parsed.blocks:
        out.append("")
        out.extend(_render_block(block))
    return "\n".join(out) + "\n"


def _render_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {block.text}"]
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, ListBlock):
        return render_items(block.items)
    if isinstance(block, CodeBlock):
        return [f"- {c.code}{'*' if c.starred else ''} {c.description}" for c in block.codes]
    width = len(block.header)
    rows = [table_row(block.header), table_row(["---"] * width)]
    rows.extend(table_row(cells + [""] * (width - len(cells))) for _, cells in block.rows)
    return rows


def extract_codes(parsed: ParsedSource) -> list[CodeRow]:
    """Every code line with its section slug, code group heading and flags."""
    rows: list[CodeRow] = []
    section = ""
    group = ""
    codes_level = 0
    for block in parsed.blocks:
        if isinstance(block, Heading):
            if block.level == 2:
                section, group, codes_level = section_slug(block.text), "", 0
            elif block.level == 3:
                codes_level = 3 if block.text == "Codes" else 0
                group = ""
            elif codes_level and block.level == 4:
                group = ""
            elif codes_level:
                group = block.text
        elif isinstance(block, CodeBlock):
            for code in block.codes:
                flags: list[str] = []
                if code.starred:
                    flags.append("notification_only")
                if _ADDON_RE.search(code.description):
                    flags.append("addon")
                rows.append(
                    CodeRow(code.code, code.description, section, group, tuple(flags), code.line_no)
                )
    return rows


def codes_csv(rows: list[CodeRow]) -> str:
    """codes.csv text (LF line endings, minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CODES_COLUMNS)
    for row in rows:
        writer.writerow(
            [row.code, row.description, row.section, row.group, ";".join(row.flags), row.line]
        )
    return buffer.getvalue()


def _us_dates(cell: str) -> list[date]:
    return [date(int(y), int(m), int(d)) for m, d, y in _DATE_RE.findall(cell)]


def newest_history_row(parsed: ParsedSource) -> tuple[date, date | None]:
    """(effective date, review date) of the History row with the latest effective date."""
    tables = [b for b in parsed.blocks if isinstance(b, TableBlock)]
    for table in tables:
        header = [cell.lower() for cell in table.header]
        if "effective date" in header:
            effective_col = header.index("effective date")
            review_col = header.index("review date") if "review date" in header else None
            dated = [
                (_us_dates(cells[effective_col])[0], cells)
                for _, cells in table.rows
                if len(cells) > effective_col and _us_dates(cells[effective_col])
            ]
            if dated:
                effective, cells = max(dated, key=lambda item: item[0])
                reviews = _us_dates(cells[review_col]) if review_col is not None else []
                return effective, max(reviews) if reviews else None
    raise SourceFormatError("No History table with an 'Effective Date' column; check the source.")


def _publisher(front_matter: list[tuple[int, str]]) -> str:
    for _, text in front_matter:
        match = re.search(r"©\s*\d{4}\s+(.+?\bInc\.)", text)
        if match:
            return match.group(1)
    return ""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def convert_text(source_text: str, source_name: str, corpus_id: str) -> Conversion:
    """Convert source text in memory (no file access)."""
    parsed = parse_source(source_text)
    markdown = render_markdown(parsed)
    codes = extract_codes(parsed)
    effective, review = newest_history_row(parsed)
    sections = tuple(
        SectionRef(slug=section_slug(b.text), title=b.text)
        for b in parsed.blocks
        if isinstance(b, Heading) and b.level == 2
    )
    manifest = Manifest(
        corpus_id=corpus_id,
        title=parsed.title,
        publisher=_publisher(parsed.front_matter),
        version=effective.isoformat(),
        effective_date=effective.isoformat(),
        review_date=review.isoformat() if review else None,
        source_file=source_name,
        source_sha256=_sha256(source_text),
        converter_version=CONVERTER_VERSION,
        guideline_file=GUIDELINE_FILE,
        guideline_sha256=_sha256(markdown),
        codes_file=CODES_FILE,
        codes_sha256=_sha256(codes_csv(codes)),
        code_lines=len(codes),
        sections=sections,
        front_matter=tuple(text for _, text in parsed.front_matter),
    )
    return Conversion(markdown, codes, manifest)


def manifest_json(manifest: Manifest) -> str:
    """MANIFEST.json text (fields in model order, UTF-8 kept, trailing newline)."""
    return json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def convert_file(source: Path, out_dir: Path, corpus_id: str | None = None) -> Conversion:
    """Convert SOURCE into OUT_DIR (created if needed) and return what was written."""
    source_text = source.read_bytes().decode("utf-8")
    conversion = convert_text(source_text, source.name, corpus_id or out_dir.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / GUIDELINE_FILE).write_bytes(conversion.markdown.encode("utf-8"))
    (out_dir / CODES_FILE).write_bytes(codes_csv(conversion.codes).encode("utf-8"))
    (out_dir / MANIFEST_FILE).write_bytes(manifest_json(conversion.manifest).encode("utf-8"))
    return conversion


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="extracted guideline text (UTF-8)")
    parser.add_argument("out_dir", type=Path, help="corpus folder to write")
    parser.add_argument("--corpus-id", default=None, help="defaults to OUT_DIR's name")
    args = parser.parse_args(argv)
    started = datetime.now()
    conversion = convert_file(args.source, args.out_dir, args.corpus_id)
    print(
        f"{args.out_dir}: {len(conversion.markdown.splitlines())} markdown lines, "
        f"{len(conversion.codes)} code lines, effective {conversion.manifest.effective_date} "
        f"({(datetime.now() - started).total_seconds():.2f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
