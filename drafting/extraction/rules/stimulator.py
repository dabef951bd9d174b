"""Spinal cord and DRG stimulator facts: candidacy, psychological clearance and trial results.

Read only when the case is about a stimulator (a stimulator is planned, or the notes name one),
so that "cleared", "ASC" or "7 days" elsewhere mean nothing here. The condition is CRPS when CRPS
is diagnosed, a post-surgical nerve root injury when a prior spine surgery is followed by radicular
or neuropathic pain ("failed back surgery syndrome", "radicular pain since"), painful diabetic
neuropathy or arachnoiditis when named (words: `lexicons/stimulators.yaml`, condition), else
not documented: a condition the reader did not find pends, it is never read as "other". Trial
figures come from non-plan sentences that describe a trial that took place (dates, "during
trial"); a trial with at least 50% relief is not failed.
"""

from __future__ import annotations

import re

from criteria.facts import CaseFacts, Evidence
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.clinical_nlp.checkboxes import checkbox_verdict
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_dates, find_durations, find_percents
from drafting.extraction.rules.reader import CaseDocument, CaseReader

# a complication only suspected, or named as what a study is to look for
_SUSPECTED = re.compile(
    r"\b(?:suspect\w*|possible|possibly|\?|question\s+of|concern\s+for|evaluate\s+for|r/o|"
    r"rule\s+out|if\s+confirmed)\b",
    re.I,
)
_DEVICE = re.compile(r"\b(?:leads?|electrodes?|IPG|generator|stimulator|SCS|paddle)\b", re.I)
_STIMULATOR = re.compile(
    r"\bSCS\b|\bspinal\s+cord\s+stimulat|\bstimulator\b|\bDRG\b|\bneuromodulation", re.I
)
_CONDITION = patterns("stimulators", "condition")
_NEUROPATHIC = _CONDITION["nerve"]
_POST_SURGICAL = _CONDITION["post_surgical"]
_OBJECTIVE = re.compile(r"\bobjective\s+basis\b|\bEMG(?:/NCS)?\b[^.;]{0,40}\bradiculopathy|"
                        r"\bNCS\b[^.;]{0,40}\bneuropathy|\bsigns\s+(?:today|on\s+exam\w*)\s*[-:]|"
                        r"\bBudapest\s+criteria\s+(?:met|documented|fulfilled|\(documented)",
                        re.I)  # fmt: skip
_MEDICINE_TRIAL = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|µg|ml|mL)\b|\b(?:BID|TID|QID|qhs|PRN)\b|"
    r"\b(?:patch|cream|gel|topical|tablets?|capsules?|infusions?)\b",
    re.IGNORECASE,
)
_CARE_FAILED = re.compile(
    r"\b(?:failed|has\s+failed|have\s+failed|unsuccessful|without\s+(?:benefit|improvement|relief))\b",
    re.I,
)
_CONTINUOUS = re.compile(r"\bcontinuous\w*|\bongoing\b|\bto\s+(?:the\s+)?present\b", re.I)
_CANDIDACY = patterns("stimulators", "candidacy")
_SOMEONE_ELSE = patterns("stimulators", "history")["someone_else"]
_BIRTH_DATE = patterns("procedure_history")["birth_date"]
_NEAR_CARE = 60  # characters between a duration and the care it measures
_FACILITY = re.compile(r"\bASC\b|\bsurgery\s+center\b|\bdevice\s+rep\w*|\bwith\s+rep\b", re.I)
_SURGICAL_OPINION = _CANDIDACY["surgical_opinion"]
_PSYCH = re.compile(r"\bpsych\w*\s+(?:evaluation|eval|clearance)|\bdate\s+of\s+evaluation|"
                    r"\bpsychologist\b", re.I)  # fmt: skip
_CLEARED = re.compile(r"(?<!not\s)\bcleared\b|\bclearance\s+obtained", re.I)
_NOT_CLEARED = re.compile(r"\bnot\s+cleared\b|\bclearance\s+(?:pending|not\s+obtained)", re.I)
# the evaluator's own conclusion against the device ("I do NOT recommend proceeding with a spinal
# cord stimulator trial at this time"): it outranks a form's or a note's summary of it
_EVALUATOR_AGAINST = re.compile(
    r"\b(?:do|does|can)\s*(?:not|n't)\s+(?:recommend|support|endorse|clear)\s+(?:\w+\s+){0,3}?"
    r"(?:proceeding|a\s+trial|the\s+trial|an?\s+(?:SCS|spinal\s+cord\s+stimulator|stimulator)|SCS|"
    r"spinal\s+cord\s+stimulat\w*|implant\w*)|\bnot\s+(?:currently\s+)?(?:an?\s+)?(?:appropriate|"
    r"suitable)\s+(?:psychological\s+)?candidate\b",
    re.I,
)
_TRIAL = re.compile(r"\btrial\b", re.I)
_TRIAL_DAYS = re.compile(
    r"\((\d+)\s+days?\b|\b(\d+)-day\s+(?:[\w-]+\s+){0,3}?trial"
    r"|(?:#|\bno\.?\s+of|\bnumber\s+of)\s*days\s*:?\s*(\d+)\b"  # a form's "# days: 7"
    r"|=\s*(\d+)\s+days?\b",  # "Leads in 10/19 ~11:00, pulled in clinic 10/26 ~10:30 = 7 days"
    re.I,
)
# two days of the month named in one sentence ("Leads in 10/19 ..., pulled ... 10/26"), not
# pain ratings ("7/10 ... 3/10")
_TWO_DAYS = re.compile(r"\b\d{1,2}/(?!10(?!/\d))\d{1,2}\b.*\b\d{1,2}/(?!10(?!/\d))\d{1,2}\b")
_AFTER_TRIAL = 3  # a trial's results told in the sentences after the one naming it
# "10/14 -> 10/21/2026": the trial's first and last day
_DATE_SPAN = re.compile(  # not pain ratings ("7/10 -> 3/10"): a day 10 has its year
    r"\b\d{1,2}/(?!10(?!/\d))\d{1,2}(?:/\d{2,4})?\s*(?:->|→|-|–|to|through)\s*"
    r"\d{1,2}/(?!10(?!/\d))\d{1,2}"
)
_ANALGESIC_UNCHANGED = re.compile(
    r"\b(?:analgesic|medication|opioid|oxycodone|hydrocodone|tramadol|MME)s?\s+(?:use\s+|usage\s+|"
    r"intake\s+)?(?:was\s+|is\s+)?(?:unchanged|:\s*no\s+change|the\s+same)\b|"
    r"\bno\s+(?:reduction|decrease|change)\s+in\s+(?:\w+\s+){0,2}?(?:opioid|analgesic|medication)",
    re.I,
)
# the words right after a percent that make it the cut in analgesic use ("80% reduction in
# analgesic use", "75% fewer tablets")
_MEDICATION_AFTER = re.compile(
    r"\W{0,3}(?:reduction|decrease|drop|cut|lower|less|fewer)?\s*(?:in|of)?\s*(?:\w+\s+){0,2}?"
    r"(?:analgesic|medication|opioid|oxycodone|hydrocodone|MME|tablets?|tabs?|pills?)\b",
    re.I,
)
_ANALGESIC_USE = re.compile(
    r"\b(?:analgesic|medication|opioid|oxycodone|hydrocodone|tramadol|MME|tablets?|tabs?|pills?)\b"
    r"[^.;]{0,30}\b(?:use|usage|intake|consumption|reduction|lower|decrease)\b|"
    r"\b(?:reduction|decrease|cut)\s+in\s+(?:\w+\s+){0,2}(?:analgesic|medication|opioid|pain\s+medication)",
    re.I,
)
_TRIAL_FUNCTION = re.compile(
    r"\bfunction\s*:|\bwalked\b|\bdrove\b|\bstood\b|\bLEFS\b|\bODI\b", re.I
)
_BLOCKS_FAILED = re.compile(
    r"\bblocks?\s+failed|\bno\s+lasting\s+benefit|\bfailed\s+(?:\w+\s+){0,2}sympathetic\s+blocks",
    re.IGNORECASE,
)


def _about_stimulator(reader: CaseReader, facts: CaseFacts) -> bool:
    planned = facts.planned.procedure_type
    if planned is not None and planned.value in ("scs_trial", "scs_implant", "drg_stimulator"):
        return True
    if any(s.code in _STIMULATOR_CODES for s in reader.case.request.services):
        return True  # the request itself is for a stimulator
    return any(_STIMULATOR.search(d.title) for d in reader.documents)


# spinal cord / DRG stimulator trial, implant, revision and removal codes
_STIMULATOR_CODES = frozenset(
    {"63650", "63655", "63661", "63662", "63663", "63664", "63685", "63688"}
)


def _first(reader: CaseReader, pattern: re.Pattern[str], *, plan: bool = True
           ) -> tuple[CaseDocument, Sentence] | None:  # fmt: skip
    for document, sentence in reader.sentences(reader.clinical_first()):
        if (plan or sentence.section != "plan") and pattern.search(sentence.text):
            return document, sentence
    return None


def _set(facts: CaseFacts, name: str, value: object, evidence: Evidence) -> None:
    facts.set(name, {"value": value, "evidence": [evidence.model_dump()]})


# objective findings that give the pain an objective basis: neurological deficits on examination,
# CRPS signs, and imaging pathology at a level
_OBJECTIVE_SIGNS = (
    "neuro.myotomal_weakness", "neuro.dermatomal_sensory_change", "neuro.reflex_change",
    "crps.sign_sensory", "crps.sign_vasomotor", "crps.sign_sudomotor_edema",
    "crps.sign_motor_trophic",
)  # fmt: skip
_OBJECTIVE_IMAGING = ("herniation", "root_compression", "stenosis", "arachnoiditis")


def _objective_basis(facts: CaseFacts) -> Evidence | None:
    """Where the record gives the pain an objective basis: an examination deficit or sign, or a
    pathological finding on imaging ("Severe pain and disability with documented pathology or an
    objective basis for the pain")."""
    for name in _OBJECTIVE_SIGNS:
        fact = facts.get(name)
        if fact is not None and fact.value is True and fact.evidence:
            return fact.evidence[0]
    for study in facts.imaging.studies or []:
        for finding in study.findings:
            pathology = any(getattr(finding, f) not in (None, False) for f in _OBJECTIVE_IMAGING)
            if pathology and finding.evidence:
                return finding.evidence[0]
    return None


def _in_unticked_option(document: CaseDocument, start: int, end: int) -> bool:
    """A word of a form option left unticked ("[ ] Arachnoiditis") is not stated."""
    return checkbox_verdict(document.text, start, end) in ("unanswered", "negated")


# the conditions named outright, as ConText concepts so that "no arachnoiditis" names none
_NAMED_CONDITIONS = {"IMG_ARACHNOIDITIS": "arachnoiditis", "STIM_DIABETIC_NEUROPATHY": "pdn"}


def _named_condition(document: CaseDocument, sentence: Sentence) -> str | None:
    """Arachnoiditis or painful diabetic neuropathy stated for the patient in this sentence; not
    when negated ("no arachnoiditis"), family history or an unticked form option."""
    for mention in sentence.concepts:
        condition = _NAMED_CONDITIONS.get(mention.category)
        if (
            condition is not None
            and mention.affirmed
            and not _in_unticked_option(document, mention.start, mention.end)
        ):
            return condition
    return None


def _condition(reader: CaseReader, facts: CaseFacts) -> None:
    crps = facts.crps.diagnosed
    if crps is not None and crps.value:
        _set(facts, "stimulator.condition", "crps", crps.evidence[0])
        return
    for document, sentence in reader.sentences(reader.clinical_first()):
        text = sentence.text
        named = _named_condition(document, sentence)
        if named is not None:
            _set(facts, "stimulator.condition", named, reader.evidence(document, sentence))
            return
        post_surgical = _POST_SURGICAL.search(text)
        if (
            facts.surgery.prior
            and post_surgical
            and _NEUROPATHIC.search(text)
            and not _in_unticked_option(
                document,
                sentence.start + post_surgical.start(),
                sentence.start + post_surgical.end(),
            )
            and not re.search(
                r"\b(?:no|not|without|denies)\b[^.;]{0,30}$", text[: post_surgical.start()], re.I
            )
        ):
            evidence = reader.evidence(document, sentence)
            _set(facts, "stimulator.condition", "post_surgical_nerve_root_injury", evidence)
            _set(facts, "stimulator.neuropathic_pain", True, evidence)
            return
    # none of them named: the condition is not documented (a pend), never "other" (a denial)


def _care_months(reader: CaseReader, facts: CaseFacts) -> None:
    """Months of physician-supervised multimodal care: the longest duration written next to the
    care ("failed ~22 months of physician-supervised multimodal care"), else the longest since a
    date ("conservative care since 01/2025"), from sentences that tell of care received."""
    best: tuple[bool, float, CaseDocument, Sentence] | None = None  # stated before computed
    for document, sentence in reader.sentences(reader.clinical_first()):
        text = sentence.text
        care = [m.span() for m in _CANDIDACY["multimodal"].finditer(text)]
        if not care or _CANDIDACY["ahead"].search(text):
            continue  # "continue multimodal care for 3 more months" is not care received
        if _CONTINUOUS.search(text) and facts.conservative.ongoing is None:
            # "Multimodal care since 09/2025 (continuous, > 9 months)": the care continues
            _set(facts, "conservative.ongoing", True, reader.evidence(document, sentence))
        for duration in find_durations(text, reference=document.date):
            near = any(
                _CANDIDACY["care_filler"].match(
                    text[end : duration.start] if end <= duration.start
                    else text[duration.end : start]
                ) is not None
                for start, end in care
                if duration.start - end <= _NEAR_CARE and start - duration.end <= _NEAR_CARE
            )  # fmt: skip
            key = (duration.since is None, round(duration.months, 1))
            if near and (best is None or key > best[:2]):
                best = (*key, document, sentence)
    if best is not None:
        _, months, document, sentence = best
        evidence = reader.evidence(document, sentence)
        _set(facts, "stimulator.multimodal_care_months", months, evidence)
        if facts.conservative.completed is None and _CARE_FAILED.search(sentence.text):
            # "~22 months of physician-supervised multimodal care has failed": a course run through
            _set(facts, "conservative.completed", True, evidence)


def _pain_specialist(reader: CaseReader, facts: CaseFacts) -> None:
    """A pain medicine physician or practice wrote a note (its heading names it) or evaluated the
    patient; a referral to one is not an evaluation."""
    if facts.stimulator.pain_specialist_evaluation is not None:
        return
    for document in reader.clinical_first():
        title = _CANDIDACY["pain_specialist"].search(document.title)
        if title is not None and not _not_evaluated(document.title):
            first_line = document.text.split("\n", 1)[0]
            head = reader.span_evidence(document, 0, len(first_line) or len(document.text))
            _set(facts, "stimulator.pain_specialist_evaluation", True, head)
            return  # a pain medicine note by its title ("Pain medicine follow-up / SCS")
        head_end = _heading_end(document.text)
        match = _CANDIDACY["pain_specialist"].search(document.text, 0, head_end)
        match = match or _author_line(document)
        if match is None:
            continue
        line_start = document.text.rfind("\n", 0, match.start()) + 1
        line_end = document.text.find("\n", match.end())
        line_end = len(document.text) if line_end < 0 else line_end
        if not _not_evaluated(document.text[line_start:line_end]):
            evidence = reader.span_evidence(document, line_start, line_end)
            _set(facts, "stimulator.pain_specialist_evaluation", True, evidence)
            return
    for document in reader.clinical_first():  # the author's signature: "J Doe, MD, Pain Medicine"
        tail_start = max(0, len(document.text) - 400)
        for line in document.text[tail_start:].splitlines():
            if (
                _CANDIDACY["signature"].search(line)
                and _CANDIDACY["pain_specialist"].search(line)
                and not _not_evaluated(line)
            ):
                start = document.text.index(line, tail_start)
                evidence = reader.span_evidence(document, start, start + len(line))
                _set(facts, "stimulator.pain_specialist_evaluation", True, evidence)
                return
    for document, sentence in reader.sentences(reader.clinical_first()):
        text = sentence.text
        if (
            sentence.section != "plan"
            and _CANDIDACY["pain_specialist"].search(text)
            and _CANDIDACY["evaluated"].search(text)
            and not _not_evaluated(text)
        ):
            _set(facts, "stimulator.pain_specialist_evaluation", True,
                 reader.evidence(document, sentence))  # fmt: skip
            return


def _author_line(document: CaseDocument) -> re.Match[str] | None:
    """A pain medicine qualification on the header line naming the note's author ("Provider: M.
    Q-R, MD (Anesthesiology / Pain Medicine, board certified)"), in its first twelve lines."""
    offset = 0
    for line in document.text.splitlines()[:12]:
        if _CANDIDACY["author_line"].match(line):
            found = _CANDIDACY["pain_specialist"].search(document.text, offset, offset + len(line))
            if found is not None:
                return found
        offset += len(line) + 1
    return None


def _not_evaluated(text: str) -> bool:
    """A referral, a negation or a hypothetical: "refer to pain management", "not seen by"."""
    return any(_CANDIDACY[name].search(text) for name in ("referral", "negated", "ahead"))


def _heading_end(text: str) -> int:
    """Where a note's heading ends: its first three lines, at most 300 characters."""
    end = 0
    for _ in range(3):
        following = text.find("\n", end + 1)
        if following < 0:
            return min(len(text), 300)
        end = following
    return min(end, 300)


def _psychology(reader: CaseReader, facts: CaseFacts) -> None:
    for document in reader.documents:
        if not re.search(
            r"\bpsycholog|\bpsychiatr|\bbehavio(?:u)?ral\s+health", document.title, re.I
        ):
            continue
        against = next(
            (s for s in document.annotated.sentences if _EVALUATOR_AGAINST.search(s.text)), None
        )
        if against is not None:  # the evaluator's own report outranks the summaries of it
            facts.stimulator.mental_health_cleared = None
            _set(
                facts, "stimulator.mental_health_cleared", False, reader.evidence(document, against)
            )
    for document, sentence in reader.sentences(reader.clinical_first()):
        text = sentence.text
        if not _PSYCH.search(text) and not re.search(r"\bpsych", document.title, re.I):
            continue
        evidence = reader.evidence(document, sentence)
        dates = [
            d.value for d in find_dates(text)
            if d.precision == "day" and not _BIRTH_DATE.search(text[: d.start])  # not "DOB ..."
        ]  # fmt: skip
        if dates and facts.stimulator.mental_health_eval_date is None and _PSYCH.search(text):
            _set(facts, "stimulator.mental_health_eval_date", dates[0], evidence)
        if facts.stimulator.mental_health_cleared is None:
            if _NOT_CLEARED.search(text):
                _set(facts, "stimulator.mental_health_cleared", False, evidence)
            elif _CLEARED.search(text):
                _set(facts, "stimulator.mental_health_cleared", True, evidence)


# a spinal stimulator; a peripheral, occipital, sacral or vagus nerve stimulator is another device
_STIMULATOR_WORD = (
    r"(?:(?<!nerve\s)(?<!PNS\s)stimulator|SCS|spinal\s+cord\s+stim\w*|"
    r"(?<!nerve\s)neurostimulat\w*|DRG\s+stim\w*)"
)
_FAILURE_WORD = (
    r"(?:unsuccessful|failed|did\s+not\s+(?:help|work)|didn't\s+(?:help|work)|no\s+(?:benefit|relief)"
    r"|ineffective|not\s+effective|of\s+no\s+benefit)"
)
_STIMULATOR_FAILED = re.compile(
    rf"\b{_STIMULATOR_WORD}\b[^.;]{{0,80}}?\b{_FAILURE_WORD}"
    rf"|\b(?:failed|unsuccessful)\s+(?:\w+\s+){{0,2}}?{_STIMULATOR_WORD}",
    re.IGNORECASE,
)


def _stimulator_failed(reader: CaseReader, facts: CaseFacts) -> None:
    """An earlier stimulator (trial or implant) the record calls unsuccessful or failed."""
    if facts.stimulator.trial_failed is not None:
        return
    for document in reader.clinical_first():
        for sentence in document.annotated.sentences:
            if sentence.section == "plan" or re.search(r"\bif\b|\bwould\b", sentence.text, re.I):
                continue
            failed = _STIMULATOR_FAILED.search(sentence.text)
            if (
                failed
                and sentence.section != "family"
                and not _SOMEONE_ELSE.search(sentence.text, 0, failed.start())
                and checkbox_verdict(
                    document.text, sentence.start + failed.start(), sentence.start + failed.end()
                )
                in (None, "affirmed")  # a form row ticked No or left blank says no failure
            ):
                _set(facts, "stimulator.trial_failed", True, reader.evidence(document, sentence))
                return


def _trial(reader: CaseReader, facts: CaseFacts) -> None:
    for document in reader.clinical_first():
        trial_doc = bool(re.search(r"\btrial\b", document.title, re.I)) and not re.search(
            r"\bplann\w*|\brequest|\bcandidacy|\bconsult\w*|\bevaluation", document.title, re.I
        )  # the trial's own record, not a note planning one
        since_trial = _AFTER_TRIAL + 1  # sentences since one that names the trial
        for sentence in document.annotated.sentences:
            text = sentence.text
            since_trial = 0 if _TRIAL.search(text) else since_trial + 1
            if sentence.section == "plan" or not (trial_doc or since_trial <= _AFTER_TRIAL):
                continue  # the trial's own record, or a sentence on it or just after it
            if (
                _MEDICINE_TRIAL.search(text)
                and not _STIMULATOR.search(text)
                and not _ANALGESIC_USE.search(text)
            ):
                continue  # "| pregabalin 150 mg BID | ... | ~20% relief |": a medicine's trial
            evidence = reader.evidence(document, sentence)
            days = _TRIAL_DAYS.search(text)
            dated = len(find_dates(text)) >= 2 or _DATE_SPAN.search(text) or _TWO_DAYS.search(text)
            if days and dated and facts.stimulator.trial_days is None:
                _set(facts, "stimulator.trial_days", float(next(g for g in days.groups() if g)),
                     evidence)  # fmt: skip
            relief = [p for p in find_percents(text) if p.value >= 5]
            reported = re.search(r"\bduring\s+(?:the\s+)?trial|reduction|relief", text, re.I)
            goal = re.search(r"success\s*=|if\s+>=?", text, re.I)
            unchanged = _ANALGESIC_UNCHANGED.search(text)
            if unchanged and facts.stimulator.trial_medication_reduction_percent is None:
                # "Oxycodone use unchanged", "no reduction in opioid use": a cut of none
                _set(facts, "stimulator.trial_medication_reduction_percent", 0.0, evidence)
            for percent in relief if reported and not goal else []:
                # "an 80% reduction in analgesic use": the medication's, not the pain's
                after = text[percent.end : percent.end + 40]
                name = (
                    "stimulator.trial_medication_reduction_percent"
                    if _MEDICATION_AFTER.match(after)
                    else "stimulator.trial_relief_percent"
                )
                if facts.get(name) is None:
                    _set(facts, name, percent.value, evidence)
            if (
                trial_doc
                and _TRIAL_FUNCTION.search(text)
                and re.search(r"\bwalked|\bstood|\bdrove|->", text)
            ):
                _set(facts, "stimulator.trial_functional_improvement", True, evidence)


def _trial_failed(facts: CaseFacts) -> None:
    """A trial failed when its pain relief and, if reported, its cut in analgesic use are both
    under half ("at least a 50% reduction of target pain or analgesic medication use")."""
    relief = facts.stimulator.trial_relief_percent
    medication = facts.stimulator.trial_medication_reduction_percent
    if facts.stimulator.trial_failed is not None or relief is None or not relief.evidence:
        return
    failed = relief.value < 50 and (medication is None or medication.value < 50)
    _set(facts, "stimulator.trial_failed", failed, relief.evidence[0])


def extract_stimulator(reader: CaseReader, facts: CaseFacts) -> None:
    """Stimulator candidacy and trial facts, when the case is about a stimulator."""
    if not _about_stimulator(reader, facts):
        return
    _condition(reader, facts)
    checks = [
        ("stimulator.objective_basis", _OBJECTIVE, True),
        ("stimulator.facilities_available", _FACILITY, True),
        ("stimulator.surgical_opinion", _SURGICAL_OPINION, True),
        ("stimulator.sympathetic_blocks_failed", _BLOCKS_FAILED, True),
    ]
    for name, pattern, value in checks:
        found = _first(reader, pattern)
        if found is not None and facts.get(name) is None:
            _set(facts, name, value, reader.evidence(*found))
    objective = _objective_basis(facts)
    if objective is not None and facts.stimulator.objective_basis is None:
        _set(facts, "stimulator.objective_basis", True, objective)
    neuropathic = _first(reader, re.compile(r"\bneuropathic\s+pain|\bburning\b", re.I), plan=False)
    if neuropathic is not None and facts.stimulator.neuropathic_pain is None:
        _set(facts, "stimulator.neuropathic_pain", True, reader.evidence(*neuropathic))
    _care_months(reader, facts)
    _pain_specialist(reader, facts)
    _psychology(reader, facts)
    _trial(reader, facts)
    _trial_failed(facts)
    _stimulator_failed(reader, facts)
    _complication(reader, facts, "STIM_HARDWARE", "stimulator.hardware_complication")
    _complication(reader, facts, "STIM_GENERATOR_SITE", "stimulator.generator_site_complication")


def _complication(reader: CaseReader, facts: CaseFacts, category: str, name: str) -> None:
    """A hardware complication stated as found; one only suspected or to be evaluated ("suspect
    L lead migration", "evaluate for lead migration") is not, and a report that rules it out
    ("No lead migration.") answers no when nothing states it."""
    found = absent = None
    for document, sentence, mention in reader.mentions(category):
        if mention.hypothetical or mention.family:
            continue
        if mention.negated:
            if _DEVICE.search(sentence.text):  # not a fusion's "no hardware failure"
                absent = absent or reader.evidence(document, sentence)
        elif not mention.uncertain and not _SUSPECTED.search(sentence.text):
            found = found or reader.evidence(document, sentence)
    quote = found or absent
    if quote is not None:
        _set(facts, name, found is not None, quote)
