"""Procedure words shared by the prior-procedure, surgery and plan rules.

Concept categories to procedure types and targets, refinements from the surrounding words
(stellate vs lumbar sympathetic, SCS trial vs implant vs DRG, facet injection with cyst rupture),
approach words, dates including bare years ("Hx of L4-5 fusion 2019"), and the levels a procedure
sentence names: joints rather than the nerves listed to reach them ("L4-5 MBB (L3, L4 MB)"), and
joints derived from a list of medial branches when no joint is named ("R C5, C6, C7 medial
branches" -> C5-C6, C6-C7; lumbar L3, L4 medial branches -> L4-L5); sacral lateral branches
keep their foramina ("S1, S2, and S3 lateral branches" -> S1, S2, S3). The approach words are
data (`lexicons/techniques.yaml`, section `approach`).
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_dates, find_levels, past_months
from drafting.extraction.quantities.mentions import DateMention

PROCEDURE_TYPES = {
    "PROC_ESI": "esi", "PROC_SNRB": "snrb", "PROC_MBB": "mbb", "PROC_FACET_IA": "facet_ia",
    "PROC_RFA": "rfa_medial_branch", "PROC_SI": "si_injection",
    "PROC_SYMPATHETIC": "sympathetic_block", "PROC_SCS": "scs_trial", "PROC_BVN": "bvn_ablation",
    "PROC_INTRADISCAL": "intradiscal", "PROC_ADHESIOLYSIS": "lysis_of_adhesions",
    "PROC_SACRAL_LB": "sacral_lateral_branch", "PROC_OTHER": "other",
}  # fmt: skip
TARGETS = {
    "esi": "epidural", "snrb": "nerve_root", "mbb": "medial_branch", "facet_ia": "facet_joint",
    "rfa_medial_branch": "medial_branch", "si_injection": "si_joint", "scs_trial": "dorsal_column",
    "bvn_ablation": "basivertebral_nerve", "intradiscal": "intervertebral_disc",
    "lysis_of_adhesions": "epidural", "sacral_lateral_branch": "sacral_lateral_branches",
    "facet_cyst_aspiration": "facet_synovial_cyst", "scs_implant": "dorsal_column",
    "drg_stimulator": "dorsal_root_ganglion",
}  # fmt: skip
APPROACH_PATTERNS = patterns("techniques", "approach")  # the first that matches is the approach
_STELLATE = re.compile(r"\bstellate\b|\bSGB\b|\bcervical\s+sympathetic", re.I)
_LUMBAR_SYMPATHETIC = re.compile(r"\blumbar\s+sympathetic|\bLSB\b|\bparavertebral\s+sympathetic",
                                 re.I)  # fmt: skip
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?!\d|/|-\d|\.\d)")
_NERVE_AFTER = re.compile(
    r"[\s,]*(?:and\s+|\+\s*)?(?:(?:L|R|left|right)\s+)?(?:[CLTS]\d[\s,]*(?:and\s+|\+\s*)?)*"
    r"(?:MB|DR\b|medial|dorsal|(?:(?:spinal|sacral)\s+)?lateral\s+branch)",
    re.IGNORECASE,
)
_LIST_JOINER = re.compile(r"\s*(?:,|and|&|\+)\s*", re.IGNORECASE)


# the S2/S3 nerves on their own (not a segment's "L5-S1"): only the sacral lateral branches,
# never a facet joint's medial branches, are ablated there
_SACRAL_NERVES = re.compile(r"(?<![-/–])\bS[23]\b(?![-/–]\s*S?\d)")


def refine_type(kind: str, text: str) -> tuple[str, str | None]:
    """Procedure type and target, refined by the words around the mention."""
    if kind == "facet_ia" and re.search(r"\bcyst\b", text, re.I):
        kind = "facet_cyst_aspiration"
    elif kind == "rfa_medial_branch" and _SACRAL_NERVES.search(text):
        kind = "sacral_lateral_branch"  # "Bilateral L5, S1, S2, and S3 radiofrequency ablation"
    elif kind == "scs_trial":
        if re.search(r"\bDRG\b|dorsal\s+root\s+ganglion", text, re.I):
            kind = "drg_stimulator"
        elif not re.search(r"\btrial\b", text, re.I) and re.search(
            r"\bimplant\w*|\bpermanent\b|\brevision\b|\breplace\w*|\bgenerator\b", text, re.I
        ):
            kind = "scs_implant"
    target = TARGETS.get(kind)
    if kind == "sympathetic_block":
        target = (
            "stellate_ganglion" if _STELLATE.search(text)
            else "lumbar_sympathetic" if _LUMBAR_SYMPATHETIC.search(text) else None
        )  # fmt: skip
    return kind, target


def dates_with_years(
    text: str, day_first: bool = False, reference: date | None = None
) -> list[DateMention]:
    """Dates in `text` (numeric ones day first when its document writes them so), plus bare
    years ("2019") as January 1 of that year and, given the note's date (`reference`), months
    told in the past without a year ("performed in December": the last December before it)."""
    dates = find_dates(text, day_first)
    dates += [
        d
        for d in past_months(text, reference)
        if not any(o.start <= d.start < o.end for o in dates)
    ]
    for match in _YEAR.finditer(text):
        if not any(d.start <= match.start() < d.end for d in dates):
            dates.append(
                DateMention(
                    start=match.start(),
                    end=match.end(),
                    text=match.group(0),
                    value=date(int(match.group(1)), 1, 1),
                    precision="year",
                )
            )
    return sorted(dates, key=lambda d: d.start)


def _joints_from_nerves(nerves: list[str]) -> list[str]:
    """Facet joints covered by a list of medial branches (cervical Cn,Cn+1 -> Cn-Cn+1; lumbar
    Ln,Ln+1 -> Ln+1-Ln+2, L5 dorsal ramus pairing with L4 for L5-S1)."""
    order = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)]
    order += [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)]
    ranks = sorted({order.index(n) for n in nerves if n in order})
    joints: list[str] = []
    for low, high in itertools.pairwise(ranks):
        if high != low + 1:
            continue
        shift = 0 if order[low].startswith("C") else 1
        if low + shift + 1 < len(order):
            joints.append(f"{order[low + shift]}-{order[low + shift + 1]}")
    return joints


def levels_named(text: str) -> list[str]:
    """Levels a procedure sentence names (see the module docstring)."""
    kept = []
    nerves: list[str] = []
    for mention in find_levels(text):
        single = len(mention.levels) == 1 and "-" not in mention.levels[0]
        inside_parentheses = text.rfind("(", 0, mention.start) > text.rfind(")", 0, mention.start)
        if single and _NERVE_AFTER.match(text[mention.end :]):
            nerves.extend(mention.levels)
        elif single and inside_parentheses:
            continue
        elif not inside_parentheses or not single:
            kept.append(mention)
    levels: list[str] = []
    for mention in kept:
        for level in mention.levels:
            if "-" not in level:
                covering = [
                    other for other in kept if other is not mention
                    and any(level in lv.split("-") for lv in other.levels if "-" in lv)
                ]  # fmt: skip
                listed = any(
                    _LIST_JOINER.fullmatch(
                        text[o.end : mention.start] if o.end <= mention.start
                        else text[mention.end : o.start]
                    )
                    for o in covering
                )  # fmt: skip
                if covering and not listed:
                    continue
            if level not in levels:
                levels.append(level)
    if not any("-" in level for level in levels) and len(nerves) >= 2:
        if any(nerve.startswith("S") for nerve in nerves):
            # sacral lateral branches are named by foramen, with the L5 dorsal ramus beside them
            return list(dict.fromkeys(nerves))
        return _joints_from_nerves(nerves) or levels
    return levels
