"""Request-form checkboxes: what a ticked, an unticked and a yes/no box say about a concept.

Forms list findings and treatments next to boxes ("[x] Physical therapy  [ ] Chiropractic",
"Prior fusion: Yes [ ] No [x]", "☐ Cauda equina"). ConText reads words, not boxes, so a mention
on a line with boxes gets its verdict here:

- a yes/no pair after the mention on the same line decides it, unless another item, label or
  sentence comes in between ("... injection. Contrast: Yes [ ] No [x]" answers the contrast):
  "No" ticked is a negation, "Yes" ticked an affirmation, neither ticked leaves it unanswered;
- otherwise the nearest box before the mention on the line: ticked affirms, unticked leaves it
  unanswered (an unticked box is not a finding, and not a denial of one either);
- a questionnaire row with no box, answered in a Y/N column ("History of cancer      N") or
  after dot leaders ("Fever/chills ...... N      Hx cancer ...... N"): the answer affirms or
  negates its question.

`clinical_nlp.annotate` reads an unanswered mention as hypothetical: the extraction rules read
nothing from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Literal

TICKED = r"(?:\[\s*[xX✓✔*]\s*\]|\(\s*[xX✓✔*]\s*\)|[☒☑✅])"
EMPTY = r"(?:\[\s*\]|\(\s*\)|☐)"
_BOX = re.compile(f"(?P<ticked>{TICKED})|(?P<empty>{EMPTY})")
_YES_NO = re.compile(
    rf"\b(?:Y(?:es)?)\s*(?P<yes>{TICKED}|{EMPTY})\s*(?:/\s*)?\b(?:N(?:o)?)\s*(?P<no>{TICKED}|{EMPTY})"
    rf"|(?P<yes2>{TICKED}|{EMPTY})\s*Y(?:es)?\b\s*(?:/\s*)?(?P<no2>{TICKED}|{EMPTY})\s*N(?:o)?\b"
    rf"|\bN(?:o)?\s*(?P<no3>{TICKED}|{EMPTY})\s*(?:/\s*)?\bY(?:es)?\s*(?P<yes3>{TICKED}|{EMPTY})",
    re.IGNORECASE,
)


Verdict = Literal["negated", "affirmed", "unanswered"]


def _ticked(box: str) -> bool:
    return re.fullmatch(TICKED, box.strip()) is not None


def _pair_verdict(pair: re.Match[str]) -> Verdict:
    """A yes/no pair's answer: "No" ticked negates, "Yes" ticked affirms, else unanswered."""
    yes = pair.group("yes") or pair.group("yes2") or pair.group("yes3")
    no = pair.group("no") or pair.group("no2") or pair.group("no3")
    if _ticked(no) and not _ticked(yes):
        return "negated"
    if _ticked(yes) and not _ticked(no):
        return "affirmed"
    return "unanswered"


def checkbox_verdict(text: str, start: int, end: int) -> Verdict | None:
    """What the boxes on the line of ``text[start:end]`` say of it (None: no box decides)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if line.lstrip().startswith("|"):
        piped = _pipe_table_answer(text, line_start, line, start - line_start)
        if piped is not None:
            return piped
    if not _BOX.search(line):
        return _column_answer(line, start - line_start)
    columns = _header_columns(text, line_start)
    row_boxes = list(_BOX.finditer(line, end - line_start))
    if columns is not None and len(row_boxes) == len(columns) and not _YES_NO.search(line):
        # "Bowel or bladder dysfunction   [ ]   [X]" under a "YES   NO" (or "Yes No N/A") header
        ticked = [columns[i] for i, box in enumerate(row_boxes) if box.group("ticked")]
        if len(ticked) != 1 or ticked[0] == "na":
            return "unanswered"
        return "affirmed" if ticked[0] == "yes" else "negated"
    after = line[end - line_start :]
    pair = _YES_NO.search(after)
    between = after[: pair.start()] if pair else ""
    # the pair answers this mention unless another item, label or sentence comes in between
    another_label = re.search(r"[.;](?:\s|$)|\b[A-Z][A-Za-z]*\s*:", between)
    if pair and not (_BOX.search(between) or another_label):
        return _pair_verdict(pair)
    boxes = list(_BOX.finditer(line[: start - line_start]))
    if not boxes:
        return None
    return "affirmed" if boxes[-1].group("ticked") else "unanswered"


_COLUMN_HEADER = re.compile(  # a comment column may follow ("Y     N     Comment")
    r"(?:^|\s{2,})(?P<first>YES|Y|NO|N)[ \t]{2,}(?P<second>YES|Y|NO|N)"
    r"(?:[ \t]{2,}(?P<third>N/?A|unk(?:nown)?|not\s+applicable))?"
    r"(?:[ \t]{2,}(?:comments?|notes?|remarks?|details?|dates?))?[ \t]*$",
    re.IGNORECASE,
)


def _lines_above(text: str, line_start: int, limit: int) -> Iterator[str]:
    """The lines above the one starting at `line_start`, nearest first, up to `limit` of them
    and not past a blank line (a table's header stands in the table's own block)."""
    end = line_start - 1
    for _ in range(limit):
        if end <= 0:
            return
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.strip():
            return
        yield line
        end = start - 1


def _header_columns(text: str, line_start: int) -> tuple[str, ...] | None:
    """The yes/no order of a box table's header ("SECTION C - FINDINGS      YES    NO", "Yes
    No   N/A" with a third "na" column): the nearest line above the row, in the same block,
    ending in the column names."""
    for line in _lines_above(text, line_start, 15):
        header = _COLUMN_HEADER.search(line)
        if header:
            first = "yes" if header.group("first").lower().startswith("y") else "no"
            second = "yes" if header.group("second").lower().startswith("y") else "no"
            if first == second:
                return None
            return (first, second, "na") if header.group("third") else (first, second)
    return None


# a questionnaire row answered in a Y/N column: "History of cancer     N     (comment)"
COLUMN_ANSWER = re.compile(
    r"^(?P<question>[^\n]*?\S)[ \t]{2,}(?P<answer>Y|N|Yes|No)\b(?:[ \t]{2,}[^\n]*)?[ \t]*$",
    re.MULTILINE,
)


# a review-of-systems item answered after its label: "Fever: no.", "Chills - N,", "Rash: (-)",
# or after dot leaders, several to a row ("Fever/chills ...... N      Hx cancer ...... N")
_ITEM_ANSWER = re.compile(
    r"(?P<question>[A-Za-z][A-Za-z /&'()-]{1,40}?)[ \t]*(?::|[ \t][-–]|\.{3,})[ \t]*"
    r"(?P<answer>yes|no|y|n|neg|negative|pos|positive|none|denies|\(-\)|\(\+\))"
    r"[ \t]*(?=[.;,]|[ \t]{2,}\S|$)",
    re.IGNORECASE | re.MULTILINE,
)
_YES_ANSWERS = ("y", "yes", "pos", "positive", "(+)")


def has_answers(text: str) -> bool:
    """A text with an answer column, an answered item or a yes/no table: its mentions are
    checked against them."""
    return bool(
        COLUMN_ANSWER.search(text) or _ITEM_ANSWER.search(text) or _PIPE_HEADER.search(text)
    )


# a pipe table with yes/no columns: "| Item | Yes | No | Comment |"
_PIPE_HEADER = re.compile(r"^[ \t]*\|.*\|\s*(?:yes|y)\s*\|\s*(?:no|n)\s*\|", re.I | re.M)
_MARK = re.compile(r"^\s*(?:x|✓|✔|☒|☑|yes|y)\s*$", re.IGNORECASE)


def _cells(line: str) -> list[tuple[int, int]]:
    """Spans of a pipe-table row's cells."""
    bars = [i for i, char in enumerate(line) if char == "|"]
    return [(a + 1, b) for a, b in pairwise(bars)]


def _pipe_table_answer(text: str, line_start: int, line: str, offset: int) -> Verdict | None:
    """A row of a yes/no pipe table answers its item by the column marked ("| Untreated substance
    use disorder | | X | |" under "| Item | Yes | No |"); neither marked is unanswered."""
    for header in _lines_above(text, line_start, 25):
        if not header.lstrip().startswith("|"):
            return None
        names = [header[a:b].strip().lower() for a, b in _cells(header)]
        if "yes" in names and "no" in names:
            row = _cells(line)
            if len(row) != len(names):
                return None
            item = next((i for i, (a, b) in enumerate(row) if a <= offset < b), None)
            yes, no = names.index("yes"), names.index("no")
            if item is None or item in (yes, no):
                return None
            said_yes = bool(_MARK.match(line[row[yes][0] : row[yes][1]]))
            said_no = bool(_MARK.match(line[row[no][0] : row[no][1]]))
            if said_yes == said_no:
                return "unanswered"
            return "affirmed" if said_yes else "negated"
    return None


def _column_answer(line: str, offset: int) -> Verdict | None:
    """A row's Y/N column answers the question it stands after (the mention in that question),
    as does an item's own answer after its label ("Fever: no.", "Chills - N")."""
    row = COLUMN_ANSWER.match(line)
    if row is not None and offset < row.end("question"):
        return "affirmed" if row.group("answer").lower().startswith("y") else "negated"
    for start, end, said_yes in _item_answers(line):
        if start <= offset < end:
            return "affirmed" if said_yes else "negated"
    return None


@lru_cache(maxsize=4096)
def _item_answers(line: str) -> tuple[tuple[int, int, bool], ...]:
    """(question start, question end, answered yes) of each answered item on a line, read once
    per line (a line's mentions all ask)."""
    return tuple(
        (item.start("question"), item.end("question"),
         item.group("answer").lower() in _YES_ANSWERS)
        for item in _ITEM_ANSWER.finditer(line)
    )  # fmt: skip


def labelled_answer(text: str, label: str) -> Verdict | None:
    """The yes/no box answer right after a form label ("Contrast: [x] Yes [ ] No" -> affirmed)."""
    for found in re.finditer(rf"\b{label}\b\s*:?\s*", text, re.IGNORECASE):
        pair = _YES_NO.match(text, found.end())
        if pair:
            return _pair_verdict(pair)
    return None


_NEXT_LABEL = re.compile(r"\s{2,}[A-Z][\w /-]{1,30}:|\n")


def ticked_options(text: str, label: str) -> list[tuple[int, int]]:
    """Spans of the options ticked in the form field `label` ("Guidance: ☒ Fluoroscopy ☐ CT"
    -> the span of "☒ Fluoroscopy"; also without the colon: "Contrast [x] yes"); the field ends
    at the line's end or the next label."""
    spans: list[tuple[int, int]] = []
    for found in re.finditer(rf"\b(?:{label})\s*:?\s*(?={TICKED}|{EMPTY})", text, re.IGNORECASE):
        field_end = _NEXT_LABEL.search(text, found.end())
        stop = field_end.start() if field_end else len(text)
        boxes = list(_BOX.finditer(text, found.end(), stop))
        for box, following in zip(boxes, [*boxes[1:], None], strict=True):
            if box.group("ticked"):
                spans.append((box.start(), following.start() if following else stop))
    return spans


def without_unticked(text: str) -> str:
    """`text` with every unticked option blanked out, offsets kept ("☐ Selective nerve root block
    (diagnostic) ☒ Transforaminal ESI" -> only the ticked option's words remain)."""
    if "☐" not in text and "[" not in text and "(" not in text:
        return text
    boxes = list(_BOX.finditer(text))
    if not boxes:
        return text
    chars = list(text)
    for box, following in zip(boxes, [*boxes[1:], None], strict=True):
        if box.group("empty"):
            line_end = text.find("\n", box.end())
            stop = following.start() if following else len(text)
            if line_end >= 0:
                stop = min(stop, line_end)
            if re.fullmatch(r"\s*(?:y|n|yes|no)\s*", text[box.end() : stop], re.IGNORECASE):
                continue  # a yes/no pair ("Yes [ ] No [x]") is read as a pair, not as options
            for i in range(box.start(), stop):
                chars[i] = " "
    return "".join(chars)
