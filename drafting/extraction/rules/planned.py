"""Attributes of the requested procedure as the plan states them, and the request facts.

The plan sentence is the first sentence of the newest note that names a procedure which is
planned (plan section or plan language) and neither negated nor hypothetical. Levels, side and
approach come from that sentence; guidance, contrast, injectate, volume and sessions from it and
the next two sentences of the same section ("One level, one session."). `request.*` is copied
from the case itself. The words are data in `drafting/extraction/lexicons`: `techniques.yaml`
(guidance, contrast, technique), `injectates.yaml`, `stimulators.yaml`, `diagnostic_questions.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from criteria.facts import CaseFacts, Evidence
from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.clinical_nlp.checkboxes import labelled_answer, without_unticked
from drafting.extraction.lexicons import patterns
from drafting.extraction.quantities import find_sides
from drafting.extraction.quantities.anatomy import levels_region
from drafting.extraction.quantities.mentions import WORD_NUMBER_PATTERN, word_number
from drafting.extraction.rules.event_attributes import region_word
from drafting.extraction.rules.plan_context import read_session_and_product
from drafting.extraction.rules.procedure_terms import (
    APPROACH_PATTERNS,
    PROCEDURE_TYPES,
    levels_named,
    refine_type,
)
from drafting.extraction.rules.reader import CaseDocument, CaseReader
from drafting.extraction.rules.request_form import DRUG_NAMES, form_fields
from drafting.extraction.rules.service_record import plan_sentences, service_record

_GUIDANCE = patterns("techniques", "guidance")
_CONTRAST = patterns("techniques", "contrast")
_INJECTATES = patterns("injectates", "agents")
_NOT_AT_TARGET = patterns("injectates", "not_at_target")
_TECHNIQUES = patterns("techniques", "technique")
_SET_ASIDE = patterns("techniques", "technique_set_aside")
_VOLUME = re.compile(r"(\d+(?:\.\d+)?)\s*(?:mL|cc|ml)\b", re.I)
_TEMPERATURE = re.compile(r"\b(\d{2,3})\s*(?:°|degrees?|deg\.?)\s*C\b", re.I)
# a lesion temperature without its unit ("lesioning at 65 degrees for 60 seconds"): Celsius in
# a radiofrequency note when it is a lesion's temperature, not an angle
_LESION_DEGREES = re.compile(
    r"(?<!rotated\s)(?<!angled\s)(?<!tilted\s)\b(\d{2})\s*(?:°|degrees?\b|deg\b\.?)"
    r"(?!\s*(?:F\b|Fahrenheit|oblique|angle|tilt|rotation))",
    re.I,
)
_WORD_DEGREES = re.compile(
    rf"\b(?P<minus>minus\s+|-\s*)?(?P<n>{WORD_NUMBER_PATTERN})\s+degrees?\b"
    r"(?!\s*(?:F\b|Fahrenheit|oblique|angle|tilt|rotation))",
    re.I,
)
_LESION_KINDS = {"rfa_medial_branch", "sacral_lateral_branch", "bvn_ablation"}
_THERMAL_FROM_C = 60
_SITE = patterns("techniques", "site")
_NEEDLE_APPROACH = patterns("techniques", "needle_approach")
# an agent the plan rules out ("no catheter adhesiolysis, no hypertonic saline")
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|w/o|never|nor|avoid\w*)\b[^.;,()]{0,20}$", re.I)
_SESSIONS = re.compile(r"\b(one|single|1|two|2)\s+sessions?\b", re.I)
_EARLIER = patterns("procedure_history")["earlier"]
_STIMULATOR_TYPE = patterns("stimulators", "type")
_STIMULATOR_ACTION = patterns("stimulators", "action")
_WORD_COUNT = {"one": 1, "single": 1, "1": 1, "two": 2, "2": 2}


def _names_other_procedure(sentence: Sentence, mention: ConceptMention) -> bool:
    return any(
        m.category in PROCEDURE_TYPES and m.affirmed and m.category != mention.category
        and not m.historical
        for m in sentence.concepts
    )  # fmt: skip


def _several_procedures_planned(
    candidates: list[tuple[CaseDocument, Sentence, ConceptMention]],
    document: CaseDocument,
    mention: ConceptMention,
) -> bool:
    """The newest note plans procedures of more than one type ("1. C7-T1 ESI ... 2. L4-5 MBB")."""
    return any(
        other_document is document
        and PROCEDURE_TYPES[other.category] not in (PROCEDURE_TYPES[mention.category], "other")
        for other_document, _, other in candidates
    )


_JOINED = re.compile(r"\s*(?:,|and|&|\+|/)?\s*(?:(?:the|her|his|their)\s+)?", re.I)


def _names_all_planned(
    sentence: Sentence, candidates: list[tuple[CaseDocument, Sentence, ConceptMention]]
) -> bool:
    """The sentence names every procedure type the newest note plans, side by side ("her right
    sacroiliac and facet joints"), not one as another's time point ("two weeks after the RFA")."""
    named = sorted(
        (m for m in sentence.concepts if m.category in PROCEDURE_TYPES and m.affirmed),
        key=lambda m: m.start,
    )
    for before, after in pairwise(named):
        gap = sentence.text[before.end - sentence.start : after.start - sentence.start]
        if before.end < after.start and not _JOINED.fullmatch(gap):
            return False
    return {PROCEDURE_TYPES[m.category] for _, _, m in candidates} <= {
        PROCEDURE_TYPES[m.category] for m in named
    }


def _first(table: Mapping[str, re.Pattern[str]], text: str) -> str | None:
    return next((name for name, pattern in table.items() if pattern.search(text)), None)


def _set(facts: CaseFacts, name: str, value: Any, evidence: Evidence) -> None:
    if value is not None and value != []:
        facts.set(name, {"value": value, "evidence": [evidence.model_dump()]})


def _purpose(text: str, kind: str, injectates: list[str]) -> str | None:
    stated = re.search(r"\b(diagnostic|therapeutic)\b", text, re.I)
    if stated:
        return stated.group(1).lower()
    if "steroid" in injectates:
        return "therapeutic"
    if kind in ("mbb", "snrb", "sacral_lateral_branch"):
        return "diagnostic"
    if kind in ("si_injection", "sympathetic_block") and injectates[:1] == ["anesthetic"]:
        return "diagnostic"
    return None


def _earliest(table: Mapping[str, re.Pattern[str]], text: str) -> str | None:
    hits = [(m.start(), name) for name, p in table.items() if (m := p.search(text))]
    return min(hits)[1] if hits else None


_LIST_MARK = re.compile(r"^\s*\(?\d{1,2}[.)](?:\s|$)")


def _listed_levels(
    document: CaseDocument, sentence: Sentence, mention: ConceptMention
) -> list[str]:
    """The levels of the list items right after `sentence`, itself a numbered item, that name the
    same procedure ("1. Left L5-S1 transforaminal epidural steroid block ... 2. Left L4-5
    transforaminal epidural steroid block ..."): one procedure at several levels. A marker may
    stand as a sentence of its own ("1." then the item)."""
    sentences = document.annotated.sentences
    index = sentences.index(sentence)
    marked = _LIST_MARK.match(sentence.text) or (
        index > 0 and _LIST_MARK.fullmatch(sentences[index - 1].text.strip() + " ")
    )
    if not marked:
        return []
    found: list[str] = []
    items = iter(sentences[index + 1 :])
    for candidate in items:
        item: Sentence | None = candidate
        if _LIST_MARK.fullmatch(candidate.text.strip() + " "):  # a marker alone: its item next
            item = next(items, None)
        elif not _LIST_MARK.match(candidate.text):
            break
        if item is None:
            break
        following = item
        same = any(
            m.category == mention.category and m.affirmed and not m.historical
            and not m.hypothetical for m in following.concepts
        )  # fmt: skip
        if not same or _names_other_procedure(following, mention):
            break
        found += levels_named(following.text)
    return found


def extract_planned(reader: CaseReader, facts: CaseFacts) -> None:
    """`planned.*` from the plan sentence and the two sentences after it."""
    candidates = plan_sentences(reader)
    record = service_record(reader) if not candidates else None
    if record is not None:  # the note of the service under review: the whole note tells of it
        candidates = [(record.document, record.sentence, record.mention)]
    if not candidates:
        read_session_and_product(reader, facts)  # sessions and product, whatever the plan's words
        return
    document, sentence, mention = candidates[0]
    evidence = reader.evidence(document, sentence)
    index = document.annotated.sentences.index(sentence)
    block = [sentence]
    following_sentences = document.annotated.sentences[index + 1 : index + 3]
    numbered_before = index > 0 and bool(
        re.fullmatch(r"\s*\d{1,2}[.)]\s*", document.annotated.sentences[index - 1].text)
    )
    if (_NUMBERED.match(sentence.text) or numbered_before) and mention.category != "PROC_SCS":
        # a numbered plan item goes on through its sub-items ("1. Confirmatory MBB #2 ... -
        # Switch to bupivacaine ... - She asked ... Will add dexamethasone 4 mg"), up to the next
        following_sentences = _rest_of_the_item(document.annotated.sentences[index + 1 : index + 7])
    if record is not None:
        following_sentences = document.annotated.sentences[index + 1 :]
    for following in following_sentences:
        if record is not None:
            if not _EARLIER.search(following.text):  # not what it tells of earlier procedures
                block.append(following)
            continue
        if following.section != sentence.section or _names_other_procedure(following, mention):
            break  # "2. Bilateral L4-5 MBB, lidocaine only" describes another procedure
        if not any(m.category in PROCEDURE_TYPES and m.hypothetical for m in following.concepts):
            block.append(following)
    several = _several_procedures_planned(candidates, document, mention)
    block_text = without_unticked(" ".join(s.text for s in block))  # not what a form leaves blank
    text = without_unticked(sentence.text)
    base = PROCEDURE_TYPES[mention.category]
    if any(m.category == "PROC_SACRAL_LB" and m.affirmed for m in sentence.concepts):
        base = "sacral_lateral_branch"
    kind, target = refine_type(base, text)
    _set(facts, "planned.procedure_type", kind, evidence)
    if several:  # one planned.* group cannot hold two procedures' target, side and purpose
        target = None
    sources = [(d, o) for d, o, m in candidates if m.category == mention.category]
    if record is not None:  # the record's body says where the needle went ("at L4-L5 on the left")
        sources += [
            (document, s) for s in block[1:]
            if _SITE["needle"].search(s.text) and not _SITE["landmark"].search(s.text)
        ]  # fmt: skip
    for other_document, other in sources:
        levels = levels_named(other.text)
        if levels:
            other_evidence = reader.evidence(other_document, other)
            levels += [
                lv for lv in _listed_levels(other_document, other, mention) if lv not in levels
            ]
            _set(facts, "planned.levels", levels, other_evidence)
            if not several:
                _set(facts, "planned.region", levels_region(levels), other_evidence)
            break
    if facts.planned.region is None and not several and region_word(text):
        _set(facts, "planned.region", region_word(text), evidence)  # "Lumbar facet injections"
    for other_document, other in sources:
        sides = _sides_planned(other.text)
        # several procedures planned: one side told in the sentence naming them all is theirs
        # ("will inject her right sacroiliac and facet joints")
        if sides and (not several or (len(sides) == 1 and _names_all_planned(other, candidates))):
            side = "bilateral" if "bilateral" in sides or len(sides) > 1 else next(iter(sides))
            _set(facts, "planned.side", side, reader.evidence(other_document, other))
            break
    if record is not None and not several:  # "same procedure carried out on the other side"
        repeated = next((s for s in block if _SITE["other_side"].search(s.text)), None)
        if repeated is not None:
            _set(facts, "planned.side", "bilateral", reader.evidence(document, repeated))
    approach = _first(APPROACH_PATTERNS, text)
    if (
        approach is None
        and kind == "esi"
        and re.search(r"\b(?:lumbar|cervical|thoracic)\s+epidural\b", text, re.I)
    ):
        approach = "interlaminar"
    approach_evidence = evidence
    if approach is None and kind in ("esi", "snrb") and record is not None:
        needle = next((s for s in block[1:] if _first(_NEEDLE_APPROACH, s.text)), None)
        if needle is not None:  # "a 25-gauge spinal needle was passed down to the neural foramen"
            approach = _first(_NEEDLE_APPROACH, needle.text)
            approach_evidence = reader.evidence(document, needle)
    _set(facts, "planned.approach", approach, approach_evidence)
    _set(facts, "planned.target", target, evidence)
    block_evidence = _block_evidence(reader, document, block)
    # the plan's other sentences on the same procedure ("Plan: SI joint injection." at the top of
    # a letter, "Plan: ... under fluoroscopic guidance, with contrast ..." at its end)
    blocks = [(block, block_evidence)] + [
        (other, _block_evidence(reader, other_document, other))
        for other_document, other in _same_procedure_blocks(candidates, mention, sentence)
    ]
    lead_in = _lead_in(document, index, sentence)
    shared = [([lead_in], reader.evidence(document, lead_in))] if lead_in is not None else []
    for name, read in (("planned.guidance", lambda t: _earliest(_GUIDANCE, t)),
                       ("planned.contrast", _contrast_stated)):  # fmt: skip
        for sentences, sentences_evidence in blocks + shared:
            found = read(without_unticked(" ".join(s.text for s in sentences)))
            if found is not None:
                _set(facts, name, found, sentences_evidence)
                break
    contrast = facts.planned.contrast.value if facts.planned.contrast else None
    form_fields(reader, facts)
    injectates: list[str] = []
    for sentences, sentences_evidence in blocks:
        injectates = _injectates(sentences, without_unticked(" ".join(s.text for s in sentences)))
        if injectates:
            block_evidence = sentences_evidence
            break
    if contrast and injectates:
        # contrast is imaging, not the medication: alone it does not document the injectate
        injectates.append("contrast")
    if not several:
        _set(facts, "planned.injectate", injectates, block_evidence)
        _set(facts, "planned.purpose", _purpose(text, kind, injectates), evidence)
    techniques = _techniques(block)
    temperature = _temperature(block_text, kind)
    if temperature is not None:
        _set(facts, "planned.temperature_c", temperature, block_evidence)
        if not techniques and temperature >= _THERMAL_FROM_C:
            techniques = ["thermal"]  # "lesioning at 65 degrees": a heat lesion, not pulsed
    _set(facts, "planned.technique", techniques, block_evidence)
    volume = _volume(block_text)
    if volume is not None:
        _set(facts, "planned.volume_cc", volume, block_evidence)
    sessions = _SESSIONS.search(block_text)
    if sessions:
        _set(facts, "planned.sessions", _WORD_COUNT[sessions.group(1).lower()], block_evidence)
    if kind in ("scs_trial", "scs_implant", "drg_stimulator"):
        _set(facts, "planned.stimulator_type", _first(_STIMULATOR_TYPE, block_text), evidence)
        _set(facts, "planned.stimulator_action", _first(_STIMULATOR_ACTION, block_text), evidence)
        lead = re.search(r"\b(percutaneous|paddle)\b", block_text, re.I) or re.search(
            r"\b(percutaneous|paddle)\b", document.text, re.I
        )
        if lead:
            _set(facts, "planned.lead_type", lead.group(1).lower(), evidence)
    if kind == "facet_cyst_aspiration":
        _set(facts, "planned.synovial_cyst_aspiration", True, evidence)
    read_session_and_product(reader, facts)


_ABOUT = r"(?:~|approx(?:imately|\.)?|about|around|roughly|circa|ca\.)?\s*"
_TOTAL_VOLUME = re.compile(
    rf"\btotal\s+(?:volume\s+)?(?:of\s+)?{_ABOUT}(\d+(?:\.\d+)?)\s*(?:mL|cc|ml)\b"
    rf"|{_ABOUT}(\d+(?:\.\d+)?)\s*(?:mL|cc|ml)\s+(?:in\s+)?total\b",
    re.I,
)
_PER_SITE_VOLUME = re.compile(
    rf"{_ABOUT}(\d+(?:\.\d+)?)\s*(?:mL|cc|ml)\s+(?:per|each|/|into\s+each)\s*"
    r"(?:joint|side|level|site|target|injection)\b"
    r"|\b(?:per|each)\s+(?:joint|side)\s*:?[^.;]{0,70}?=\s*(\d+(?:\.\d+)?)\s*(?:mL|cc|ml)\b",
    re.I,
)
_LIMIT_BEFORE = re.compile(
    r"(?:<=?|≤|up\s+to|max(?:imum)?|limit(?:ed)?\s+to|no\s+more\s+than|(?:do\s+not|don't|not\s+to|"
    r"never)\s+exceed|not\s+exceeding)\s*$",
    re.I,
)  # a limit ("do not exceed 1.5 mL"), not a volume given


# a side the plan names only to set aside ("right side NOT involved", "not the right"), or the
# side of what is measured around the block ("bilateral great toe temps pre/post")
_SIDE_SET_ASIDE_AFTER = re.compile(
    r"^\W{0,3}(?:side|sided)?\s*(?:is\s+|was\s+)?(?:not|NOT|un)\s*(?:involved|affected|symptomatic)"
    r"|^\W{0,3}(?:(?:great\s+|big\s+)?(?:toes?|fingers?|hands?|feet|foot|limbs?|skin)\s+)?"
    r"(?:temps?\b|temperatures?|pulses|reflexes|monitor\w*)",
    re.I,
)
_SIDE_SET_ASIDE_BEFORE = re.compile(r"\b(?:not|no|spar\w+)\s+(?:the\s+)?$", re.I)


def _sides_planned(text: str) -> set[str]:
    """The sides a plan sentence names for the procedure: not an unticked box ("[ ] Bilateral")
    and not a side set aside ("right side NOT involved")."""
    text = without_unticked(text)
    return {
        m.side
        for m in find_sides(text)
        if not _SIDE_SET_ASIDE_AFTER.search(text[m.end : m.end + 30])
        and not _SIDE_SET_ASIDE_BEFORE.search(text[max(0, m.start - 12) : m.start])
    }


def _temperature(text: str, kind: str) -> float | None:
    """The lesion temperature in Celsius: a stated one, or unit-less degrees in a lesioning note
    (in words too: "at eighty degrees for ninety seconds", a cryoprobe's "minus seventy")."""
    stated = _TEMPERATURE.search(text)
    if stated:
        return float(stated.group(1))
    if kind in _LESION_KINDS:
        for match in _LESION_DEGREES.finditer(text):
            if 40 <= int(match.group(1)) <= 95:
                return float(match.group(1))
        for match in _WORD_DEGREES.finditer(text):
            value = word_number(match.group("n")) * (-1 if match.group("minus") else 1)
            if 40 <= value <= 95 or -90 <= value <= -40:
                return value
    return None


def _volume(text: str) -> float | None:
    """Injected volume per injection: a volume stated per joint or side ("2 mL per joint, 4 mL
    total for both sides"), else a stated total, else the sum of the volumes that are not
    limits."""
    each = _PER_SITE_VOLUME.search(text)
    if each:
        return float(each.group(1) or each.group(2))
    total = _TOTAL_VOLUME.search(text)
    if total:
        return float(total.group(1) or total.group(2))
    found: list[tuple[float, bool]] = []  # (volume, made up of the volumes told after it)
    for m in _VOLUME.finditer(text):
        if _LIMIT_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        if _CONTRAST_VOLUME.search(text[m.end() : m.end() + 40]) or _CONTRAST_BEFORE.search(
            text[max(0, m.start() - 30) : m.start()]
        ):
            continue  # "2 mL of dye": the imaging, not the injectate
        found.append(
            (float(m.group(1)), bool(_WHOLE_OF_PARTS.search(text[m.end() : m.end() + 90])))
        )
    volumes: list[float] = []
    index = 0
    while index < len(found):
        whole, of_parts = found[index]
        volumes.append(whole)
        index += 1
        if of_parts:  # two or more volumes after it that add up to it are its parts
            running = 0.0
            for count, (part, _) in enumerate(found[index:], start=1):
                running += part
                if count >= 2 and abs(running - whole) < 0.01:
                    index += count
                    break
                if running > whole:
                    break
    return round(sum(volumes), 2) if volumes else None


# a volume's words that make it the contrast ("2 mL of dye", "1 cc Omnipaque"), and a volume made
# up of the volumes told after it ("1 mL of a mixture of 0.5 mL ... and 0.5 mL ...", "1 mL of
# solution ..., consisting of 0.5 mL ...")
_CONTRAST_AGENT = r"(?:contrast|dye|omnipaque|isovue|iohexol|iopamidol|gadolinium|magnevist)\b"
_CONTRAST_VOLUME = re.compile(
    r"^\s*(?:of\s+)?(?:(?:non-?ionic|water-soluble|iodinated|radio-?opaque)\s+)?" + _CONTRAST_AGENT,
    re.I,
)
_CONTRAST_BEFORE = re.compile(
    r"\b" + _CONTRAST_AGENT + r"(?:[-\s]?M?[-\s]?\d{3})?\s*[:=-]?\s*$",  # "Isovue-M200 1 mL"
    re.I,
)
_WHOLE_OF_PARTS = re.compile(
    r"^[^.;]{0,80}?\b(?:mixture|mix|consisting|containing|composed|comprised|made\s+up)\b",
    re.I,
)


def _lead_in(document: CaseDocument, index: int, sentence: Sentence) -> Sentence | None:
    """The line that introduces a plan's list of procedures and says how all are done ("Same
    session under fluoroscopy with contrast:" above "1. Right L4-5 facet injection ..."), read back
    over the list's numbers and earlier items."""
    for before in reversed(document.annotated.sentences[max(0, index - 8) : index]):
        if before.section != sentence.section:
            return None
        body = re.sub(r"^[A-Za-z/& ]{1,30}:\s*", "", before.text.strip())
        if body.endswith(":") and len(body) >= 12:
            return before
        names_procedure = any(m.category in PROCEDURE_TYPES for m in before.concepts)
        if not (_LIST_ITEM.match(before.text) or names_procedure):
            return None
    return None


_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*])(?:\s|$)")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[A-H][.)])(?:\s|$)")


def _rest_of_the_item(sentences: tuple[Sentence, ...]) -> tuple[Sentence, ...]:
    """The sentences of a numbered plan item after its first: up to the next numbered item."""
    rest: list[Sentence] = []
    for following in sentences:
        if _NUMBERED.match(following.text):
            break
        rest.append(following)
    return tuple(rest)


def _contrast_stated(text: str) -> bool | None:
    """Contrast as a plan states it: a form's yes/no, "without contrast", "with contrast"."""
    answer = labelled_answer(text, "contrast")  # a form: "Contrast: [x] Yes [ ] No"
    if answer == "negated" or (answer is None and _CONTRAST["not_given"].search(text)):
        return False
    if answer == "affirmed" or (answer is None and _CONTRAST["given"].search(text)):
        return True
    return None


def _same_procedure_blocks(
    candidates: list[tuple[CaseDocument, Sentence, ConceptMention]],
    mention: ConceptMention,
    first: Sentence,
) -> list[tuple[CaseDocument, list[Sentence]]]:
    """The plan's other sentences naming the same procedure (a form's request line and the office
    note's plan, a letter's heading and its closing plan), each with the next two sentences of
    its section, in the order plans are read."""
    blocks: list[tuple[CaseDocument, list[Sentence]]] = []
    for other_document, other, other_mention in candidates:
        if (
            other is first
            or other_mention.category != mention.category
            or any(other in b for _, b in blocks)
        ):
            continue
        sentences = other_document.annotated.sentences
        index = sentences.index(other)
        following = [s for s in sentences[index + 1 : index + 3] if s.section == other.section]
        blocks.append((other_document, [other, *following]))
    return blocks


def _block_evidence(reader: CaseReader, document: CaseDocument, block: list[Sentence]) -> Evidence:
    start, end = block[0].start, block[-1].end
    if end - start > 400:
        end = block[0].end
    return reader.span_evidence(document, start, end)


def _techniques(block: list[Sentence]) -> list[str]:
    """Every technique the plan names as its own: not one set aside ("RFA rather than cryo", "pulsed
    RF was discussed but is not covered") nor one a later sentence tells of an earlier procedure."""
    found: list[str] = []
    for position, sentence in enumerate(block):
        if position and _EARLIER.search(sentence.text):
            continue  # "Prior cryoneurolysis in 2024 gave no relief."
        text = without_unticked(sentence.text)
        for name, pattern in _TECHNIQUES.items():
            if name not in found and any(
                not _SET_ASIDE["before"].search(text[max(0, m.start() - 40) : m.start()])
                and not _SET_ASIDE["after"].search(text[m.end() :])
                for m in pattern.finditer(text)
            ):
                found.append(name)
    return found


def _not_the_injectate(name: str, text: str) -> bool:
    """A drug of a sentence that numbs the skin or the needle's track, or sedates the patient,
    is not what the procedure injects at its target; nor is any drug of a consent's list."""
    if _NOT_AT_TARGET["consent"].search(text):
        return True
    if name == "anesthetic":
        return bool(_NOT_AT_TARGET["needle_track"].search(text)) and not _NOT_AT_TARGET[
            "at_target"
        ].search(text)
    return name == "opioid" and bool(_NOT_AT_TARGET["sedation"].search(text))


def _injectates(block: list[Sentence], block_text: str) -> list[str]:
    found: list[str] = []
    for sentence in block:
        for mention in sentence.concepts:
            name = DRUG_NAMES.get(mention.category)
            if (
                name
                and mention.affirmed
                and name not in found
                and not _not_the_injectate(name, sentence.text)
            ):
                found.append(name)
    for sentence in block:
        text = without_unticked(sentence.text)
        found.extend(
            name for name, p in _INJECTATES.items()
            if name not in found and not _not_the_injectate(name, text) and any(
                not _NEGATED_BEFORE.search(text, max(0, m.start() - 30), m.start())
                for m in p.finditer(text)
            )
        )  # fmt: skip
    if (
        "hypertonic_saline" in found
        and "saline" in found
        and not re.search(
            r"(?<!hypertonic )\bsaline", block_text.replace("hypertonic saline", ""), re.I
        )
    ):
        found.remove("saline")
    return found
