"""The lines of one request and the ``line.*`` facts of each primary line.

`RequestLines` classifies a request's lines once (routes, add-on and drug lines, the primary
line each follows, lines of the same code); `build_line_facts` fills `LineFacts` for one primary
line: its levels and units with its add-ons', the session's level and injection counts across
lines of the same code, side, region and region group, approach, guidance (a code without
imaging guidance keeps it), purpose, the other codes of the session, and the stimulator type a
DRG description names. Routing (``criteria.routing``) decides the line on them.
"""

from __future__ import annotations

import re
from typing import Any

from criteria.fact_values import level_or_text, region_group
from criteria.facts import CaseFacts, LineFacts
from criteria.loader import CriteriaLibrary
from criteria.plan_owner import NAMES_SECTION

_REGION_BY_LETTER = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
_DRG_WORDS = re.compile(r"dorsal\s+root\s+ganglion|\bDRG\b", re.IGNORECASE)
_IMPAR_WORDS = re.compile(r"ganglion\s+(?:of\s+)?impar|\bimpar\b|\bWalther", re.IGNORECASE)
# a line's own words for a facet code's target ("... diagnostic medial branch block #1, L4-L5"):
# the code covers the joint and its nerves alike
_MEDIAL_BRANCH_WORDS = re.compile(r"\bmedial\s+branch(?:es)?\b|\bMBBs?\b", re.IGNORECASE)


# the sections whose procedures are given with a drug line (a steroid), before those whose
# first use is a diagnostic block; a drug line's description names its procedure in the words
# of criteria.plan_owner.NAMES_SECTION
_DRUG_SECTIONS = ("epidural", "sacroiliac")


def _target_named(description: str | None) -> str | None:
    if not description:
        return None
    if _IMPAR_WORDS.search(description):
        return "ganglion_impar"
    return "medial_branch" if _MEDIAL_BRANCH_WORDS.search(description) else None


# a line asking for a later block of a series ("second (therapeutic) block about two weeks later,
# only if the diagnostic block is positive", "repeat block #2")
_FOLLOW_ON_WORDS = re.compile(
    r"\b(?:second|2nd|third|3rd|subsequent)\b(?![^.;,]{0,30}\b(?:level|facet|joint|interspace|segment))|"
    r"\b(?:repeat|follow-?on)\b|\badditional\s+(?:\w+\s+)?(?:block|injection)s?\b|#\s*[2-6]\b|"
    r"\bonly\s+if\b[^.;]{0,60}\b(?:positive|responds?|response|successful)\b",
    re.IGNORECASE,
)
# the stimulator action a line's description names ("- spinal cord stimulator trial"); every
# 63650 description says "implantation" of the electrodes, every 63685 "insertion or
# replacement" of the generator and every 63663/63664 "revision including replacement, when
# performed", so only these words decide
_STIMULATOR_ACTIONS = {
    "trial": re.compile(r"\btrial\b", re.IGNORECASE),
    "implant": re.compile(r"\bpermanent\b", re.IGNORECASE),
    "replacement": re.compile(
        r"(?<!\binsertion\sor\s)(?<!\bincluding\s)\breplace(?:ment)?\b", re.IGNORECASE
    ),
    "revision": re.compile(r"\brevision\b", re.IGNORECASE),
    "removal": re.compile(r"\bremoval\b|\bexplant\w*", re.IGNORECASE),
}


def clean_code(code: str) -> str:
    return code.strip().rstrip("*").upper()


class RequestLines:
    """The lines of one request, classified once."""

    def __init__(self, facts: CaseFacts, library: CriteriaLibrary) -> None:
        self.library = library
        self.lines = list(facts.request.lines)
        self.codes = [clean_code(line.code) for line in self.lines]
        self.routes = [library.routing.routes.get(code) for code in self.codes]
        pattern = library.routing.drug_pattern
        self.is_drug = [
            route is None and pattern is not None and bool(pattern.match(code))
            for code, route in zip(self.codes, self.routes, strict=True)
        ]
        self.is_addon = [route is not None and bool(route.addon_of) for route in self.routes]
        # lines set aside from the session (the add-on levels beyond a level limit)
        self.excluded: frozenset[int] = frozenset()

    def primary_of(self, index: int) -> int | None:
        """The line an add-on or drug line follows; a drug line, the one its description names
        ("dexamethasone, 10 mg with the cervical transforaminal injection") or else the first
        that gives a drug (an epidural or a joint injection before a diagnostic block)."""
        route = self.routes[index]
        candidates = [
            other for other, code in enumerate(self.codes)
            if other != index and not self.is_addon[other] and not self.is_drug[other]
            and (route is None or not route.addon_of or code in route.addon_of)
        ]  # fmt: skip
        if self.is_drug[index] and len(candidates) > 1:
            sections = [self._section(other) for other in candidates]
            told = self.lines[index].description or ""
            named = [c for c, sec in zip(candidates, sections, strict=True)
                     if sec in NAMES_SECTION and NAMES_SECTION[sec].search(told)]  # fmt: skip
            giving = [c for c, sec in zip(candidates, sections, strict=True)
                      if sec in _DRUG_SECTIONS]  # fmt: skip
            return (named or giving or candidates)[0]
        return candidates[0] if candidates else None

    def _section(self, index: int) -> str | None:
        entry = self.library.code_entry(self.codes[index])
        return entry.section if entry else None

    def siblings(self, index: int) -> list[int]:
        """Other primary lines with the same code (another side or level of one procedure)."""
        return [
            i
            for i, code in enumerate(self.codes)
            if i != index
            and code == self.codes[index]
            and not (self.is_addon[i] or self.is_drug[i])
            and i not in self.excluded
        ]

    def followers(self, index: int) -> list[int]:
        return [
            i
            for i in range(len(self.lines))
            if (self.is_addon[i] or self.is_drug[i])
            and self.primary_of(i) == index
            and i not in self.excluded
        ]

    def region_group_of(self, index: int, values: dict[str, Any]) -> str | None:
        route = self.routes[index]
        if route is not None and route.attributes.get("region_group"):
            return str(route.attributes["region_group"])
        levels = self.lines[index].levels or values.get("planned.levels") or []
        region = _region_from_levels(levels) or values.get("planned.region")
        return region_group(region)


def _region_from_levels(levels: list[str]) -> str | None:
    for level in levels:
        letter = level_or_text(level)[:1].upper()
        if letter in _REGION_BY_LETTER:
            return _REGION_BY_LETTER[letter]
    return None


def _same_session(req: RequestLines, index: int, other: int, separate: list[str]) -> bool:
    """Whether two lines share a session: not when the plan puts either one's section on a date
    of its own ("R SI injection on a separate date, not the same day as the MBB"), or every line
    on its own ('all')."""
    if not separate:
        return True
    mine, theirs = (req.library.code_entry(req.codes[i]) for i in (index, other))
    a, b = (entry.section if entry else None for entry in (mine, theirs))
    if a == b:
        return True
    return "all" not in separate and a not in separate and b not in separate


def build_line_facts(req: RequestLines, index: int, values: dict[str, Any]) -> LineFacts:
    """The ``line.*`` facts of one primary line (levels and units of its add-ons included)."""
    line, route = req.lines[index], req.routes[index]
    attributes = dict(route.attributes) if route is not None else {}
    followers = [i for i in req.followers(index) if req.is_addon[i]]
    levels, level_count, injections = _line_levels(req, index, values)
    session_levels, session_count, session_injections = set(levels), level_count, injections
    for sibling in req.siblings(index):  # the same code on another side or level: one session
        other_levels, other_count, other_injections = _line_levels(req, sibling, values)
        if other_levels and levels:
            session_levels |= set(other_levels)
            session_count = len(session_levels)
        else:
            session_count += other_count
        session_injections += other_injections
    side = line.side or values.get("planned.side")
    region = _region_from_levels(levels) or values.get("planned.region") or attributes.get("region")
    approach = attributes.get("approach")
    if isinstance(approach, list):
        planned = values.get("planned.approach")
        approach = planned if planned in approach else approach[0]
    elif approach is None:
        approach = values.get("planned.approach")
    entry = req.library.code_entry(req.codes[index])
    others = [
        req.codes[i]
        for i in range(len(req.lines))
        if i != index
        and req.codes[i] != req.codes[index]
        and not req.is_addon[i]
        and not req.is_drug[i]
        and req.library.code_entry(req.codes[i]) is not None
        and _same_session(req, index, i, values.get("planned.separate_session_sections") or [])
    ]
    groups = {
        req.region_group_of(i, values)
        for i in [index, *(i for i in range(len(req.lines)) if req.codes[i] in others)]
    }
    return LineFacts.model_validate(
        {
            "code": req.codes[index],
            "description": line.description or (entry.description if entry else None),
            "side": side,
            "levels": levels or None,
            "level_count": session_count,
            "units": line.units,
            "region": region,
            "region_group": attributes.get("region_group") or region_group(region),
            "approach": approach,
            "guidance": _guidance(attributes.get("guidance"), values.get("planned.guidance")),
            "purpose": attributes.get("purpose"),
            "injection_count": session_injections,
            "addon_codes": [req.codes[i] for i in followers],
            "other_codes": others,
            "session_region_groups": sorted(g for g in groups if g),
            "section": entry.section if entry else None,
            "group": entry.group if entry else None,
            "target": _target_named(line.description),
            "stimulator_type": (
                "dorsal_root_ganglion"
                if line.description and _DRG_WORDS.search(line.description)
                else None
            ),
            "stimulator_action": _request_action(req, index),
            "follow_on": _follows_an_earlier_line(req, index),
        }
    )


def _follows_an_earlier_line(req: RequestLines, index: int) -> bool | None:
    """True when the line's description asks for a later block of a series and an earlier line
    of the request has its code; None otherwise (the line says nothing of a series)."""
    description = req.lines[index].description or ""
    earlier = any(req.codes[i] == req.codes[index] for i in range(index))
    return True if earlier and _FOLLOW_ON_WORDS.search(description) else None


def _line_levels(
    req: RequestLines, index: int, values: dict[str, Any]
) -> tuple[list[str], int, int]:
    """One primary line's levels (its add-ons' included), level count and injection count."""
    line = req.lines[index]
    followers = [i for i in req.followers(index) if req.is_addon[i]]
    levels = [level_or_text(v) for i in [index, *followers] for v in req.lines[i].levels]
    levels = list(dict.fromkeys(levels)) or list(values.get("planned.levels") or [])
    units = max(1, line.units) + sum(req.lines[i].units for i in followers)
    count = len(levels) if levels else units
    side = line.side or values.get("planned.side")
    return levels, count, count * (2 if side == "bilateral" else 1)


def _request_action(req: RequestLines, index: int) -> str | None:
    """The stimulator action line `index` names, else the one action the request's other lines
    name (the generator line of "63650 - permanent leads + 63685")."""
    own = _stimulator_action(req.lines[index].description)
    if own is not None:
        return own
    named = {_stimulator_action(line.description) for line in req.lines} - {None}
    return named.pop() if len(named) == 1 else None


def _stimulator_action(description: str | None) -> str | None:
    """The one stimulator action a line's description names, else None (none, or several)."""
    named = [a for a, p in _STIMULATOR_ACTIONS.items() if description and p.search(description)]
    return named[0] if len(named) == 1 else None


def _guidance(attribute: str | None, planned: str | None) -> str | None:
    """The line's guidance: a code "without imaging guidance" keeps its own attribute.

    62320, 62322, 62324 and 62326 are without imaging guidance by definition, whatever the note
    says; a code "with fluoroscopy or CT" takes what the plan states (fluoroscopy, CT, or another
    guidance the plan names, which the guidance limit then reads).
    """
    if attribute == "none":
        return attribute
    return planned or attribute
