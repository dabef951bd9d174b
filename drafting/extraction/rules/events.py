"""Prior interventional procedures as dated events (`procedures.prior`).

A prior procedure is a procedure mention that is not negated, hypothetical or planned and not in
a plan section. Each date written after it (or the procedure note's own date, for the note's
main procedure) makes one event; an undated mention makes an event only in a history context
("Prior procedures:", "s/p", a treatment section). Attributes come from the words that belong to
the event (from the start of its phrase to the next date or procedure), then from the rest of its
stretch of the sentence, then from a list header ("Diagnostic blocks (R L4-5, L5-S1; ...):"):
levels, side, approach, agent (steroid, or anesthetic only), percent relief (a percentage near
relief/improvement words or right after a pain drop "7 -> 1 (86%)"; "sustained"/"still" figures
win), duration of relief ("lasting 4-5 weeks"; "at 2 weeks" is a time point), consistency with
the agent, temperature rise. Relief reported later without naming the procedure ("F/U 05/12/2026:
75% improvement", an addendum) goes to the latest event before it. Events of one type and date
are merged, except "dual" blocks reported with two figures. "No prior injections" with no event
gives an empty list: documented as none.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from criteria.facts import CaseFacts, Evidence, ProcedureEvent
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.quantities import (
    find_dates,
    find_durations,
    find_percents,
    find_sides,
    find_temperature_differences,
)
from drafting.extraction.quantities.anatomy import level_region
from drafting.extraction.rules.procedure_terms import (
    APPROACH_PATTERNS,
    PROCEDURE_TYPES,
    dates_with_years,
    levels_named,
    refine_type,
)
from drafting.extraction.rules.reader import CaseDocument, CaseReader

NOT_REAL_NEGATION = {"negative", "neg", "(negative)"}
_RELIEF_WORDS = re.compile(r"relief|improve|reduc|better|response|benefit", re.IGNORECASE)
_NOT_RELIEF = re.compile(r"^\s*(?:lidocaine|bupivacaine|ropivacaine|gel|solution|at\s+eval)|ODI",
                         re.IGNORECASE)  # fmt: skip
_PAIN_DROP = re.compile(r"(?:->|→|\bto\b)\s*\d+(?:\s*-\s*\d+)?(?:/10)?[^%()]{0,25}\(\s*$")
_SUSTAINED = re.compile(r"sustain\w*|\bstill\b|\bongoing\b|\blasting\b", re.IGNORECASE)
_TIME_POINT = re.compile(
    r"(?:\bat|\bwithin|\bafter|\bin|\bpost|\bby|\bday|\bover\s+past)\s*(?:(?:her|his|the|their|a)\s+)?"
    r"~?\s*$",
    re.IGNORECASE,
)
# a duration that names a visit or a time since the procedure ("two-week check", "6 wk f/u",
# "2 weeks s/p", "two weeks after"): when relief was measured, not how long it lasted
_TIME_POINT_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:check|follow[\s-]?up|f/u|visit|appointment|review|mark|s/p|post|after|"
    r"out\b|since|later\b)",
    re.IGNORECASE,
)
_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b", re.IGNORECASE)
_FUNCTION_BETTER = re.compile(
    r"\b(?:returned\s+to\s+(?:full\s+duty|work)|back\s+(?:at|to)\s+(?:full\s+duty|work|golfing)|"
    r"full\s+duty|walk(?:ing|ed|s)?\s+\d+\s+miles|improved\s+function|functional\s+improvement|"
    r"(?:better|improved)\s+(?:ADLs|function|activity)|grip\s+improved|able\s+to\s+\w+)",
    re.IGNORECASE,
)
_MEDICATION_DOWN = re.compile(
    r"\b(?:use|dose|intake)\s+down\b|\b(?:decreased|reduced)\s+(?:use\s+of\s+)?(?:pain\s+)?"
    r"(?:medication|opioid|oxycodone|analgesic)",
    re.IGNORECASE,
)
_OBJECTIVE_BETTER = re.compile(r"\bdecreased\s+allodynia|\btolerates\s+(?:touch|sleeve)", re.I)
_CONSISTENT = re.compile(r"\bconsistent\s+with\s+(?:the\s+)?(?:local\s+)?(?:lidocaine|bupivacaine|"
                         r"ropivacaine|anesthetic|agent)", re.I)  # fmt: skip
_HISTORY = re.compile(r"\b(?:prior|previous|s/p|status\s+post|hx|history|had|underwent|past|"
                      r"performed|received|done|first)\b", re.I)  # fmt: skip
# "ESI performed on the same date as the first diagnostic facet block: 100% improvement": the
# block only dates the ESI; the figures that follow are the ESI's
_REFERENCE_POINT = re.compile(
    r"\bsame\s+(?:date|day|session|visit)\s+as\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_NO_RELIEF = re.compile(r"[\"“]?\b(?:no|zero|0\s*%)\s+(?:relief|improvement|benefit)\b", re.I)
_COUNTED = re.compile(
    r"\b(?:\d|two|three|four|several|multiple)\s+(?:prior\s+|previous\s+)?$", re.I
)
_ANESTHETIC_HOURS = [
    (re.compile(r"\blidocaine\b", re.I), 0.25, 4.0),
    (re.compile(r"\b(?:bupivacaine|ropivacaine|Marcaine)\b", re.I), 2.0, 12.0),
]
_NOT_A_REPORT = re.compile(
    r"\bif\s*(?:>=?|≥|at\s+least|greater\s+than)?\s*\d+\s*%|\binstruct\w*|\bto\s+record\b|"
    r"\bgoal\s+(?:of|is)\b|\bexpected\b",
    re.IGNORECASE,
)
_DUAL = re.compile(r"\b(?:dual|two|both|x\s*2)\b", re.IGNORECASE)
_REGION_WORDS = [
    ("cervical", re.compile(r"\bcervical\b|\bstellate\b|\bSGB\b|\bC\d\b", re.I)),
    ("thoracic", re.compile(r"\bthoracic\b|\bT\d{1,2}-T?\d", re.I)),
    ("lumbar", re.compile(r"\blumbar\b|\bcaudal\b|\bL\d\b", re.I)),
]


# a request form's selection of the procedure requested ("[x] SI joint injection (CPT 27096)",
# "Procedure requested: ..."): the request, not a procedure already done
_REQUEST_LINE = re.compile(
    r"(?:\[\s*[xX✓✔]\s*\]|[☒☑])[^\n]{0,80}?\b(?:CPT|HCPCS)\b|\b(?:CPT|HCPCS)\s*(?:code)?\s*:?\s*\d{4}[\dA-Z]"
    r"[^\n]{0,40}?(?:\[\s*[xX✓✔]\s*\]|[☒☑])|\b(?:procedure|service)s?\s*(?:\(s\)\s*)?requested\b",
    re.IGNORECASE,
)


def _qualifies(sentence: Sentence, mention: ConceptMention) -> bool:
    if mention.hypothetical or mention.family or mention.planned or sentence.section == "plan":
        return False
    if _REQUEST_LINE.search(sentence.text):
        return False
    if "?" in sentence.text[mention.end - sentence.start :]:  # a form's question, not a history
        return False
    return not (mention.negated and not set(mention.negation_cues) <= NOT_REAL_NEGATION)


def _percents(window: str) -> list[float]:
    """Relief percentages in `window`, sustained figures first."""
    found: list[tuple[bool, float]] = []
    for percent in find_percents(window):
        value = percent.value if percent.high is None else (percent.value + percent.high) / 2
        if value < 5 or _NOT_RELIEF.search(window[percent.end : percent.end + 15]):
            continue
        if _NOT_RELIEF.search(window[max(0, percent.start - 6) : percent.start]):
            continue
        around = window[max(0, percent.start - 40) : percent.end + 40]
        if _RELIEF_WORDS.search(around) or _PAIN_DROP.search(window[: percent.start]):
            near = window[max(0, percent.start - 12) : percent.end + 20]
            found.append((not _SUSTAINED.search(near), value))
    return [value for _, value in sorted(found, key=lambda item: item[0])]


_STILL_BETTER = re.compile(
    r"\bstill\b[^.;]{0,30}?(?:\d{1,3}\s*(?:%|percent)|better|improved|relief)", re.IGNORECASE
)


def _still_better_months(text: str, done: date | None, noted: date | None) -> float | None:
    """Relief still reported at a later note lasted at least from the procedure to then.

    "Then" is the date written just before "still" in the sentence ("09/28/2026 still ~60%
    relief"), else the note's date.
    """
    still = _STILL_BETTER.search(text)
    if done is None or still is None:
        return None
    before = [d.value for d in find_dates(text[: still.start()])]
    when = before[-1] if before else noted
    if when is None or when <= done:
        return None
    return round((when - done).days / 30.44, 2)


def _relief_months(window: str, reference: date | None) -> float | None:
    if not _RELIEF_WORDS.search(window) and not re.search(r"\blast|\bx\s*~?\d|\bfor\s+~", window):
        return None
    for duration in find_durations(window, reference=reference):
        if _TIME_POINT.search(window[: duration.start]) or duration.since is not None:
            continue
        if _TIME_POINT_AFTER.match(window, duration.end):
            continue
        if re.match(r"\s*(?:ago|old)", window[duration.end :]):
            continue
        return round(duration.months, 2)
    for hours in _HOURS.finditer(window):
        before = window[max(0, hours.start() - 14) : hours.start()]
        if re.search(r"(?:\bx|\bfor|\blast\w*|~)\s*~?\s*$", before, re.I):
            return round(float(hours.group(1)) / (24 * 30.44), 4)
    return None


def _region_word(text: str) -> str | None:
    return next((name for name, pattern in _REGION_WORDS if pattern.search(text)), None)


def _fill(event: dict[str, Any], window: str, reference: date | None) -> None:
    """Set every field still empty from what `window` says."""
    levels = levels_named(window)
    if levels and event.get("levels") is None:
        event["levels"] = levels
        event["region"] = event.get("region") or level_region(levels[0])
    sides = {m.side for m in find_sides(window)}
    if sides and event.get("side") is None:
        event["side"] = "bilateral" if "bilateral" in sides or len(sides) > 1 else sides.pop()
    if event.get("approach") is None:
        event["approach"] = next((n for n, p in APPROACH_PATTERNS if p.search(window)), None)
    relief = _percents(window)
    if event.get("relief_percent") is None and relief:
        event["relief_percent"] = relief[0]
    elif event.get("relief_percent") is None and _NO_RELIEF.search(window):
        event["relief_percent"] = 0.0  # 'First diagnostic facet block: "no relief".'
    if event.get("relief_duration_months") is None:
        event["relief_duration_months"] = _relief_months(window, reference)
    if event.get("purpose") is None:
        purpose = re.search(r"\b(diagnostic|therapeutic)\b", window, re.I)
        event["purpose"] = purpose.group(1).lower() if purpose else None
    checks = [
        ("functional_improvement", _FUNCTION_BETTER),
        ("relief_consistent_with_agent", _CONSISTENT),
        ("medication_reduced", _MEDICATION_DOWN),
        ("objective_improvement", _OBJECTIVE_BETTER),
    ]
    for name, pattern in checks:
        if event.get(name) is None and pattern.search(window):
            event[name] = True
    months = event.get("relief_duration_months")
    if event.get("relief_consistent_with_agent") is None and months is not None:
        hours = months * 24 * 30.44
        for drug, low, high in _ANESTHETIC_HOURS:
            if drug.search(window) and hours <= 24:
                event["relief_consistent_with_agent"] = low <= hours <= high
                break
    if event.get("temperature_rise_c") is None:
        rises = find_temperature_differences(window)
        event["temperature_rise_c"] = rises[0].value if rises else None
    if event.get("region") is None:
        event["region"] = _region_word(window)


def _agent(concepts: list[ConceptMention]) -> str | None:
    if any(m.category == "DRUG_STEROID" and m.affirmed for m in concepts):
        return "steroid"
    if any(m.category == "DRUG_ANESTHETIC" and m.affirmed for m in concepts):
        return "anesthetic_only"
    return None


def _phrase_start(text: str, offset: int, floor: int) -> int:
    """Where the phrase holding `offset` starts: after the last , ; : . ( before it."""
    cut = max(text.rfind(mark, 0, offset) for mark in (",", ";", ":", ". ", "("))
    return max(cut + 1, floor)


class _Collector:
    def __init__(self, reader: CaseReader) -> None:
        self.reader = reader
        self.events: list[dict[str, Any]] = []

    def add(self, event: dict[str, Any], *, separate: bool = False) -> None:
        for other in [] if separate else self.events:
            same_date = other.get("date") == event.get("date")
            undated_twin = (
                event.get("date") is None
                and event.get("levels") is not None
                and other.get("levels") == event.get("levels")
            )
            if other["type"] == event["type"] and (same_date or undated_twin):
                for key, value in event.items():
                    if other.get(key) is None and value is not None:
                        other[key] = value
                other["evidence"] = [*other["evidence"], *event["evidence"]][:3]
                return
        self.events.append(event)

    def sentence(self, document: CaseDocument, sentence: Sentence, main: bool, header: str) -> bool:
        """Events of one sentence; True when it named a qualifying procedure."""
        if sentence.text.isupper():  # a document title ("SCS CANDIDACY 07/01/2026")
            return False
        text = sentence.text
        mentions = [
            m
            for m in sentence.concepts
            if m.category in PROCEDURE_TYPES and _qualifies(sentence, m)
            and not _REFERENCE_POINT.search(text[max(0, m.start - sentence.start - 45) :
                                                 m.start - sentence.start])
        ]  # fmt: skip
        if not mentions:
            return False
        dates = dates_with_years(text)
        mentions = _collapse(mentions, dates, sentence.start)
        history = bool(_HISTORY.search(text) or _HISTORY.search(header)) or sentence.section in (
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
            if not mine and index == 0:
                line_start = text.rfind("\n", 0, start) + 1
                mine = [
                    d for d in dates if max(group_lo, line_start) <= d.start and d.end <= start
                ][-1:]
            fallback = document.date if main and document.kind == "procedure" else None
            counted = _COUNTED.search(text[max(0, start - 14) : start])
            if not mine and fallback is None and (not history or counted):
                floor = group_hi
                continue
            bounds = [(group_lo, group_hi, fallback)]
            if mine:
                bounds = [
                    (group_lo if k == 0 else mine[k - 1].end,
                     mine[k + 1].start if k + 1 < len(mine) else group_hi, d.value)
                    for k, d in enumerate(mine)
                ]  # fmt: skip
            for lo, hi, when in bounds:
                self._events(document, sentence, mention, when, [(lo, hi), (group_lo, group_hi)],
                             header, main)  # fmt: skip
            floor = group_hi
        return True

    def _events(self, document: CaseDocument, sentence: Sentence, mention: ConceptMention,
                when: date | None, windows: list[tuple[int, int]], header: str,
                main: bool) -> None:  # fmt: skip
        group_text = sentence.text[windows[-1][0] : windows[-1][1]]
        kind, target = refine_type(PROCEDURE_TYPES[mention.category], group_text + " " + header)
        event: dict[str, Any] = {"type": kind, "date": when, "target": target}
        for lo, hi in windows:
            inside = [m for m in sentence.concepts if lo <= m.start - sentence.start < hi]
            event["agent"] = event.get("agent") or _agent(inside)
            _fill(event, sentence.text[lo:hi], document.date)
        if main and document.kind == "procedure" and event.get("agent") is None:
            event["agent"] = _agent([m for s in document.annotated.sentences for m in s.concepts])
        if header:
            event["agent"] = event.get("agent") or _agent_words(header)
            _fill(event, header, document.date)
        _defaults(event, mention)
        focus = (mention.start, mention.end)
        event["evidence"] = [self.reader.evidence(document, sentence, focus)]
        figures = _percents(group_text)
        if _DUAL.search(mention.text + " " + group_text[:30]) and len(figures) == 2:
            for figure in figures:
                self.add({**event, "relief_percent": figure}, separate=True)
            return
        self.add(event)

    def follow_up(self, document: CaseDocument, sentence: Sentence) -> None:
        if sentence.section == "plan" or _NOT_A_REPORT.search(sentence.text):
            return  # "then MBB #2 if >= 80% relief", "record pain q30 min x 6 hrs": no result
        relief = _percents(sentence.text)
        months = _relief_months(sentence.text, document.date)
        function = bool(_FUNCTION_BETTER.search(sentence.text))
        if not relief and months is None and not function:
            return
        when = next((d.value for d in find_dates(sentence.text)), None) or document.date
        dated = [e for e in self.events if e.get("date") and (when is None or e["date"] <= when)]
        undated = [e for e in self.events if not e.get("date")]
        each = re.search(r"\beach\b", sentence.text, re.I)
        # a note older than every dated event cannot report its result
        targets = self.events if each else dated[-1:] if dated else undated[-1:]
        for event in targets:
            if event.get("relief_percent") is None and relief:
                event["relief_percent"] = relief[0]
            lasting = _still_better_months(sentence.text, event.get("date"), when)
            for candidate in (months, lasting):  # the longest relief the record reports
                if candidate is not None and candidate > (event.get("relief_duration_months") or 0):
                    event["relief_duration_months"] = candidate
            if function and event.get("functional_improvement") is None:
                event["functional_improvement"] = True
            if event.get("relief_consistent_with_agent") is None and _CONSISTENT.search(
                sentence.text
            ):  # a diary's "duration ~1.5 h (consistent with lidocaine)"
                event["relief_consistent_with_agent"] = True


def _collapse(
    mentions: list[ConceptMention], dates: list[Any], offset: int
) -> list[ConceptMention]:
    """Drop a mention followed by another of its category with no date between them
    ("R sacral lateral branch blocks (S1-S3 lateral branches) 06/2026"): one procedure."""
    kept: list[ConceptMention] = []
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.category == mention.category
            and not any(mention.end - offset <= d.start < following.start - offset for d in dates)
        ):
            if kept and kept[-1] is not mention:
                pass
            continue
        kept.append(mention)
    return kept


def _agent_words(text: str) -> str | None:
    if re.search(r"\bno\s+steroid|\banesthetic\s+only|\blidocaine|\bbupivacaine", text, re.I):
        return "anesthetic_only"
    return None


def _defaults(event: dict[str, Any], mention: ConceptMention) -> None:
    kind = event["type"]
    if kind != "esi" and kind != "lysis_of_adhesions":
        event["approach"] = None
    if event.get("agent") is None:
        if kind == "esi" and re.search(r"ESI|steroid", mention.text, re.I):
            event["agent"] = "steroid"
        elif kind == "sympathetic_block":
            event["agent"] = "anesthetic_only"
    if event.get("purpose") is None:
        if kind in ("mbb", "snrb", "sacral_lateral_branch"):
            event["purpose"] = "diagnostic"
        elif event.get("agent") == "steroid" and kind in ("esi", "si_injection", "facet_ia"):
            event["purpose"] = "therapeutic"


def documented_none(reader: CaseReader, categories: tuple[str, ...]) -> Evidence | None:
    """Evidence that the notes deny any such event ("No prior spinal injections."), or None."""
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        for mention in sentence.concepts:
            if mention.category in categories and mention.negated and not mention.hypothetical:
                if set(mention.negation_cues) <= NOT_REAL_NEGATION:
                    continue
                return reader.evidence(document, sentence, (mention.start, mention.end))
    return None


def _share_sides(events: list[dict[str, Any]]) -> None:
    """An event of a type whose other events all name one side takes that side."""
    for event in events:
        if event.get("side") is None:
            sides = {e["side"] for e in events if e["type"] == event["type"] and e.get("side")}
            if len(sides) == 1:
                event["side"] = sides.pop()


def extract_procedures(reader: CaseReader, facts: CaseFacts) -> None:
    """`procedures.prior` as events; [] when the notes say there were none."""
    collector = _Collector(reader)
    ordered = sorted(reader.documents, key=lambda d: (d.kind != "procedure", d.date or date.max))
    for document in ordered:
        if document.kind == "imaging":
            continue
        main, header = True, ""
        for sentence in document.annotated.sentences:
            if sentence.text.rstrip().endswith(":"):
                header = sentence.text
                continue
            named = collector.sentence(document, sentence, main, header)
            if named:
                main = False
            elif collector.events:
                collector.follow_up(document, sentence)
            if not re.match(r"\s*(?:[-•*]|MBB|SGB|#)", sentence.text):
                header = ""
    dated_types = {e["type"] for e in collector.events if e.get("date")}
    events = [e for e in collector.events if e.get("date") or e["type"] not in dated_types]
    if events:
        _share_sides(events)
        events.sort(key=lambda e: e.get("date") or date.min)
        facts.procedures.prior = [ProcedureEvent(**e) for e in events]
        return
    if documented_none(reader, (*PROCEDURE_TYPES, "PROC_GENERIC")) is not None:
        facts.procedures.prior = []
