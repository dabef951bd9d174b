"""The record of the requested service itself (a retrospective review).

A case can hold the procedure note of the very service it asks to review: the request bills a
left L5 transforaminal epidural, and the only record is the note of that injection. When no
clinic note plans a procedure (nothing else says what is requested) and the newest procedure
note's main procedure is of a kind a requested code covers (`lexicons/billed_procedures.yaml`),
that note documents the service under review, not a prior one: its main procedure is the planned
procedure (`planned`), and only what it tells of earlier procedures in history words ("a couple
of epidurals in the past") is history (`events`). A case with a clinic note that plans the
procedure, or whose procedure note is of another kind (the block before an ablation), is read
as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

from drafting.extraction.clinical_nlp import ConceptMention, Sentence
from drafting.extraction.lexicons import patterns, words
from drafting.extraction.rules.procedure_terms import PROCEDURE_TYPES, refine_type
from drafting.extraction.rules.reader import CaseDocument, CaseReader


@dataclass(frozen=True)
class ServiceRecord:
    """The note of the requested service and the sentence and mention naming its procedure."""

    document: CaseDocument
    sentence: Sentence
    mention: ConceptMention


@cache
def _kinds_by_code() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for kind, codes in words("billed_procedures").items():
        for code in codes:
            table.setdefault(str(code), set()).add(str(kind))
    return {code: frozenset(kinds) for code, kinds in table.items()}


def _main_procedure(document: CaseDocument) -> tuple[Sentence, ConceptMention] | None:
    for sentence in document.annotated.sentences:
        for mention in sentence.concepts:
            if mention.category in PROCEDURE_TYPES and mention.affirmed:
                return sentence, mention
    return None


PlanSentence = tuple[CaseDocument, Sentence, ConceptMention]
# read once per case: the plan and the service record are asked for by `events` and `planned`
_PLANS: WeakKeyDictionary[CaseReader, list[PlanSentence]] = WeakKeyDictionary()
_RECORDS: WeakKeyDictionary[CaseReader, ServiceRecord | None] = WeakKeyDictionary()


def plan_sentences(reader: CaseReader) -> list[PlanSentence]:
    """Plan sentences naming a procedure (see `_plan_sentences`), read once per case."""
    if reader not in _PLANS:
        _PLANS[reader] = _plan_sentences(reader)
    return _PLANS[reader]


def _plan_sentences(reader: CaseReader) -> list[PlanSentence]:
    """Plan sentences naming a procedure: plan sections before plan language, each newest note
    first."""
    found: list[tuple[CaseDocument, Sentence, ConceptMention]] = []
    for document in reader.newest_first("clinic", "surgical"):
        candidates = [
            (sentence, mention)
            for sentence in document.annotated.sentences
            for mention in sentence.concepts
            if mention.category in PROCEDURE_TYPES
            and mention.affirmed
            and not mention.historical  # "Prior ESI 2024 helped." under the plan is history
            and (mention.planned or sentence.section == "plan")
        ]
        found.extend((document, sentence, mention) for sentence, mention in candidates)
    # a plan section anywhere before plan language elsewhere ("Re: Prior auth - R SI joint
    # injection" on a fax cover names the request; the note's plan describes it), newest first
    # and within them the plan's own sentences before those reporting a result of a past one
    found.sort(key=lambda item: (item[1].section != "plan", _reports_result(item[1])))
    return found


def _reports_result(sentence: Sentence) -> bool:
    return bool(patterns("procedure_history")["result_reported"].search(sentence.text))


def service_record(reader: CaseReader) -> ServiceRecord | None:
    """The note of the requested service, when the case is a review of a service done (read
    once per case)."""
    if reader not in _RECORDS:
        _RECORDS[reader] = _service_record(reader)
    return _RECORDS[reader]


def _service_record(reader: CaseReader) -> ServiceRecord | None:
    procedures = reader.newest_first("procedure")
    if not procedures or plan_sentences(reader):
        return None
    newest = procedures[0]
    if any(d.date and newest.date and d.date > newest.date for d in reader.documents):
        return None  # a later note (a follow-up with the result) makes it a prior procedure
    found = _main_procedure(newest)
    if found is None:
        return None
    sentence, mention = found
    billed = set().union(
        *(_kinds_by_code().get(s.code, frozenset()) for s in reader.case.request.services)
    )
    kind = PROCEDURE_TYPES[mention.category]
    if kind not in billed and refine_type(kind, sentence.text)[0] not in billed:
        return None
    return ServiceRecord(newest, sentence, mention)
