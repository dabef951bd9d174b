"""Per-level findings of one imaging study (`LevelFinding`), from the sentences that describe it.

Each imaging concept (herniation, compression, stenosis type, facet, Modic, listhesis, ...) is
assigned to the segments named in its clause (";" or "." bounded); with none there, to the last
segment named earlier on the same line ("L4-5: ..."), else to a lone vertebra in the clause
("L3 vertebral body lesion"). A negated concept records false (``herniation``, compression,
cord signal) where the vocabulary is yes/no and nothing otherwise (stenosis type). Per level:
the most severe stenosis, the side of the most severe finding, protrusion and listhesis in mm.
`imaging` decides which documents and sentences are studies.
"""

from __future__ import annotations

import re
from typing import Any

from criteria.facts import Evidence, LevelFinding
from criteria.levels import roots_at
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_levels, find_sides
from drafting.extraction.rules.reader import CaseDocument

_SEVERITY_RANK = {"severe": 3, "moderate": 2, "mild": 1}
# Yes/no findings recorded as false when the report negates them; other negations ("no fracture",
# "no spondylolisthesis") are report-wide and answered by the contraindication facts instead.
_NEGATABLE = {"herniation", "root_compression", "cord_signal_change"}
STENOSIS_KINDS = {
    "IMG_STENOSIS_FORAMINAL": "foraminal",
    "IMG_STENOSIS_CENTRAL": "central",
    "IMG_STENOSIS_LATERAL_RECESS": "lateral_recess",
    "IMG_STENOSIS_EXTRAFORAMINAL": "extraforaminal",
}
NORMAL_STUDY = "IMG_NORMAL_STUDY"  # "the study is unremarkable": a finding without a level
FINDING_FLAGS = {
    "IMG_HERNIATION": "herniation",
    "IMG_COMPRESSION": "root_compression",
    "IMG_SYNOVIAL_CYST": "synovial_cyst",
    "IMG_FACET_EFFUSION": "facet_effusion",
    "IMG_FACET_ARTHROSIS": "facet_arthrosis",
    "IMG_SPONDYLOLYSIS": "spondylolysis",
    "IMG_FUSION": "fusion",
    "IMG_FRACTURE": "fracture",
    "IMG_TUMOR": "tumor",
    "IMG_INFECTION": "infection",
    "IMG_ARACHNOIDITIS": "arachnoiditis",
    "neuro.cord_signal_change": "cord_signal_change",
}


# findings a hedge leaves open rather than reports (the work-up answers them, not the report)
_PATHOLOGY = frozenset({"tumor", "fracture", "infection"})


# a new main clause inside a sentence ("... neural foramina and there is also a herniation at C6-7")
_NEW_CLAUSE = re.compile(r"[;]|\. |,?\s+(?:and|but|while)\s+there\s+(?:is|are|was|were)\b", re.I)


def _clause(sentence: Sentence, offset: int) -> tuple[int, int]:
    """Bounds (relative to the sentence) of the clause holding `offset`: ";" or "." bounded, or
    a new main clause ("and there is")."""
    text = sentence.text
    bounds = [m for m in _NEW_CLAUSE.finditer(text)]
    left = max((m.end() - 1 for m in bounds if m.end() <= offset), default=-1)
    right = min((m.start() for m in bounds if m.start() >= offset), default=len(text))
    return left + 1, right


_SET_ASIDE_LEVEL = re.compile(
    r"\b(?:not|rather\s+than|instead\s+of)\s+(?:at\s+)?(?:the\s+)?$", re.I
)


def _levels_for(document: CaseDocument, sentence: Sentence, mention: ConceptMention) -> list[str]:
    offset = mention.start - sentence.start
    left, right = _clause(sentence, offset)
    clause = sentence.text[left:right]
    in_clause = find_levels(clause)
    named = [
        m for m in in_clause if not _SET_ASIDE_LEVEL.search(clause[max(0, m.start - 16) : m.start])
    ]
    in_clause = named or in_clause  # "The fusion is at C6-7, not C5-6": C6-7 only
    segments = [lv for m in in_clause for lv in m.levels if "-" in lv]
    if segments:
        return list(dict.fromkeys(segments))
    line_start = document.text.rfind("\n", 0, mention.start) + 1
    earlier = [
        lv for m in find_levels(document.text[line_start : mention.start]) for lv in m.levels
        if "-" in lv
    ]  # fmt: skip
    if earlier:
        return [earlier[-1]]
    singles = [lv for m in in_clause for lv in m.levels]
    return singles[:1]


_DOMINANT_SIDE = re.compile(r"\b(R|L|right|left)\s*>\s*(?:R|L|right|left)\b", re.I)
_PROTRUSION_MM = re.compile(
    r"(\d+(?:\.\d+)?)\s*mm\s+(?:[\w-]+\s+){0,2}?(?:bulge|protrusion|herniation|extrusion)"
    r"|(?:bulge|protrusion|herniation|extrusion)\s+(?:\w+\s+){0,2}?(?:measuring\s+)?(\d+(?:\.\d+)?)"
    r"\s*mm",
    re.IGNORECASE,
)
_ROOT_PRESSED = re.compile(
    r"\b(?:compress\w*|contact\w*|imping\w*|abut\w*|displac\w*|effac\w*|encroach\w*|"
    r"press\w*\s+on|deform\w*)\b[^.;]{0,60}?\b(?:(?:left|right|bilateral|L|R)\s+)?"
    r"(?:(?:exiting|traversing|descending|existing)\s+)?(?:(?:left|right|L|R)\s+)?"
    r"(?P<root>[CTLS]\d{1,2})\s+(?:nerve\s+)?roots?\b"
    r"|\b(?P<root2>[CTLS]\d{1,2})\s+(?:nerve\s+)?roots?\b[^.;]{0,25}?\b(?:is|are|was)?\s*"
    r"(?:compressed|impinged|contacted|displaced|effaced)\b",
    re.IGNORECASE,
)
_ROOT_SPARED = re.compile(r"\b(?:not|no|without|free\s+of|spar\w*)\b", re.IGNORECASE)
_LISTHESIS_MM = re.compile(
    r"(\d+(?:\.\d+)?)\s*mm\s+(?:of\s+)?(?:\w+\s+)?(?:spondylo|antero|retro)?listhesis"
    r"|listhesis\b(?:\s+(?:of\s+)?[CTLS]\d{1,2}\s+(?:on|over)\s+[CTLS]\d{1,2})?(?:\s*[,(]\s*|\s+)"
    r"(?:measuring\s+|of\s+|by\s+|approximately\s+|approx\.?\s+|about\s+|~\s*)?"
    r"(\d+(?:\.\d+)?)\s*mm",  # "anterolisthesis of L4 on L5 measuring 4 mm", "L4 on L5, 4 mm"
    re.IGNORECASE,
)


# a side told just after the finding ("narrowing of the foramen on the right at C4-C5")
_SIDE_AFTER = re.compile(r"\s*(?:,\s*)?(?:on|to)\s+the\s+(right|left)\b(?!\s+of\b)", re.I)


def _side_near(sentence: Sentence, mention: ConceptMention) -> str | None:
    after = _SIDE_AFTER.match(sentence.text, mention.end - sentence.start)
    rest = sentence.text[after.end() :] if after else ""
    if after and all(m.side == after.group(1).lower() for m in find_sides(rest)):
        return after.group(1).lower()  # unless the sentence goes on to another side ("... on the
        # left; the addendum corrects it to a RIGHT paracentral extrusion")
    offset = mention.start - sentence.start
    left, right = _clause(sentence, offset)
    window = sentence.text[max(left, offset - 40) : min(right, mention.end - sentence.start + 3)]
    if re.search(r"\bcentral\b", window, re.I) and mention.category == "IMG_STENOSIS_CENTRAL":
        return "central"
    dominant = _DOMINANT_SIDE.search(window)
    if dominant:
        return "right" if dominant.group(1).lower().startswith("r") else "left"
    sides = [m.side for m in find_sides(window)]
    return sides[-1] if sides else None


def _severity(sentence: Sentence, mention: ConceptMention) -> int:
    offset = mention.start - sentence.start
    window = sentence.text[max(0, offset - 25) : offset].lower()
    return max((rank for word, rank in _SEVERITY_RANK.items() if word in window), default=0)


class _LevelRow:
    """What one study says about one level, built mention by mention."""

    def __init__(self, level: str) -> None:
        self.fields: dict[str, Any] = {"level": level}
        self.stenosis: tuple[int, str] | None = None
        self.side_rank = -1
        self.spans: list[tuple[int, int]] = []

    def flag(self, field: str, negated: bool) -> None:
        if not negated:
            self.fields[field] = True
        elif field in _NEGATABLE:
            self.fields.setdefault(field, False)

    def normal(self) -> None:
        """The whole study read as normal: nothing herniated or compressed anywhere."""
        self.fields.update(normal_study=True)
        self.fields.setdefault("herniation", False)
        self.fields.setdefault("root_compression", False)

    def narrowing(self, kind: str, rank: int) -> None:
        """Keep the most severe stenosis named at this level (the first of equal severity)."""
        if self.stenosis is None or rank > self.stenosis[0]:
            self.stenosis = (rank, kind)

    def side(self, side: str | None, rank: int) -> None:
        if side and rank > self.side_rank:
            self.fields["side"], self.side_rank = side, rank

    def findings(self, document: CaseDocument) -> list[LevelFinding]:
        spans = list(dict.fromkeys(self.spans))[:2]
        quotes = [
            Evidence(quote=document.text[s:e], document=document.index, start=s, end=e)
            for s, e in spans
        ]
        fields = dict(self.fields)
        if self.stenosis:
            fields["stenosis"] = self.stenosis[1]
        return [LevelFinding.model_validate({**fields, "evidence": quotes})]


# "facet degeneration at C4-5, the level above the fusion": the fusion is at another level
_BESIDE_THE_FUSION = patterns("surgeries", "cues")["beside_the_fusion"]


_HEALED = re.compile(r"\b(?:healed|united|remote\s+healed|old\s+healed)\b[^.;]*$", re.I)


def level_findings(document: CaseDocument, sentences: list[Sentence]) -> list[LevelFinding]:
    rows: dict[str, _LevelRow] = {}
    # a report-wide negation with no level named ("showed no evidence of herniated disc") or a
    # study read as normal ("The study is unremarkable"): one finding without a level, only when
    # the study names no level at all
    whole = _LevelRow("")
    for sentence in sentences:
        for mention in sentence.concepts:
            field = FINDING_FLAGS.get(mention.category)
            stenosis = STENOSIS_KINDS.get(mention.category)
            modic = mention.category == "IMG_MODIC"
            listhesis = mention.category == "IMG_SPONDYLOLISTHESIS"
            normal = mention.category == NORMAL_STUDY
            if not (field or stenosis or modic or listhesis or normal) or mention.hypothetical:
                continue
            if field in _PATHOLOGY and mention.uncertain and not mention.negated:
                continue  # "an osseous metastasis cannot be excluded": a question, not a finding
            before = sentence.text[: mention.start - sentence.start]
            if field == "fracture" and _HEALED.search(before[-40:]) and not mention.negated:
                continue  # "Healed burst fracture with 20% height loss": united, not a fracture now
            if field == "fusion" and _BESIDE_THE_FUSION.search(before):
                continue  # "at C4-5, the level above the fusion": the level next to it
            rank = _severity(sentence, mention) + (4 if field in ("herniation", "root_compression")
                                                   else 0)  # fmt: skip
            levels = _levels_for(document, sentence, mention)
            if normal:
                if not levels and not mention.negated:
                    whole.normal()
                    whole.spans.append((sentence.start, sentence.end))
                continue
            if not levels and field in _NEGATABLE and mention.negated:
                whole.flag(field, negated=True)
                whole.spans.append((sentence.start, sentence.end))
            for level in levels:
                row = rows.setdefault(level, _LevelRow(level))
                if field:
                    row.flag(field, mention.negated)
                elif stenosis and not mention.negated:
                    row.narrowing(stenosis, _severity(sentence, mention))
                elif modic and not mention.negated:
                    number = re.search(r"\b(1|2|3|I{1,3})\b", mention.text)
                    if number:
                        roman = {"I": 1, "II": 2, "III": 3}
                        row.fields["modic_type"] = roman.get(number.group(1)) or int(
                            number.group(1)
                        )
                    elif re.search(r"fibrovascular|o?edema", mention.text, re.I):
                        row.fields["modic_type"] = 1  # the radiologist's words for type 1
                    elif re.search(r"\bfatty\b", mention.text, re.I):
                        row.fields["modic_type"] = 2
                elif listhesis:
                    mm = _LISTHESIS_MM.search(sentence.text)
                    value = (
                        0.0
                        if mention.negated
                        else float(next(g for g in mm.groups() if g))
                        if mm
                        else None
                    )
                    if value is not None:
                        row.fields.setdefault("spondylolisthesis_mm", value)
                if not mention.negated:
                    row.side(_side_near(sentence, mention), rank)
                    if field == "herniation" or mention.category == "IMG_HERNIATION":
                        mm_match = _PROTRUSION_MM.search(sentence.text)
                        if mm_match and "disc_protrusion_mm" not in row.fields:
                            row.fields["disc_protrusion_mm"] = float(
                                next(g for g in mm_match.groups() if g)
                            )
                row.spans.append((sentence.start, sentence.end))
        for root, offset in _roots_pressed(sentence.text):
            for level in _segments_in_clause(sentence, offset):
                if level in rows and root in roots_at(level):
                    named = rows[level].fields.setdefault("compressed_roots", [])
                    if root not in named:
                        named.append(root)
        for match in _PROTRUSION_MM.finditer(sentence.text):  # bulges are not herniations
            for level in _segments_in_clause(sentence, match.start()):
                if level in rows and "disc_protrusion_mm" not in rows[level].fields:
                    rows[level].fields["disc_protrusion_mm"] = float(
                        next(g for g in match.groups() if g)
                    )
    if not rows and len(whole.fields) > 1:
        return [f.model_copy(update={"level": None}) for f in whole.findings(document)]
    return [finding for row in rows.values() for finding in row.findings(document)]


def _roots_pressed(text: str) -> list[tuple[str, int]]:
    """Nerve roots a sentence says a finding presses ("compressing the traversing left S1 nerve
    root", "the exiting L4 root is impinged"), with their offsets; not one said to be spared
    ("traversing L5 roots not compressed")."""
    found: list[tuple[str, int]] = []
    for match in _ROOT_PRESSED.finditer(text):
        root = match.group("root") or match.group("root2")
        if _ROOT_SPARED.search(match.group(0)):
            continue
        found.append((root.upper(), match.start()))
    return found


def _segments_in_clause(sentence: Sentence, offset: int) -> list[str]:
    left, right = _clause(sentence, offset)
    found = [lv for m in find_levels(sentence.text[left:right]) for lv in m.levels if "-" in lv]
    if found:
        return found
    earlier = [lv for m in find_levels(sentence.text[:offset]) for lv in m.levels if "-" in lv]
    return earlier[-1:]
