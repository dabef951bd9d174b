"""The request itself: its own facts (date, patient, codes, diagnoses, lines) and what a request
form ticks that the plan does not say (guidance, contrast, purpose, injectate). A form's options
are read only where ticked ("Guidance: ☒ Fluoroscopy ☐ CT"); the words are data
(`lexicons/techniques.yaml` guidance_option).
"""

from __future__ import annotations

import re

from criteria.fact_values import region_group
from criteria.facts import CaseFacts, RequestFacts, ServiceLine
from criteria.loader import load_library
from drafting.case.contract import Case
from drafting.extraction.clinical_nlp.checkboxes import ticked_options
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.rules.event_attributes import region_word
from drafting.extraction.rules.procedure_terms import PROCEDURE_TYPES
from drafting.extraction.rules.reader import CaseDocument, CaseReader

_GUIDANCE_OPTION = patterns("techniques", "guidance_option")
_WITH_CONTRAST = re.compile(r"\bw(?:ith|/)\s*(?:IV\s+)?contrast\b", re.IGNORECASE)
# labels of a request form's guidance and contrast fields, and the answers of a yes/no option
_FORM_LABELS = {
    "guidance": r"(?:image\s+|imaging\s+)?guidance|imaging",
    "contrast": r"contrast(?:\s+(?:used|planned|to\s+be\s+used))?",
    "purpose": r"purpose|intent",
    "injectate": r"injectate|medications?|agents?|steroid|(?:local\s+)?an(?:a)?esthetic",
    "yes": r"yes|y",
    "no": r"no|n",
}
# the injectate a drug concept names
DRUG_NAMES = {"DRUG_STEROID": "steroid", "DRUG_ANESTHETIC": "anesthetic"}


def form_fields(reader: CaseReader, facts: CaseFacts) -> None:
    """Guidance, contrast, purpose and injectate a request form ticks ("Guidance: ☒ Fluoroscopy
    ☐ CT", "Contrast: ☒ Yes ☐ No", "Purpose: ☐ Diagnostic ☒ Therapeutic", "Injectate: ☒
    Corticosteroid ☒ Local anesthetic") when the plan does not say them."""
    planned = facts.planned.procedure_type.value if facts.planned.procedure_type else None
    for document in reader.newest_first():
        text = document.text
        others = _other_services(document, planned)

        def ticked(
            label: str, text: str = text, others: list[tuple[int, int]] = others
        ) -> list[tuple[int, int]]:
            return [
                (start, end) for start, end in ticked_options(text, _FORM_LABELS[label])
                if not any(lo <= start < hi for lo, hi in others)
            ]  # fmt: skip

        if facts.planned.purpose is None:
            for start, end in ticked("purpose"):
                stated = re.search(r"\b(diagnostic|therapeutic)\b", text[start:end], re.I)
                if stated:
                    evidence = reader.span_evidence(document, start, end)
                    facts.set(
                        "planned.purpose",
                        {"value": stated.group(1).lower(), "evidence": [evidence.model_dump()]},
                    )
                    break
        if facts.planned.injectate is None:
            boxes = ticked("injectate")
            names = [
                DRUG_NAMES[m.category] for s in document.annotated.sentences for m in s.concepts
                if m.category in DRUG_NAMES and m.affirmed
                and any(start <= m.start < end for start, end in boxes)
            ]  # fmt: skip
            if names:
                evidence = reader.span_evidence(document, boxes[0][0], boxes[-1][1])
                facts.set(
                    "planned.injectate",
                    {"value": list(dict.fromkeys(names)), "evidence": [evidence.model_dump()]},
                )
        if facts.planned.guidance is None:
            for start, end in ticked("guidance"):
                guidance = next(
                    (n for n, p in _GUIDANCE_OPTION.items() if p.search(text[start:end])), None
                )
                if guidance:
                    evidence = reader.span_evidence(document, start, end)
                    facts.set(
                        "planned.guidance", {"value": guidance, "evidence": [evidence.model_dump()]}
                    )
                    if facts.planned.contrast is None and _WITH_CONTRAST.search(text[start:end]):
                        # "[X] Fluoroscopy with contrast": the ticked option says both
                        facts.set(
                            "planned.contrast", {"value": True, "evidence": [evidence.model_dump()]}
                        )
                    break
        if facts.planned.contrast is None:
            for start, end in ticked("contrast"):
                answer = re.match(rf"\W*({_FORM_LABELS['yes']}|{_FORM_LABELS['no']})\b",
                                  text[start:end].lstrip("[]()xX☒☑✅✓✔* "), re.I)  # fmt: skip
                if answer:
                    given = re.fullmatch(_FORM_LABELS["yes"], answer.group(1), re.I) is not None
                    evidence = reader.span_evidence(document, start, end)
                    facts.set(
                        "planned.contrast", {"value": given, "evidence": [evidence.model_dump()]}
                    )
                    break


# a form's numbered service block ("SERVICE 2", "Line 2:", "Procedure #2"): its fields are its own
_SERVICE_BLOCK = re.compile(
    r"(?im)^[ \t]*(?:service|line|procedure|request(?:ed)?\s+service|item)\s*#?\s*\d{1,2}\b"
)


def _other_services(document: CaseDocument, planned: str | None) -> list[tuple[int, int]]:
    """The spans of a form's service blocks that ask for another procedure than the planned one
    (an MBB's "Injectate: [x] Local anesthetic only" is not the SI injection's)."""
    starts = [m.start() for m in _SERVICE_BLOCK.finditer(document.text)]
    if planned is None or len(starts) < 2:
        return []
    spans = list(zip(starts, [*starts[1:], len(document.text)], strict=True))
    kinds = [
        {
            PROCEDURE_TYPES[m.category] for s in document.annotated.sentences for m in s.concepts
            if m.category in PROCEDURE_TYPES and lo <= m.start < hi
        }
        for lo, hi in spans
    ]  # fmt: skip
    if not any(planned in found for found in kinds):
        return []  # no block names the planned procedure: the fields stay the form's
    pairs = zip(spans, kinds, strict=True)
    return [span for span, found in pairs if found and planned not in found]


def requested_region_groups(case: Case, *, by_code: bool = False) -> set[str]:
    """The region groups the request's lines treat (cervicothoracic, lumbosacral), from their
    levels or their descriptions' region words ("lumbar or sacral"), and with `by_code` the
    code's own description; empty when none says."""
    groups: set[str] = set()
    library = load_library()
    for line in case.request.services:
        regions: set[str] = {level_region(level) for level in line.levels if level[:1] in "CTLS"}
        entry = library.code_entry(line.code) if by_code else None
        for description in (line.description, entry.description if entry else None):
            named = region_word(description or "")
            if not regions and named:
                regions = {named}
        groups |= {g for g in (region_group(r) for r in regions) if g}
    return groups


def requested_sides(case: Case) -> set[str]:
    """The sides the request's lines name (left, right, bilateral)."""
    return {line.side for line in case.request.services if line.side}


def request_facts(reader: CaseReader) -> RequestFacts:
    """The request's own facts: date received, age, sex, codes, diagnoses and lines."""
    facts = case_request_facts(reader.case)
    # a request form's date is the day it was sent, not the day what it tells was observed
    facts.document_dates = [
        None if document.is_request_form else document.date for document in reader.documents
    ]
    return facts


def case_request_facts(case: Case) -> RequestFacts:
    """The request's own facts of a case, read without its notes."""
    return RequestFacts(
        date=case.received,
        age=case.patient.age,
        sex=case.patient.sex,
        codes=[line.code for line in case.request.services],
        diagnosis_codes=[diagnosis.code for diagnosis in case.request.diagnoses],
        lines=[
            ServiceLine(
                code=line.code,
                description=line.description,
                side=line.side,
                levels=list(line.levels),
                units=line.units,
            )
            for line in case.request.services
        ],
        document_dates=[document.date for document in case.documents],
    )
