"""What a plan says beyond the procedure itself: the question a diagnostic block answers
(`planned.diagnostic_question`), whether what it injects is FDA approved (`planned.fda_approved`;
an "investigational" remark about another procedure requested with it is that procedure's), and
whether other spine procedures share the session (`planned.same_session_procedures`: "on a
separate day", "never both on the same day"), and the levels of a levelless first block that a
plan for the second block of the pair continues. Called by `planned.extract_planned` once the
plan's procedure type is known.
"""

from __future__ import annotations

import re

from criteria.facts import CaseFacts, Fact
from criteria.loader import load_library
from criteria.plan_owner import SECTION_OF_TYPE
from drafting.extraction.clinical_nlp import Sentence
from drafting.extraction.lexicons import patterns
from drafting.extraction.rules.procedure_terms import PROCEDURE_TYPES, refine_type
from drafting.extraction.rules.reader import CaseDocument, CaseReader

_QUESTION = patterns("diagnostic_questions")
_SEPARATE_SESSION = patterns("procedure_history")["separate_session"]


def read_session_and_product(reader: CaseReader, facts: CaseFacts) -> None:
    _diagnostic_question(reader, facts)
    _fda(reader, facts)
    _same_session(reader, facts)
    _first_block_of_the_sequence(facts)


# a plan calling its block the second of a diagnostic pair: "(second set of blocks)", "MBB #2"
_SECOND_BLOCK = re.compile(
    r"\b(?:second|2nd|confirmatory)\s+(?:set\s+of\s+)?(?:diagnostic\s+)?(?:medial\s+branch\s+|"
    r"facet\s+|MB\s+)?(?:blocks?|MBBs?|injections?)\b|\bMBB\s*#\s*2\b",
    re.IGNORECASE,
)


def _first_block_of_the_sequence(facts: CaseFacts) -> None:
    """A planned medial branch block the plan calls the second of its pair ("bilateral medial
    branch block L4-5 and L5-S1 (second set of blocks)") continues the record's one diagnostic
    block named without levels ("First diagnostic facet block: 'no relief'"): that block was at
    the plan's levels. Never when any block names its levels."""
    plan = facts.planned
    if plan.procedure_type is None or plan.procedure_type.value != "mbb" or plan.levels is None:
        return
    if not any(_SECOND_BLOCK.search(e.quote) for e in plan.procedure_type.evidence):
        return
    blocks = [e for e in facts.procedures.prior or [] if e.type == "mbb"]
    if len(blocks) != 1 or blocks[0].levels:
        return
    blocks[0].levels = list(plan.levels.value)
    blocks[0].evidence = [*blocks[0].evidence, *plan.levels.evidence]
    if blocks[0].region is None and plan.region is not None:
        blocks[0].region = plan.region.value


def _diagnostic_question(reader: CaseReader, facts: CaseFacts) -> None:
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        name = next((n for n, pattern in _QUESTION.items() if pattern.search(sentence.text)), None)
        if name:
            evidence = reader.evidence(document, sentence).model_dump()
            facts.set("planned.diagnostic_question", {"value": name, "evidence": [evidence]})
            return


def _fda(reader: CaseReader, facts: CaseFacts) -> None:
    """`planned.fda_approved` false from "investigational", "not FDA approved": not when the
    sentence, or the one before it, is about another procedure than the plan's ("2. ... intradiscal
    allograft, CPT 0627T. Many payers consider this investigational")."""
    planned = facts.planned.procedure_type.value if facts.planned.procedure_type else None
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical")):
        if re.search(r"\bnot\s+FDA[\s-]+(?:approved|cleared)|\binvestigational\b|\bexperimental\b",
                     sentence.text, re.I):  # fmt: skip
            if planned is not None and _about_another_procedure(document, sentence, planned):
                continue
            facts.planned.fda_approved = Fact[bool](
                value=False, evidence=[reader.evidence(document, sentence)]
            )
            return


def _with_the_one_before(document: CaseDocument, sentence: Sentence) -> list[Sentence]:
    """The sentence, then the one before it when that is in the same section."""
    sentences = document.annotated.sentences
    index = sentences.index(sentence)
    before = sentences[index - 1] if index else None
    return [sentence] + ([before] if before and before.section == sentence.section else [])


def _about_another_procedure(document: CaseDocument, sentence: Sentence, planned: str) -> bool:
    """The sentence, else the one before it in its section, names procedures, none the plan's."""
    for candidate in _with_the_one_before(document, sentence):
        named = {
            refine_type(PROCEDURE_TYPES[m.category], candidate.text)[0]
            for m in candidate.concepts
            if m.category in PROCEDURE_TYPES and m.affirmed
        }
        if named:
            return planned not in named
    return False


# a procedure named as the time point of another ("2 weeks after the cervical ESI", "not w/ the
# MBB"): the one set apart is the other
_REFERENCE_BEFORE = re.compile(
    r"\b(?:after|before|following|from|than|with|w/|as)\s+(?:the\s+|a\s+|any\s+|his\s+|her\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _sections_set_apart(document: CaseDocument, sentence: Sentence) -> set[str]:
    """The guideline sections of the procedures a separate-session sentence sets apart: those
    it names other than as the time point, else those of the sentence before it in the same
    section ("B. R SIJ injection ... 2 mL total. Separate date ~12/3 (not w/ the MBB)")."""
    for candidate in _with_the_one_before(document, sentence):
        named = {
            SECTION_OF_TYPE.get(PROCEDURE_TYPES[m.category], "")
            for m in candidate.concepts
            if m.category in PROCEDURE_TYPES and not m.negated
            and not (candidate is sentence and _REFERENCE_BEFORE.search(
                candidate.text[: m.start - candidate.start]))
        } - {""}  # fmt: skip
        if named:
            return named
    return set()


def _same_session(reader: CaseReader, facts: CaseFacts) -> None:
    """Procedures the plan puts on dates of their own. Every line apart ("never both on the same
    day", a form's "Other procedures same day: No") is `planned.same_session_procedures` none;
    some sections apart ("R SI injection on a separate date, not with the MBB" beside an MBB and
    an epidural done together) are `planned.separate_session_sections`."""
    apart: set[str] = set()
    evidence = []
    for document, sentence in reader.sentences(reader.newest_first("clinic", "surgical", "other")):
        match = _SEPARATE_SESSION.search(sentence.text)
        if not match:
            continue
        focus = (sentence.start + match.start(), sentence.start + match.end())
        evidence.append(reader.evidence(document, sentence, focus))
        named = _sections_set_apart(document, sentence)
        apart |= named or {"all"}
    if not evidence:
        return
    requested = {s for s in _request_sections(reader) if s}
    if "all" in apart or len(requested) <= 1 or len(requested - apart) <= 1:
        facts.planned.same_session_procedures = Fact[list[str]](value=[], evidence=evidence[:1])
    facts.planned.separate_session_sections = Fact[list[str]](
        value=sorted(apart), evidence=evidence[:3]
    )


def _request_sections(reader: CaseReader) -> set[str | None]:
    library = load_library()
    entries = (library.code_entry(s.code) for s in reader.case.request.services)
    return {entry.section if entry else None for entry in entries}
