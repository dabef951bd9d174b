"""How a gold letter is worded and laid out, by eval's own code (no drafting import).

The words (plain code descriptions, acronyms, outcome words, the standing notices) are data in
`letter_words.json`; the layout is the letter layout of the README (title, date, case, recipient,
the table of requested services, then headed sections), rendered as plain text and Markdown.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from eval.text import CITATION, CURLY
from guideline_corpus.corpus import Manifest

_WORDS = Path(__file__).with_name("letter_words.json")
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,6})(?![\w-])")
_ADD_ON_TAIL = re.compile(
    r"\s*\((?:list separately in addition to code for primary procedure)\)\s*", re.I
)
_TITLES = {
    frozenset({"approved"}): "approved",
    frozenset({"denied"}): "denied (not medically necessary)",
    frozenset({"pended"}): "additional information requested",
    frozenset({"denied", "pended"}): "denied in part, additional information requested",
}


@cache
def words() -> dict[str, Any]:
    """The gold letters' words (`letter_words.json`)."""
    loaded: dict[str, Any] = json.loads(_WORDS.read_text(encoding="utf-8"))
    return loaded


def acronyms() -> dict[str, str]:
    return dict(words()["acronyms"])


def valid_days() -> int:
    return int(words()["valid_days"])


def expand_acronyms(text: str) -> str:
    """Every known acronym replaced by its plain words."""
    table = acronyms()
    return _ACRONYM.sub(lambda m: table.get(m.group(1), m.group(1)), text)


def code_description(code: str, requested: str = "") -> str:
    """The plain description of a procedure code: the table, else the request's, spelled out."""
    table: dict[str, str] = words()["codes"]
    if code in table:
        return table[code]
    text = requested.strip() or "Requested service (no description given)"
    return expand_acronyms(_ADD_ON_TAIL.sub(" ", text).strip())


def us_date(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def units_text(units: int) -> str:
    return f"{units} unit" + ("" if units == 1 else "s")


def authorization_number(case_id: str, line_index: int, code: str) -> str:
    """The authorization number of an approved line: a hash of the case and the line."""
    digest = hashlib.sha256(f"{case_id}|{line_index}|{code}".encode()).hexdigest()
    return f"PA-{digest[:10].upper()}"


@dataclass
class Section:
    """A headed part of a gold letter."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)


def _notice(name: str, fill: dict[str, str]) -> Section:
    notice = words()["notices"][name]
    paragraphs = []
    for paragraph in notice["paragraphs"]:
        for key, value in fill.items():
            paragraph = paragraph.replace("{" + key + "}", value)
        paragraphs.append(paragraph)
    return Section(notice["heading"], paragraphs)


def closing_sections(
    outcomes: set[str], case_id: str, guideline: Manifest, today: date
) -> list[Section]:
    """The standing notices a letter with these outcomes carries, in reading order."""
    deadline = us_date(today + timedelta(days=int(words()["pend_days"])))
    fill = {
        "case_id": case_id,
        "deadline": deadline,
        "title": guideline.title,
        "publisher": guideline.publisher,
        "version": guideline.version,
        "effective_date": str(guideline.effective_date),
    }
    names = ["send_information"] if "pended" in outcomes else []
    names.append("criteria")
    names += ["peer_to_peer"] if outcomes & {"denied", "pended"} else []
    names += ["appeal"] if "denied" in outcomes else []
    return [_notice(name, fill) for name in names]


def authorization_terms(approved: list[str], today: date) -> Section:
    """Validity and limits of the authorizations; `approved` names each approved service."""
    through = today + timedelta(days=valid_days())
    return Section(
        heading="Authorization terms",
        paragraphs=[
            f"Validity: each authorization number in this letter is valid from {us_date(today)} "
            f"through {us_date(through)} ({valid_days()} days from the date of this letter).",
            "Limits: each authorization covers only the code, levels, side and units listed for "
            "it. Another level, the other side, more units, a repeat procedure or a date of "
            "service after the validity period needs a new request.",
        ]
        + (["The approved services are: " + "; ".join(approved) + "."] if approved else []),
    )


def abbreviations(text: str) -> Section | None:
    """The acronyms inside the quotations of `text`, spelled out (None when there are none)."""
    quoted = " ".join(m.group() for m in CURLY.finditer(text))
    found = [
        a
        for a in dict.fromkeys(re.findall(r"(?<![\w-])([A-Z][A-Za-z]{1,6})(?![\w-])", quoted))
        if a in acronyms()
    ]
    if not found:
        return None
    return _notice("abbreviations", {"listed": "; ".join(f"{a}: {acronyms()[a]}" for a in found)})


@dataclass(frozen=True)
class Row:
    """A requested service in the letter's table: code, service text, decision."""

    code: str
    service: str
    decision: str


@dataclass(frozen=True)
class Rendered:
    """A gold letter as text and Markdown, with the passage ids it cites."""

    text: str
    markdown: str
    citations: list[str]


def render(case_id: str, letter_date: date, rows: list[Row], sections: list[Section]) -> Rendered:
    """The letter around its sections: title from the outcomes, the table, the citations."""
    outcomes = {row.decision for row in rows}
    if "approved" in outcomes and len(outcomes) > 1:
        outcome = "partially approved"
    else:
        outcome = _TITLES[frozenset(outcomes)]
    title = f"Prior authorization determination: {outcome}"
    said: dict[str, str] = words()["outcome_words"]
    recipient = "Requesting provider and member"
    text = [title, "", f"Date: {letter_date.isoformat()}", f"Case: {case_id}"]
    text += [f"To: {recipient}", "", "Requested services:"]
    text += [f"- {r.code}: {r.service}: {said[r.decision]}" for r in rows]
    markdown = [f"# {title}", "", f"**Date:** {letter_date.isoformat()}  "]
    markdown += [f"**Case:** {case_id}  ", f"**To:** {recipient}", ""]
    markdown += ["| Code | Requested service | Outcome |", "| --- | --- | --- |"]
    markdown += [f"| {r.code} | {r.service.replace('|', '/')} | {said[r.decision]} |" for r in rows]
    for section in sections:
        text += ["", section.heading.upper(), *section.paragraphs]
        markdown += ["", f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            markdown += [paragraph, ""]
    plain = "\n".join(text).strip() + "\n"
    cited = list(dict.fromkeys(CITATION.findall(plain)))
    return Rendered(plain, "\n".join(markdown).strip() + "\n", cited)
