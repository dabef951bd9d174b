"""Measured patient values and procedure-specific findings that need more than a yes/no concept.

BMI, HbA1c, daily MME and the T-score are read with their labels; a T-score also answers
``bvn.osteoporosis`` (-2.5 or less). CRPS Budapest categories are symptoms when reported
(history) and signs when found on examination; an examination that states the sign absent
records false. Positive SI provocative tests are listed by name. ``conservative.
interventional_modalities`` follows the prior-procedure events. The SI tests and their result
words are data (`lexicons/exam_maneuvers.yaml`), and so are the CRPS limb and sign/symptom labels
(`lexicons/crps.yaml`).
"""

from __future__ import annotations

import re

from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.clinical_nlp.checkboxes import checkbox_verdict
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import (
    find_durations,
    find_t_scores,
    find_temperature_differences,
)
from drafting.extraction.rules.reader import CaseDocument, CaseReader, set_fact
from drafting.extraction.rules.readings import read_latest_measurements

_MME = re.compile(r"\b(\d{1,4}(?:\.\d+)?)\s*(?:MME|MED|morphine\s+(?:milligram\s+)?equivalents?)"
                  r"|\b(?-i:MME|MED)\s*(?:of|:|=|~)?\s*(\d{1,4}(?:\.\d+)?)\b(?!\s*[%+-])(?!/\d)",
                  re.I)  # fmt: skip
_SPONDYLOLISTHESIS_GRADE = re.compile(r"\bgrade\s+(I{1,4}|[1-4])\s+(?:\w+\s+)?(?:spondylo|antero)?"
                                      r"listhesis", re.I)  # fmt: skip
_CRPS = {
    "CRPS_SENSORY": "sensory",
    "CRPS_VASOMOTOR": "vasomotor",
    "CRPS_SUDOMOTOR": "sudomotor_edema",
    "CRPS_MOTOR": "motor_trophic",
}
_LIMBS = patterns("crps", "limbs")
_SI_TESTS = patterns("exam_maneuvers", "si_tests")
_RESULT = patterns("exam_maneuvers", "results")


def _labelled_numbers(reader: CaseReader, facts: CaseFacts) -> None:
    for document, sentence in reader.sentences(reader.clinical_first()):
        text = sentence.text

        def quoted(
            start: int, end: int, document: CaseDocument = document, sentence: Sentence = sentence
        ) -> list[Evidence]:
            span = (sentence.start + start, sentence.start + end)
            return [reader.evidence(document, sentence, span)]

        if facts.patient.daily_mme is None and (mme := _MME.search(text)):
            facts.patient.daily_mme = Fact[float](
                value=float(mme.group(1) or mme.group(2)), evidence=quoted(*mme.span())
            )
        if facts.bvn.t_score is None and (t_scores := find_t_scores(text)):
            value = min(t.value for t in t_scores)
            evidence = [reader.evidence(document, sentence)]
            facts.bvn.t_score = Fact[float](value=value, evidence=evidence)
            if facts.bvn.osteoporosis is None or value <= -2.5:
                facts.bvn.osteoporosis = Fact[bool](value=value <= -2.5, evidence=evidence)
        grade = _SPONDYLOLISTHESIS_GRADE.search(text)
        if grade and facts.facet.spondylolisthesis_moderate_severe is None:
            number = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(grade.group(1).upper())
            number = number or int(grade.group(1))
            facts.facet.spondylolisthesis_moderate_severe = Fact[bool](
                value=number >= 2, evidence=[reader.evidence(document, sentence)]
            )


_CRPS_LABELS = patterns("crps", "labels")
_BUDAPEST = patterns("crps", "budapest_met")
_NOT_EXAMINED = patterns("crps", "exam")["not_examined"]


def _crps_kind(sentence: Sentence, mention: ConceptMention) -> str:
    """ "sign" when found on examination (exam section, or after a "signs -" label in the same
    sentence), else "symptom" (reported)."""
    before = sentence.text[: mention.start - sentence.start]
    signs = [m.end() for m in _CRPS_LABELS["signs"].finditer(before)]
    symptoms = [m.end() for m in _CRPS_LABELS["symptoms"].finditer(before)]
    if signs or symptoms:
        return "sign" if max(signs, default=-1) > max(symptoms, default=-1) else "symptom"
    return "sign" if sentence.section == "exam" else "symptom"


_CRPS_CODES = ("G90.5", "M89.0")  # CRPS I/II (ICD-10-CM G90.5x, G56.4x is CRPS II of upper limb)
_SYMPATHETIC_BLOCKS = ("64510", "64520")


def _crps_request(reader: CaseReader) -> bool:
    """The request is about CRPS: a CRPS diagnosis code or a sympathetic block is requested.

    The record's signs and symptoms are then read by Budapest category even when the notes do
    not name the syndrome (the request does); the diagnosis itself stays a request fact.
    """
    request = reader.case.request
    codes = [d.code.upper() for d in request.diagnoses]
    return any(c.startswith((*_CRPS_CODES, "G56.4", "G57.7")) for c in codes) or any(
        s.code in _SYMPATHETIC_BLOCKS for s in request.services
    )


def _crps(reader: CaseReader, facts: CaseFacts) -> None:
    diagnosed = facts.crps.diagnosed is not None and facts.crps.diagnosed.value
    if not diagnosed and not _crps_request(reader):
        return
    found: dict[str, tuple[bool, Evidence]] = {}
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        for mention in sentence.concepts:
            category = _CRPS.get(mention.category)
            if category is None or mention.hypothetical or mention.family:
                continue
            after = sentence.text[mention.end - sentence.start :][:120]
            if _NOT_EXAMINED.search(after.split(";")[0]):
                continue  # "skin color, edema, temp comparison: not done"
            kind = _crps_kind(sentence, mention)
            name = f"crps.{kind}_{category}"
            value = not mention.negated
            if name not in found or (value and not found[name][0]):
                found[name] = (value, reader.evidence(document, sentence))
        for temperature in find_temperature_differences(sentence.text):
            if temperature.value > 1.0 and "crps.sign_vasomotor" not in found:
                found["crps.sign_vasomotor"] = (True, reader.evidence(document, sentence))
    for name, (value, evidence) in _budapest_table(reader).items():
        found.setdefault(name, (value, evidence))
    for name, (value, evidence) in found.items():
        facts.set(name, Fact[bool](value=value, evidence=[evidence]))
    _budapest_met(reader, facts)
    for document, sentence, mention in reader.mentions("crps.diagnosed"):
        limb = next((name for name, words in _LIMBS.items() if words.search(sentence.text)), None)
        if limb and mention.affirmed:
            set_fact(facts, "crps.limb", limb, [reader.evidence(document, sentence)])
            return


_TABLE = patterns("crps", "table")
_TABLE_CATEGORY = {"sensory": "sensory", "vasomotor": "vasomotor", "sudomotor": "sudomotor_edema",
                   "motor": "motor_trophic"}  # fmt: skip


def _budapest_table(reader: CaseReader) -> dict[str, tuple[bool, Evidence]]:
    """A Budapest table's rows under a header whose columns are symptoms then signs: each row
    answers its category's symptom and sign ("| Vasomotor | YES | YES - IR temp ... |")."""
    found: dict[str, tuple[bool, Evidence]] = {}
    for document in reader.newest_first("clinic", "surgical"):
        if not _TABLE["header"].search(document.text):
            continue
        for sentence in document.annotated.sentences:
            for line in sentence.text.splitlines():
                row = _TABLE["row"].match(line)
                if row is None:
                    continue
                category = _TABLE_CATEGORY[re.split(r"\W", row.group("category").lower())[0]]
                for kind in ("symptom", "sign"):
                    answer = row.group(kind).lower() in ("yes", "y", "present", "+")
                    name = f"crps.{kind}_{category}"
                    found.setdefault(name, (answer, reader.evidence(document, sentence)))
    return found


def _budapest_met(reader: CaseReader, facts: CaseFacts) -> None:
    """A stated diagnosis by the Budapest criteria stands for its two parts the notes may not
    spell out: pain out of proportion and no other diagnosis that better explains it."""
    for document, sentence, mention in reader.mentions("crps.diagnosed"):
        stated = _BUDAPEST["met"].search(sentence.text)
        if mention.affirmed and stated and not _BUDAPEST["doubt"].search(sentence.text):
            evidence = [reader.evidence(document, sentence)]
            for name in ("crps.no_better_diagnosis", "pain.disproportionate"):
                if facts.get(name) is None:
                    set_fact(facts, name, True, evidence)
            return


def _si_test_positive(text: str, start: int, end: int) -> bool:
    """A named SI test is positive: "+"/"positive" right after or before it, or it sits in a list
    that opens with "Positive" ("Positive FABER, thigh thrust, Gaenslen's on R")."""
    after, before = text[end : end + 14], text[max(0, start - 12) : start]
    if _RESULT["negative"].match(after):
        return False
    if _RESULT["positive"].match(after) or _RESULT["positive_before"].search(before):
        return True
    clause_start = max(text.rfind(";", 0, start), text.rfind(".", 0, start), -1) + 1
    if _RESULT["list_positive"].search(text[clause_start:start]):
        return True
    # "thigh thrust, distraction and compression tests are positive", "FABER reproduces her pain"
    clause_end = min(i for i in (text.find(";", end), text.find(".", end), len(text)) if i >= 0)
    return bool(_RESULT["positive_after_list"].match(text[end:clause_end]))


_CELL_POSITIVE = re.compile(r"^\s*(?:\+|pos\w*|yes\b|reproduc\w*)", re.I)
_SIDE_COLUMN = {"right": re.compile(r"^\s*(?:right|rt|R)\b", re.I),
                "left": re.compile(r"^\s*(?:left|lt|L)\b", re.I)}  # fmt: skip


def _table_row_positive(text: str, at: int, side: str | None) -> bool | None:
    """A maneuver on a table row ("| Thigh thrust | + | - |" under "| Test | Right | Left |"):
    positive when the requested side's cell says so (any cell when the side or the header is
    unknown); None when the mention is not on a table row."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if not line.lstrip().startswith("|"):
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")][1:]
    header_cells: list[str] = []
    for above in reversed(text[:line_start].splitlines()[-8:]):
        if not above.lstrip().startswith("|"):
            break
        named = [c.strip() for c in above.strip().strip("|").split("|")][1:]
        if any(p.match(c) for c in named for p in _SIDE_COLUMN.values()):
            header_cells = named
            break
    if side in _SIDE_COLUMN and header_cells:
        columns = [i for i, c in enumerate(header_cells) if _SIDE_COLUMN[side].match(c)]
        cells = [cells[i] for i in columns if i < len(cells)]
    return any(_CELL_POSITIVE.match(c) for c in cells)


def _requested_si_side(reader: CaseReader) -> str | None:
    sides = {s.side for s in reader.case.request.services if s.code.startswith("27096") and s.side}
    return sides.pop() if len(sides) == 1 else None


def _si_tests(reader: CaseReader, facts: CaseFacts) -> None:
    names: list[str] = []
    evidence: list[Evidence] = []
    side = _requested_si_side(reader)
    for document, sentence, mention in reader.mentions("SI_PROVOCATIVE", reader.clinical_first()):
        if mention.hypothetical or mention.family:
            continue
        start, end = mention.start - sentence.start, mention.end - sentence.start
        on_row = _table_row_positive(document.text, mention.start, side)
        if on_row is False or (on_row is None and not _si_test_positive(sentence.text, start, end)):
            continue
        name = next((n for n, p in _SI_TESTS.items() if p.search(mention.text)), None)
        if name and name not in names:
            names.append(name)
            quote = reader.evidence(document, sentence, (mention.start, mention.end))
            if quote not in evidence:
                evidence.append(quote)
    if names:
        facts.si.provocative_tests_positive = Fact[list[str]](value=names, evidence=evidence)


# a report's negated list naming fracture, tumour and infection in any order ("No fracture,
# spondylolisthesis, spondylolysis, tumor or infection"): the other pain sources ruled out
_NONE_OF_THE_SOURCES = re.compile(
    r"\b(?:no|(?:does|do|did)\s+not\s+have|(?:doesn't|don't)\s+have|without|negative\s+for)\s+"
    r"(?=[^.;]{0,120}?\bfractures?\b)(?=[^.;]{0,120}?\btumou?rs?\b)(?=[^.;]{0,120}?\binfection)",
    re.IGNORECASE,
)
# the same three told apart in one report ("No fracture, no listhesis, no suspicious marrow
# lesion. No MRI evidence of discitis-osteomyelitis")
_SOURCE_RULED_OUT = {
    "fracture": re.compile(r"\bno\s+(?:\w+\s+){0,2}?fractures?\b", re.I),
    "tumor": re.compile(
        r"\bno\s+(?:\w+\s+){0,3}?(?:tumou?rs?|neoplasms?|mass(?:es)?|marrow\s+(?:replacing\s+)?"
        r"lesions?|(?:suspicious|aggressive|destructive)\s+(?:marrow\s+|osseous\s+|bone\s+)?lesions?)\b",
        re.I,
    ),
    "infection": re.compile(
        r"\bno\s+(?:\w+\s+){0,3}?(?:infection|discitis|osteomyelitis|epidural\s+abscess)", re.I
    ),
}
_CONSECUTIVE = re.compile(r"\s*\(?consecutive\b", re.I)
# a length said to be of supervised care ("> 6 mo of supervised conservative care")
_SUPERVISED_AFTER = re.compile(
    r"\s*(?:of\s+)?(?:continuous\s+)?(?:physician[-\s]|PT[-\s]|therapist[-\s])?supervised\s+"
    r"(?:\w+\s+){0,2}?(?:care|management|therapy|treatment|program)",
    re.I,
)
_AGE = re.compile(r"\b(\d{1,3})\s*(?:y/?o|yo|years?\s+old|-year-old)\b", re.I)


def _bvn(reader: CaseReader, facts: CaseFacts) -> None:
    """Basivertebral nerve ablation: consecutive months of supervised care (the longest said to
    be consecutive, in a note or the program's discharge); other pain sources ruled out by a
    report's negated list; skeletal maturity read from a stated adult age (18 or older) when
    that procedure is planned."""
    longest: tuple[float, Evidence] | None = None
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical", "pt")):
        if facts.bvn.supervised_care_months is not None or not (
            _CONSECUTIVE.search(sentence.text) or _SUPERVISED_AFTER.search(sentence.text)
        ):
            continue
        for duration in find_durations(sentence.text):
            stated = sentence.text[duration.start : duration.end]
            consecutive = _CONSECUTIVE.search(stated) or _CONSECUTIVE.match(
                sentence.text, duration.end
            )
            # a supervised length not said to be consecutive meets the six months, but a shorter
            # one is of one kind of care ("seven weeks of supervised PT"), not all of it
            if consecutive or (
                _SUPERVISED_AFTER.match(sentence.text, duration.end) and duration.months >= 6
            ):
                focus = (sentence.start + duration.start, sentence.start + duration.end)
                if checkbox_verdict(document.text, *focus) == "unanswered":
                    continue  # "[ ] >= 6 consecutive months ... documented": the form's question
                months = round(duration.months, 1)
                if longest is None or months > longest[0]:
                    longest = (months, reader.evidence(document, sentence, focus))
    if longest is not None:  # "6 consecutive months", "6 consecutive mo": the longest said so
        facts.bvn.supervised_care_months = Fact[float](value=longest[0], evidence=[longest[1]])
    if facts.bvn.other_sources_ruled_out is None:
        for document, sentence in reader.sentences(reader.newest_first()):
            if _NONE_OF_THE_SOURCES.search(sentence.text):
                evidence = [reader.evidence(document, sentence)]
                facts.bvn.other_sources_ruled_out = Fact[bool](value=True, evidence=evidence)
                break
    if facts.bvn.other_sources_ruled_out is None:
        _sources_ruled_out_apart(reader, facts)
    planned = facts.planned.procedure_type
    if planned is None or planned.value != "bvn_ablation" or facts.bvn.skeletally_mature:
        return
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        age = _AGE.search(sentence.text)
        if age and int(age.group(1)) >= 18:
            focus = (sentence.start + age.start(), sentence.start + age.end())
            facts.bvn.skeletally_mature = Fact[bool](
                value=True, evidence=[reader.span_evidence(document, *focus)]
            )
            return


def _sources_ruled_out_apart(reader: CaseReader, facts: CaseFacts) -> None:
    """An MRI or CT report ruling out fracture, tumour and infection each in its own words."""
    for document in reader.newest_first("imaging"):
        found: dict[str, Evidence] = {}
        for sentence in document.annotated.sentences:
            for name, pattern in _SOURCE_RULED_OUT.items():
                if name not in found and pattern.search(sentence.text):
                    found[name] = reader.evidence(document, sentence)
        if len(found) == len(_SOURCE_RULED_OUT):
            evidence = list(dict.fromkeys(found.values()))
            facts.bvn.other_sources_ruled_out = Fact[bool](value=True, evidence=evidence)
            return


def extract_conditions(reader: CaseReader, facts: CaseFacts) -> None:
    """Measured values, CRPS categories, SI tests, prior interventional modalities."""
    _labelled_numbers(reader, facts)
    read_latest_measurements(reader, facts)
    _crps(reader, facts)
    _si_tests(reader, facts)
    _si_exam_since_deferral(reader, facts)
    _pars_defect_generator(reader, facts)
    prior = facts.procedures.prior
    if prior:
        evidence = [e for event in prior for e in event.evidence][:3]
        facts.conservative.interventional_modalities = Fact[bool](value=True, evidence=evidence)


_PARS = patterns("clinical_state")


def _pars_defect_generator(reader: CaseReader, facts: CaseFacts) -> None:
    """A pars defect the clinician weighs as the pain's source (facet.pars_defect_pain_generator),
    from a clinic note, not from the imaging report that finds it."""
    if facts.facet.pars_defect_pain_generator is not None:
        return
    for document, sentence in reader.sentences(reader.clinical_notes()):
        if sentence.section == "family" or not _PARS["pars_defect"].search(sentence.text):
            continue
        if _PARS["pars_weighed"].search(sentence.text) and not _PARS["pars_absent"].search(
            sentence.text
        ):
            facts.facet.pars_defect_pain_generator = Fact[bool](
                value=True, evidence=[reader.evidence(document, sentence)]
            )
            return


_SI_EXAM = ("sulcus_tenderness", "equal_tenderness_elsewhere", "provocative_tests_positive")


def _si_exam_since_deferral(reader: CaseReader, facts: CaseFacts) -> None:
    """When the newest note says it could not examine ("Palpation and provocative maneuvers not
    performed (video)"), the sacroiliac findings of older documents are those visits', not a
    current exam: they are left unread, so the criteria ask for the exam."""
    deferred = facts.neuro.physical_exam_completed
    if deferred is None or deferred.value or not deferred.evidence:
        return
    since = reader.documents[deferred.evidence[0].document].date
    if since is None:
        return
    for name in _SI_EXAM:
        fact = getattr(facts.si, name)
        dates = [reader.documents[e.document].date for e in fact.evidence] if fact else []
        if fact is not None and all(d is not None and d < since for d in dates):
            setattr(facts.si, name, None)


def extract_bvn(reader: CaseReader, facts: CaseFacts) -> None:
    """Basivertebral-nerve facts that depend on the planned procedure (run after `planned`)."""
    _bvn(reader, facts)
