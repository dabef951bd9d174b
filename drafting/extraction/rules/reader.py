"""The case as the extraction rules read it: annotated documents, their kinds, and evidence.

`CaseReader` annotates every document once (`drafting.extraction.clinical_nlp.annotate`), guesses
each document's kind from its title and first lines (clinic note, imaging report, PT note, procedure
note, surgical consult), orders documents newest first for "current state" facts, and builds
`Evidence` whose quote is always a verbatim slice of the document: the sentence, or for a long
sentence the shortest clause around the supporting words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from datetime import date as calendar_date  # inside CaseDocument, `date` is its field
from typing import Literal

from criteria.facts import CaseFacts, Evidence
from drafting.case.contract import Case
from drafting.extraction.clinical_nlp import AnnotatedDocument, ConceptMention, Sentence, annotate
from drafting.extraction.quantities import find_dates
from drafting.extraction.quantities.calendar import writes_day_first, writes_month_first
from drafting.extraction.rules.procedure_terms import dates_with_years

# "legal": an attorney's, adjuster's or insurer's letter, or a payer's earlier determination
# (its rationale cites the guideline's criteria and recaps the record second-hand), which tells
# no clinical fact (what it says of therapy or pain is a party's claim, not a record of care);
# no rule reads it
DocumentKind = Literal["clinic", "imaging", "pt", "procedure", "surgical", "other", "legal"]
# called before each document is annotated: (1-based number, how many, title)
DocumentProgress = Callable[[int, int, str], None]
MAX_QUOTE_CHARS = 240
_CLAUSE_BREAK = re.compile(r"[;\n]|,\s|\s-\s|\.\s")
_KIND_RULES: list[tuple[DocumentKind, re.Pattern[str]]] = [
    ("imaging", re.compile(r"\b(?:MRI|CT|X-?ray|radiograph|myelogram|radiology|imaging)\b.*"
                           r"\b(?:report|spine)\b|\bRADIOLOGY\b|\bIMAGING\b", re.I)),
    ("pt", re.compile(r"\bphysical\s+therap\w*|\bphysio\w*|\bphysical\s+medicine\s+rehab\w*\s+"
                      r"(?:therapy|discharge)|\b(?:PT|DPT)\b.*\b(?:discharge|evaluation|note|summary)",
                      re.I)),
    ("procedure", re.compile(r"\b(?:procedure|operative|op)\s+(?:note|report|record)\b|"
                             r"^\s*PROCEDURE\b", re.I | re.M)),
    ("surgical", re.compile(r"\b(?:neurosurgery|neurosurgical|spine\s+surgery|orthopa?edic\s+"
                            r"(?:spine\s+)?surgery|ortho\w*\s+spine)\b", re.I)),
]  # fmt: skip


@dataclass(frozen=True)
class CaseDocument:
    """One document of the case with its annotation."""

    index: int
    title: str
    date: date | None
    kind: DocumentKind
    annotated: AnnotatedDocument
    # the document writes numeric dates day first (`_day_first_documents`): read them so
    day_first: bool = False

    @property
    def text(self) -> str:
        """The document's verbatim text."""
        return self.annotated.text

    def months_before(self, sentence: Sentence) -> float:
        """How many months before this document the latest date a sentence names lies (0 when
        it names none or the document is undated)."""
        stated = [d.value for d in dates_with_years(sentence.text, self.day_first)]
        if not stated or self.date is None:
            return 0.0
        return (self.date - max(stated)).days / 30.44

    def entry_date(self, sentence: Sentence) -> calendar_date | None:
        """The date heading the log entry a sentence belongs to: the last line of its paragraph,
        before it, that opens on a date ("06/23/2026 11:48  6-week call - R. C., LPN")."""
        start = self.text.rfind("\n\n", 0, sentence.start)
        heading: calendar_date | None = None
        for line in self.text[max(start, 0) : sentence.start].splitlines():
            dates = find_dates(line, self.day_first)
            if dates and not line[: dates[0].start].strip():
                heading = dates[0].value
        return heading

    @property
    def is_request_form(self) -> bool:
        """A request for authorization (its title or its heading: "Prior authorization request
        form", "PRECERT WORKSHEET"): the office's summary for the payer, not a clinical note."""
        return bool(_REQUEST_FORM.search(self.title) or _REQUEST_FORM.search(self.text[:400]))


# the words that name a request for authorization, in a title or a form's heading
_REQUEST_FORM = re.compile(
    r"\b(?:prior\s+auth\w*|pre-?cert\w*|pre-?auth\w*|(?:authori[sz]ation|approval)\s+"
    r"(?:request|form)|request\s+for\s+(?:prior\s+)?(?:authori[sz]ation|approval)|"
    r"(?:authori[sz]ation|referral)\s+form|request\s+form)\b",
    re.IGNORECASE,
)


_CLINIC_TITLE = re.compile(
    r"\b(?:office|clinic|consult\w*|progress|follow-?up|visit|H&P|history\s+and\s+physical|"
    r"letter|physiatry|pain\s+management|referral|pre-?procedure|pre-?op\w*|review|request|"
    r"authori[sz]ation)\b",
    re.I,
)


# an operative or procedure report's own headings, in capitals, near its top ("PREOPERATIVE
# DIAGNOSIS:", "NAME OF OPERATION:", "OPERATION PERFORMED:", "PREPROCEDURE PREPARATION:")
_OPERATIVE_HEADER = re.compile(
    r"^[ \t]*(?:PRE-?\s*OP(?:ERATIVE)?|POST-?\s*OP(?:ERATIVE)?)\s+DIAGNOS[EI]S\b"
    r"|^[ \t]*(?:NAME\s+OF\s+)?(?:OPERATION|PROCEDURE)S?(?:\s+PERFORMED)?\s*:"
    r"|^[ \t]*PRE-?PROCEDURE\s+(?:PREPARATION|DIAGNOSIS)\b",
    re.M,
)
_PROCEDURE_RECORD = re.compile(r"\b(?:procedure|operative|op)\s+(?:note|report|record)\b", re.I)


# a letter of a party to a claim (attorney, adjuster, insurer), not of a clinician
_LEGAL_TITLE = re.compile(
    r"\b(?:attorney|lawyer|law\s+(?:office|firm|group)|counsel|Esq|adjuster|claims?\s+(?:examiner|"
    r"notice)|PIP\b|benefits?\s+(?:exhaustion|notice)|(?:auto|motor)\s+insurer)",
    re.I,
)
_CLINICIAN_TITLE = re.compile(
    r"\b(?:physician|doctor|MD|DO|treating|provider|clinic\w*|medical|IME|examination|nurse|"
    r"therap\w*|records?\s+review)\b",
    re.I,
)


# a payer's or review organization's decision on an earlier request, not a request or an appeal
_PAYER_DECISION_TITLE = re.compile(r"\b(?:determination|denial|decision|adverse)\b", re.I)
_REQUEST_OR_APPEAL = re.compile(r"\b(?:request\w*|appeal\w*|rebuttal|peer)\b", re.I)


def document_kind(title: str, text: str) -> DocumentKind:
    """Imaging, PT, procedure, surgical or clinic, from the title, else the header lines.

    A clinic title decides before the text is looked at: an office note that mentions physical
    therapy in its first sentence is still an office note. The header is the first two lines
    (a letterhead, "PROCEDURE NOTE"), not the history under it.
    """
    if _LEGAL_TITLE.search(title) and not _CLINICIAN_TITLE.search(title):
        return "legal"
    if _PAYER_DECISION_TITLE.search(title) and not _REQUEST_OR_APPEAL.search(title):
        return "legal"  # "Notice of adverse benefit determination", "UR determination (ODG)"
    for kind, pattern in _KIND_RULES:
        if pattern.search(title):
            if (
                kind == "procedure"
                and _CLINIC_TITLE.search(title)
                and not _PROCEDURE_RECORD.search(title)
            ):
                return "clinic"  # "Procedure follow-up", "Procedure consult": a visit
            return kind
    if _CLINIC_TITLE.search(title):
        return "clinic"
    head = "\n".join(text.strip().splitlines()[:2])[:160]
    for kind, pattern in _KIND_RULES:
        if pattern.search(head):
            return kind
    if _OPERATIVE_HEADER.search(text[:800]):
        return "procedure"
    return "clinic"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "-*•,;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def clause_bounds(text: str, start: int, end: int, focus: tuple[int, int]) -> tuple[int, int]:
    """The shortest clause of text[start:end] around `focus`, cut at ; newline and commas."""
    left = start
    for match in _CLAUSE_BREAK.finditer(text, start, focus[0]):
        left = match.end()
    right = end
    stop = _CLAUSE_BREAK.search(text, focus[1], end)
    if stop:
        right = stop.start() + (1 if text[stop.start()] == "." else 0)
    return _trim(text, left, right)


def set_fact(facts: CaseFacts, name: str, value: object, evidence: list[Evidence]) -> None:
    """Store a fact by dotted name; pydantic checks the value against the vocabulary's type."""
    facts.set(name, {"value": value, "evidence": [e.model_dump() for e in evidence]})


def _day_first_documents(case: Case) -> list[bool]:
    """Which documents write numeric dates day first: those that show it themselves (15/04/2026,
    "02/03/2026 (2 Mar 2026)", their own date written so), and when the packet shows it and no
    document writes a date that can only be month first, all of them (a British letter's
    "10/06/2025" is 10 June in its other documents too)."""
    shown = [writes_day_first(d.text, d.date) for d in case.documents]
    month_first = [writes_month_first(d.text) for d in case.documents]
    packet = any(shown) and not any(month_first)
    return [
        not month_first[index] and (shown[index] or packet) for index in range(len(case.documents))
    ]


class CaseReader:
    """Annotated documents of one case plus the helpers every rule module uses."""

    def __init__(self, case: Case, progress: DocumentProgress | None = None) -> None:
        self.case = case
        self.documents: list[CaseDocument] = []
        day_first = _day_first_documents(case)
        for index, document in enumerate(case.documents):
            if progress is not None:
                progress(index + 1, len(case.documents), document.title)
            self.documents.append(
                CaseDocument(
                    index=index,
                    title=document.title,
                    date=document.date,
                    kind=document_kind(document.title, document.text),
                    annotated=annotate(document.text),
                    day_first=day_first[index],
                )
            )

    # ------------------------------------------------------------ ordering
    def newest_first(self, *kinds: DocumentKind) -> list[CaseDocument]:
        """Documents of the given kinds (all clinical ones when none given), newest first,
        undated last."""
        chosen = [d for d in self.documents if d.kind in kinds or (not kinds and d.kind != "legal")]
        return sorted(chosen, key=lambda d: (d.date is None, -(d.date or date.min).toordinal()))

    def clinical_notes(self) -> list[CaseDocument]:
        """Clinic and surgical notes newest first; a record that is only procedure notes tells the
        patient's state in their indications ("PATIENT PROFILE", "HISTORY"), so those stand in."""
        return self.newest_first("clinic", "surgical") or self.newest_first("procedure")

    def clinical_first(self) -> list[CaseDocument]:
        """Clinic and surgical notes newest first, then every other document newest first."""
        main = self.newest_first("clinic", "surgical")
        return main + [d for d in self.newest_first() if d not in main]

    # ------------------------------------------------------------ searching
    def mentions(
        self, category: str, documents: list[CaseDocument] | None = None
    ) -> Iterator[tuple[CaseDocument, Sentence, ConceptMention]]:
        """Every mention of a category, document by document in the given order."""
        for document in documents if documents is not None else self.documents:
            for sentence, mention in document.annotated.mentions(category):
                yield document, sentence, mention

    def sentences(
        self, documents: list[CaseDocument] | None = None
    ) -> Iterator[tuple[CaseDocument, Sentence]]:
        """Every sentence, document by document in the given order."""
        for document in documents if documents is not None else self.documents:
            for sentence in document.annotated.sentences:
                yield document, sentence

    # ------------------------------------------------------------ evidence
    def evidence(
        self, document: CaseDocument, sentence: Sentence, focus: tuple[int, int] | None = None
    ) -> Evidence:
        """Evidence quoting the sentence, or for a long one the clause around `focus`."""
        start, end = _trim(document.text, sentence.start, sentence.end)
        if focus is not None and end - start > MAX_QUOTE_CHARS:
            start, end = clause_bounds(document.text, sentence.start, sentence.end, focus)
            if end - start < 12:  # too short to read on its own: widen to the sentence
                start, end = _trim(document.text, sentence.start, sentence.end)
        return Evidence(
            quote=document.text[start:end], document=document.index, start=start, end=end
        )

    def span_evidence(self, document: CaseDocument, start: int, end: int) -> Evidence:
        """Evidence quoting exactly text[start:end] (trimmed)."""
        start, end = _trim(document.text, start, end)
        return Evidence(
            quote=document.text[start:end], document=document.index, start=start, end=end
        )

    def date_line_evidence(self, document: CaseDocument) -> Evidence | None:
        """Evidence for the document's own date: the first line in its header naming a date."""
        for sentence in document.annotated.sentences[:6]:
            dates = find_dates(sentence.text)
            if dates and (document.date is None or dates[0].value == document.date):
                return self.evidence(document, sentence)
        return None
