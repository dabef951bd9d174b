"""Read the extracted guideline text into blocks (headings with levels, paragraphs, lists, codes).

Owns every rule that decides what a source line *is*: front matter, Table of Contents, heading
(and its level), paragraph, list item, CPT/HCPCS code line, table row. Rendering is elsewhere
(`guideline_corpus.convert`).

Heading rules: a line is a heading when it is short (at most 80 characters, or a known section
title), starts with an uppercase letter, has no terminal punctuation, no footnote or bold marker,
is not a single unknown word, and sits between blank lines. Levels:
`##` the top-level sections (known table + Table of Contents), `###` the subsections the Table of
Contents repeats (Description, Clinical Indications, ... Codes), `####` the CPT/HCPCS caption under
Codes, and named blocks one level below the nearest of those. A named heading directly followed by
another heading opens a group: the next heading, and the sentence-case headings after it, sit one
level deeper (e.g. "Sacroiliac Joint Injections" > "Diagnostic intraarticular ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guideline_corpus.errors import SourceFormatError
from guideline_corpus.list_nesting import ListItem, assign_depths
from guideline_corpus.sections import CODE_TABLE_HEADINGS, KNOWN_SUBSECTIONS, KNOWN_TOP_SECTIONS

CODE_LINE_RE = re.compile(r"^([0-9A-Z]\d{3}[0-9A-Z])(\*?)\t(.*)$")
LIST_ITEM_RE = re.compile(r"^(\s*)(-|\d+\.)\s+(.*)$")
TOC_ENTRY_RE = re.compile(r"^(.+?)\t(\d+)$")
MAX_HEADING_CHARS = 80
_MINOR_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with")
)


@dataclass
class Heading:
    """A heading line; `level` 2-6 is set by `assign_heading_levels`."""

    line_no: int
    text: str
    level: int = 0


@dataclass
class Paragraph:
    """One paragraph; `line_nos` has several entries when a broken continuation was merged."""

    line_nos: list[int]
    text: str


@dataclass
class ListBlock:
    """A list, possibly interrupted by page-break blank lines in the source."""

    items: list[ListItem]


@dataclass
class CodeLine:
    """One CPT/HCPCS line: code, '*' mark and description."""

    line_no: int
    code: str
    starred: bool
    description: str


@dataclass
class CodeBlock:
    """Consecutive code lines (page-break blank lines between them removed)."""

    codes: list[CodeLine]


@dataclass
class TableBlock:
    """A tab-separated table; header rows repeated after page breaks are dropped."""

    header: list[str]
    header_line_nos: list[int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


Block = Heading | Paragraph | ListBlock | CodeBlock | TableBlock


@dataclass
class ParsedSource:
    """The source split into title, front matter, Table of Contents and body blocks."""

    title: str
    title_line_no: int
    front_matter: list[tuple[int, str]]
    toc: list[tuple[int, str]]
    top_titles: list[str]
    blocks: list[Block]


def parse_source(text: str) -> ParsedSource:
    """Split the extracted text into front matter, Table of Contents and leveled body blocks."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    toc_start, toc_end, toc = _find_toc(lines)
    top_titles = _top_titles(toc)
    body_start = _find_body_start(lines, top_titles, toc_end)
    front_end = min(toc_start, body_start)
    front = [(n + 1, lines[n].strip()) for n in range(front_end) if lines[n].strip()]
    title_line_no, title = _find_title(front)
    front = [(n, t) for n, t in front if n != title_line_no]
    blocks = _parse_body(lines, body_start, top_titles)
    assign_heading_levels(blocks, top_titles)
    return ParsedSource(title, title_line_no, front, toc, top_titles, blocks)


def _find_toc(lines: list[str]) -> tuple[int, int, list[tuple[int, str]]]:
    """(first index, index after the last entry, entries) of the Table of Contents, if any."""
    for index, line in enumerate(lines):
        if line.strip().lower() == "table of contents":
            entries: list[tuple[int, str]] = []
            end = index + 1
            for n in range(index + 1, len(lines)):
                match = TOC_ENTRY_RE.match(lines[n].strip())
                if match:
                    entries.append((n + 1, match.group(1).strip()))
                    end = n + 1
                elif lines[n].strip() and entries:
                    break
            return index, end, entries
    return len(lines), 0, []


def _top_titles(toc: list[tuple[int, str]]) -> list[str]:
    """Top-level section titles: Table of Contents entries that are not subsection names."""
    from_toc = [title for _, title in toc if title not in KNOWN_SUBSECTIONS]
    return from_toc + [title for title in KNOWN_TOP_SECTIONS if title not in from_toc]


def _find_body_start(lines: list[str], top_titles: list[str], after: int) -> int:
    for index in range(after, len(lines)):
        if lines[index].strip() in top_titles:
            return index
    raise SourceFormatError(
        "No top-level section title found in the source; add the first section's title to "
        "KNOWN_TOP_SECTIONS in guideline_corpus/sections.py."
    )


def _find_title(front: list[tuple[int, str]]) -> tuple[int, str]:
    """The title-page line that reads like a title ("Appropriate Use Criteria: ...")."""
    for line_no, text in front:
        if ": " in text and not text.endswith("."):
            return line_no, text
    candidates = [(n, t) for n, t in front if not t.endswith(".")]
    if not candidates:
        raise SourceFormatError("No title line before the Table of Contents; check the source.")
    return max(candidates, key=lambda item: len(item[1]))


def _is_heading_line(text: str, known: set[str], prev_blank: bool, next_blank: bool) -> bool:
    if text in known:
        return True
    if not (prev_blank and next_blank) or len(text) > MAX_HEADING_CHARS:
        return False
    if not text[0].isupper() or text[-1] in ".:;,!?*" or "**" in text or "\t" in text:
        return False
    return len(text.split()) >= 2 and ". " not in text


def _parse_body(lines: list[str], start: int, top_titles: list[str]) -> list[Block]:
    known = set(top_titles) | set(KNOWN_SUBSECTIONS) | set(CODE_TABLE_HEADINGS)
    blocks: list[Block] = []
    after_blank = True
    for index in range(start, len(lines)):
        line = lines[index].rstrip()
        line_no = index + 1
        if not line.strip():
            after_blank = True
            continue
        last = blocks[-1] if blocks else None
        next_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
        code = CODE_LINE_RE.match(line)
        item = LIST_ITEM_RE.match(line)
        if code:
            code_line = CodeLine(
                line_no, code.group(1), code.group(2) == "*", code.group(3).strip()
            )
            if isinstance(last, CodeBlock):
                last.codes.append(code_line)
            else:
                blocks.append(CodeBlock([code_line]))
        elif "\t" in line:
            _add_table_row(blocks, line_no, [cell.strip() for cell in line.split("\t")])
        elif item:
            list_item = ListItem(
                line_no, item.group(2), item.group(3).strip(), bool(item.group(1)), after_blank
            )
            if isinstance(last, ListBlock):
                last.items.append(list_item)
            else:
                blocks.append(ListBlock([list_item]))
        elif line.strip()[0].islower() and isinstance(last, Paragraph | ListBlock):
            _merge_continuation(last, line_no, line.strip())
        elif _is_heading_line(line.strip(), known, after_blank, next_blank):
            blocks.append(Heading(line_no, line.strip()))
        else:
            blocks.append(Paragraph([line_no], line.strip()))
        after_blank = False
    for block in blocks:
        if isinstance(block, ListBlock):
            assign_depths(block.items)
    return blocks


def _add_table_row(blocks: list[Block], line_no: int, cells: list[str]) -> None:
    last = blocks[-1] if blocks else None
    if isinstance(last, TableBlock):
        if cells == last.header:
            last.header_line_nos.append(line_no)
        else:
            last.rows.append((line_no, cells))
    else:
        blocks.append(TableBlock(cells, [line_no]))


def _merge_continuation(block: Paragraph | ListBlock, line_no: int, text: str) -> None:
    """Join a line that starts in lowercase to the paragraph or item a page break cut."""
    if isinstance(block, Paragraph):
        block.text = f"{block.text} {text}"
        block.line_nos.append(line_no)
    else:
        block.items[-1].text = f"{block.items[-1].text} {text}"


def is_sentence_case(text: str) -> bool:
    """True for "Ultrasound guidance", False for "Procedural Requirements and Restrictions"."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", re.sub(r"\([^)]*\)", "", text))[1:]
    significant = [w for w in words if w.lower() not in _MINOR_WORDS and not w.isupper()]
    return bool(significant) and all(w[0].islower() for w in significant)


def assign_heading_levels(blocks: list[Block], top_titles: list[str]) -> None:
    """Set `level` on every Heading (see the module docstring for the rules)."""
    structural_level = 1
    in_codes = False
    group_open = False
    first_child_pending = False
    for index, block in enumerate(blocks):
        if not isinstance(block, Heading):
            continue
        text = block.text
        if text in top_titles:
            block.level, structural_level, in_codes, group_open = 2, 2, False, False
        elif text in KNOWN_SUBSECTIONS and structural_level >= 2:
            block.level, structural_level, group_open = 3, 3, False
            in_codes = text == "Codes"
        elif text in CODE_TABLE_HEADINGS and in_codes:
            block.level, structural_level, group_open = 4, 4, False
        else:
            base = structural_level + 1
            if group_open and (first_child_pending or is_sentence_case(text)):
                block.level = base + 1
                first_child_pending = False
            else:
                block.level = base
                group_open = _opens_group(blocks, index, top_titles)
                first_child_pending = group_open
        block.level = min(block.level, 6)


def _opens_group(blocks: list[Block], index: int, top_titles: list[str]) -> bool:
    """A named heading directly followed by another named heading is a group parent."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if not isinstance(following, Heading):
        return False
    structural = set(top_titles) | set(KNOWN_SUBSECTIONS) | set(CODE_TABLE_HEADINGS)
    return following.text not in structural
