"""Prior interventional procedures as dated events (`procedures.prior`).

A prior procedure is a procedure mention that is not negated, hypothetical or planned and not in
a plan section. Each date written after it (or the procedure note's own date, for the note's
main procedure) makes one event; an undated mention makes an event only in a history context
("Prior procedures:", "s/p", a treatment section). Attributes come from the words that belong to
the event (from the start of its phrase to the next date or procedure), then from the rest of its
stretch of the sentence, then from a list header ("Diagnostic blocks (R L4-5, L5-S1; ...):"),
read by `event_attributes` (levels, side, approach, agent, relief and its duration, ...). Relief
reported later without naming the procedure ("F/U 05/12/2026: 75% improvement", an addendum)
goes to the latest event before it. Events of one type and date
are merged, except "dual" blocks reported with two figures. "No prior injections" with no event
gives an empty list: documented as none. The history, count and instruction words are data
(`lexicons/procedure_history.yaml`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple

from criteria.fact_values import region_group
from criteria.facts import CaseFacts, Evidence, ProcedureEvent
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.clinical_nlp.checkboxes import EMPTY, TICKED
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_dates, find_levels
from drafting.extraction.quantities.mentions import DateMention
from drafting.extraction.rules.event_attributes import (
    ANESTHETIC,
    FUNCTION_BETTER,
    SAME_AGENT,
    about_other_care,
    agent_concordance,
    agent_of,
    agent_words,
    apply_defaults,
    block_response,
    fill_event,
    fit_by_hours,
    fits_agent,
    lasted_until,
    relief_at_time_points,
    relief_months,
    relief_percents,
    relief_until_months,
    result_region_group,
    still_better_months,
    target_anesthetic,
)
from drafting.extraction.rules.event_history import MONTH_ONLY, merged_history, told_apart
from drafting.extraction.rules.pain_diary import read_diary
from drafting.extraction.rules.procedure_terms import PROCEDURE_TYPES, dates_with_years, refine_type
from drafting.extraction.rules.reader import CaseDocument, CaseReader
from drafting.extraction.rules.service_record import ServiceRecord, service_record

NOT_REAL_NEGATION = {"negative", "neg", "(negative)"}
_CUES = patterns("procedure_history")  # history, reference point, counted, not a report, dual


# a request form's selection of the procedure requested ("[x] SI joint injection (CPT 27096)",
# "Procedure requested: ..."): the request, not a procedure already done
_SPLIT = "_reported_by_side"  # an event made from one side of a bilateral procedure
_RESULT_FIELDS = frozenset(
    {"relief_percent", "relief_duration_months", "functional_improvement",
     "relief_consistent_with_agent"}
)  # fmt: skip
_REQUEST_LINE = re.compile(
    rf"{TICKED}[^\n]{{0,80}}?\b(?:CPT|HCPCS)\b"
    rf"|\b(?:CPT|HCPCS)\s*(?:code)?\s*:?\s*\d{{4}}[\dA-Z][^\n]{{0,40}}?{TICKED}"
    r"|\b(?:procedure|service)s?\s*(?:\(s\)\s*)?requested\b"
    # a billing line of the request: a code with its units ("CPT 64493-50 ... Units: 1")
    r"|\b(?:CPT|HCPCS)\s*(?:code)?\s*:?\s*\d{4}[\dA-Z](?:-\w{2})?\b[^\n]{0,100}?\b(?:units?|qty)\b"
    # or a line that opens on the code, with no date of its own ("CPT 64493  Lumbar MBB ... x1")
    r"|^\W*(?:#?\d{1,2}[.)]?\s+)?(?:CPT|HCPCS)\s*(?:code)?\s*:?\s*\d{4}[\dA-Z]\b"
    r"(?![^\n]*\b\d{1,2}/\d{1,2}/\d{2,4})",
    re.IGNORECASE,
)


_HEADER_KINDS = patterns("list_headers", "kinds")  # a header's words -> the items' procedure
_ITEM_WORD = patterns("list_headers", "items")["item_word"]


def _under_header(sentence: Sentence, header: str) -> list[ConceptMention]:
    """A dated list item under a header that names the procedure: one mention of it."""
    if not header or not re.match(r"\s*(?:[-•*|]|\d+[.)])", sentence.text):
        return []
    kinds = [category for category, pattern in _HEADER_KINDS.items() if pattern.search(header)]
    word = _ITEM_WORD.search(sentence.text)
    if not kinds and _ITEM_WORD.search(header) and sentence.text.lstrip().startswith("|"):
        # a table under "INJECTION HISTORY:" whose row names the kind ("| 05/04/2026 | C7-T1
        # interlaminar, L param. | dexamethasone 10 mg | ~70% |")
        named = [(c, m) for c, p in _HEADER_KINDS.items() if (m := p.search(sentence.text))]
        kinds = [c for c, _ in named]
        word = named[0][1] if len(named) == 1 else None
    if len(kinds) != 1 or word is None or not dates_with_years(sentence.text):
        return []
    start = sentence.start + word.start()
    mention = ConceptMention(
        category=kinds[0], start=start, end=start + len(word.group(0)), text=word.group(0),
        negated=False, historical=True, hypothetical=False, uncertain=False, family=False,
        planned=False, negation_cues=(), stated_absent=False,
    )  # fmt: skip
    return [mention] if _qualifies(sentence, mention) else []


def _qualifies(
    sentence: Sentence, mention: ConceptMention, document_text: str = "", request_form: bool = False
) -> bool:
    if mention.hypothetical or mention.family or mention.planned:
        return False
    if sentence.section in ("plan", "followup"):  # "Follow Up: after MBB #1" is what comes next
        return False
    if _REQUEST_LINE.search(sentence.text) or _CUES["document_list"].match(sentence.text):
        return False
    if "?" in sentence.text[mention.end - sentence.start :]:  # a form's question, not a history
        return False
    if _form_selection(sentence, mention, document_text) or _request_field(
        sentence, mention, request_form
    ):
        return False
    if _CUES["zero_count"].match(sentence.text, mention.end - sentence.start):
        return False  # "Prior SI injections in last 12 mo: 0"
    before = sentence.text[: mention.start - sentence.start]
    if _BEFORE_OR_AFTER.search(before) or (
        _VISIT_AFTER.search(before)
        and _VISIT_WORD.match(sentence.text, mention.end - sentence.start)
    ):
        return False  # "Post-RFA Follow Up 05/13/2025", "back to pre-RFA baseline by late Jan"
    if _CUES["opinion"].search(sentence.text) and not _HISTORY_LABEL.search(sentence.text):
        return False  # "states that medial branch blocks are not medically necessary"
    return not (mention.negated and not set(mention.negation_cues) <= NOT_REAL_NEGATION)


_BOX_ON_LINE = re.compile(rf"{TICKED}|{EMPTY}")
# a visit named after the procedure it follows ("Post-RFA Follow Up", "post-injection visit"),
# and a time told before or after one ("pre-RFA baseline", "post-ESI pain 2/10")
_VISIT_AFTER = re.compile(r"\bpost[\s-]?$", re.IGNORECASE)
_BEFORE_OR_AFTER = re.compile(r"\b(?:pre|post)-$", re.IGNORECASE)
_VISIT_WORD = re.compile(
    r"[\s-]*(?:\w+[\s-]+)?(?:follow[\s-]?up|f/u|visit|check|re-?check|review)\b", re.IGNORECASE
)
# a document headed as a request for authorization, and its field naming the procedure
_PROCEDURE_FIELD = re.compile(r"^\W*(?:procedure|service)s?\s*(?:\(s\)\s*)?:", re.IGNORECASE)


def _request_field(sentence: Sentence, mention: ConceptMention, request_form: bool) -> bool:
    """The "Procedure:" field of a prior authorization request ("COMMONWEALTH PAIN - PRIOR
    AUTHORIZATION REQUEST ... Procedure: Radiofrequency neurotomy") names what is requested,
    unless the field asks about the past ("Prior procedure: ...")."""
    offset = mention.start - sentence.start
    line_start = sentence.text.rfind("\n", 0, offset) + 1
    before = sentence.text[line_start:offset]
    return bool(
        request_form and _PROCEDURE_FIELD.match(before) and not _HISTORY_LABEL.search(before)
    )


_HISTORY_LABEL = re.compile(
    r"\b(?:last|past|prior|previous(?:ly)?|history|hx|date|done|performed|received|had|"
    r"earlier|before)\b|#\s*\d",
    re.IGNORECASE,
)


def _form_selection(sentence: Sentence, mention: ConceptMention, document_text: str = "") -> bool:
    """An option of a form field with boxes ("Procedure: ☒ Medial branch block", "Intent: RFA
    candidacy if positive: [x] Yes", or options on the lines under "Procedure type:") chooses
    what is requested; a field that asks about the past ("Previous RFA at these levels",
    "Injections in the last 12 months", "MBB #1 date") is history and is read as such."""
    offset = mention.start - sentence.start
    line_start = sentence.text.rfind("\n", 0, offset) + 1
    line_end = sentence.text.find("\n", offset)
    line = sentence.text[line_start : None if line_end < 0 else line_end]
    before = sentence.text[line_start:offset]
    if not _BOX_ON_LINE.search(line):
        return False
    if ":" in before:
        return not _HISTORY_LABEL.search(before.split(":", 1)[0])
    label = _label_above(document_text, sentence.start + line_start)
    return label is not None and not _HISTORY_LABEL.search(label)


def _label_above(text: str, line_start: int) -> str | None:
    """The field label on the line above a form's option lines ("Procedure type:" over "[ ] ESI
    [X] Facet injection"), passing over other option lines; None when there is none."""
    for line in reversed(text[:line_start].splitlines()[-4:]):
        stripped = line.strip()
        if not stripped or _BOX_ON_LINE.match(stripped):
            continue
        return stripped[:-1] if stripped.endswith(":") else None
    return None


# a table row that opens with its date, then a cell break: a comma, a bar, a tab or a wide gap
_ROW_DATE_END = re.compile(r"\s*(?:[,|\t]|\s{2,})")
_ROW_START = re.compile(r"[\s|*•-]*")


def _row_date(text: str, start: int, dates: list[DateMention]) -> DateMention | None:
    """The date that opens the table row holding `start` (a procedure log's "DOS" column): the
    row's procedure was done then, whatever later dates its other cells tell."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = _ROW_START.match(text, line_start)
    first = opening.end() if opening else line_start
    return next(
        (
            d for d in dates
            if d.start == first and d.end <= start and d.precision in ("day", "month")
            and _ROW_DATE_END.match(text, d.end)
        ),
        None,
    )  # fmt: skip


def _service_date(document: CaseDocument) -> date | None:
    """The date a procedure note gives its service in its header ("Date of service: 06/30/2026"),
    over the date the note was filed (a later phone follow-up or addendum), else the latter."""
    header = document.text[:400]
    for label in _CUES["service_date"].finditer(header):
        line_end = header.find("\n", label.end())
        line = header[label.end() : None if line_end < 0 else line_end]
        dates = find_dates(line, document.day_first)
        if dates and dates[0].precision == "day":
            stated = dates[0].value
            if (
                document.date is not None
                and stated.day <= 12
                and (date(stated.year, stated.day, stated.month) == document.date)
            ):
                return document.date  # "08/09/2026" day-first: the note's own date, 8 September
            return stated
    return document.date


def _phrase_start(text: str, offset: int, floor: int) -> int:
    """Where the phrase holding `offset` starts: after the last , ; : . or open ( before it;
    a parenthesis closed before `offset` is passed over whole ("blocks (L3, L4 MB) - MBB #2"),
    and so is a comma within a list of levels ("Bilateral L4-5, L5-S1 medial branch blocks")."""
    depth = 0
    for index in range(offset - 1, floor - 1, -1):
        mark = text[index]
        if mark == ")":
            depth += 1
        elif mark == "(":
            if depth == 0:
                return index + 1
            depth -= 1
        elif depth > 0:
            continue
        elif _ends_phrase(text, index):
            return index + 1
    return floor


def _ends_phrase(text: str, index: int) -> bool:
    mark = text[index]
    if mark == ",":
        return not _comma_in_level_list(text, index)
    return mark in ";:" or (mark == "." and text[index + 1 : index + 2] == " ")


def _comma_in_level_list(text: str, comma: int) -> bool:
    """The comma at `comma` joins two spinal levels ("L4-5, L5-S1"), as `find_levels` reads them."""
    start = max(0, comma - 12)
    window = text[start : comma + 60]  # room for the words that make "S1, S2" spinal
    at = comma - start
    mentions = find_levels(window)
    before = any(not window[m.end : at].strip() for m in mentions if m.end <= at)
    after = any(
        re.fullmatch(r"\s*(?:and\s+)?", window[at + 1 : m.start]) for m in mentions if m.start > at
    )
    return before and after


_LASTED = "relief_duration_months"
# a line in capitals with two words of its own; not a list item of abbreviations ("- 06/12/2025
# L5-S1 TFESI", "L4-5 ILESI x2"), which is a history entry
_TITLE = re.compile(r"^(?!\s*[-*•·]\s)(?=(?:.*?\b[A-Z]{3,}\b){2})[^a-z]+$")
# a stimulator's leads sit above the pain they treat (thoracic leads for the legs)
_LEADS = ("scs_trial", "scs_implant", "drg_stimulator")


def _pain_region_group(event: dict[str, Any]) -> str | None:
    """The region group of the pain a procedure treats (none known for a stimulator)."""
    return None if event["type"] in _LEADS else region_group(event.get("region"))


class _Collector:
    def __init__(self, reader: CaseReader) -> None:
        self.reader = reader
        self.events: list[dict[str, Any]] = []
        self.added = 0  # events added or merged so far

    def add(self, event: dict[str, Any], *, separate: bool = False) -> None:
        self.added += 1
        for other in [] if separate else self.events:
            same_date = other.get("date") == event.get("date")
            undated_twin = (
                event.get("date") is None
                and event.get("levels") is not None
                and other.get("levels") == event.get("levels")
            )
            if other["type"] == event["type"] and (same_date or undated_twin):
                told_apart(other, event)
                for key, value in event.items():
                    if other.get(key) is None and value is not None:
                        other[key] = value
                longest = [float(e[_LASTED]) for e in (other, event) if e.get(_LASTED) is not None]
                if longest:  # the longest relief the record reports of it
                    other[_LASTED] = max(longest)
                other["evidence"] = [*other["evidence"], *event["evidence"]][:3]
                return
        self.events.append(event)

    def sentence(self, document: CaseDocument, sentence: Sentence, main: bool, header: str) -> bool:
        """Events of one sentence; True when it named a qualifying procedure."""
        if _TITLE.match(sentence.text):  # a document title ("SCS CANDIDACY 07/01/2026")
            return False
        text = sentence.text
        mentions = [
            m
            for m in sentence.concepts
            if m.category in PROCEDURE_TYPES
            and _qualifies(sentence, m, document.text, document.is_request_form)
            and not _CUES["reference_point"].search(
                text[max(0, m.start - sentence.start - 45) : m.start - sentence.start]
            )
        ]  # fmt: skip
        if not mentions:
            mentions = _under_header(sentence, header)
        if not mentions:
            return False
        dates = [
            d
            for d in dates_with_years(text, document.day_first, document.date)
            if not _CUES["compared"].search(text[: d.start])
            and not _CUES["birth_date"].search(text[: d.start])
            and not _CUES["visit_date"].match(text[d.end :])
        ]
        mentions = _collapse(mentions, dates, sentence.start, text)
        history = any(_CUES["history"].search(t) for t in (text, header)) or sentence.section in (
            "treatment", "pmh", "psh", "procedure", "followup"
        )  # fmt: skip
        floor = 0
        for index, mention in enumerate(mentions):
            start = mention.start - sentence.start
            group_lo = _phrase_start(text, start, floor)
            group_hi = (
                mentions[index + 1].start - sentence.start
                if index + 1 < len(mentions)
                else len(text)
            )
            mine = [d for d in dates if mention.end - sentence.start <= d.start < group_hi]
            row = _row_date(text, start, dates)
            own = [d for d in mine if d.start - (mention.end - sentence.start) <= 3]
            if own and row is not None and own[0].value < row.value:
                mine = own[:1]  # a visit's row citing the procedure by its own date ("01/20/2026
                # Post-procedure f/u (6 wks s/p bilat L4-5/L5-S1 RFA 12/09/25)")
            elif row is not None:  # "11/12/2024,RFA,R,...,~9-10 mo (recurred mid-Aug 2026)"
                mine = [row]
            served = _service_date(document) if main and document.kind == "procedure" else None
            end_of_mention = mention.end - sentence.start
            if index == 0 and served is not None:
                # the note's own procedure: a date before its service that follows the words of
                # an earlier block is that block's ("diagnostic #2 (first block 09/15/26 ...)")
                mine = [
                    d for d in mine
                    if d.value >= served
                    or not _CUES["earlier_block"].search(text, end_of_mention, d.start)
                ]  # fmt: skip
            if document.kind != "procedure" and _CUES["after_procedure"].search(text[:start]):
                mine = [d for d in mine if d.value != document.date]  # the visit's own date
            if not mine and index == 0:
                line_start = text.rfind("\n", 0, start) + 1
                mine = [
                    d
                    for d in dates
                    if max(group_lo, line_start) <= d.start
                    and d.end <= start
                    and not _CUES["time_since"].search(text, d.end, start)
                ][-1:]  # "[07/21/2026] 18 weeks s/p L C6-7 IL ESI": the visit's date, not the ESI's
            if mine and document.date and all(d.value > document.date for d in mine):
                floor = group_hi  # dated after the note that names it: planned, not history
                continue
            fallback = _service_date(document) if main and document.kind == "procedure" else None
            counted = _CUES["counted"].search(text[max(0, start - 14) : start])
            if not mine and fallback is None and (not history or counted):
                floor = group_hi
                continue
            end = mention.end - sentence.start
            if (
                not mine
                and fallback is None
                and (
                    (
                        _CUES["none_before"].search(text[max(0, start - 20) : start])
                        and re.match(  # "First ESI.", "First SIJ injection: [X] Yes"
                            r"\s*(?:[.;,)]|$)|\s*:?\s*(?:\[\s*[xX✓✔]\s*\]|☒|☑|■)\s*(?:yes|y)\b",
                            text[end:],
                            re.IGNORECASE,
                        )
                    )
                    or _CUES["none_after"].match(text[end : end + 60])
                )
            ):
                floor = group_hi  # "First ESI.", "Prior ESI dates / % relief: N/A": none before
                continue
            bounds = [(group_lo, group_hi, fallback, False)]
            if mine:
                bounds = [
                    (group_lo if k == 0 else mine[k - 1].end,
                     mine[k + 1].start if k + 1 < len(mine) else group_hi, d.value,
                     d.precision == "month")
                    for k, d in enumerate(mine)
                ]  # fmt: skip
            for lo, hi, when, month_only in bounds:
                self._events(document, sentence, mention, when, [(lo, hi), (group_lo, group_hi)],
                             header, main, month_only)  # fmt: skip
            floor = group_hi
        return True

    def _events(self, document: CaseDocument, sentence: Sentence, mention: ConceptMention,
                when: date | None, windows: list[tuple[int, int]], header: str,
                main: bool, month_only: bool = False) -> None:  # fmt: skip
        group_text = sentence.text[windows[-1][0] : windows[-1][1]]
        kind, target = refine_type(PROCEDURE_TYPES[mention.category], group_text + " " + header)
        event: dict[str, Any] = {"type": kind, "date": when, "target": target}
        if month_only:
            event[MONTH_ONLY] = True  # "after successful RFA 02/2025": its day is not known
        earlier = [e for e in self.events if e["type"] == kind and e.get(ANESTHETIC) is not None]
        if earlier and SAME_AGENT.search(group_text):  # "confirmatory block, same agent"
            event[ANESTHETIC] = earlier[-1][ANESTHETIC]
        for lo, hi in windows:
            inside = [m for m in sentence.concepts if lo <= m.start - sentence.start < hi]
            event["agent"] = event.get("agent") or agent_of(inside)
            fill_event(event, sentence.text[lo:hi], document.date)
        if main and document.kind == "procedure" and event.get("agent") is None:
            event["agent"] = agent_of([m for s in document.annotated.sentences for m in s.concepts])
        if main and document.kind == "procedure" and event.get(ANESTHETIC) is None:
            event[ANESTHETIC] = target_anesthetic(document.text)  # "0.5 mL lidocaine 2% at each"
        if header and not sentence.text.lstrip().startswith("|"):
            # a table's row holds its own cells; the header over it ("Spinal injection history
            # (all regions, last ~18 mo):") names the kind, not a row's relief
            event["agent"] = event.get("agent") or agent_words(header)
            fill_event(event, header, document.date)
        apply_defaults(event, mention)
        focus = (mention.start, mention.end)
        event["evidence"] = [self.reader.evidence(document, sentence, focus)]
        figures = relief_percents(group_text)
        if (
            _CUES["dual"].search(mention.text + " " + group_text[:30])
            and len(figures) == 2
            and len(find_dates(group_text)) < 2  # two dated blocks are two events already
        ):
            for figure in figures:
                self.add({**event, "relief_percent": figure}, separate=True)
            return
        self.add(event)

    def _respond(
        self, document: CaseDocument, sentence: Sentence, response: dict[str, Any]
    ) -> None:
        """Set a block's response fields on the latest event dated on or before the note."""
        dated = [e for e in self.events if e.get("date") and (
            document.date is None or e["date"] <= document.date)]  # fmt: skip
        if not dated:
            return
        event = max(dated, key=lambda e: e["date"])
        for name, value in response.items():
            if event.get(name) is None:
                event[name] = value
        quote = self.reader.evidence(document, sentence)
        if len(event["evidence"]) < 3 and quote not in event["evidence"]:
            event["evidence"] = [*event["evidence"], quote]

    def _side_of(self, event: dict[str, Any], side: str) -> dict[str, Any]:
        """The event of one side: a bilateral event whose sides are reported apart becomes one
        event per side (its results left to what each side's report says)."""
        if event.get("side") != "bilateral":
            return event
        index = self.events.index(event)
        halves = []
        for half in ("left", "right"):
            copy = {k: v for k, v in event.items() if k not in _RESULT_FIELDS}
            copy.update(side=half, **{_SPLIT: True})
            halves.append(copy)
        self.events[index : index + 1] = halves
        return halves[0] if side == "left" else halves[1]

    def follow_up(self, document: CaseDocument, sentence: Sentence) -> None:
        if _CUES["not_a_report"].search(sentence.text):
            return  # "then MBB #2 if >= 80% relief", "record pain q30 min x 6 hrs": no result
        body = re.sub(r"^[A-Za-z/& ]{1,30}:\s*", "", sentence.text)  # not its "A/P:" label
        if sentence.section == "plan" and _CUES["looks_ahead"].search(body):
            return  # a plan's step; an assessment's "approx 60% relief after block #1" reports
        # a sympathetic block's response: its warming, the medicine it spared, touch tolerated,
        # no somatic block on the sensory exam
        response = block_response(sentence.text)
        # a therapy record's dates and percentages ("SOC 09/15 D/C 10/27") are the therapy's;
        # what it says of a procedure's response ("tolerates brush", better function) stays
        therapy_record = document.kind == "pt"
        if about_other_care(sentence):
            # "PT refresher 6 wks 06-07/2026 without improvement": the therapy's result; in a
            # block's own note, "Oxycodone use down to 2-3/day" is the block's response
            spared = response.get("medication_reduced")
            if document.kind != "procedure" or not spared:
                return
            self._respond(document, sentence, {"medication_reduced": True})
            return
        relief = [] if therapy_record else relief_percents(sentence.text)
        told = [] if therapy_record else [
            m for m in (relief_at_time_points(sentence.text),
                        relief_months(sentence.text, document.date)) if m is not None
        ]  # fmt: skip
        months = max(told) if told else None  # the longest relief the sentence tells
        function = bool(FUNCTION_BETTER.search(sentence.text))
        consistent = agent_concordance(sentence.text)
        until_named = None if therapy_record else lasted_until(sentence.text)
        told_fit = consistent is not None
        if not (relief or months is not None or function or told_fit or until_named or response):
            return
        stated = find_dates(sentence.text, document.day_first)
        when = stated[0].value if stated else document.entry_date(sentence) or document.date
        side = _CUES["result_side"].match(sentence.text)
        named = None
        if side:
            named = "left" if side.group("side").lower().startswith("l") else "right"
        result = _Result(relief, months, function, consistent, told_fit, response, when,
                         therapy_record)  # fmt: skip
        per_side = {} if named else _side_figures(sentence.text)
        if len(per_side) == 2:  # "Peak relief: R 88%, L 83%": each side its own figure
            for each_side, figure in per_side.items():
                self._report(document, sentence, each_side, result._replace(relief=[figure]))
            return
        if not named and _CUES["both_sides"].search(sentence.text) and self._latest_split(when):
            # "positive confirmatory block bilaterally; duration consistent with lidocaine" of a
            # block whose sides were reported apart: said of each side
            for each_side in ("left", "right"):
                self._report(document, sentence, each_side, result)
            return
        self._report(document, sentence, named, result)

    def _latest_split(self, when: date | None) -> bool:
        """Whether the latest procedure dated by `when` was reported side by side."""
        dated = [e for e in self.events if e.get("date") and (when is None or e["date"] <= when)]
        latest = max((e["date"] for e in dated), default=None)
        return any(e.get(_SPLIT) for e in dated if e["date"] == latest)

    def _report(
        self, document: CaseDocument, sentence: Sentence, named: str | None, result: _Result
    ) -> None:
        """A result told in a note given to the procedure it reports on (of `named` side)."""
        relief, months, function, consistent, told_fit, response, when, therapy_record = result
        # once a bilateral procedure's sides are reported apart, a result that names no side
        # belongs to neither, and one that names a side to that side's event
        pool = [
            e for e in self.events
            if (e.get("side") in (named, "bilateral", None) if named else not e.get(_SPLIT))
        ]  # fmt: skip
        told_of = result_region_group(sentence.text)
        groups = {_pain_region_group(e) for e in pool}
        if told_of is not None and told_of in groups and len(groups - {None}) > 1:
            # procedures of two regions: "NECK/ARM: about 70% better" is the neck's one's
            pool = [e for e in pool if _pain_region_group(e) in (told_of, None)]
        dated = [e for e in pool if e.get("date") and (when is None or e["date"] <= when)]
        undated = [e for e in pool if not e.get("date")]
        each = _CUES["each_procedure"].search(sentence.text)
        # a note older than every dated event cannot report its result
        # the result belongs to the most recent procedure before it, whatever order they were read
        latest = [max(dated, key=lambda e: e["date"])] if dated else []
        targets = latest if dated else undated[-1:]
        if each:  # "both blocks ...": every procedure of the kind the latest one is
            kind = targets[0]["type"] if targets else None
            targets = [e for e in self.events if kind is None or e["type"] == kind]
        if named:  # "LEFT: ~70% better", "R: maybe thirty percent": that side's own result
            targets = [self._side_of(event, named) for event in targets]
        for event in targets:
            before = dict(event)
            if event.get("relief_percent") is None and relief:
                event["relief_percent"] = relief[0]
            lasting = until = None
            if not therapy_record:
                lasting = still_better_months(sentence.text, event.get("date"), when)
                # told by the note of its date: "held until ~mid-August 2026" names its end
                until = relief_until_months(sentence.text, event.get("date"), document.date or when)
            for candidate in (months, lasting, until):  # the longest relief the record reports
                if candidate is not None and candidate > (event.get("relief_duration_months") or 0):
                    event["relief_duration_months"] = candidate
            if function and event.get("functional_improvement") is None:
                event["functional_improvement"] = True
            if event.get("relief_consistent_with_agent") is None and told_fit:
                # a diary's "duration ~1.5 h (consistent with lidocaine)", or "not consistent"
                event["relief_consistent_with_agent"] = consistent
            for name, value in response.items():
                if event.get(name) is None:
                    event[name] = value
            quote = self.reader.evidence(document, sentence)
            if event != before and quote not in event["evidence"]:
                # the result it reports, quoted (a denial on it shows its words)
                event["evidence"] = [*event["evidence"][:3], quote]


class _Result(NamedTuple):
    """What one follow-up sentence reports of a procedure."""

    relief: list[float]
    months: float | None
    function: bool
    consistent: bool | None
    told_fit: bool
    response: dict[str, Any]
    when: date | None
    therapy_record: bool


def _side_figures(text: str) -> dict[str, float]:
    """A relief figure for each side told in one sentence ("Peak relief: R 88%, L 83%", "R: 7 ->
    1 (86%), L: 5 -> 1 (80%)"): side -> its first figure, when both sides have one."""
    found: dict[str, float] = {}
    for match in _CUES["side_figure"].finditer(text):
        side = "left" if match.group("side").lower().startswith("l") else "right"
        found.setdefault(side, float(match.group("pct")))
    return found if len(found) == 2 else {}


def _collapse(
    mentions: list[ConceptMention], dates: list[Any], offset: int, text: str
) -> list[ConceptMention]:
    """Drop a mention followed by another of its category with no date between them
    ("R sacral lateral branch blocks (S1-S3 lateral branches) 06/2026"): one procedure; not when
    the other is named as an earlier one ("medial branch blocks, confirmatory (prior MBB ...)")."""
    kept: list[ConceptMention] = []
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.category == mention.category
            and not any(mention.end - offset <= d.start < following.start - offset for d in dates)
            and not _CUES["earlier"].search(
                text, max(mention.end - offset, following.start - offset - 12),
                following.start - offset,
            )
        ):  # fmt: skip
            continue
        kept.append(mention)
    return kept


def documented_none(reader: CaseReader, categories: tuple[str, ...]) -> Evidence | None:
    """Evidence that the notes deny any such event ("No prior spinal injections."), or None."""
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        for mention in sentence.concepts:
            if mention.category in categories and mention.negated and not mention.hypothetical:
                if set(mention.negation_cues) <= NOT_REAL_NEGATION:
                    continue
                return reader.evidence(document, sentence, (mention.start, mention.end))
    return None


def _no_prior_procedures(reader: CaseReader) -> bool:
    """The notes deny prior procedures as a whole: "no prior injections", or several kinds in one
    breath ("No prior MBB/RFA/ESI"). One kind denied ("No prior radiofrequency ablation") says
    nothing of the others, so it does not make the list empty: blocks the reader could not
    read must not become "no blocks"."""
    if documented_none(reader, ("PROC_GENERIC",)) is not None:
        return True
    for _, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        kinds = {
            PROCEDURE_TYPES[m.category]
            for m in sentence.concepts
            if m.category in PROCEDURE_TYPES and m.negated and not m.hypothetical
            and not set(m.negation_cues) <= NOT_REAL_NEGATION
        }  # fmt: skip
        if len(kinds) >= 2:
            return True
    return False


def _history_in_record(collector: _Collector, record: ServiceRecord) -> None:
    """The note of the service under review: its own procedure is the planned one, so only the
    sentences that tell of earlier procedures in history words make events, and no result in
    it is an earlier procedure's."""
    for sentence in record.document.annotated.sentences:
        if sentence is record.sentence or not _CUES["earlier"].search(sentence.text):
            continue
        collector.sentence(record.document, sentence, False, "")


_DIARY_BLOCKS = (
    "mbb",
    "sacral_lateral_branch",
)  # diagnostic blocks judged by the anesthetic's hours


def _diary_figures(
    reader: CaseReader, events: list[dict[str, Any]], document: CaseDocument
) -> None:
    """The peak relief and its hours from a procedure note's pain diary, on the diagnostic block
    the note records, where no note stated them (read after every note has had its say)."""
    reading = read_diary(document.text)
    served = _service_date(document)
    blocks = [
        e for e in events
        if e["type"] in _DIARY_BLOCKS and e.get("date") == served and e.get("agent") != "steroid"
    ]  # fmt: skip
    if reading is None or len(blocks) != 1:
        return
    [event] = blocks
    before = dict(event)
    if event.get("relief_percent") is None:
        event["relief_percent"] = reading.peak_relief
    hours = reading.relief_hours
    if (
        hours is not None
    ):  # the fit judged by the diary's own hours, never by a length told elsewhere
        if event.get("relief_duration_months") is None:
            event["relief_duration_months"] = round(hours / (24 * 30.44), 4)
        if event.get("relief_consistent_with_agent") is None:
            agent = event.get(ANESTHETIC)
            agent = target_anesthetic(document.text) if agent is None else agent
            event["relief_consistent_with_agent"] = fits_agent(hours, agent)
    if event != before:
        quote = reader.span_evidence(document, reading.start, reading.end)
        event["evidence"] = [*event["evidence"][:3], quote]


def extract_procedures(reader: CaseReader, facts: CaseFacts) -> None:
    """`procedures.prior` as events; [] when the notes say there were none."""
    collector = _Collector(reader)
    record = service_record(reader)
    ordered = sorted(reader.documents, key=lambda d: (d.kind != "procedure", d.date or date.max))
    for document in ordered:
        if document.kind in ("imaging", "legal"):
            continue  # a party's letter or a payer's determination tells no procedure done
        if record is not None and document is record.document:
            _history_in_record(collector, record)
            continue
        main, header, in_table = True, "", False
        pending = bool(_CUES["service_pending"].search(document.text[:600]))
        for sentence in document.annotated.sentences:
            if pending and sentence.start < 600 and sentence.section in ("procedure", "preamble"):
                continue  # "Procedure: R L4-5 RFA ... DOS: pending authorization": the plan
            if (
                document.kind != "procedure" or _CUES["booking_title"].search(document.title)
            ) and _CUES["requested_code_line"].match(sentence.text):
                continue  # a request form's "Procedure: 64483 Transforaminal ESI ...": the request
            if sentence.text.rstrip().endswith(":"):
                header, in_table = sentence.text, False
                continue
            row = sentence.text.lstrip().startswith("|")
            if in_table and not row:
                header = ""  # the table under the header has ended
            in_table = row
            added = collector.added
            named = collector.sentence(document, sentence, main, header)
            if named:
                main = False
            if collector.added == added and collector.events:
                # no event of its own ("response to SIJ block #1: approx 60% relief"): a result
                collector.follow_up(document, sentence)
            if not re.match(r"\s*(?:[-•*|]|MBB|SGB|#)", sentence.text):
                header = ""
    events = merged_history(collector.events)
    for document in ordered:
        if document.kind == "procedure":
            _diary_figures(reader, events, document)
    for event in events:  # a length told after the block's own note, judged by its anesthetic
        fit_by_hours(event)
    if events:
        facts.procedures.prior = [
            ProcedureEvent(
                **{k: v for k, v in e.items() if k not in (ANESTHETIC, _SPLIT, MONTH_ONLY)}
            )
            for e in events
        ]
        return
    if _no_prior_procedures(reader):
        facts.procedures.prior = []
