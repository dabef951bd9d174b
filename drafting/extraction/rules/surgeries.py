"""Prior surgeries as events (`surgery.prior`).

A surgery mention counts when it is not negated, hypothetical or planned, is not in a plan
section or an imaging sentence ("CT 06/2026: solid L4-5 fusion" describes the fusion, it is not
the surgery), and reads as history: a history cue ("s/p", "Hx of", "prior") or a date. One clause
naming several operations ("L4-5 laminectomy and L4-S1 posterolateral fusion 03/2022") is one
event of the most definitive type (fusion before discectomy before laminectomy). A bare
"surgery" makes an event only when nothing more specific is found. "No prior spine surgery" with
no event gives an empty list. The types and cues are data (`lexicons/surgeries.yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from criteria.facts import CaseFacts, Fact, SurgeryEvent
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_levels
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.rules.events import documented_none
from drafting.extraction.rules.procedure_terms import dates_with_years
from drafting.extraction.rules.reader import CaseDocument, CaseReader

_TYPES = patterns("surgeries", "types")
_CUES = patterns("surgeries", "cues")
_REGIONS = patterns("surgeries", "regions")


def _clause(sentence: Sentence, offset: int) -> str:
    text = sentence.text
    start = max(
        text.rfind(";", 0, offset), text.rfind(". ", 0, offset), text.rfind("\n", 0, offset)
    )
    stop = min((i for i in (text.find(";", offset), text.find(". ", offset)) if i >= 0),
               default=len(text))  # fmt: skip
    return text[start + 1 : stop]


def _region(text: str) -> Any:
    """The one spinal region the words name, else None (none, or two: "neck and back")."""
    named = [name for name, pattern in _REGIONS.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else None


_ROOT_AFTER = _CUES["root_after"]
_FOR_BEFORE = _CUES["for_before"]


def _indication_root(clause: str, start: int, end: int) -> bool:
    """A level named as the operation's reason, not its site: a root named for the operation
    ("C4-5 ACDF 2019 for left C5 radiculopathy") or a single vertebra's radiculopathy anywhere
    in the clause ("L5-S1 ALIF for isthmic spondylolisthesis L5-S1 w/ L5 radiculopathy")."""
    if not _ROOT_AFTER.match(clause, end):
        return False
    return bool(_FOR_BEFORE.search(clause[:start])) or "-" not in clause[start:end]


def _event(document: CaseDocument, sentence: Sentence, mentions: list[ConceptMention],
           reader: CaseReader) -> SurgeryEvent | None:  # fmt: skip
    first = mentions[0]
    offset = first.start - sentence.start
    clause = _clause(sentence, offset)
    words = " ".join(m.text for m in mentions)
    kind = next((name for name, pattern in _TYPES.items() if pattern.search(words)), "other")
    dates = dates_with_years(clause, document.day_first)
    position = offset - (sentence.text.find(clause) if clause in sentence.text else 0)
    after = [d for d in dates if d.start >= position]
    dates = after + [d for d in dates if d.start < position]
    if not (first.historical or _CUES["history"].search(clause) or dates):
        return None
    levels = list(
        dict.fromkeys(
            lv for m in find_levels(clause) if not _indication_root(clause, m.start, m.end)
            for lv in m.levels
        )
    )  # fmt: skip
    return SurgeryEvent(
        type=kind,  # type: ignore[arg-type]
        date=dates[0].value if dates else None,
        levels=levels or None,
        region=level_region(levels[0]) if levels else _region(clause) or _region(sentence.text),
        evidence=[reader.evidence(document, sentence, (first.start, first.end))],
    )


def _same(a: SurgeryEvent, b: SurgeryEvent) -> bool:
    """Same type and date, a year-only date (January 1) matching any date in that year."""
    if a.type != b.type:
        return False
    if a.date is None or b.date is None:
        return a.date == b.date or a.levels == b.levels
    year_only = (a.date.month, a.date.day) == (1, 1) or (b.date.month, b.date.day) == (1, 1)
    return a.date == b.date or (year_only and a.date.year == b.date.year)


def extract_surgeries(reader: CaseReader, facts: CaseFacts) -> None:
    """`surgery.prior` as events; [] when the notes say there was none."""
    specific: list[SurgeryEvent] = []
    generic: list[SurgeryEvent] = []
    documents = reader.newest_first("clinic", "surgical", "procedure", "other")
    for document in documents:
        for sentence in document.annotated.sentences:
            if sentence.section in ("plan", "family") or _CUES["imaging"].search(sentence.text):
                continue  # "FAMILY HISTORY: brother had a lumbar fusion" is not this patient's
            usable = [
                m for m in sentence.mentions("SURGERY")
                if not (m.negated or m.hypothetical or m.planned or m.family)
                and not _CUES["not_an_operation"].search(sentence.text[m.start - sentence.start :
                                                               m.end - sentence.start + 20])
                and not _CUES["beside_the_fusion"].search(
                    sentence.text[max(0, m.start - sentence.start - 40) : m.start - sentence.start]
                )
            ]  # fmt: skip
            clauses: dict[str, list[ConceptMention]] = {}
            for mention in usable:
                key = _clause(sentence, mention.start - sentence.start)
                clauses.setdefault(key, []).append(mention)
            for mentions in clauses.values():
                event = _event(document, sentence, mentions, reader)
                if event is None:
                    continue
                offset = mentions[0].start - sentence.start
                if _CUES["time_from_it"].search(sentence.text[max(0, offset - 20) : offset]):
                    event.levels = None  # "radiculopathy L5 R (resolved 2019 post fusion)"
                bucket = generic if event.type == "other" and all(
                    re.fullmatch(r"(?:\w+\s+)?surgery", m.text, re.I) for m in mentions
                ) else specific  # fmt: skip
                if not any(_same(e, event) for e in bucket):
                    bucket.append(event)
    _consult_from_surgical_notes(reader, facts)
    specific = [e for e in specific if not _fusion_denied(reader, e)]
    events = specific or [e for e in generic if e.date is not None]
    if events:
        facts.surgery.prior = events
    elif documented_none(reader, ("SURGERY",)) is not None:
        facts.surgery.prior = []


def _fusion_denied(reader: CaseReader, event: SurgeryEvent) -> bool:
    """A fusion a note of the same date or later says the patient never had ("Correction to PSH:
    she did NOT have a fusion"; "L4-5 microdiscectomy 2019, no fusion"), at its levels or naming
    none. A form's "Prior fusion at requested level: No" says nothing of other levels."""
    if event.type != "fusion" or not event.evidence:
        return False
    written = next(
        (d.date for d in reader.documents if d.index == event.evidence[0].document), None
    )
    for document in reader.newest_first("clinic", "surgical", "other"):
        if written is not None and document.date is not None and document.date < written:
            continue
        for sentence in document.annotated.sentences:
            for denial in _CUES["fusion_denied"].finditer(sentence.text):
                named = [
                    lv for m in find_levels(_clause(sentence, denial.start())) for lv in m.levels
                ]
                if not named or not event.levels or set(named) & set(event.levels):
                    return True
    return False


def _consult_from_surgical_notes(reader: CaseReader, facts: CaseFacts) -> None:
    """A note written by a spine or orthopaedic surgeon is itself a surgical consultation."""
    consult = facts.surgery.consult
    if consult is not None and consult.value:
        return
    for document in reader.newest_first("surgical"):
        if document.annotated.sentences:
            evidence = reader.evidence(document, document.annotated.sentences[0])
            facts.surgery.consult = Fact[bool](value=True, evidence=[evidence])
            return
