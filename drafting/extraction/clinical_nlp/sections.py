"""Section detection for office notes, imaging reports and procedure notes by header rules.

A header is a short label at the start of a line ("HPI:", "EXAM:", "A/P:", "IMPRESSION:"), an
all-capitals line on its own ("FINDINGS") or a section's exact name on its own line, as EHR
exports print them ("Physical Exam", "Review of Systems"). Each header is mapped to a canonical
section name; the text up to the next header belongs to it. Text before the first header is
`preamble`. Text copied forward from an older visit ("[Carried forward from visit of
03/12/2024]") is `copied` up to the next bracketed marker ("[Interval update ...]") or header:
it speaks for that visit.
A letter's first prose paragraph after its heading lines is its history (`hpi`), not the last
heading field ("Plan: ..."), and a paragraph that opens on the examination ("On examination
there is allodynia ...") is the examination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "preamble": ("exam date", "date", "dos", "date of visit", "date of service", "patient", "pt"),
    "hpi": (
        "history of present illness", "hpi", "subjective", "s", "chief complaint", "cc",
        "interval history", "reason for visit", "reason for referral", "reason", "history",
        "clinical history", "indication", "indications", "clinical", "clinical indication",
        "function", "functional status", "functional limitations", "functional history", "adls",
        "activities of daily living",
    ),
    "pmh": (
        "past medical history", "pmh", "medical history", "past history", "onc hx",
        "patient active problem list", "active problem list", "problem list",
    ),
    "psh": ("past surgical history", "psh", "surgical history"),
    "medications": ("medications", "current medications", "meds", "medication"),
    "allergies": ("allergies", "allergy"),
    "social": ("social history", "sh", "social"),
    "family": ("family history", "fh"),
    "ros": ("review of systems", "ros"),
    "treatment": (
        "conservative", "conservative tx", "conservative treatment", "conservative care",
        "treatment to date", "tx", "prior tx", "prior treatment", "prior treatments",
        "treatment history", "conservative tx this episode", "prior procedures",
        "injection hx", "interventions", "outcomes", "procedure history", "procedural history",
        "interventional history", "prior interventions",
    ),
    "followup": ("f/u", "follow-up", "follow up", "followup"),
    "exam": (
        "physical exam", "physical examination", "exam", "examination", "objective", "o", "pe",
        "neuro exam", "neurological exam", "musculoskeletal exam",
    ),
    "imaging": (
        "imaging", "radiology", "diagnostic studies", "studies", "mri", "ct", "x-ray", "results",
    ),
    "findings": ("findings", "technique", "comparison"),
    "impression": ("impression", "conclusion"),
    "assessment": ("assessment", "a", "diagnosis", "diagnoses", "dx", "assessment and plan"),
    "plan": (
        "plan", "p", "a/p", "recommendation", "recommendations", "treatment plan",
        "plan/recommendation", "assessment/plan", "disposition", "procedure requested",
        "requested procedure", "procedure planned", "planned procedure", "proposed procedure",
        "service requested", "requested service", "procedure(s) requested",
        "proposal", "proposed management", "proposed treatment", "management plan",
    ),
    "procedure": (
        "procedure", "procedure performed", "description of procedure", "medication",
        "injectate", "pre-procedure", "post-procedure", "addendum", "pain diary",
    ),
}  # fmt: skip
_NAME_OF = {alias: name for name, aliases in SECTION_NAMES.items() for alias in aliases}
_HEADER = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][A-Za-z /&\-]{0,40}?)[ \t]*[\d/.\-]*[ \t]*"
    r"(?:\([^)\n]{0,40}\))?[ \t]*:",
    re.MULTILINE,
)
# a date or note may follow in brackets: "PHYSICAL EXAMINATION (02/17/2026)"
_CAPS_LINE = re.compile(
    r"^[ \t]*(?P<label>[A-Z][A-Z /&\-]{2,40}?)[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*$", re.MULTILINE
)
_COPIED_WORDS = re.compile(r"\b(?:carried|copied|pulled)[ \t]+(?:forward|over|in|from)\b", re.I)
# an EHR export's header on a line of its own, in any case ("Physical Exam", "Review of Systems",
# "Assessment/Plan", a letter's "Proposal."): only a section's exact name, never a prefix or a
# one-letter SOAP label
_NAME_LINE = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][A-Za-z /&\-]{2,40}?)[ \t]*\.?[ \t]*$", re.MULTILINE
)
_NOT_ON_ITS_OWN = frozenset(SECTION_NAMES["preamble"])
# a letter's paragraph opened by a section's exact name and a full stop ("Proposal. Right C4/5
# and C5/6 medial branch radiofrequency neurotomy ...")
_LETTER_HEADING = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(?P<label>[A-Z][A-Za-z /&\-]{2,40}?)\.[ \t]+(?=[A-Z])"
)


@dataclass(frozen=True)
class SectionSpan:
    """One section of a document: canonical name, header text and character span."""

    name: str
    header: str
    start: int
    end: int


def _canonical(label: str) -> str | None:
    key = " ".join(label.lower().replace("&", "and").split())
    if key in _NAME_OF:
        return _NAME_OF[key]
    for alias, name in _NAME_OF.items():
        if len(alias) > 3 and key.startswith(alias):
            return name
    return None


# text copied forward from an older visit ("[Carried forward from visit of 03/12/2024]") until the
# next marker or header: what it says belongs to that visit, not to this one (section `copied`)
_COPIED = re.compile(
    r"^[ \t]*\[?[ \t]*(?P<label>(?:carried|copied|pulled)[ \t]+(?:forward|over|in)\b|"
    r"copied[ \t]+from\b)[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)
# the same marker in brackets or parentheses after a header on its line ("HISTORY OF PRESENT
# ILLNESS  [carried forward from New Patient visit 06/14/2023 - not updated]", "--- Exam (carried
# forward from 03/04/2025 office visit) ---"): the section is the old visit's
_COPIED_HEADER = re.compile(
    r"^(?P<label>[^\n\[(]{0,60}[\[(][ \t]*(?:[A-Za-z]+[ \t]+){0,3}?"
    r"(?:(?:carried|copied|pulled)[ \t]+(?:forward|over|in)\b|copied[ \t]+from\b))",
    re.MULTILINE | re.IGNORECASE,
)
_MARKER = re.compile(r"^[ \t]*\[(?P<label>[^\]\n]{3,60})\][ \t]*$", re.MULTILINE)
# a line opening on today's update ("Interval Hx 10/06/2026: s/p ...", "Today's visit:") ends a
# copied block before it, as a bracketed marker does
# a problem-oriented note's header for one problem, on a line of its own in capitals ("#1 LOW
# BACK / LEGS", "#2 NECK / R ARM (interval)"): the history of that problem follows
_PROBLEM_HEADER = re.compile(
    r"^[ \t]*(?P<label>#\s?\d{1,2}[ \t]+[A-Z][A-Z/&, -]{2,40}(?:\([^)\n]{0,30}\))?)[ \t]*$",
    re.MULTILINE,
)
_TODAY_LEAD = re.compile(
    r"^[ \t]*(?P<label>(?:Interval[ \t]+(?:Hx|history|update|events?)|Today'?s[ \t]+visit|"
    r"Current[ \t]+visit)\b[^:\n]{0,20}:)",
    re.MULTILINE | re.IGNORECASE,
)


# a paragraph that opens on the examination, with no header: it is the examination
_EXAM_LEAD = re.compile(
    r"^[ \t]*(?P<label>On\s+(?:examination|exam)\b|When\s+I\s+examined\b|"
    r"(?:Physical\s+)?Examination\s+(?:today\s+)?(?:reveals|revealed|shows|showed)\b)",
    re.MULTILINE | re.IGNORECASE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n[ \t]*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n(?P<body>[^\n]{200,})")
_HEAD_LINE_MAX = 250


def _letter_body(text: str) -> int | None:
    """Where a letter's body starts: its first prose paragraph (one long line after a blank
    line), when everything before it is short heading lines ("Re: ...", "Diagnosis: ...",
    "Plan: ...") and it does not open with a header of its own. The summary's last field does
    not run into the letter ("Plan: SI joint injection" then "Many thanks for referring ...")."""
    paragraph = _PARAGRAPH.search(text)
    if paragraph is None:
        return None
    head = text[: paragraph.start()]
    if any(len(line) > _HEAD_LINE_MAX for line in head.splitlines()):
        return None
    start = paragraph.start("body")
    header = _HEADER.match(text, start)
    if header is not None and _canonical(header.group("label")) is not None:
        return None
    return start


# a copied-forward marker that says the text was brought up to date ("HPI (copied forward from
# 07/15/2026 - updated 09/09/2026):", "..., reviewed"): today's history, not the old visit's
_UPDATED = re.compile(
    r"(?<!not\s)(?<!n't\s)(?<!never\s)\b(?:updated|reviewed|confirmed|verified|today)\b", re.I
)


def _brought_up_to_date(text: str, start: int) -> bool:
    end = text.find("\n", start)
    return bool(_UPDATED.search(text, start, end if end >= 0 else len(text)))


def detect_sections(text: str) -> list[SectionSpan]:
    """Sections in order of appearance; they tile the text from its first character to its end."""
    found: dict[int, tuple[str, str]] = {}
    for match in _COPIED.finditer(text):
        if not _brought_up_to_date(text, match.start("label")):
            found[match.start("label")] = ("copied", match.group(0).strip())
    for match in _COPIED_HEADER.finditer(text):
        if not _brought_up_to_date(text, match.start("label")):
            found.setdefault(match.start("label"), ("copied", match.group("label").strip()))
    for match in _MARKER.finditer(text):  # "[Interval update 11/04/2026]" ends a copied block
        if _COPIED_WORDS.search(match.group("label")):
            continue  # "[EXAM carried forward 06/14/2023]" opens one (_COPIED_HEADER)
        if match.start("label") not in found:
            found[match.start("label")] = ("hpi", match.group("label").strip())
    for match in _TODAY_LEAD.finditer(text):
        found.setdefault(match.start("label"), ("hpi", match.group("label").strip()))
    for match in _PROBLEM_HEADER.finditer(text):  # "#1 LOW BACK / LEGS": a problem's own story
        found.setdefault(match.start("label"), ("hpi", match.group("label").strip()))
    for pattern in (_HEADER, _CAPS_LINE):
        for match in pattern.finditer(text):
            name = _canonical(match.group("label"))
            if name is not None:
                found.setdefault(match.start("label"), (name, match.group("label").strip()))
    for match in _EXAM_LEAD.finditer(text):  # a letter's "On examination today the hand is ..."
        found.setdefault(match.start("label"), ("exam", match.group("label").strip()))
        after = _PARAGRAPH_BREAK.search(text, match.end())  # the letter goes on with its story
        if after is not None and after.end() < len(text):
            found.setdefault(after.end(), ("hpi", ""))
    for match in (*_NAME_LINE.finditer(text), *_LETTER_HEADING.finditer(text)):
        key = " ".join(match.group("label").lower().replace("&", "and").split())
        if key in _NAME_OF and key not in _NOT_ON_ITS_OWN:
            found.setdefault(match.start("label"), (_NAME_OF[key], match.group("label").strip()))
    body = _letter_body(text)
    if body is not None and body not in found:
        found[body] = ("hpi", "")
    # a page header repeated mid-document ("Patient: ...  MRN ...", "DOS: ...") does not end the
    # section it interrupts: once the body has begun, a preamble field is no new section
    body_started = False
    for start in sorted(found):
        if found[start][0] != "preamble":
            body_started = True
        elif body_started:
            del found[start]
    bounds = [(0, "preamble", ""), *((start, *found[start]) for start in sorted(found))]
    spans: list[SectionSpan] = []
    for index, (start, name, header) in enumerate(bounds):
        end = bounds[index + 1][0] if index + 1 < len(bounds) else len(text)
        if end > start:
            spans.append(SectionSpan(name, header, start, end))
    return spans


def section_at(sections: list[SectionSpan], offset: int) -> str:
    """The name of the section holding character `offset`."""
    for section in sections:
        if section.start <= offset < section.end:
            return section.name
    return sections[-1].name if sections else "preamble"
