"""Conservative-care facts that need numbers or dates: PT weeks, total weeks, re-evaluation date,
and whether a more invasive step is being considered.

PT weeks come from a duration written next to physical therapy ("PT 8 wks", "12 wks 03-05/2026")
or, failing that, from the PT date range ("06/29/2026 - 08/21/2026"). The conservative-care
duration is the PT course when one is documented, else the longest duration written next to a
conservative treatment (medication, home program, chiropractic). A PT course is completed when
its dates close before the note ("PT 02/2026-03/2026 (7 wks)"), the note says it failed or was
finished ("failed 8 wks PT", "completed a course of physio"), or a past course of stated length is
described outside the plan ("had physical therapy for ten weeks"); "PT 05/04/2026-present" or
"still attending" is not completed. The course words are data (`lexicons/conservative_care.yaml`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_date_ranges, find_dates, find_durations
from drafting.extraction.quantities.calendar import MONTH_NAMES, MONTH_NUMBERS
from drafting.extraction.quantities.mentions import NUMBER_PATTERN, word_number
from drafting.extraction.rules.reader import CaseDocument, CaseReader

_CONSERVATIVE_CATEGORIES = (
    "conservative.pt_formal",
    "conservative.anti_inflammatory_analgesics",
    "conservative.adjunctive_medications",
    "conservative.alternative_therapies",
    "conservative.home_program_compliant",  # "missed maybe five days in the eleven weeks since"
)
_WORDS = patterns("conservative_care")
_PROCEDURE_CATEGORIES = (
    "PROC_ESI", "PROC_SNRB", "PROC_MBB", "PROC_FACET_IA", "PROC_RFA", "PROC_SI",
    "PROC_SYMPATHETIC", "PROC_SCS", "PROC_BVN", "PROC_INTRADISCAL", "PROC_ADHESIOLYSIS",
)  # fmt: skip


def _weeks_near(sentence: Sentence, start: int, reference: date | None) -> tuple[float, int] | None:
    """The first course duration (weeks, offset) written after character `start` of the clause."""
    clause_end = len(sentence.text)
    stop = re.search(r";|\.\s", sentence.text[start:])
    if stop:
        clause_end = start + stop.start()
    clause = sentence.text[start:clause_end]
    for duration in find_durations(clause, reference=reference):
        if _WORDS["not_a_course"].search(clause[duration.start : duration.end + 6]):
            continue
        if re.search(
            r"\b(?:after|at|within|by)\s+(?:about\s+|approximately\s+|~\s*)?$",
            clause[: duration.start],
        ) and not re.match(r"\s+of\b", clause[duration.end :]):
            continue  # "Aleve upset my stomach after about a month": when, not how long
        if duration.since is not None and not _course_since(clause[: duration.start]):
            continue  # "PT and a TFESI on 11/18/2025 - pain gone since January": not the course's
        if duration.since is not None or duration.unit in ("week", "month", "year"):
            # "PT x 8 wks", or a course running "since early June" (to the note's date)
            return round(duration.weeks, 1), start + duration.start
    for date_range in find_date_ranges(clause, reference):
        return round(date_range.weeks, 1), start + date_range.start
    return None


def _course_since(gap: str) -> bool:
    """The "since" a course runs from follows the therapy's own description ("physiotherapy
    (desensitisation, mirror therapy) since early June"), with no date or new clause between."""
    return len(gap) <= 90 and not find_dates(gap) and not re.search(r"\s[-–—]\s|;", gap)


# "failed 8 wks PT", "6 weeks of physical therapy", "a twelve-week course of NHS physiotherapy"
_WEEKS_BEFORE = re.compile(
    rf"\b({NUMBER_PATTERN})\s*-?\s*(wks?|weeks?|months?|mos?)\s+"
    r"(?:(?:course|program(?:me)?|block|trial)\s+)?(?:of\s+)?"
    r"(?:(?:formal|supervised|outpatient|NHS|private|land-based|in-person)\s+)?$",
    re.IGNORECASE,
)


def _before_episode(document: CaseDocument, sentence: Sentence, onset: date | None) -> bool:
    """The course the sentence dates ended over a month before the current episode began ("Jan-Feb
    2025 ... PT for about 6 weeks" for pain since Feb 2026): the care of an earlier episode."""
    if onset is None or re.search(
        r"\bsince\b|\bongoing\b|\bcurrent\w*|\bto\s+date\b|\bpresent\b|\bcontinu\w*|\bstill\b",
        sentence.text,
        re.IGNORECASE,
    ):
        return False  # "PT 2x/week since 05/19/2026": running still
    dates = [d.value for d in find_dates(sentence.text, document.day_first)]
    if not dates and document.kind == "pt" and document.date is not None:
        dates = [document.date]
    return bool(dates) and max(dates) < onset - timedelta(days=31)


# an order for therapy ("Order: PT eval & treat ... 2x/wk x 6 wks", "Rx: PT 6 weeks") says what
# was prescribed, not what was done
_ORDERED = patterns("clinical_state")["therapy_ordered"]


def _pt_weeks(reader: CaseReader, onset: date | None = None) -> tuple[float, Evidence] | None:
    order = reader.newest_first("clinic", "surgical") + reader.newest_first("pt")
    for document, sentence, mention in reader.mentions("conservative.pt_formal", order):
        if not mention.affirmed or mention.planned or sentence.section == "plan":
            continue  # "We will restart PT ... ideally 1-2 wks after the injection": a plan
        if _ORDERED.search(sentence.text):
            continue
        if _before_episode(document, sentence, onset):
            continue
        offset = mention.start - sentence.start
        found = _weeks_near(sentence, offset, document.date)
        if found:
            weeks, at = found
            focus = (mention.start, sentence.start + at + 1)
            return weeks, reader.evidence(document, sentence, focus)
        before = _WEEKS_BEFORE.search(sentence.text[max(0, offset - 40) : offset])
        if before:  # "failed 8 wks PT", "6 weeks of physical therapy"
            amount = word_number(before.group(1))
            weeks = amount * (30.44 / 7 if before.group(2).lower().startswith("m") else 1)
            focus = (mention.start - len(before.group(0)), mention.end)
            return round(weeks, 1), reader.evidence(document, sentence, focus)
    for document in reader.newest_first("pt"):
        for sentence in document.annotated.sentences:
            ranges = find_date_ranges(sentence.text, day_first=document.day_first)
            if ranges and not _before_episode(document, sentence, onset):
                focus = (sentence.start + ranges[0].start, sentence.start + ranges[0].end)
                return round(ranges[0].weeks, 1), reader.evidence(document, sentence, focus)
            bounds = _WORDS["course_bounds"].search(sentence.text)
            if bounds and not _before_episode(document, sentence, onset):
                first, last = (
                    find_dates(bounds.group(k), document.day_first) for k in ("first", "last")
                )
                if first and last and first[0].value < last[0].value:
                    focus = (sentence.start + bounds.start(), sentence.start + bounds.end())
                    weeks = round((last[0].value - first[0].value).days / 7, 1)
                    return weeks, reader.evidence(document, sentence, focus)
    return None


def _open_course(text: str) -> bool:
    """The therapy course is still running ("PT ongoing"), not only the home program after it
    ("still does the home exercises")."""
    for match in _WORDS["open_course"].finditer(text):
        if not re.match(r"[^.;]{0,40}?\b(?:home|HEP|exercis)", text[match.end() :], re.I):
            return True
    return False


def _pt_completed(reader: CaseReader) -> Evidence | None:
    """Evidence of a finished PT course: a date range closed before the note, or "failed PT"."""
    order = reader.newest_first("clinic", "surgical") + reader.newest_first("pt")
    for document, sentence, mention in reader.mentions("conservative.pt_formal", order):
        if not mention.affirmed or mention.planned or sentence.section == "plan":
            continue  # "We will restart PT ... ideally 1-2 wks after the injection": a plan
        if _ORDERED.search(sentence.text):
            continue
        offset = mention.start - sentence.start
        failed = _WORDS["failed_course"].search(sentence.text[max(0, offset - 40) : offset + 40])
        if failed:
            start = max(0, offset - 40) + failed.start()
            focus = (sentence.start + start, sentence.start + start + len(failed.group(0)))
            return reader.evidence(document, sentence, focus)
        stop = re.search(r";|\.\s|\)\s*[,+;]|\s\+\s", sentence.text[offset:])
        clause = sentence.text[offset : offset + stop.start() + 1 if stop else len(sentence.text)]
        # the course ends where another treatment begins ("PT ..., then chiropractic ...,
        # duloxetine, which she still takes": the "still" is the drug's)
        others = [
            m.start - sentence.start - offset
            for m in sentence.concepts
            if m.start > mention.end
            and m.category in (*_CONSERVATIVE_CATEGORIES[1:], "DRUG_ANESTHETIC", "DRUG_STEROID")
        ]
        if others and min(others) < len(clause):
            clause = clause[: min(others)]
        if _open_course(clause):
            continue
        for date_range in find_date_ranges(clause, day_first=document.day_first):
            if document.date is None or date_range.last < document.date:
                focus = (mention.start, mention.start + date_range.end)
                return reader.evidence(document, sentence, focus)
        window = sentence.text[max(0, offset - 60) : offset + len(clause) + 40]
        if _open_course(clause) or _WORDS["planned_course"].search(window):
            continue
        if _WORDS["finished_course"].search(window) or find_durations(window):
            return reader.evidence(document, sentence, (mention.start, mention.start + len(clause)))
    for document in reader.newest_first("pt"):  # a therapist's discharge summary closes the course
        for sentence in document.annotated.sentences:
            if _WORDS["discharge_document"].search(sentence.text) and not _open_course(
                sentence.text
            ):
                return reader.evidence(document, sentence)
    return None


def _longest_other_course(reader: CaseReader) -> tuple[float, Evidence] | None:
    best: tuple[float, Evidence] | None = None
    for category in _CONSERVATIVE_CATEGORIES[1:]:
        for document, sentence, mention in reader.mentions(
            category, reader.newest_first("clinic", "surgical")
        ):
            if not mention.affirmed or sentence.section == "plan":
                continue
            offset = mention.start - sentence.start
            found = _weeks_near(sentence, offset, document.date)
            for duration in find_durations(
                sentence.text[offset : offset + 60], reference=document.date
            ):
                if duration.since is not None:
                    found = (round(duration.weeks, 1), offset + duration.start)
                    break
            if found and (best is None or found[0] > best[0]):
                focus = (mention.start, sentence.start + found[1] + 1)
                best = (found[0], reader.evidence(document, sentence, focus))
    return best


# "Despite 8 weeks of this, pain is unchanged": the length of the care the note just described
_OF_THE_ABOVE = re.compile(
    r"\b(?:despite|after|with|following)\s+(?P<length>[^,.;]{1,25}?)\s+of\s+(?:this|these|that|it|"
    r"them|the\s+above|all\s+(?:this|of\s+this)|(?:conservative\s+)?(?:care|treatment|management)|"
    r"the\s+(?:program|programme|regimen))\b",
    re.I,
)


def _course_of_the_above(reader: CaseReader) -> tuple[float, Evidence, bool] | None:
    """The length of the care a note has just described, and whether the same sentence says it
    changed nothing (the course has run its length without help)."""
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        if sentence.section == "plan":
            continue
        for match in _OF_THE_ABOVE.finditer(sentence.text):
            lengths = find_durations(match.group("length"), reference=document.date)
            if lengths and lengths[0].since is None:
                focus = (sentence.start + match.start(), sentence.start + match.end())
                failed = (
                    any(
                        m.category == "conservative.no_significant_improvement" and m.affirmed
                        for m in sentence.concepts
                    )
                    and lengths[0].weeks >= 6
                )
                weeks = round(lengths[0].weeks, 1)
                return weeks, reader.evidence(document, sentence, focus), failed
    return None


def _reevaluation_date(reader: CaseReader) -> tuple[date, list[Evidence]] | None:
    for document in reader.newest_first("clinic", "surgical"):
        for sentence in document.annotated.sentences:
            match = _WORDS["reevaluation"].search(sentence.text)
            if not match:
                continue
            tail = sentence.text[match.start() :]
            dates = [d.value for d in find_dates(tail, document.day_first)]
            if _WORDS["today"].search(tail) and document.date is not None:
                dates.append(document.date)
            if not dates and document.date is not None:
                dates.append(document.date)
            if dates:
                evidence = [reader.evidence(document, sentence)]
                if document.date in dates and max(dates) == document.date:
                    header = reader.date_line_evidence(document)
                    if header is not None and header not in evidence:
                        evidence.append(header)
                return max(dates), evidence
    return None


def _more_invasive(reader: CaseReader, document: CaseDocument) -> Evidence | None:
    for sentence in document.annotated.sentences:
        for mention in sentence.concepts:
            if mention.category not in (*_PROCEDURE_CATEGORIES, "surgery.considered"):
                continue
            if not mention.affirmed:
                continue
            if mention.planned or sentence.section == "plan" or mention.category.startswith("s"):
                return reader.evidence(document, sentence, (mention.start, mention.end))
    return None


def _comprehensive_program(reader: CaseReader, facts: CaseFacts) -> Evidence | None:
    """Pain psychology under way alongside rehabilitation (PT or OT) in the same record: a
    comprehensive program in all but name. The psychology sentence is the evidence."""
    pt = facts.conservative.pt_formal
    if pt is None or not pt.value:
        return None
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical", "other")):
        if sentence.section in ("plan", "family") or _WORDS["planned_course"].search(sentence.text):
            continue
        if _WORDS["psychological_care"].search(sentence.text) and not re.search(
            r"\b(?:no|not|never|declined|refused|without)\b", sentence.text, re.IGNORECASE
        ):
            return reader.evidence(document, sentence)
    return None


_ONSET_WORDS = re.compile(r"\b(?:start\w*|began|begun|onset|came\s+on|developed)\b", re.I)
_RECURRED = re.compile(
    r"\b(?:return\w*|recurr\w*|(?:came|come|coming|crept|creeping)\s+back|back\s+again)\b", re.I
)


def _onset_from_duration(reader: CaseReader, facts: CaseFacts) -> date | None:
    """When the episode began, from how long its note says the pain has lasted ("started three
    weeks after Labor Day" read as 0.7 months on 10/09): the note's date less that length."""
    duration = facts.symptoms.duration_months
    if duration is None or not duration.evidence:
        return None
    quote = duration.evidence[0].quote
    if not _ONSET_WORDS.search(quote) or _RECURRED.search(quote):
        return None  # a length not said to run from the onset ("> 3 mo post inj")
    index = duration.evidence[0].document
    written = next((d.date for d in reader.documents if d.index == index), None)
    return None if written is None else written - timedelta(days=duration.value * 30.44)


_STARTED_ON = re.compile(
    r"\b(?:re)?start(?:ed)?\s+(?:on\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", re.I
)
# a medicine started in a month only ("meloxicam 7.5 mg daily restarted in August")
_STARTED_IN = re.compile(rf"\b(?:re)?start(?:ed)?\s+in\s+(?P<month>{MONTH_NAMES})\b", re.I)
# the care's length is known only to run at least as long as the therapy course
UNKNOWN_LONGER = -1.0


def _care_from_an_earlier_medicine(
    reader: CaseReader, facts: CaseFacts, pt: tuple[float, Evidence]
) -> tuple[float, Evidence] | None:
    """A short therapy course beside a medicine for the pain started before it ("meloxicam 15
    mg daily (restarted 8/25)", PT 08/27-10/06): the care runs from the medicine's start to the
    note that tells of it."""
    starts = [d.value for d in find_dates(pt[1].quote)]
    if not starts:
        return None
    therapy_start = min(starts)
    for fact in (
        facts.conservative.anti_inflammatory_analgesics,
        facts.conservative.adjunctive_medications,
    ):
        for evidence in fact.evidence if fact is not None and fact.value else []:
            told = next((d for d in reader.documents if d.index == evidence.document), None)
            match = _STARTED_ON.search(evidence.quote)
            in_month = _STARTED_IN.search(evidence.quote)
            if told is not None and in_month is not None and match is None:
                month = MONTH_NUMBERS[in_month.group("month").lower()]
                if month == therapy_start.month:  # "restarted in August", PT from 08/24: it may
                    return UNKNOWN_LONGER, evidence  # have begun before the course or after
                if month < therapy_start.month and told.date is not None:
                    started = date(therapy_start.year, month, 1)
                    return round((told.date - started).days / 7, 1), evidence
            if told is None or told.date is None or match is None:
                continue
            month, day = int(match.group(1)), int(match.group(2))
            year = int(match.group(3)) if match.group(3) else told.date.year
            year += 2000 if year < 100 else 0
            try:
                started = date(year, month, day)
            except ValueError:
                continue
            if started > told.date:
                started = started.replace(year=started.year - 1)
            if started < therapy_start:
                return round((told.date - started).days / 7, 1), evidence
    return None


def extract_conservative(reader: CaseReader, facts: CaseFacts) -> None:
    """PT weeks, conservative-care weeks, re-evaluation date, more invasive therapy considered."""
    onset = facts.symptoms.onset_date.value if facts.symptoms.onset_date else None
    if onset is None:
        onset = _onset_from_duration(reader, facts)
    pt = _pt_weeks(reader, onset)
    if pt is not None:
        facts.conservative.pt_weeks = Fact[float](value=pt[0], evidence=[pt[1]])
    above = _course_of_the_above(reader)
    course = pt or _longest_other_course(reader) or above
    if course is pt and pt is not None and _WORDS["home_program_restarted"].search(pt[1].quote):
        # "restarted her home program daily ..., plus 4 PT visits 6/16-7/10": the visits are a
        # part of a course whose length the record does not give, not its length
        course = None
    if course is pt and pt is not None and pt[0] < 6:
        course = _care_from_an_earlier_medicine(reader, facts, pt) or course
    if course is not None and course[0] == UNKNOWN_LONGER:
        course = None  # the therapy's weeks stand in as a lower bound (criteria.fact_values)
    if course is not None:
        facts.conservative.duration_weeks = Fact[float](value=course[0], evidence=[course[1]])
    if facts.conservative.completed is None:
        completed = _pt_completed(reader)
        if completed is None and above is not None and above[2]:
            completed = above[1]  # "Despite 8 weeks of this, pain is unchanged": run its length
        if (
            completed is None
            and course is not None
            and course[0] >= 6  # shorter, it cannot have run its length
            and _WORDS["failed_care"].search(course[1].quote)
        ):
            completed = course[1]  # "Failed resumed HEP, NSAID, heat ... x ~3 mo"
        if completed is not None:
            facts.conservative.completed = Fact[bool](value=True, evidence=[completed])
    reevaluation = _reevaluation_date(reader)
    if reevaluation is not None:
        facts.conservative.reevaluation_date = Fact[date](
            value=reevaluation[0], evidence=reevaluation[1]
        )
    if facts.conservative.comprehensive_pain_program is None:
        program = _comprehensive_program(reader, facts)
        if program is not None:
            facts.conservative.comprehensive_pain_program = Fact[bool](
                value=True, evidence=[program]
            )
    for document in reader.newest_first("clinic", "surgical"):
        evidence = _more_invasive(reader, document)
        if evidence is not None:
            facts.conservative.more_invasive_considered = Fact[bool](
                value=True, evidence=[evidence]
            )
            break
