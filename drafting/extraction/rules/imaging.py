"""Imaging studies with per-level findings, from radiology reports and from notes that cite them.

A radiology report (document kind ``imaging``) is one study: modality and region from its title
or header, date from the document, read by a radiologist when signed by one. A clinic sentence
naming a modality with a date or findings ("MRI L-spine 08/11/2026 (...): L5-S1 ...") is a study
too, merged into the report of the same modality and date when there is one.

Findings: each imaging concept (herniation, compression, stenosis type, facet, Modic, ...) is
assigned to the segments named in its clause (";" or "." bounded); with none there, to the last
segment named earlier on the same line ("L4-5: ..."), else to a lone vertebra in the clause
("L3 vertebral body lesion"). A negated concept records false (``herniation``, compression,
facet findings) where the vocabulary is yes/no and nothing otherwise (stenosis type).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from criteria.facts import CaseFacts, Evidence, Fact, ImagingStudy, LevelFinding
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.quantities import find_dates, find_levels, find_sides
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.rules.reader import CaseDocument, CaseReader

Modality = Literal["mri", "ct", "ct_myelogram", "myelogram", "xray", "other"]
_MODALITY = re.compile(
    r"(?-i:\bCT\s+myelogra\w*|\bMRI?\b|\bMR\s+imaging|\bCT\b)|\bmyelogra\w+|\bX-?rays?\b"
    r"|\bradiographs?\b|\bmagnetic\s+resonance",
    re.IGNORECASE,
)
_REGION_WORDS = [
    ("lumbar", re.compile(r"\blumbar\b|\bL-?spine\b|\blumbosacral\b|\bLS\s+spine\b", re.I)),
    ("cervical", re.compile(r"\bcervical\b|\bC-?spine\b", re.I)),
    ("thoracic", re.compile(r"\bthoracic\b|\bT-?spine\b", re.I)),
]
_RADIOLOGIST = re.compile(
    r"\bradiologist\b|\b(?:neuro)?radiology\b|\bread\s+by\b|\bdictated\s+by\b|"
    r"\binterpreted\s+by\b|\belectronically\s+signed\b",
    re.IGNORECASE,
)
_NOT_RADIOLOGIST = re.compile(
    r"\breport\s+(?:not\s+available|unavailable)|\bmy\s+(?:own\s+)?review|\bI\s+reviewed\s+the\s+"
    r"images|\bno\s+(?:official\s+)?report",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:recommend\w*|order\w*|obtain|consider|will\s+get|pending)\b", re.I)
_SEVERITY_RANK = {"severe": 3, "moderate": 2, "mild": 1}
# Yes/no findings recorded as false when the report negates them; other negations ("no fracture",
# "no spondylolisthesis") are report-wide and answered by the contraindication facts instead.
_NEGATABLE = {"herniation", "root_compression", "cord_signal_change"}
_STENOSIS = {
    "IMG_STENOSIS_FORAMINAL": "foraminal",
    "IMG_STENOSIS_CENTRAL": "central",
    "IMG_STENOSIS_LATERAL_RECESS": "lateral_recess",
    "IMG_STENOSIS_EXTRAFORAMINAL": "extraforaminal",
}
_FLAGS = {
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


def _modality(text: str) -> Modality | None:
    match = _MODALITY.search(text)
    if not match:
        return None
    word = match.group(0).lower()
    if word.startswith("ct") and "myelo" in word:
        return "ct_myelogram"
    if word.startswith(("mr", "magnetic")):
        return "mri"
    if word == "ct":
        return "ct"
    if word.startswith("myelo"):
        return "myelogram"
    return "xray"


def _region(text: str) -> Any:
    for region, pattern in _REGION_WORDS:
        if pattern.search(text):
            return region
    return None


def _clause(sentence: Sentence, offset: int) -> tuple[int, int]:
    """Bounds (relative to the sentence) of the ;-or-.-delimited clause holding `offset`."""
    text = sentence.text
    left = max(text.rfind(";", 0, offset), text.rfind(". ", 0, offset))
    right_candidates = [i for i in (text.find(";", offset), text.find(". ", offset)) if i >= 0]
    return left + 1, min(right_candidates) if right_candidates else len(text)


def _levels_for(document: CaseDocument, sentence: Sentence, mention: ConceptMention) -> list[str]:
    offset = mention.start - sentence.start
    left, right = _clause(sentence, offset)
    in_clause = find_levels(sentence.text[left:right])
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
_LISTHESIS_MM = re.compile(
    r"(\d+(?:\.\d+)?)\s*mm\s+(?:of\s+)?(?:\w+\s+)?(?:spondylo|antero|retro)?listhesis"
    r"|listhesis\s+(?:of\s+)?(\d+(?:\.\d+)?)\s*mm",
    re.IGNORECASE,
)


def _side_near(sentence: Sentence, mention: ConceptMention) -> str | None:
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


def _findings(document: CaseDocument, sentences: list[Sentence]) -> list[LevelFinding]:
    rows: dict[str, _LevelRow] = {}
    for sentence in sentences:
        for mention in sentence.concepts:
            field = _FLAGS.get(mention.category)
            stenosis = _STENOSIS.get(mention.category)
            modic = mention.category == "IMG_MODIC"
            listhesis = mention.category == "IMG_SPONDYLOLISTHESIS"
            if not (field or stenosis or modic or listhesis) or mention.hypothetical:
                continue
            rank = _severity(sentence, mention) + (4 if field in ("herniation", "root_compression")
                                                   else 0)  # fmt: skip
            for level in _levels_for(document, sentence, mention):
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
        for match in _PROTRUSION_MM.finditer(sentence.text):  # bulges are not herniations
            for level in _segments_in_clause(sentence, match.start()):
                if level in rows and "disc_protrusion_mm" not in rows[level].fields:
                    rows[level].fields["disc_protrusion_mm"] = float(
                        next(g for g in match.groups() if g)
                    )
    return [finding for row in rows.values() for finding in row.findings(document)]


def _segments_in_clause(sentence: Sentence, offset: int) -> list[str]:
    left, right = _clause(sentence, offset)
    found = [lv for m in find_levels(sentence.text[left:right]) for lv in m.levels if "-" in lv]
    if found:
        return found
    earlier = [lv for m in find_levels(sentence.text[:offset]) for lv in m.levels if "-" in lv]
    return earlier[-1:]


def _report_study(reader: CaseReader, document: CaseDocument) -> ImagingStudy:
    head = f"{document.title}\n{document.text[:300]}"
    sentences = [
        s for s in document.annotated.sentences
        if s.section in ("findings", "impression", "preamble")
    ]  # fmt: skip
    findings = _findings(document, sentences)
    region = _region(head) or (level_region(findings[0].level) if findings and findings[0].level
                               else None)  # fmt: skip
    first = document.annotated.sentences[0] if document.annotated.sentences else None
    return ImagingStudy(
        modality=_modality(head) or "other",
        date=document.date or (find_dates(head)[0].value if find_dates(head) else None),
        region=region,
        independent_radiologist=bool(_RADIOLOGIST.search(document.text)) or None,
        findings=findings,
        evidence=[reader.evidence(document, first)] if first else [],
    )


def _note_studies(reader: CaseReader, document: CaseDocument) -> list[ImagingStudy]:
    studies: list[ImagingStudy] = []
    sentences = document.annotated.sentences
    for index, sentence in enumerate(sentences):
        match = _MODALITY.search(sentence.text)
        if not match or sentence.section == "plan":
            continue
        tail = sentence.text[match.end() :]
        dates = find_dates(tail[:80])
        related = [sentence]
        if sentence.section == "imaging":  # the rest of an "Imaging:" section describes it too
            for following in sentences[index + 1 :]:
                if following.section != "imaging" or _MODALITY.search(following.text):
                    break
                related.append(following)
        else:  # dictation: the next sentences of the paragraph that name findings describe it
            related.extend(_described_after(document, sentences, index))
        has_findings = any(
            m.category in _FLAGS or m.category in _STENOSIS for s in related for m in s.concepts
        )
        if not dates and not has_findings:
            continue
        if _FUTURE.search(sentence.text[: match.start()] + tail[:20]) and not dates:
            continue
        related_text = " ".join(s.text for s in related)
        # a clinician's own read with the report unavailable leaves the radiologist's read
        # undocumented (to be requested), not contradicted
        independent: bool | None = None
        if not _NOT_RADIOLOGIST.search(related_text) and _RADIOLOGIST.search(related_text):
            independent = True
        findings = _findings(document, related)
        studies.append(
            ImagingStudy(
                modality=_modality(match.group(0)),
                date=dates[0].value if dates else None,
                region=_region(related_text)
                or (level_region(findings[0].level) if findings and findings[0].level else None),
                independent_radiologist=independent,
                findings=findings,
                evidence=[reader.evidence(document, sentence)],
            )
        )
    return studies


_FINDING_CATEGORIES = {"IMG_MODIC", "IMG_SPONDYLOLISTHESIS"}
# "It demonstrates ...", "The study shows ...": a new paragraph that goes on about the study
_REFERS_BACK = re.compile(
    r"(?:It|This|This\s+(?:study|scan|exam)|The\s+(?:study|scan|exam|images?|MRI|CT)"
    r"|These\s+images)"
    r"\s+(?:\w+\s+)?(?:demonstrates?|shows?|showed|reveals?|revealed|notes?|confirms?)\b",
    re.IGNORECASE,
)


def _described_after(
    document: CaseDocument, sentences: tuple[Sentence, ...], index: int, limit: int = 4
) -> list[Sentence]:
    """Sentences after a cited study that go on describing it ("At L4-L5 he has severe ...").

    They follow in the same paragraph and section, name imaging findings or spinal levels, and
    name no other study; the first sentence with neither ends the description.
    """
    found: list[Sentence] = []
    previous = sentences[index]
    for following in sentences[index + 1 : index + 1 + limit]:
        gap = document.text[previous.end : following.start]
        new_paragraph = "\n\n" in gap.replace("\r", "")
        if following.section != previous.section or (
            new_paragraph
            and not (previous is sentences[index] and _REFERS_BACK.match(following.text))
        ):
            break
        if _MODALITY.search(following.text):
            break
        names_finding = any(
            m.category in _FLAGS or m.category in _STENOSIS or m.category in _FINDING_CATEGORIES
            for m in following.concepts
        )
        if not names_finding and not find_levels(following.text):
            break
        found.append(following)
        previous = following
    return found


def _same_study(a: ImagingStudy, b: ImagingStudy) -> bool:
    if a.modality != b.modality or a.date is None or b.date is None:
        return False
    return (a.date.year, a.date.month) == (b.date.year, b.date.month) and (
        a.date == b.date or a.date.day == 1 or b.date.day == 1
    )


def _merge(into: ImagingStudy, other: ImagingStudy) -> None:
    if into.independent_radiologist is None:
        into.independent_radiologist = other.independent_radiologist
    if into.region is None:
        into.region = other.region
    if not into.findings:
        into.findings = other.findings
    into.evidence = [*into.evidence, *(e for e in other.evidence if e not in into.evidence)][:3]


def extract_imaging(reader: CaseReader, facts: CaseFacts) -> None:
    """`imaging.studies` (reports first, then studies cited in notes) and correlation."""
    studies = [_report_study(reader, d) for d in reader.documents if d.kind == "imaging"]
    for document in reader.newest_first("clinic", "surgical", "procedure", "other"):
        for study in _note_studies(reader, document):
            same = next((s for s in studies if _same_study(s, study)), None)
            if same is None:
                same = next(
                    (s for s in studies if s.modality == study.modality and study.date is None),
                    None,
                )
            if same is not None:
                _merge(same, study)
            else:
                studies.append(study)
    if studies:
        facts.imaging.studies = studies
    _correlation(reader, facts)


_CORRELATES = re.compile(
    r"\b(?:correlat\w+|concordant|consistent\s+with\s+(?:the\s+)?(?:exam|clinical|symptoms|"
    r"presentation)|corresponding|matches)\b",
    re.IGNORECASE,
)
_DISCORDANT = re.compile(
    r"\b(?:does\s+not\s+correlate|not\s+correlat\w+|discordant|no\s+correlat\w+|"
    r"despite\s+(?:an?\s+)?(?:unremarkable|normal|negative)\s+(?:MRI|imaging|CT))\b",
    re.IGNORECASE,
)


# an assessment that attributes the clinical picture to an imaging finding correlates the two
_ATTRIBUTED = re.compile(
    r"\b(?:radiculopathy|radicular\s+(?:pain|symptoms)|sciatica|claudication)\s+(?:is\s+)?"
    r"(?:due\s+to|from|secondary\s+to|caused\s+by|attributed\s+to|2/2)\s+[^.;]{0,50}?"
    r"\b(?:cyst|herniation|HNP|protrusion|extrusion|stenosis|compression)\b",
    re.IGNORECASE,
)


def _correlation(reader: CaseReader, facts: CaseFacts) -> None:
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        if _DISCORDANT.search(sentence.text):
            facts.imaging.correlates_with_clinical = Fact[bool](
                value=False, evidence=[reader.evidence(document, sentence)]
            )
            return
        if (
            _CORRELATES.search(sentence.text)
            and (
                _MODALITY.search(sentence.text)
                or re.search(r"\bfindings|imaging\b", sentence.text, re.I)
            )
        ) or (
            _ATTRIBUTED.search(sentence.text)
            and not re.search(
                r"\bnot\s+(?:due|from|"
                r"secondary|caused)",
                sentence.text,
                re.I,
            )
        ):
            facts.imaging.correlates_with_clinical = Fact[bool](
                value=True, evidence=[reader.evidence(document, sentence)]
            )
            return
