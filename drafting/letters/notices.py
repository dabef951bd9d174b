"""The standing notices of a determination letter and the authorization of approved lines.

Owns the time limits (pend deadline, validity, appeal windows), the authorization number and
validity period of an approved line, and the fixed sections every letter carries as needed:
how to send pended information, the criteria used (free on request), peer-to-peer, appeal rights.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from pydantic import BaseModel

from drafting.letters.model import LetterSection
from drafting.letters.text import us_date
from guideline_corpus.corpus import Manifest

PEND_DAYS = 14
VALID_DAYS = 90
APPEAL_DAYS = 180
STANDARD_APPEAL_DAYS = 30
EXPEDITED_HOURS = 72


class Authorization(BaseModel):
    """The authorization issued for one approved line (not yet a field of `Letter`)."""

    code: str
    line_index: int
    number: str
    valid_from: date
    valid_through: date


def authorization_number(case_id: str, line_index: int, code: str) -> str:
    """Deterministic authorization number from the case id and the line (position and code)."""
    digest = hashlib.sha256(f"{case_id}|{line_index}|{code}".encode()).hexdigest()
    return f"PA-{digest[:10].upper()}"


def authorization_for(case_id: str, line_index: int, code: str, today: date) -> Authorization:
    """The authorization of an approved line: its number and a VALID_DAYS validity period."""
    return Authorization(
        code=code,
        line_index=line_index,
        number=authorization_number(case_id, line_index, code),
        valid_from=today,
        valid_through=today + timedelta(days=VALID_DAYS),
    )


def send_information_section(case_id: str, today: date) -> LetterSection:
    deadline = today + timedelta(days=PEND_DAYS)
    text = (
        f"Please send the records listed above by {us_date(deadline)}, which is {PEND_DAYS} days "
        "from the date of this letter, by fax or through the provider portal, quoting case "
        f"{case_id}. If they do not arrive by then, the reviewer will make the decision on the "
        "records already received."
    )
    return LetterSection(heading="How to send the information", paragraphs=[text])


def criteria_section(guideline: Manifest) -> LetterSection:
    g = guideline
    return LetterSection(
        heading="Criteria used",
        paragraphs=[
            f"This review applied {g.title} ({g.publisher}), version {g.version}, effective "
            f"{g.effective_date}. Passages of the guideline are cited in square brackets by their "
            "identifier.",
            "A copy of the criteria used in this decision is available free of charge on "
            "request: call the number on the member's ID card or write to the utilization "
            "management department and give the case number.",
        ],
    )


def peer_to_peer_section(case_id: str) -> LetterSection:
    text = (
        "The requesting physician may discuss this case with the reviewing physician (a "
        "peer-to-peer conversation). To arrange one, call the utilization management department "
        f"at the number on the request form and give case {case_id}."
    )
    return LetterSection(
        heading="Discuss this case with the reviewing physician", paragraphs=[text]
    )


def appeal_section(case_id: str) -> LetterSection:
    return LetterSection(
        heading="Your appeal rights",
        paragraphs=[
            "How to appeal: the member, or the requesting provider on the member's behalf, may "
            f"appeal this decision within {APPEAL_DAYS} calendar days of the date of this letter. "
            "Send a written appeal by mail or fax, or call, using the appeals address and number "
            f"on the member's ID card. Include case {case_id}, this letter and any records that "
            "address the reasons above. A standard appeal is decided within "
            f"{STANDARD_APPEAL_DAYS} calendar days.",
            "Expedited (fast) appeal: if waiting for a standard appeal could seriously jeopardize "
            "the member's life, health or ability to regain maximum function, ask for an "
            f"expedited appeal by phone or fax; it is decided within {EXPEDITED_HOURS} hours. A "
            "request from the treating physician saying so is accepted as expedited.",
            "After the appeal, the member may have the right to an external review by an "
            "independent review organization, and to contact the state insurance department or, "
            "for an employer plan, to bring a civil action under the Employee Retirement Income "
            "Security Act.",
        ],
    )


def closing_sections(
    outcomes: set[str], case_id: str, guideline: Manifest, today: date
) -> list[LetterSection]:
    """The notices a letter with these outcomes needs, in reading order."""
    sections: list[LetterSection] = []
    if "pended" in outcomes:
        sections.append(send_information_section(case_id, today))
    sections.append(criteria_section(guideline))
    if outcomes & {"denied", "pended"}:
        sections.append(peer_to_peer_section(case_id))
    if "denied" in outcomes:
        sections.append(appeal_section(case_id))
    return sections
