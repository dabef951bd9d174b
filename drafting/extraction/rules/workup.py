"""A work-up under way for another cause of the pain: a tumour, infection or fracture the notes set
out to rule out ("r/o osseous metastasis - MRI L-spine ordered, scheduled 3/27/26; bone scan
pending"), whose result the record does not hold yet.

Owns ``contra.workup_pending``. The cause is a concept mention the notes leave uncertain (a
question, not a finding); the words that keep the work-up open are data
(`lexicons/clinical_state.yaml`: workup_pending). A later study, or a later note that states the
cause absent, closes it.
"""

from __future__ import annotations

from criteria.facts import CaseFacts, Evidence, Fact
from drafting.extraction.lexicons import patterns
from drafting.extraction.rules.reader import CaseDocument, CaseReader

# the causes a work-up can be for, each with the concepts a later answer may name it by
_SERIOUS = {
    "contra.spinal_tumor": ("contra.spinal_tumor", "contra.malignancy"),
    "contra.spine_infection": ("contra.spine_infection", "contra.epidural_abscess"),
    "contra.epidural_abscess": ("contra.spine_infection", "contra.epidural_abscess"),
    "contra.spinal_fracture": ("contra.spinal_fracture",),
}
_PENDING = patterns("clinical_state")["workup_pending"]
_REACH = 400  # characters after the question in which its work-up is set out


def _answered_later(
    reader: CaseReader, document: CaseDocument, categories: tuple[str, ...]
) -> bool:
    """A study dated after the note, or a later note stating the cause absent."""
    if document.date is None:
        return False
    for later in reader.documents:
        if later.date is None or later.date <= document.date:
            continue
        if later.kind == "imaging":
            return True
        for sentence in later.annotated.sentences:
            if any(m.category in categories and m.negated for m in sentence.concepts):
                return True
    return False


def extract_workup(reader: CaseReader, facts: CaseFacts) -> None:
    for document in reader.clinical_notes():
        for sentence in document.annotated.sentences:
            for mention in sentence.concepts:
                if mention.category not in _SERIOUS or not mention.uncertain:
                    continue
                if mention.negated or mention.family or mention.hypothetical:
                    continue
                reach = document.text[sentence.start : sentence.end + _REACH]
                pending = _PENDING.search(reach)
                answers = _SERIOUS[mention.category]
                if pending is None or _answered_later(reader, document, answers):
                    continue
                start = sentence.start + pending.start()
                evidence: list[Evidence] = [
                    reader.evidence(document, sentence, (mention.start, mention.end)),
                    reader.span_evidence(document, start, start + len(pending.group(0))),
                ]
                facts.contra.workup_pending = Fact[bool](value=True, evidence=evidence)
                for name in answers:
                    _unsettled_is_not_present(reader, facts, name)
                return


def _unsettled_is_not_present(reader: CaseReader, facts: CaseFacts, name: str) -> None:
    """A cause the notes only raise ("discitis cannot be excluded", "not yet excluded") while its
    work-up is under way is not a finding: the work-up pending pends the line; the cause, read
    as present only from such uncertain mentions, is not denied on."""
    fact = facts.get(name)
    if fact is None or fact.value is not True:
        return
    quotes = [e.quote for e in fact.evidence]
    told = [
        mention for _, sentence, mention in reader.mentions(name)
        if any(q in sentence.text or sentence.text in q for q in quotes)
    ]  # fmt: skip
    if told and all(m.uncertain and not m.negated for m in told):
        facts.set(name, None)
