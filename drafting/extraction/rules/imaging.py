"""Imaging studies with per-level findings, from radiology reports and from notes that cite them.

A radiology report (document kind ``imaging``) is one study: modality and region from its title
or header, date from the document, read by a radiologist when signed by one; a corrected or
amended report replaces the earlier report of the same exam. A clinic sentence
naming a modality with a date or findings ("MRI L-spine 08/11/2026 (...): L5-S1 ...") is a study
too, merged into the report of the same modality and date when there is one.
A dictation's next sentences that go on describing a cited study belong to it. Per-level
findings are read by `imaging_findings`. Correlation with the clinical picture: a sentence
saying the imaging correlates (or is discordant), or attributing the symptoms to a finding.
The modality, reader, region and correlation words are data (`lexicons/imaging_reports.yaml`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from criteria.fact_values import region_group
from criteria.facts import CaseFacts, Fact, ImagingStudy, LevelFinding
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_dates, find_levels
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.rules.imaging_findings import (
    FINDING_FLAGS,
    NORMAL_STUDY,
    STENOSIS_KINDS,
    level_findings,
)
from drafting.extraction.rules.reader import CaseDocument, CaseReader

Modality = Literal["mri", "ct", "ct_myelogram", "myelogram", "xray", "other"]
_STUDY = patterns("imaging_reports", "study")
_MODALITY = _STUDY["modality"]
_REGION_WORDS = patterns("imaging_reports", "regions")
_CORRELATION = patterns("imaging_reports", "correlation")


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
    for region, pattern in _REGION_WORDS.items():
        if pattern.search(text):
            return region
    return None


def _report_study(reader: CaseReader, document: CaseDocument) -> ImagingStudy:
    head = f"{document.title}\n{document.text[:300]}"
    sentences = [
        s for s in document.annotated.sentences
        if s.section in ("findings", "impression", "preamble")
    ]  # fmt: skip
    # a report cut off before its end says nothing of the levels it does not reach, and what it
    # reaches is no finished read: no finding of it is evidence either way
    findings = [] if _cut_off(document) else _revised_findings(document, sentences)
    region = _region(head) or (level_region(findings[0].level) if findings and findings[0].level
                               else None)  # fmt: skip
    first = document.annotated.sentences[0] if document.annotated.sentences else None
    return ImagingStudy(
        modality=_modality(head) or "other",
        date=_exam_date(document)
        or document.date
        or next((d.value for d in find_dates(head, document.day_first)), None),
        region=region,
        # a report cut off before its impression and signature is no complete radiologist's read:
        # its findings stand, its silence at a level says nothing
        independent_radiologist=(
            bool(_STUDY["radiologist"].search(document.text)) and not _cut_off(document)
        )
        or None,
        findings=findings,
        evidence=[reader.evidence(document, first)] if first else [],
    )


# the day the study was done, told in a report's header ("Date of exam: 02/10/2026"), when the
# report's own date is a later one (its addendum's, its transcription's)
_EXAM_DATE = re.compile(
    r"\b(?:date\s+of\s+(?:exam(?:ination)?|study|service|scan)|exam(?:ination)?\s+date|"
    r"study\s+date|scan\s+date|DOS)\s*[:#-]?\s*(?=\d)",
    re.I,
)


def _exam_date(document: CaseDocument) -> date | None:
    named = _EXAM_DATE.search(document.text[:600])
    if named is None:
        return None
    dates = find_dates(document.text[named.end() : named.end() + 20], document.day_first)
    return dates[0].value if dates and dates[0].start == 0 else None


# a radiologist's addendum after the signed read ("ADDENDUM -- 02/17/2026", "Amended report:"),
# and one that re-counts the levels ("Vertebral level numbering revised", "the initial count ...
# was off by one segment"): every level of the first read is then the addendum's
_ADDENDUM = re.compile(
    r"^[ \t]*(?:ADDENDUM|Addendum|AMENDED\s+REPORT|Amended\s+report|CORRECTED\s+REPORT|"
    r"Corrected\s+report)\b",
    re.MULTILINE,
)
_RENUMBERED = re.compile(
    r"\bnumbering\b|\brenumber\w*|\blevel\s+designations?\b|\boff\s+by\s+one\b|"
    r"\bcount(?:ed|ing)?\s+from\b|\bmove\s+(?:down|up)\s+one\b",
    re.I,
)


def _revised_findings(document: CaseDocument, sentences: list[Sentence]) -> list[LevelFinding]:
    """A report's findings as its addendum leaves them: at a level the addendum speaks of, the
    addendum's read stands; an addendum that re-counts the levels replaces the first read."""
    addendum = _ADDENDUM.search(document.text)
    if addendum is None:
        return level_findings(document, sentences)
    first = [s for s in sentences if s.start < addendum.start()]
    later = [s for s in document.annotated.sentences if s.start >= addendum.start()]
    revised = level_findings(document, later)
    if not revised:
        return level_findings(document, first)  # "Addendum: discussed with Dr. X by phone"
    if _RENUMBERED.search(document.text, addendum.start()):
        return revised
    spoken_of = {f.level for f in revised}
    return [f for f in level_findings(document, first) if f.level not in spoken_of] + revised


def _cut_off(document: CaseDocument) -> bool:
    """The report stops before its end: "(continued on next page)" at its foot, or "page 1 of 2"
    in its title or foot, with no impression given."""
    foot = f"{document.title}\n{document.text[-400:]}"
    return bool(_STUDY["cut_off"].search(foot)) and not re.search(
        r"\bIMPRESSION\b|\bCONCLUSION\b", document.text, re.I
    )


def _note_studies(reader: CaseReader, document: CaseDocument) -> list[ImagingStudy]:
    studies: list[ImagingStudy] = []
    sentences = document.annotated.sentences
    for index, sentence in enumerate(sentences):
        match = _MODALITY.search(sentence.text)
        if not match or sentence.section == "plan":
            continue
        tail = sentence.text[match.end() :]
        dates = find_dates(tail[:80], document.day_first)
        related = [sentence]
        if sentence.section == "imaging":  # the rest of an "Imaging:" section describes it too
            for following in sentences[index + 1 :]:
                if following.section != "imaging" or _MODALITY.search(following.text):
                    break
                related.append(following)
        else:  # dictation: the next sentences of the paragraph that name findings describe it
            related.extend(_described_after(document, sentences, index))
        has_findings = any(
            m.category in FINDING_FLAGS
            or m.category in STENOSIS_KINDS
            or m.category == NORMAL_STUDY
            for s in related
            for m in s.concepts
        )
        if not dates and not has_findings:
            continue
        if _STUDY["future"].search(sentence.text[: match.start()] + tail[:20]) and not dates:
            continue
        related_text = " ".join(s.text for s in related)
        # a clinician's own read with the report unavailable leaves the radiologist's read
        # undocumented (to be requested), not contradicted
        independent: bool | None = None
        if not _STUDY["not_radiologist"].search(related_text) and _STUDY["radiologist"].search(
            related_text
        ):
            independent = True
        findings = level_findings(document, related)
        studies.append(
            ImagingStudy(
                modality=_modality(match.group(0)),
                date=dates[0].value if dates else None,
                region=_region(match.group(0) + tail[:25])  # "MRI C-spine 09/18, MRI L-spine"
                or _region(related_text)
                or (level_region(findings[0].level) if findings and findings[0].level else None),
                independent_radiologist=independent,
                findings=findings,
                evidence=[reader.evidence(document, sentence)],
            )
        )
    return studies


_FINDING_CATEGORIES = {"IMG_MODIC", "IMG_SPONDYLOLISTHESIS", NORMAL_STUDY}


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
            and not (previous is sentences[index] and _STUDY["refers_back"].match(following.text))
        ):
            break
        if _MODALITY.search(following.text):
            break
        names_finding = any(
            m.category in FINDING_FLAGS
            or m.category in STENOSIS_KINDS
            or m.category in _FINDING_CATEGORIES
            for m in following.concepts
        )
        if not names_finding and not find_levels(following.text):
            break
        found.append(following)
        previous = following
    return found


def _own_read(study: ImagingStudy) -> bool:
    """A study cited as the clinician's own read ("per my read of the images")."""
    return any(_STUDY["not_radiologist"].search(e.quote) for e in study.evidence)


def _same_study(a: ImagingStudy, b: ImagingStudy) -> bool:
    if a.modality != b.modality or a.date is None or b.date is None:
        return False
    if a.region and b.region and region_group(a.region) != region_group(b.region):
        return False  # a cervical and a lumbar MRI done the same day are two studies
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


def _standing_reports(reports: list[CaseDocument]) -> list[CaseDocument]:
    """The reports still in force: a corrected or amended report replaces the earlier report of
    the same modality whose date it names (its exam date, "supersedes the report of ...")."""
    replaced: set[int] = set()
    for corrected in reports:
        if not _STUDY["corrected"].search(corrected.text[:1500]):
            continue
        named = {d.value for d in find_dates(corrected.text[:1500], corrected.day_first)}
        modality = _modality(f"{corrected.title}\n{corrected.text[:300]}")
        for other in reports:
            if (
                other is not corrected
                and other.date in named
                and _modality(f"{other.title}\n{other.text[:300]}") == modality
                and not _STUDY["corrected"].search(other.text[:1500])
            ):
                replaced.add(other.index)
    return [d for d in reports if d.index not in replaced]


def extract_imaging(reader: CaseReader, facts: CaseFacts) -> None:
    """`imaging.studies` (reports first, then studies cited in notes) and correlation."""
    reports = [d for d in reader.documents if d.kind == "imaging"]
    standing = _standing_reports(reports)
    studies = [_report_study(reader, d) for d in standing]
    cut = {id(study) for study, d in zip(studies, standing, strict=True) if _cut_off(d)}
    for document in reader.newest_first("clinic", "surgical", "procedure", "other"):
        for study in _note_studies(reader, document):
            same = next((s for s in studies if _same_study(s, study)), None)
            if same is None:
                same = next(
                    (s for s in studies if s.modality == study.modality and study.date is None),
                    None,
                )
            if same is not None and _own_read(study) and same.independent_radiologist:
                # "the radiology report will supersede": a clinician's own read of a study the
                # radiologist reported adds nothing to it, and never fills a report that is cut
                # off (it stays apart, unread by a radiologist)
                if not same.findings:
                    studies.append(study)
            elif same is not None:
                if id(same) in cut:  # a note's summary does not finish a report cut off
                    study = study.model_copy(update={"independent_radiologist": None})
                _merge(same, study)
            else:
                studies.append(study)
    if studies:
        facts.imaging.studies = studies
    _correlation(reader, facts)


def _correlation(reader: CaseReader, facts: CaseFacts) -> None:
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        if _CORRELATION["discordant"].search(sentence.text):
            facts.imaging.correlates_with_clinical = Fact[bool](
                value=False, evidence=[reader.evidence(document, sentence)]
            )
            return
        if (
            (
                _CORRELATION["correlates"].search(sentence.text)
                and (
                    _MODALITY.search(sentence.text)
                    or re.search(r"\bfindings|imaging\b", sentence.text, re.I)
                )
            )
            or _CORRELATION["agree"].search(sentence.text)
            or (
                _CORRELATION["explains"].search(sentence.text)
                and not re.search(r"\b(?:not|n't|never)\s+(?:\w+\s+)?explain", sentence.text, re.I)
            )
            or (
                _CORRELATION["attributed"].search(sentence.text)
                and not re.search(
                    r"\bnot\s+(?:due|from|"
                    r"secondary|caused)",
                    sentence.text,
                    re.I,
                )
            )
        ):
            facts.imaging.correlates_with_clinical = Fact[bool](
                value=True, evidence=[reader.evidence(document, sentence)]
            )
            return
