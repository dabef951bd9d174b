"""Recover list nesting that the PDF-to-text extraction flattened.

The source marks a top-level item with "- " and every deeper item with " - " (second and third
level alike); after a page break the deeper items lose their indent and come back as "- ".
`assign_depths` infers each item's depth from context:

1. the item right after an *owner* (an item ending in "following:", ":" or "including", or a bare
   bold label) is its first child;
2. an item that is not an owner never gets children, so an indented item after it is its sibling;
3. an unindented item after a blank line (a page break inside the list) continues at the depth of
   the item before it, and so do the unindented items after it until an indented item appears
   ("flattened" run);
4. an item that opens with a bold label takes the depth of the nearest earlier bold-label item at
   the same or a shallower depth (the category items of one list are styled alike);
5. an indented item that names the bold label of an ancestor (e.g. "Exception to the physical
   therapy requirement ...") belongs directly to that ancestor's list;
6. an owner that announces BOTH / EITHER of the following has exactly two children; later items
   move up a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BOLD_LABEL_RE = re.compile(r"^\*\*(.+?)\*\*")
_PAIR_RE = re.compile(r"\b(BOTH|EITHER)\b(\*\*)? of the following", re.IGNORECASE)


@dataclass
class ListItem:
    """One list line of the source: its marker, text and what the extraction left of its indent."""

    line_no: int
    marker: str  # "-" or "12."
    text: str
    indented: bool
    after_blank: bool
    depth: int = 0
    children: int = field(default=0, repr=False)

    @property
    def is_owner(self) -> bool:
        """True when the item announces a sub-list ("... of the following:", "... including")."""
        bare = self.text.rstrip(" *")
        if bare.endswith(":") or re.search(r"\bincluding$", bare):
            return True
        return bool(re.fullmatch(r"\*\*[^*]+\*\*", self.text.strip()))

    @property
    def bold_label(self) -> str | None:
        """The bold label the item opens with, lowercased ("physical therapy requirement")."""
        match = _BOLD_LABEL_RE.match(self.text)
        return match.group(1).strip().lower() if match else None

    @property
    def expected_children(self) -> int | None:
        """2 when the item announces BOTH / EITHER of the following, else unknown."""
        return 2 if self.is_owner and _PAIR_RE.search(self.text) else None


def assign_depths(items: list[ListItem]) -> None:
    """Set `depth` (1 = top level) on every item of one list, in place."""
    path: list[ListItem] = []  # path[d - 1] is the latest item at depth d
    flattened = False
    for index, item in enumerate(items):
        prev = items[index - 1] if index else None
        if prev is None:
            depth = 1
        elif prev.is_owner:
            depth = prev.depth + 1
            flattened = not item.indented
        else:
            depth, flattened = _depth_after_sibling(item, prev, path, flattened)
            depth = _align_bold_label(item, items[:index], depth)
            if depth < prev.depth and not item.indented:
                flattened = flattened and depth > 1
        depth = _close_full_pairs(path, depth)
        item.depth = depth
        del path[depth - 1 :]
        if path:
            path[-1].children += 1
        path.append(item)


def _depth_after_sibling(
    item: ListItem, prev: ListItem, path: list[ListItem], flattened: bool
) -> tuple[int, bool]:
    """Depth of an item that follows a non-owner item, and whether the flattened run continues."""
    if item.indented:
        depth = prev.depth
        for ancestor in path[: prev.depth - 1]:
            label = ancestor.bold_label
            if label and label in item.text.lower():
                depth = ancestor.depth + 1
                break
        return depth, False
    if item.after_blank or flattened:
        return prev.depth, prev.depth > 1
    return 1, False


def _align_bold_label(item: ListItem, earlier: list[ListItem], depth: int) -> int:
    """Depth of the nearest earlier bold-label item, when the item opens with a bold label too."""
    if item.bold_label is None:
        return depth
    for other in reversed(earlier):
        if other.bold_label is not None and other.depth <= depth:
            return other.depth
    return depth


def _close_full_pairs(path: list[ListItem], depth: int) -> int:
    """Move an item up while its would-be parent already has all the children it announced."""
    while depth > 1 and len(path) >= depth - 1:
        parent = path[depth - 2]
        expected = parent.expected_children
        if expected is not None and parent.children >= expected:
            depth -= 1
        else:
            break
    return depth


def render_items(items: list[ListItem]) -> list[str]:
    """Markdown lines for one list: children indented under their parent's text column."""
    lines: list[str] = []
    indents: list[int] = []  # indents[d - 1] is the text column of the latest item at depth d
    for item in items:
        indent = 0 if item.depth == 1 else indents[item.depth - 2]
        del indents[item.depth - 1 :]
        indents.append(indent + len(item.marker) + 1)
        lines.append(" " * indent + f"{item.marker} {item.text}")
    return lines
