"""Current clinical state read from the notes: pain, function, symptom duration, neuro details.

Current-state facts come from the newest clinic (or surgical) note first and fall back to older
notes, then to other documents. A pain score quoted as a procedure response ("Post 15 min: 6/10"),
a worst/best rating or a therapy outcome ("7/10 at discharge") is not the current pain.
The words are data (`lexicons/clinical_state.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from criteria.fact_values import region_group
from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import (
    find_dates,
    find_durations,
    find_impaired_adls,
    find_pain_scores,
    find_score_drops,
    find_sides,
)
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.quantities.mentions import Side
from drafting.extraction.rules.event_attributes import result_region_group
from drafting.extraction.rules.reader import CaseDocument, CaseReader, set_fact
from drafting.extraction.rules.request_form import requested_region_groups, requested_sides

_WORDS = patterns("clinical_state")
_PAIN_WORD = _WORDS["pain_word"]


def _is_current_pain(text: str, start: int, end: int, floor: int = 0) -> bool:
    """Not a response, past, worst or threshold score; the words before it are read back to
    `floor` (the end of the score before it), and a score dated today by the words after it
    ("back near baseline, 7/10 today") is today's whatever comes before."""
    if _WORDS["not_current_after"].search(text[end : end + 60]):
        return False
    if _WORDS["current_after"].match(text, end):
        return True
    before = text[max(0, start - 40, floor) : start]
    stale = _WORDS["not_current_before"].search(before)
    if stale is None:
        return True
    now = _WORDS["current_marker"].search(before)  # "... of good relief - and it is now 6/10"
    return now is not None and now.start() > stale.start()


def _note_order(reader: CaseReader) -> list[CaseDocument]:
    notes = reader.clinical_notes()
    return notes + [d for d in reader.newest_first("pt", "other") if d not in notes]


def _pain_score(reader: CaseReader, facts: CaseFacts) -> None:
    """Today's score from the newest note that gives one: the first one dated to today by its
    words ("Now R leg 7/10"), else the first one; of the scores its sentence gives for several
    sites ("Back pain minor (2/10); leg 8/10"), the worst."""
    sides = requested_sides(reader.case)
    for document in _note_order(reader):
        found: list[tuple[bool, float, Evidence, int, str]] = []
        for sentence in document.annotated.sentences:
            if sentence.section in (
                "plan",
                "procedure",
                "family",
                "imaging",
                "findings",
                "copied",
            ) and not (
                sentence.section == "findings" and document.kind == "procedure"
            ):  # a procedure note's "FINDINGS: ... now rates pain as 8/10" is the patient's
                continue  # a copied-forward visit's score is that visit's
            previous_end = 0
            drops = find_score_drops(sentence.text)
            for score in find_pain_scores(sentence.text):
                text, start, end = sentence.text, score.start, score.end
                if any(d.start <= start < d.end for d in drops) and not _WORDS[
                    "current_after"
                ].match(text, end):
                    continue  # "had come down from eight out of ten to two": a response
                before = text[max(0, start - 40, previous_end) : start]  # not past another score
                floor, previous_end = previous_end, end
                if not _is_current_pain(text, start, end, floor):
                    continue
                if _of_another_side(text, start, sides):
                    continue  # "R side low back is 1-2/10 now" beside a left-sided request
                marked = bool(
                    _WORDS["current_marker"].search(before)
                    or _WORDS["current_after"].match(text, end)
                )
                focus = (sentence.start + start, sentence.start + end)
                site = _WORDS["score_site"].search(text[max(0, start - 30) : start])
                site = site or _WORDS["score_site_after"].match(text, end)  # "6/10 in the arm"
                evidence = reader.evidence(document, sentence, focus)
                named = site.group("site").lower() if site else ""
                found.append((marked, score.value, evidence, sentence.start, named))
        if found:
            first = next((f for f in found if f[0]), found[0])
            same = [f for f in found if f[3] == first[3] and f[0] == first[0]]
            sited = [f for f in same if f[4]]
            if len({f[4] for f in sited}) < 2 and first[4]:
                # the note's next sentences give another site's score ('Back ache is minor -
                # "two out of ten, it's the legs." ... the legs are seven out of ten')
                sited = [f for f in found if f[4] and f[0] == first[0]]
            same = sited if len({f[4] for f in sited}) >= 2 else [first]  # one site: its first
            _, value, evidence, _, _ = max(same, key=lambda f: f[1])
            facts.pain.score = Fact[float](value=value, evidence=[evidence])
            return
    _baseline_score(reader, facts)


def _baseline_score(reader: CaseReader, facts: CaseFacts) -> None:
    """With no score of today, the pain before a block is the patient's pain ("Before the
    blocks it was a steady seven to eight out of ten", "Pre-procedure: NRS 7/10"); a score
    after it is the block's response and never read here."""
    notes = _note_order(reader)
    order = notes + [d for d in reader.newest_first("procedure") if d not in notes]
    for document, sentence in reader.sentences(order):
        if sentence.section in ("plan", "family", "imaging", "findings"):
            continue
        for score in find_pain_scores(sentence.text):
            before = sentence.text[max(0, score.start - 60) : score.start]
            baseline = _WORDS["baseline_before"].search(before)
            if baseline is None or _WORDS["response_between"].search(before[baseline.end() :]):
                continue
            focus = (sentence.start + score.start, sentence.start + score.end)
            facts.pain.score = Fact[float](
                value=score.value, evidence=[reader.evidence(document, sentence, focus)]
            )
            return


_SEVERITY_OF = {
    "minimal": "mild", "slight": "mild", "mild": "mild", "moderate": "moderate",
    "severe": "severe", "excruciating": "severe", "unbearable": "severe", "intolerable": "severe",
}  # fmt: skip


def _severity(reader: CaseReader, facts: CaseFacts) -> None:
    for document, sentence in reader.sentences(_note_order(reader)):
        for match in _WORDS["severity"].finditer(sentence.text):
            before = sentence.text[max(0, match.start() - 50) : match.start()]
            if match.group(2).lower() == "pain" and _WORDS["provoked_before"].search(before):
                continue  # "flexion ~70 deg mild pain": what a maneuver provokes, not her pain
            value = match.group(1).lower()
            focus = (sentence.start + match.start(), sentence.start + match.end())
            fact = Fact(value=value, evidence=[reader.evidence(document, sentence, focus)])
            if match.group(2).lower() == "pain" and facts.pain.severity is None:
                facts.pain.severity = fact  # type: ignore[assignment]
            elif (
                match.group(2).lower() == "disability"
                and facts.function.disability_severity is None
            ):
                facts.function.disability_severity = fact  # type: ignore[assignment]
        told = _WORDS["severity_told"].search(sentence.text)
        if told and facts.pain.severity is None:  # "this pain really is minimal"
            focus = (sentence.start + told.start(), sentence.start + told.end())
            set_fact(facts, "pain.severity", _SEVERITY_OF[told.group(1).lower()],
                     [reader.evidence(document, sentence, focus)])  # fmt: skip
        odi = _WORDS["odi"].search(sentence.text)
        if odi and facts.function.disability_severity is None and document.kind != "pt":
            score = float(odi.group(1))
            level = "severe" if score > 40 else "moderate" if score > 20 else "mild"
            focus = (sentence.start + odi.start(), sentence.start + odi.end())
            set_fact(facts, "function.disability_severity", level,
                     [reader.evidence(document, sentence, focus)])  # fmt: skip
        for match in _WORDS["myelopathy_severity"].finditer(sentence.text):
            if facts.neuro.myelopathy_severity is None:
                focus = (sentence.start + match.start(), sentence.start + match.end())
                set_fact(facts, "neuro.myelopathy_severity", match.group(1).lower(),
                         [reader.evidence(document, sentence, focus)])  # fmt: skip


def _side_of(text: str) -> Side | None:
    sides = {mention.side for mention in find_sides(text)}
    if "bilateral" in sides or {"left", "right"} <= sides:
        return "bilateral"
    return next(iter(sides)) if sides else None


def _first_side(
    reader: CaseReader, facts: CaseFacts, name: str, found: Iterable[tuple[CaseDocument, Sentence]]
) -> None:
    """Set fact `name` to the side named by the first of the `found` sentences that names one."""
    for document, sentence in found:
        side = _side_of(sentence.text)
        if side is not None:
            set_fact(facts, name, side, [reader.evidence(document, sentence)])
            return


def _pain_side(reader: CaseReader, facts: CaseFacts) -> None:
    sentences = reader.sentences(reader.clinical_notes())
    about_pain = (
        (document, sentence) for document, sentence in sentences
        if sentence.section in ("hpi", "preamble") and _PAIN_WORD.search(sentence.text)
    )  # fmt: skip
    _first_side(reader, facts, "pain.side", about_pain)


# a visit's history: the HPI, an untitled opening, the assessment, or a follow-up visit's body
_ADL_SECTIONS = ("hpi", "preamble", "assessment", "followup")


def _adls(reader: CaseReader, facts: CaseFacts) -> None:
    for document in reader.clinical_notes():
        names: list[str] = []
        evidence: list[Evidence] = []
        for sentence in document.annotated.sentences:
            if sentence.section not in _ADL_SECTIONS:
                continue
            impaired = [m for m in find_impaired_adls(sentence.text) if m.name not in names]
            if impaired:
                names.extend(m.name for m in impaired)
                evidence.append(reader.evidence(document, sentence))
        if names:
            facts.function.adls_impaired = Fact[list[str]](value=names, evidence=evidence)
            if facts.function.impairment is None or not facts.function.impairment.value:
                facts.function.impairment = Fact[bool](value=True, evidence=evidence)
            return


# letters that open with the diagnoses put the history under them: read it there too
_HISTORY_SECTIONS = ("hpi", "preamble", "assessment")


_LOOKS_AHEAD = patterns("procedure_history")["looks_ahead"]


def _assessment_in_plan(sentence: Sentence) -> bool:
    """An assessment under an "A/P" heading that tells of the pain ("A/P: Left SI joint pain,
    post-traumatic, more than eight months"), not a step the plan sets out."""
    body = re.sub(r"^[A-Za-z/& ]{1,30}:\s*", "", sentence.text)
    return sentence.section == "plan" and not _LOOKS_AHEAD.search(body)


def _of_another_region(text: str, requested: set[str]) -> bool:
    """The text tells only of a region the request does not treat ("R arm pain ... since May"
    beside a lumbar request)."""
    told_of = result_region_group(text)
    return bool(requested) and told_of is not None and told_of not in requested


def _of_another_side(text: str, start: int, sides: set[str]) -> bool:
    """A score given for the side the request does not treat ("R side low back is 1-2/10 now"
    beside a left-sided request): its side word is in the words just before it."""
    if len(sides) != 1 or "bilateral" in sides:
        return False
    named = {m.side for m in find_sides(text[max(0, start - 30) : start])}
    return bool(named) and not (named & (sides | {"bilateral"}))


# a follow-up's time point after a length ("at her 2-wk check", "4-wk f/u 04/14")
_TIME_POINT_AFTER = re.compile(
    r"\s*(?:check(?:-?up)?|f/u|follow[\s-]?up|visit|appt|appointment|recheck)\b", re.I
)


def _symptom_duration(reader: CaseReader, facts: CaseFacts) -> None:
    previous: Sentence | None = None
    requested = requested_region_groups(reader.case)
    for document, sentence in reader.sentences(reader.clinical_notes()):
        follows_pain = (
            previous is not None
            and previous.section == sentence.section
            and bool(_PAIN_WORD.search(previous.text))
            and bool(_WORDS["continues_subject"].match(sentence.text))
        )  # "Index pain: R neck. Present since early last spring.": the pain's, subject left out
        previous = sentence
        if not (_PAIN_WORD.search(sentence.text) or follows_pain):
            continue
        if sentence.section not in _HISTORY_SECTIONS and not _assessment_in_plan(sentence):
            continue
        if _of_another_region(sentence.text, requested):
            continue  # "R arm pain since May 2026" is not the lumbar request's pain
        for duration in find_durations(sentence.text, reference=document.date):
            before = sentence.text[max(0, duration.start - 30) : duration.start]
            after = sentence.text[duration.end : duration.end + 12]
            if _WORDS["not_symptom_duration"].search(before + " " + after) or re.search(
                r"\b(?:old|y/?o)\b", after
            ):
                continue
            if re.search(r"\b\d+\s+(?:out\s+)?of\s*$", before):
                continue  # "at least 4/10 on 26 of 28 days": a count of days, not the pain's
            if _TIME_POINT_AFTER.match(after):
                continue  # "at her 2-wk check she reported 85% relief": a time point
            if _WORDS["of_something_else"].match(sentence.text, duration.end) or _WORDS[
                "of_treatment"
            ].match(sentence.text, duration.end):
                continue  # "after a week of heavy lifting", "6 wks failed conservative care"
            lead = sentence.text[max(0, duration.start - 90) : duration.start]
            if duration.months < 0.25 and not (
                re.search(r"(?:\bfor|\bx|\bsince|\bpast|\blast)\s*~?\s*$", before, re.I)
                or re.match(r"\s*ago\b", after)
            ):
                continue  # "by the end of a day on his feet": a few days not said to be the pain's
            if _WORDS["recurrence"].search(lead + sentence.text[duration.end : duration.end + 60]):
                continue  # "creeping back ... over the last 6-8 weeks": the recurrence's weeks
            if re.match(r"\s*ago\b", after) and not _WORDS["onset_ago"].search(lead):
                continue  # "an injection two years ago": not when the pain began
            if _WORDS["worse_since"].search(before):  # "LBP x 2 yrs, worse since last winter"
                continue
            focus = (sentence.start + duration.start, sentence.start + duration.end)
            evidence = [reader.evidence(document, sentence, focus)]
            if facts.symptoms.duration_months is None:
                facts.symptoms.duration_months = Fact[float](
                    value=round(duration.months, 1), evidence=evidence
                )
            if duration.since is not None and facts.symptoms.onset_date is None:
                facts.symptoms.onset_date = Fact[date](value=duration.since, evidence=evidence)
            if facts.symptoms.onset_date is not None:
                return


def _said_normal(text: str, start: int, end: int) -> bool:
    """Whether the clause naming a dermatome calls it normal ("sensation intact in the L5
    dermatome"); another clause of the sentence may ("... S1 ... decreased, and all other
    dermatomes within normal limits")."""
    bounds = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    left = max(b for b in bounds if b <= start)
    right = min((b for b in bounds if b >= end), default=len(text))
    return bool(re.search(r"\b(?:intact|normal)\b", text[left:right], re.I))


_CLAUSE_BREAK = re.compile(r"[;,]|\b(?:and|but|while|whereas|except)\b", re.I)


def _dermatome_and_side(reader: CaseReader, facts: CaseFacts) -> None:
    named: list[Fact[str]] = []
    for document, sentence in reader.sentences(_note_order(reader)):
        match = _WORDS["dermatome"].search(sentence.text)
        if match and _said_normal(sentence.text, match.start(), match.end()):
            match = None
        if match:
            focus = (sentence.start + match.start(), sentence.start + match.end())
            named.append(
                Fact[str](
                    value=match.group(1).replace("-", ""),  # "C-6 distribution" is C6
                    evidence=[reader.evidence(document, sentence, focus)],
                )
            )
    # of dermatomes in two regions (an L C7 radiculopathy "over the winter, separate problem"
    # beside today's R S1 one), the first of the region the request treats
    requested = requested_region_groups(reader.case, by_code=True)
    own = [f for f in named if region_group(level_region(f.value)) in requested]
    if facts.neuro.radicular_dermatome is None and named:
        facts.neuro.radicular_dermatome = (own or named)[0]
    mentions = [
        *reader.mentions("neuro.radicular_pain", reader.clinical_notes()),
        *reader.mentions("neuro.radiculopathy", reader.clinical_notes()),
    ]
    affirmed = (
        (document, sentence) for document, sentence, mention in mentions
        if mention.affirmed and sentence.section not in ("plan", "exam")
        and not _earlier_episode(document, sentence)
    )  # fmt: skip
    _first_side(reader, facts, "neuro.radicular_side", affirmed)


def _earlier_episode(document: CaseDocument, sentence: Sentence) -> bool:
    """A sentence telling of an episode half a year or more before its note ("in the autumn of
    2024 he had LEFT-sided L4 radicular pain (MRI 10/02/2024)"): not the side that hurts today."""
    return document.months_before(sentence) >= 6 and bool(
        _WORDS["told_in_past"].search(sentence.text)
    )


_EARLIER_CONTACT = re.compile(r"\b(?:prior|previous|last|earlier|initial)\b", re.I)


def _held_by_telephone(document: CaseDocument) -> bool:
    """The note's own header says the visit was by telephone, audio only (not a line citing an
    earlier call: "Prior contact: telephone visit 10/14 (no exam - audio only)")."""
    head = document.text[:1500]
    for match in _WORDS["audio_only"].finditer(head):
        line = head[head.rfind("\n", 0, match.start()) + 1 : match.start()]
        if not _EARLIER_CONTACT.search(line):
            return not re.search(r"\bvideo\b", head, re.I)
    return False


def _exam_completed(reader: CaseReader, facts: CaseFacts) -> None:
    """True when a note records examination findings; false when the newest note says the
    examination was deferred or not assessed and records no findings. A telephone visit's note
    (audio only) examined nobody: its exam template is not read."""
    index = 0  # notes that say anything of an examination, newest first
    for document in reader.clinical_notes():
        sentences = [
            s for s in document.annotated.sentences
            if not _WORDS["exam_elsewhere"].search(s.text) and s.section != "copied"
        ]  # fmt: skip
        # "Physical exam findings (SLR, motor, ...): see consult note" says nothing itself, and an
        # exam carried forward from an older visit is that visit's
        deferred = [s for s in sentences if _WORDS["exam_not_done"].search(s.text)]
        findings = [
            s for s in sentences
            if s not in deferred
            and (len(_WORDS["exam_marker"].findall(s.text)) >= 2
                 or ((s.section == "exam" or _WORDS["exam_lead"].search(s.text))
                     and _WORDS["exam_marker"].search(s.text)))
        ]  # fmt: skip
        if _held_by_telephone(document):  # its exam template records no exam anyone did
            findings = []
        if findings:
            facts.neuro.physical_exam_completed = Fact[bool](
                value=True, evidence=[reader.evidence(document, findings[0])]
            )
            return
        if deferred and index == 0:
            facts.neuro.physical_exam_completed = Fact[bool](
                value=False, evidence=[reader.evidence(document, deferred[0])]
            )
            return
        index += bool(deferred)


def _axial_only(facts: CaseFacts) -> None:
    """Axial pain with no limb pain at all ("neck pain ... does not go past the shoulder") is
    predominantly axial: both quotes stand for it. Never set against a stated leg-over-back."""
    axial, radicular = facts.pain.axial, facts.neuro.radicular_pain
    if facts.pain.axial_predominant is not None or axial is None or radicular is None:
        return
    if axial.value and radicular.value is False:
        facts.pain.axial_predominant = Fact[bool](
            value=True, evidence=[*axial.evidence[:1], *radicular.evidence[:1]]
        )


def _incident_onset(reader: CaseReader, facts: CaseFacts) -> None:
    """The onset no duration gave: the date of the injury the notes name ("Date of incident:")."""
    if facts.symptoms.onset_date is not None:
        return
    for document, sentence in reader.sentences(reader.clinical_notes()):
        for found in find_dates(sentence.text, document.day_first):
            before = sentence.text[max(0, found.start - 40) : found.start]
            if _WORDS["incident_date"].search(before) and (
                document.date is None or found.value <= document.date
            ):
                focus = (sentence.start + found.start, sentence.start + found.end)
                evidence = [reader.evidence(document, sentence, focus)]
                facts.symptoms.onset_date = Fact[date](value=found.value, evidence=evidence)
                return


def extract_clinical(reader: CaseReader, facts: CaseFacts) -> None:
    """Pain, function, symptom duration and neuro facts that need more than a yes/no concept."""
    _pain_score(reader, facts)
    _severity(reader, facts)
    _pain_side(reader, facts)
    _adls(reader, facts)
    _symptom_duration(reader, facts)
    _incident_onset(reader, facts)
    _dermatome_and_side(reader, facts)
    _exam_completed(reader, facts)
    _axial_only(facts)
