"""The offline clinical-NLP fact extractor (the default extractor): a Case in, CaseFacts out.

`extract_facts(case)` annotates every document with the medSpaCy pipeline
(`drafting.extraction.clinical_nlp`), runs the rule modules over the annotations and returns
`CaseFacts` whose every value carries verbatim evidence (quote, document index, character span).
`request.*` is copied from the request. Rule modules, each owning one part of the vocabulary:

- `booleans`      yes/no facts straight from concept mentions (one declarative table)
- `clinical`      pain score/side/severity, ADLs, symptom duration, dermatome, exam completed
- `imaging`       imaging studies (per-level findings: `imaging_findings`); correlation
- `conservative`  PT weeks, conservative-care weeks, re-evaluation date, invasive step considered
- `events`        prior procedures as dated events (their attributes: `event_attributes`;
                  merged into one history: `event_history`); `surgeries` prior surgeries
- `procedure_terms` procedure types, targets, approaches, levels a procedure names
- `conditions`    BMI, HbA1c, MME, T-score, CRPS categories, SI tests, stimulator trial
- `planned`       the requested procedure as the plan states it; request facts
- `stimulator`    stimulator candidacy, psychological clearance and trial results

`extract_facts_timed` also returns how long each stage took.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from criteria.facts import CaseFacts
from drafting.case.contract import Case
from drafting.extraction.clinical_nlp import load_pipeline, load_seconds
from drafting.extraction.rules.booleans import extract_booleans
from drafting.extraction.rules.clinical import extract_clinical
from drafting.extraction.rules.conditions import extract_bvn, extract_conditions
from drafting.extraction.rules.conservative import extract_conservative
from drafting.extraction.rules.events import extract_procedures
from drafting.extraction.rules.imaging import extract_imaging
from drafting.extraction.rules.pdn import extract_pdn
from drafting.extraction.rules.planned import extract_planned
from drafting.extraction.rules.reader import CaseReader, DocumentProgress
from drafting.extraction.rules.request_form import request_facts
from drafting.extraction.rules.stimulator import extract_stimulator
from drafting.extraction.rules.surgeries import extract_surgeries
from drafting.extraction.rules.workup import extract_workup

EXTRACTOR_NAME = "clinical-nlp-rules"


class ExtractionTiming(BaseModel):
    """Seconds spent per stage for one case; `model_load` is non-zero only on the first call."""

    model_load: float
    annotate: float
    rules: float

    @property
    def total(self) -> float:
        """Everything, model load included."""
        return self.model_load + self.annotate + self.rules


def extract_facts_timed(
    case: Case, progress: DocumentProgress | None = None
) -> tuple[CaseFacts, ExtractionTiming]:
    """`extract_facts` plus the time each stage took; `progress(number, count, title)` is called
    before each document is read."""
    already_loaded = load_seconds() is not None
    started = time.perf_counter()
    load_pipeline()
    loaded = time.perf_counter()
    reader = CaseReader(case, progress)
    annotated = time.perf_counter()
    facts = CaseFacts(request=request_facts(reader))
    extract_booleans(reader, facts)
    extract_clinical(reader, facts)
    extract_imaging(reader, facts)
    extract_conservative(reader, facts)
    extract_procedures(reader, facts)
    extract_surgeries(reader, facts)
    extract_conditions(reader, facts)
    extract_planned(reader, facts)
    extract_stimulator(reader, facts)
    extract_pdn(reader, facts)
    extract_bvn(reader, facts)
    extract_workup(reader, facts)
    finished = time.perf_counter()
    timing = ExtractionTiming(
        model_load=0.0 if already_loaded else loaded - started,
        annotate=annotated - loaded,
        rules=finished - annotated,
    )
    return facts, timing


def extract_facts(case: Case) -> CaseFacts:
    """Every fact the notes document, each with verbatim evidence; request facts from the case."""
    return extract_facts_timed(case)[0]


__all__ = [
    "EXTRACTOR_NAME",
    "DocumentProgress",
    "ExtractionTiming",
    "extract_facts",
    "extract_facts_timed",
]
