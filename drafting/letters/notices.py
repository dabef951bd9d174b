"""The standing notices of a determination letter and the authorization of approved lines.

Owns the time limits (pend deadline, validity, appeal windows), the authorization number and
validity period of an approved line, and the fixed sections every letter carries as needed:
how to send pended information, the criteria used (free on request), peer-to-peer, appeal rights.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from pydantic import BaseModel

from drafting.letters.model import CITATION_NOTE, LetterSection
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


def send_information_section(
    case_id: str, today: date, *, asks_records: bool = True
) -> LetterSection:
    deadline = today + timedelta(days=PEND_DAYS)
    what = "records listed above" if asks_records else "information listed above"
    text = (
        f"Please send the {what} by {us_date(deadline)}, which is {PEND_DAYS} days "
        "from the date of this letter, by fax or through the provider portal, quoting case "
        f"{case_id}. If they do not arrive by then, the reviewer will make the decision on the "
        "records already received."
    )
    return LetterSection(heading="How to send the information", paragraphs=[text])


def _version(g: Manifest) -> str:
    """'effective MM/DD/YYYY' (and the version when it is not that date): one date format."""
    try:
        effective = us_date(date.fromisoformat(str(g.effective_date)))
    except ValueError:
        effective = str(g.effective_date)
    same = str(g.version) == str(g.effective_date)
    return f"effective {effective}" if same else f"version {g.version}, effective {effective}"


def criteria_section(guideline: Manifest) -> LetterSection:
    g = guideline
    return LetterSection(
        heading="Criteria used",
        paragraphs=[
            f"This review applied {g.title} ({g.publisher}), {_version(g)}. {CITATION_NOTE}",
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
    outcomes: set[str], case_id: str, guideline: Manifest, today: date, *, asks_records: bool = True
) -> list[LetterSection]:
    """The notices a letter with these outcomes needs, in reading order."""
    sections: list[LetterSection] = []
    if "pended" in outcomes:
        sections.append(send_information_section(case_id, today, asks_records=asks_records))
    sections.append(criteria_section(guideline))
    if outcomes & {"denied", "pended"}:
        sections.append(peer_to_peer_section(case_id))
    if "denied" in outcomes:
        sections.append(appeal_section(case_id))
    return sections


# ---------------------------------------------------------------- signature and notices

SIGNATURE_HEADING = "Signature"
LANGUAGE_HEADING = "Language assistance"
NONDISCRIMINATION_HEADING = "Nondiscrimination notice"
UNSIGNED = "(name and credentials added when the reviewer finalizes)"
REVIEWER_LABEL = "Reviewer"
PHYSICIAN_LABEL = "Physician reviewer who made this decision"

LANGUAGE_TAGLINES: tuple[str, ...] = (
    "Attention: if you speak a language other than English, language assistance services are "
    "available to you free of charge. Call the number on your ID card.",
    "Atención: si habla español, tiene a su disposición servicios gratuitos de asistencia "
    "lingüística. Llame al número que figura en su tarjeta de identificación.",
    "Chú ý: Nếu bạn nói Tiếng Việt, có các dịch vụ hỗ trợ ngôn ngữ miễn phí dành cho bạn. Gọi "
    "số điện thoại ghi trên thẻ hội viên của bạn.",
    "Paunawa: Kung nagsasalita ka ng Tagalog, maaari kang gumamit ng mga serbisyo ng tulong sa "
    "wika nang walang bayad. Tumawag sa numerong nasa iyong ID card.",
    "Внимание: если вы говорите на русском языке, вам доступны бесплатные услуги перевода. "
    "Позвоните по номеру, указанному на вашей идентификационной карте.",
    "Atansyon: Si w pale Kreyòl Ayisyen, gen sèvis èd pou lang ki disponib gratis pou ou. Rele "
    "nimewo ki sou kat idantifikasyon ou.",
)
NONDISCRIMINATION = (
    "The health plan complies with applicable federal civil rights laws, including Section 1557 "
    "of the Affordable Care Act, and does not discriminate on the basis of race, color, national "
    "origin, age, disability or sex. It provides free aids and services to people with "
    "disabilities, such as qualified sign language interpreters and written information in "
    "other formats (large print, audio, accessible electronic formats), and free language "
    "services to people whose primary language is not English, such as qualified interpreters "
    "and information written in other languages. To ask for these services, or to file a "
    "grievance if you believe the plan has not provided them or has discriminated in another "
    "way, call the number on the member's ID card. You may also file a civil rights complaint "
    "with the U.S. Department of Health and Human Services, Office for Civil Rights."
)


def signature_block(outcomes: set[str]) -> LetterSection:
    """Who decided: the reviewer, and for a denial the physician (signed at finalization)."""
    paragraphs = [f"{REVIEWER_LABEL}: {UNSIGNED}"]
    if "denied" in outcomes:
        paragraphs.append(f"{PHYSICIAN_LABEL}: {UNSIGNED}")
    paragraphs.append("Utilization management department, on behalf of the health plan.")
    return LetterSection(heading=SIGNATURE_HEADING, paragraphs=paragraphs)


def signature_and_notices(outcomes: set[str]) -> list[LetterSection]:
    """The signature block, then the notices every letter carries (taglines, Section 1557)."""
    return [
        signature_block(outcomes),
        LetterSection(heading=LANGUAGE_HEADING, paragraphs=list(LANGUAGE_TAGLINES)),
        LetterSection(heading=NONDISCRIMINATION_HEADING, paragraphs=[NONDISCRIMINATION]),
    ]
