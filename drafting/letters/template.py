"""The deterministic template letter: approval, denial, pend and partial letters from decisions.

`draft_template_letter` turns the engine's `LineDecision`s for a `Case` into a `Letter` holding
every element DOMAIN.md asks for: identifiers; each requested line with its outcome; for each
denied or pended line the specific reason tied to the record (quotes), the criterion with its
guideline name, section and `[passage-id]` citation, what information would change the outcome
and why; criteria free on request; peer-to-peer; appeal rights (standard and expedited); for
approvals an authorization number, validity period and limits; for pends a deadline. Same
inputs, same letter. Phrase tables live in `drafting.letters.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from criteria.results import CriterionResult, Decision, LineDecision
from drafting.case.contract import Case, ServiceLine
from drafting.context import DeterminationContext
from drafting.errors import DeterminationError
from drafting.letters.model import Letter, LetterLine, LetterSection
from drafting.letters.notices import (
    VALID_DAYS,
    Authorization,
    authorization_for,
    closing_sections,
    signature_and_notices,
)
from drafting.letters.reasons import ReasonWriter, plain
from drafting.letters.text import (
    ACRONYMS,
    acronyms_in,
    lower_first,
    plain_code_description,
    service_terms,
    units_text,
    us_date,
)
from drafting.lint.rules import CITATION_RE

_SEX_WORDS = {"M": "male", "F": "female"}
_TITLES = {
    frozenset({"approved"}): "approved",
    frozenset({"denied"}): "denied (not medically necessary)",
    frozenset({"pended"}): "additional information requested",
    frozenset({"denied", "pended"}): "denied in part, additional information requested",
}


class LetterDraftError(DeterminationError):
    """The decisions do not match the request's lines; decide every requested line first."""


@dataclass
class _Line:
    """A requested line paired with its decision and plain description."""

    index: int
    service: ServiceLine
    decision: LineDecision
    description: str
    addons: list[_Line] = field(default_factory=list)
    primary: _Line | None = None

    @property
    def outcome(self) -> Decision:
        return self.decision.decision

    @property
    def service_text(self) -> str:
        terms = service_terms(self.service.levels, self.service.side, self.service.units)
        return f"{self.service.code} {self.description} ({terms})"


def pair_lines(case: Case, decisions: list[LineDecision]) -> list[_Line]:
    """Pair each requested line with its decision (same code, in order); link add-ons."""
    unused = list(decisions)
    lines: list[_Line] = []
    for index, service in enumerate(case.request.services):
        match = next((d for d in unused if d.code == service.code), None)
        if match is None:
            raise LetterDraftError(f"No decision for requested line {index + 1} ({service.code})")
        unused.remove(match)
        plain = plain_code_description(service.code, service.description)
        lines.append(_Line(index, service, match, plain))
    if unused:
        extra = ", ".join(d.code for d in unused)
        raise LetterDraftError(f"Decisions for codes that were not requested: {extra}")
    for line in lines:
        follows = line.decision.follows
        primary = next((p for p in lines if p.service.code == follows and p is not line), None)
        if primary is not None and primary.outcome == line.outcome:
            line.primary = primary
            primary.addons.append(line)
    return lines


def _deciding(line: _Line, effect: str) -> list[CriterionResult]:
    seen: set[str] = set()
    chosen: list[CriterionResult] = []
    for criterion in line.decision.criteria:
        wanted = criterion.effect == effect or (
            effect == "pend" and criterion.status == "not_documented"
        )
        if wanted and criterion.id not in seen:
            seen.add(criterion.id)
            chosen.append(criterion)
    return chosen


def _opening(line: _Line, outcome: Decision, why: str) -> list[str]:
    """A denied or pended line's first paragraphs: the outcome and `why`, then its add-ons."""
    return [
        f"Requested service: {line.service_text}. Decision: {outcome}; {why}",
        *(
            f"The add-on service {a.service_text} follows this decision and is also {outcome}."
            for a in line.addons
        ),
    ]


def _summary(writer: ReasonWriter, case: Case) -> LetterSection:
    patient = case.patient
    who = " ".join(w for w in (f"{patient.age}-year-old", _SEX_WORDS.get(patient.sex)) if w)
    paragraphs = [
        f"We reviewed the prior authorization request for case {case.case_id}, received "
        f"{us_date(case.received)}, for a {who} member.",
    ]
    diagnoses = [
        f"{plain(d.description) if d.description else 'description not given'} "
        f"(diagnosis code {d.code})"
        for d in case.request.diagnoses
    ]
    if diagnoses:
        paragraphs.append("Diagnoses submitted: " + "; ".join(diagnoses) + ".")
    documents = [
        plain(d.title) + (f" ({us_date(d.date)})" if d.date else "") for d in case.documents
    ]
    paragraphs.append(
        "Records reviewed: " + ("; ".join(documents) if documents else "none were sent") + "."
    )
    paragraphs.append(
        "The outcome for each requested service is listed above and explained below. It comes "
        "from applying the written criteria of the guideline named in this letter to the "
        "records sent with the request."
    )
    return LetterSection(heading="Summary of the review", paragraphs=paragraphs)


def _approvals(writer: ReasonWriter, lines: list[_Line], today: date) -> LetterSection:
    paragraphs: list[str] = []
    valid_through = today
    for line in lines:
        auth = authorization_for(writer.case.case_id, line.index, line.service.code, today)
        valid_through = auth.valid_through
        text = f"- {line.service_text}: approved. Authorization number: {auth.number}."
        if line.primary is not None:
            primary = line.primary
            text += f" It follows the approval of {primary.service.code} {primary.description}."
        paragraphs.append(text)
        levels = ", ".join(line.service.levels) or "not applicable"
        paragraphs.append(
            f"Approved exactly as requested: levels {levels}; side "
            f"{line.service.side or 'not applicable'}; {units_text(line.service.units)}."
        )
        if line.decision.notification_only:
            paragraphs.append(
                "No medical necessity review is needed for this service with the diagnoses "
                "submitted (notification only)."
            )
        met = [c for c in line.decision.criteria if c.status == "met"]
        if met and line.primary is None:
            # Only requirements and limits are "met". An exclusion or contraindication that is
            # "met" does not apply: the letter never names a condition the member does not have.
            required = [c for c in met if c.kind in ("requirement", "limit")]
            if required:
                basis = "; ".join(
                    f"{plain(c.title)}{_bracket(writer, c.passage)}" for c in required
                )
                paragraphs.append(f"Criteria met, as documented in the records: {basis}.")
            if any(c.kind in ("exclusion", "contraindication") for c in met):
                paragraphs.append(
                    "The guideline's exclusions and reasons not to do this procedure were "
                    "checked against the records sent; none applies."
                )
    paragraphs.append(
        f"Validity: each authorization above is valid from {us_date(today)} through "
        f"{us_date(valid_through)} ({VALID_DAYS} days from the date of this decision)."
    )
    paragraphs.append(
        "Limits: these authorizations cover only the codes, levels, side and units listed. "
        "Another level, the other side, more units, a repeat procedure or a date of service "
        "after the validity period needs a new request."
    )
    return LetterSection(heading="Authorization for approved services", paragraphs=paragraphs)


def _bracket(writer: ReasonWriter, passage_id: str) -> str:
    return f" [{passage_id}]" if passage_id in writer.passages else ""


def _denial(writer: ReasonWriter, line: _Line) -> LetterSection:
    why = "it is not medically necessary under the guideline for the reasons below."
    paragraphs = _opening(line, "denied", why)
    denying = _deciding(line, "deny")
    for criterion in denying:
        paragraphs += writer.denial_reason(criterion)
    if not denying:
        paragraphs += _reasons_as_given(line)
    pending = _deciding(line, "pend")
    if pending:
        paragraphs.append(
            "Also missing from the records (needed for this service even if the reasons above "
            "were resolved):"
        )
        for criterion in pending:
            paragraphs += writer.pend_item(criterion)
    heading = f"Denied: {line.service.code} {line.description}"
    return LetterSection(heading=heading, paragraphs=paragraphs)


def _reasons_as_given(line: _Line) -> list[str]:
    """The engine's own reasons, each requested code in them named with its description."""
    lines = [line, *line.addons]
    out: list[str] = []
    for reason in line.decision.reasons:
        text = plain(reason)
        for item in lines:
            named = f"{item.service.code} ({item.description})"
            pattern = rf"(?<![\w-]){re.escape(item.service.code)}(?![\w-])"
            text = re.sub(pattern, named, text, count=1)
        out.append(f"- Reason: {text}.")
    return out


def _pend(writer: ReasonWriter, line: _Line) -> LetterSection:
    why = (
        "no decision has been made on this service yet because we did not find the information "
        "below in the records sent."
    )
    paragraphs = _opening(line, "pended", why)
    pending = _deciding(line, "pend")
    for criterion in pending:
        paragraphs += writer.pend_item(criterion)
    if not pending and line.decision.out_of_scope:
        paragraphs = [paragraphs[0].split(" Decision:")[0] + " Decision: pended.", *paragraphs[1:]]
        paragraphs += _unlisted_code(line)
    elif not pending:
        paragraphs += _reasons_as_given(line)
        needs = [plain(n) for n in line.decision.missing_info if n.strip()]
        if needs:
            paragraphs += [f"- Needed: {lower_first(n)}." for n in needs]
            paragraphs.append("Why it is needed: the outcome depends on it, as explained above.")
        else:
            paragraphs.append(
                "- Needed: review of this service by a clinical reviewer under the health plan's "
                "policy; send any records that support the request."
            )
    heading = f"Information needed: {line.service.code} {line.description}"
    return LetterSection(heading=heading, paragraphs=paragraphs)


def _unlisted_code(line: _Line) -> list[str]:
    """A line whose code the guideline does not list: say so, and what would let it be decided."""
    code = line.service.code
    return [
        f"- Reason: code {code} ({line.description}) is not one of the codes this guideline "
        "covers, so its criteria cannot be applied to it. No exclusion of the guideline applies "
        "to the procedure as described.",
        f"- Needed: if {code} was entered in error, the correct procedure code; if {code} is "
        "correct, a description of the procedure and the records that support it, for review "
        "under the health plan's policy for procedures this guideline does not list.",
        "Why it is needed: a decision needs either a code this guideline covers or a review under "
        "that policy, and the request holds neither.",
    ]


def _abbreviations(writer: ReasonWriter) -> LetterSection | None:
    found = acronyms_in(" ".join(writer.quotes))
    if not found:
        return None
    listed = "; ".join(f"{a}: {ACRONYMS[a]}" for a in found)
    return LetterSection(
        heading="Abbreviations in quoted text",
        paragraphs=[f"Quotations keep the words of the records and the guideline. {listed}."],
    )


def draft_template_letter(context: DeterminationContext, *, today: date) -> Letter:
    """The deterministic letter for these decisions (approval, denial, pend or partial)."""
    case, guideline = context.case, context.guideline
    lines = pair_lines(case, context.decisions)
    writer = ReasonWriter(context, today)
    outcomes = {line.outcome for line in lines}
    sections = [_summary(writer, case)]
    approved = [line for line in lines if line.outcome == "approved"]
    if approved:
        sections.append(_approvals(writer, approved, today))
    for line in lines:
        if line.primary is not None:
            continue  # its primary's section speaks for it
        if line.outcome == "denied":
            sections.append(_denial(writer, line))
        elif line.outcome == "pended":
            sections.append(_pend(writer, line))
    asks_records = any(
        line.outcome == "pended" and not line.decision.out_of_scope for line in lines
    )
    sections += closing_sections(
        set(outcomes), case.case_id, guideline, today, asks_records=asks_records
    )
    glossary = _abbreviations(writer)
    if glossary is not None:
        sections.append(glossary)
    sections += signature_and_notices(set(outcomes))
    rows = [(line.service, line.description, line.outcome) for line in lines]
    letter = assemble_letter(case.case_id, today, rows, sections)
    return with_identifiers(letter, case)


def with_identifiers(letter: Letter, case: Case) -> Letter:
    """The letter with the member, provider and date of service the case gives (else blank)."""
    member, provider = case.member, case.provider
    return letter.model_copy(
        update={
            "member_name": (member.name or None) if member else None,
            "member_id": (member.id or None) if member else None,
            "provider_name": (provider.name or None) if provider else None,
            "provider_npi": provider.npi if provider else None,
            "date_of_service": case.date_of_service,
        }
    )


def assemble_letter(
    case_id: str,
    letter_date: date,
    lines: list[tuple[ServiceLine, str, Decision]],
    sections: list[LetterSection],
) -> Letter:
    """The letter around its sections: title from the outcomes, the lines table, the citations.

    Used by the template letter (the gold letters are laid out by eval's own `eval.gold.render`).
    """
    outcomes = {decision for _service, _description, decision in lines}
    if "approved" in outcomes and len(outcomes) > 1:
        title_outcome = "partially approved"
    else:
        title_outcome = _TITLES[frozenset(outcomes)]
    letter = Letter(
        case_id=case_id,
        letter_date=letter_date,
        title=f"Prior authorization determination: {title_outcome}",
        recipient="Requesting provider and member",
        lines=[
            LetterLine(
                code=service.code,
                description=description,
                levels=list(service.levels),
                side=service.side,
                units=service.units,
                decision=decision,
            )
            for service, description, decision in lines
        ],
        sections=sections,
    )
    cited = CITATION_RE.findall(letter.to_text())
    return letter.model_copy(update={"citations": list(dict.fromkeys(cited))})


def authorizations(letter: Letter) -> list[Authorization]:
    """The authorization of every approved line of the letter (for the result JSON and the app).

    The letter's lines are the requested lines in request order, already paired with their
    decisions, so the authorization numbers are the ones its approval section states.
    """
    return [
        authorization_for(letter.case_id, index, line.code, letter.letter_date)
        for index, line in enumerate(letter.lines)
        if line.decision == "approved"
    ]
