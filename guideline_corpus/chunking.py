"""Split guideline.md into passages with stable, readable ids.

A passage never crosses a heading: each heading's own body (the lines up to the next heading of
any level) is cut into passages of roughly MIN_CHARS-MAX_CHARS characters. Cuts fall only between
paragraphs, list items, code lines or table rows, never inside one; a lead-in line ending in ':'
stays with the first item after it, and so does an item that announces a sub-list. Among the
allowed cuts a small dynamic programme picks passages close to TARGET_CHARS, preferring cuts
before top-level items.

Passage id: `<section slug>/<slug of each heading below the section>/<n>`, where a heading slug is
the lowercased heading with non-alphanumerics collapsed to '-' and cut to its first 6 words, and n
counts passages under that heading from 1 (e.g. `epidural/exclusions/1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guideline_corpus.corpus import DEFAULT_CORPUS_ID, load_corpus
from guideline_corpus.errors import ChunkingError
from guideline_corpus.passages import Passage, PassageKind
from guideline_corpus.sections import FRONT_MATTER_SLUG, KNOWN_TOP_SECTIONS, section_slug, slugify

MIN_CHARS = 300
TARGET_CHARS = 900
MAX_CHARS = 1500
HEADING_SLUG_WORDS = 6

# slug -> printed title of the top-level sections.
SECTION_TITLES: dict[str, str] = {slug: title for title, slug in KNOWN_TOP_SECTIONS.items()}

_HEADING_RE = re.compile(r"^(#{1,6}) +(.+?)\s*$")
_ITEM_RE = re.compile(r"^( *)(?:[-*+]|\d+\.) ")
_GLUE_COST = 50.0
_NESTED_CUT_COST = 1.0
_IN_LIST_CUT_COST = 0.5


@dataclass
class _Unit:
    """A piece of a heading's body that is never split: one paragraph, item, code line or row."""

    first_line: int  # 1-based line in guideline.md
    lines: list[str]
    nested: bool  # a list item below the top level (cutting before it is discouraged)
    glue_next: bool  # must stay with the unit after it
    is_item: bool = False  # a list item (cutting between two items of a list is discouraged)

    @property
    def size(self) -> int:
        return sum(len(line) for line in self.lines) + len(self.lines) - 1


def _heading_slug(text: str) -> str:
    return slugify(text, max_words=HEADING_SLUG_WORDS) or "untitled"


def _announces_sublist(text: str) -> bool:
    bare = text.rstrip(" *")
    return bare.endswith(":") or bool(re.search(r"\bincluding$", bare))


def _units(body: list[tuple[int, str]]) -> list[_Unit]:
    """Cut a heading's body lines into unsplittable units."""
    units: list[_Unit] = []
    in_paragraph = False
    for line_no, line in body:
        if not line.strip():
            in_paragraph = False
            continue
        item = _ITEM_RE.match(line)
        if item:
            text = line[item.end() :]
            bold_only = re.fullmatch(r"\*\*[^*]+\*\*", text.strip()) is not None
            glue = _announces_sublist(text) or bold_only
            units.append(_Unit(line_no, [line], bool(item.group(1)), glue, is_item=True))
            in_paragraph = False
        elif line.startswith("|") and units and units[-1].lines[-1].startswith("|"):
            previous = units[-1]
            if re.fullmatch(r"\|( *-+ *\|)+", line.replace(":", "")) or previous.glue_next:
                previous.lines.append(line)  # header, separator and first row stay together
                previous.glue_next = len(previous.lines) == 2
            else:
                units.append(_Unit(line_no, [line], False, False))
        elif in_paragraph and units:
            units[-1].lines.append(line)  # a paragraph that spans several lines
        else:
            units.append(_Unit(line_no, [line], False, _announces_sublist(line)))
            in_paragraph = not line.startswith("|")
    return units


def _segment_cost(size: int, count: int) -> float:
    cost = 1.0 + ((size - TARGET_CHARS) / TARGET_CHARS) ** 2
    if size > MAX_CHARS:
        cost += 5.0 if count == 1 else 100.0 + 100.0 * (size - MAX_CHARS) / MAX_CHARS
    if size < MIN_CHARS:
        cost += 3.0 * (MIN_CHARS - size) / MIN_CHARS
    return cost


def _pack(units: list[_Unit]) -> list[list[_Unit]]:
    """Group units into passages (dynamic programme over the allowed cut points)."""
    count = len(units)
    best = [0.0] + [float("inf")] * count
    cut_from = [0] * (count + 1)
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            size = sum(u.size for u in units[start:end]) + 2 * (end - start - 1)
            if size > 3 * MAX_CHARS and end - start > 1:
                break
            cut = 0.0
            if start > 0:
                cut = _GLUE_COST if units[start - 1].glue_next else 0.0
                cut += _NESTED_CUT_COST if units[start].nested else 0.0
                in_list = units[start - 1].is_item and units[start].is_item
                cut += _IN_LIST_CUT_COST if in_list else 0.0
            total = best[start] + cut + _segment_cost(size, end - start)
            if total < best[end]:
                best[end], cut_from[end] = total, start
    groups: list[list[_Unit]] = []
    end = count
    while end > 0:
        groups.append(units[cut_from[end] : end])
        end = cut_from[end]
    return groups[::-1]


def _kind(section: str, heading_path: tuple[str, ...]) -> PassageKind:
    if section == "history":
        return "history"
    if "References" in heading_path[1:]:
        return "references"
    if "Codes" in heading_path[1:]:
        return "codes"
    return "body"


def _heading_bodies(markdown: str) -> list[tuple[tuple[str, ...], list[tuple[int, str]]]]:
    """(heading path from the '##' level down, body lines) for every heading, in order."""
    bodies: list[tuple[tuple[str, ...], list[tuple[int, str]]]] = [((), [])]
    stack: list[tuple[int, str]] = []
    for line_no, line in enumerate(markdown.split("\n"), start=1):
        heading = _HEADING_RE.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                continue
            stack = [(lvl, text) for lvl, text in stack if lvl < level] + [
                (level, heading.group(2))
            ]
            bodies.append((tuple(text for _, text in stack), []))
        else:
            bodies[-1][1].append((line_no, line))
    return bodies


def chunk_guideline(markdown: str) -> list[Passage]:
    """Every passage of a guideline.md text, in document order."""
    passages: list[Passage] = []
    seen_prefixes: dict[str, int] = {}
    lines = markdown.split("\n")
    for heading_path, body in _heading_bodies(markdown):
        units = _units(body)
        if not units:
            continue
        section = section_slug(heading_path[0]) if heading_path else FRONT_MATTER_SLUG
        prefix = "/".join([section, *(_heading_slug(text) for text in heading_path[1:])])
        repeats = seen_prefixes.get(prefix, 0) + 1
        seen_prefixes[prefix] = repeats
        if repeats > 1:  # two headings with the same slug path: the later one gets "-2", "-3"
            prefix = f"{prefix}-{repeats}"
        for ordinal, group in enumerate(_pack(units), start=1):
            first = group[0].first_line
            last = group[-1].first_line + len(group[-1].lines) - 1
            text = "\n".join(lines[first - 1 : last])
            passages.append(
                Passage(
                    id=f"{prefix}/{ordinal}",
                    section=section,
                    heading_path=heading_path,
                    text=text,
                    kind=_kind(section, heading_path),
                    start_line=first,
                )
            )
    ids = [passage.id for passage in passages]
    if len(set(ids)) != len(ids):
        duplicates = sorted({pid for pid in ids if ids.count(pid) > 1})
        raise ChunkingError(f"Duplicate passage ids {duplicates}; rename a heading in the source.")
    return passages


@lru_cache(maxsize=8)
def _cached_passages(corpus_id: str) -> tuple[Passage, ...]:
    return tuple(chunk_guideline(load_corpus(corpus_id).markdown))


def load_passages(corpus_id: str = DEFAULT_CORPUS_ID) -> list[Passage]:
    """Passages of a corpus's guideline.md (chunked once per process)."""
    return list(_cached_passages(corpus_id))
