"""Painful diabetic neuropathy (PDN) as a stimulator indication: the guideline's PDN facts.

Read only when the stimulator's condition is PDN (`stimulator.condition`), from every document
(the neurologist's letter, the EMG/NCS report, the endocrinologist's clearance, the pain note):
how long the neuropathy has been painful (the longest length written in a sentence about it),
the pain score given for the feet or legs and for the hands or arms, a moderate-to-severe
neuropathy on EMG/NCS (false when the study calls it mild only), the diagnosis confirmed by a
neurologist or endocrinologist, a medical clearance (not the psychologist's), other causes of
neuropathy excluded, diabetes management optimized, and the medicine classes tried without
success. A class count is set only when it reaches the guideline's two: fewer classes found is
what the reader did not find, never a shortfall the record states. Words: `lexicons/pdn.yaml`.
"""

from __future__ import annotations

from criteria.facts import CaseFacts, Evidence
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.clinical_nlp.checkboxes import checkbox_verdict
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_durations, find_pain_scores
from drafting.extraction.rules.reader import CaseDocument, CaseReader

_WORDS = patterns("pdn", "words")
_CLASSES = patterns("pdn", "drug_classes")
_NEAR_LIMB = 30  # characters between a pain score and the limb it is given for
_REQUIRED_CLASSES = 2


def _set(facts: CaseFacts, name: str, value: object, evidence: Evidence) -> None:
    if facts.get(name) is None:
        facts.set(name, {"value": value, "evidence": [evidence.model_dump()]})


def _sentences(reader: CaseReader) -> list[tuple[CaseDocument, Sentence]]:
    return [
        (document, sentence)
        for document, sentence in reader.sentences(reader.newest_first())
        if sentence.section not in ("family", "plan")
    ]


def extract_pdn(reader: CaseReader, facts: CaseFacts) -> None:
    """The PDN facts, when the stimulator's condition is painful diabetic neuropathy."""
    condition = facts.stimulator.condition
    if condition is None or condition.value != "pdn":
        return
    sentences = _sentences(reader)
    _months(reader, facts, sentences)
    _limb_scores(reader, facts, sentences)
    for document, sentence in sentences:
        text = sentence.text
        evidence = reader.evidence(document, sentence)
        if _WORDS["electrodiagnosis"].search(text) and _WORDS["neuropathy"].search(text):
            if _WORDS["severe"].search(text):
                _set(facts, "stimulator.pdn_emg_ncs_moderate_severe", True, evidence)
            elif _WORDS["mild_only"].search(text):
                _set(facts, "stimulator.pdn_emg_ncs_moderate_severe", False, evidence)
        if _WORDS["neuropathy"].search(text) and (
            _WORDS["diagnosed_by"].search(text)
            or (_from_specialist(document) and _WORDS["verdict"].search(text))
        ):
            _set(facts, "stimulator.pdn_specialist_confirmation", True, evidence)
        clearance = _WORDS["clearance"].search(text)
        psychological = _WORDS["psychological"].search(f"{document.title}\n{document.text[:300]}")
        if (
            clearance
            and not psychological
            and checkbox_verdict(
                document.text, sentence.start + clearance.start(), sentence.start + clearance.end()
            )
            not in ("unanswered", "negated")
        ):
            _set(facts, "stimulator.medical_clearance", True, evidence)
        if _WORDS["other_causes"].search(text):
            _set(facts, "stimulator.pdn_other_causes_ruled_out", True, evidence)
        if _WORDS["optimization"].search(text) and _WORDS["diabetes"].search(text):
            _set(facts, "stimulator.pdn_medical_optimization", True, evidence)
    _drug_classes(reader, facts, sentences)


def _from_specialist(document: CaseDocument) -> bool:
    """A neurologist's or endocrinologist's own letter (its heading or its signature)."""
    text = document.text
    return bool(
        _WORDS["specialist"].search(document.title)
        or _WORDS["specialist"].search(text[:300])
        or _WORDS["specialist"].search(text[-300:])
    )


def _months(
    reader: CaseReader, facts: CaseFacts, sentences: list[tuple[CaseDocument, Sentence]]
) -> None:
    """The longest length written in a sentence about the neuropathy."""
    best: tuple[float, Evidence] | None = None
    for document, sentence in sentences:
        if not _WORDS["neuropathy"].search(sentence.text):
            continue
        for duration in find_durations(sentence.text, reference=document.date):
            if _WORDS["age"].match(sentence.text, duration.end):
                continue  # "61 yo M w/ T2DM and painful diabetic neuropathy": his age
            focus = (sentence.start + duration.start, sentence.start + duration.end)
            if best is None or duration.months > best[0]:
                best = (round(duration.months, 1), reader.evidence(document, sentence, focus))
    if best is not None:
        _set(facts, "stimulator.pdn_months", best[0], best[1])


def _limb_scores(
    reader: CaseReader, facts: CaseFacts, sentences: list[tuple[CaseDocument, Sentence]]
) -> None:
    """The pain score given for the feet or legs, and for the hands or arms (newest first)."""
    for document, sentence in sentences:
        text = sentence.text
        for score in find_pain_scores(text):
            near = text[max(0, score.start - _NEAR_LIMB) : score.end + _NEAR_LIMB]
            lower = _WORDS["lower_limb"].search(near)
            upper = _WORDS["upper_limb"].search(near)
            if lower is not None and upper is None:
                name = "stimulator.pdn_lower_limb_vas"
            elif upper is not None and lower is None:
                name = "stimulator.pdn_upper_limb_vas"
            else:
                continue  # no limb, or both: not the score of one limb
            focus = (sentence.start + score.start, sentence.start + score.end)
            _set(facts, name, score.value, reader.evidence(document, sentence, focus))


def _drug_classes(
    reader: CaseReader, facts: CaseFacts, sentences: list[tuple[CaseDocument, Sentence]]
) -> None:
    """Medicine classes tried without success or not tolerated, each on a line that says so."""
    found: dict[str, Evidence] = {}
    for document, sentence in sentences:
        for line in sentence.text.splitlines():
            if not _WORDS["failed"].search(line):
                continue
            for name, pattern in _CLASSES.items():
                if name not in found and pattern.search(line):
                    found[name] = reader.evidence(document, sentence)
    if len(found) >= _REQUIRED_CLASSES:
        evidence = next(iter(dict.fromkeys(found.values())))
        _set(facts, "stimulator.pdn_drug_categories_failed", len(found), evidence)


__all__ = ["extract_pdn"]
