"""The case contract (input): the pydantic models a request arrives in (`Case` and its parts).

Each field check says what is wrong with a value; the loaders (`drafting.case.loaders`) turn that
into a one-line `CaseInputError` naming the file, the field and what to do.
Order is meaningful: a document's index in `Case.documents` is how evidence refers to it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal, NoReturn, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from criteria.levels import LEVEL_EXAMPLES, normalize_level
from drafting.errors import show_value

Side = Literal["left", "right", "bilateral"]
Sex = Literal["M", "F", "X", "U"]

# ---------------------------------------------------------------- field types


def _reject(kind: str, message: str, value: Any) -> NoReturn:
    raise PydanticCustomError(kind, message + " (got {got})", {"got": show_value(value)})


MAX_TITLE_CHARS = 200  # a document title (from request.json or a file name)
MAX_DESCRIPTION_CHARS = 300  # a service or diagnosis description
_KEPT_CONTROLS = {"\n", "\t"}


def strip_hidden(text: str, *, keep_lines: bool = True) -> str:
    """`text` without control characters (but newlines and tabs) and without format characters
    (zero-width spaces and joiners, bidirectional overrides, byte-order marks): provider text
    reaches letters and pages, where such characters hide or reorder what a reader sees."""
    kept = keep_lines and _KEPT_CONTROLS
    return "".join(
        char
        for char in text.replace("\r\n", "\n").replace("\r", "\n")
        if (kept and char in kept) or unicodedata.category(char) not in {"Cc", "Cf"}
    )


def _provider_line(limit: int) -> Any:
    """A one-line provider field: hidden characters stripped, whitespace collapsed, capped."""

    def clean(value: Any) -> str:
        text = " ".join(strip_hidden(_optional_text(value), keep_lines=False).split())
        return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."

    return clean


def _verbatim_text(value: Any) -> str:
    if not isinstance(value, str):
        _reject("text_type", "must be text", value)
    value = strip_hidden(value)
    if not value.strip():
        _reject("empty_text", "must not be empty", value)
    return value  # otherwise verbatim: evidence quotes are matched against it


def _required_text(value: Any) -> str:
    return _verbatim_text(value).strip()


def _title(value: Any) -> str:
    title = _provider_line(MAX_TITLE_CHARS)(_required_text(value))
    if not title:
        _reject("empty_text", "must not be empty", value)
    return title


def _code_text(value: Any) -> str:
    """A code or date as typed: compatibility forms (full-width "６４４８３") become ASCII."""
    return unicodedata.normalize("NFKC", _required_text(value))


def _optional_text(value: Any) -> str:
    if not isinstance(value, str):
        _reject("text_type", "must be text", value)
    return value.strip()


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _reject("whole_number", "must be a whole number", value)
    return value


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", value.strip()) if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        _reject("date_format", "must be a date written YYYY-MM-DD", value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        _reject("date_value", "is not a real calendar date", value)


LATE_DOCUMENT_DAYS = 30  # records may follow a request during its review, not by months
MAX_UNITS = 99  # per service line; the gold cases use 1 to 10

# A request received outside these years is a typo or a test of the tool, never a real case.
EARLIEST_RECEIVED = date(2000, 1, 1)
LATEST_RECEIVED = date(2099, 12, 31)


def _received_date(value: Any) -> date:
    day = _iso_date(value)
    if not EARLIEST_RECEIVED <= day <= LATEST_RECEIVED:
        _reject(
            "received_range",
            f"must be a date from {EARLIEST_RECEIVED} to {LATEST_RECEIVED}",
            value,
        )
    return day


def _case_id(value: Any) -> str:
    text = _required_text(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", text) and ".." not in text:
        return text
    _reject(
        "case_id_format",
        "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit "
        "(e.g. UM-2026-000123)",
        value,
    )


def _procedure_code(value: Any) -> str:
    text = _code_text(value).upper()
    if re.fullmatch(r"[0-9]{5}|[0-9]{4}[A-Z]|[A-Z][0-9]{4}", text):
        return text
    if re.fullmatch(r"([0-9]{5}|[0-9]{4}[A-Z]|[A-Z][0-9]{4})[\s-]+\w{2}", text):
        _reject(
            "code_modifier", "must be the bare CPT/HCPCS code; give laterality in 'side'", value
        )
    _reject(
        "code_format", "must be a 5-character CPT/HCPCS code such as 64483, 0627T or J2003", value
    )


def _diagnosis_code(value: Any) -> str:
    text = _code_text(value).upper()
    if re.fullmatch(r"[A-Z][0-9][0-9A-Z]", text) or re.fullmatch(
        r"[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}", text
    ):
        return text
    if re.fullmatch(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}", text):
        return f"{text[:3]}.{text[3:]}"  # written without its dot, as on many claims
    _reject("icd10_format", "must be an ICD-10-CM code such as M54.16 or M51.26", value)


def _side(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in get_args(Side):
        return value.strip().lower()
    _reject("side_value", "must be one of left, right, bilateral or null", value)


_SEX_WORDS = {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U"}


def _sex(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip().upper()
        text = _SEX_WORDS.get(text, text)
        if text in get_args(Sex):
            return text
    _reject("sex_value", "must be one of M, F, X or U", value)


def _level(value: Any) -> str:
    if not isinstance(value, str):
        _reject("text_type", f"must be a spinal level written as text, {LEVEL_EXAMPLES}", value)
    try:
        return normalize_level(value)
    except ValueError as exc:
        raise PydanticCustomError("level_format", str(exc)) from None


RequiredText = Annotated[str, BeforeValidator(_required_text)]
CaseId = Annotated[str, BeforeValidator(_case_id)]
OptionalText = Annotated[str, BeforeValidator(_optional_text)]
DescriptionText = Annotated[str, BeforeValidator(_provider_line(MAX_DESCRIPTION_CHARS))]
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
ReceivedDate = Annotated[date, BeforeValidator(_received_date)]
ProcedureCode = Annotated[str, BeforeValidator(_procedure_code)]
DiagnosisCode = Annotated[str, BeforeValidator(_diagnosis_code)]
SpinalLevel = Annotated[str, BeforeValidator(_level)]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Patient(_Contract):
    """Who the request is for: only what the criteria and the letter need."""

    age: Annotated[WholeNumber, Field(ge=0, le=120)]
    sex: Annotated[Sex, BeforeValidator(_sex)]


class ServiceLine(_Contract):
    """One requested procedure line; each gets its own decision."""

    code: ProcedureCode
    description: DescriptionText = ""  # letters fall back to the guideline's code description
    side: Annotated[Side | None, BeforeValidator(_side)] = None
    levels: list[SpinalLevel] = Field(default_factory=list)
    units: Annotated[WholeNumber, Field(ge=1, le=MAX_UNITS)] = 1

    @field_validator("levels")
    @classmethod
    def _levels_listed_once(cls, levels: list[str]) -> list[str]:
        repeated = sorted({level for level in levels if levels.count(level) > 1})
        if repeated:
            raise PydanticCustomError(
                "level_repeated", "lists {level} more than once", {"level": repeated[0]}
            )
        return levels


class Diagnosis(_Contract):
    """A diagnosis code the provider submitted with the request."""

    code: DiagnosisCode
    description: DescriptionText = ""


class Request(_Contract):
    """What the provider asks for: service lines (order kept) and diagnoses."""

    services: list[ServiceLine]
    diagnoses: list[Diagnosis]

    @field_validator("services")
    @classmethod
    def _at_least_one_service(cls, services: list[ServiceLine]) -> list[ServiceLine]:
        if not services:
            raise PydanticCustomError(
                "no_services", "must list at least one requested service line"
            )
        return services


class Document(_Contract):
    """One clinical document; its position in Case.documents is its evidence reference."""

    title: Annotated[str, BeforeValidator(_title)]
    date: IsoDate | None = None
    text: Annotated[str, BeforeValidator(_verbatim_text)]


def _npi(value: Any) -> str:
    text = _required_text(value)
    if re.fullmatch(r"\d{10}", text):
        return text
    _reject("npi_format", "must be the provider's 10-digit National Provider Identifier", value)


Npi = Annotated[str, BeforeValidator(_npi)]


class Member(_Contract):
    """The member the request is for, as the letter names them (optional: asked for if absent)."""

    name: OptionalText = ""
    id: OptionalText = ""


class Provider(_Contract):
    """The requesting provider, as the letter names them (optional: asked for if absent)."""

    name: OptionalText = ""
    npi: Npi | None = None


class Case(_Contract):
    """A utilization-review case: the request plus the clinical documentation sent with it."""

    case_id: CaseId
    received: ReceivedDate
    patient: Patient
    request: Request
    documents: list[Document] = Field(default_factory=list)
    member: Member | None = None
    provider: Provider | None = None
    date_of_service: IsoDate | None = None  # the date the requested service is planned for

    @model_validator(mode="after")
    def _documents_not_after_received(self) -> Case:
        late = documents_after_received(self)
        if late:
            index = late[0]
            raise PydanticCustomError(
                "document_after_received",
                "documents[{index}].date {day} is more than {days} days after the request was "
                "received ({received}); check its date",
                {
                    "index": index,
                    "day": str(self.documents[index].date),
                    "received": str(self.received),
                    "days": LATE_DOCUMENT_DAYS,
                },
            )
        return self


def documents_after_received(case: Case) -> list[int]:
    """Indexes of the documents dated implausibly long after the case was received (records can
    follow a request during its review, not by months: a typo, or not this case)."""
    return [
        index
        for index, document in enumerate(case.documents)
        if is_late(document.date, case.received)
    ]


def is_late(day: date | None, received: date) -> bool:
    """A document date more than LATE_DOCUMENT_DAYS after the request was received."""
    return day is not None and (day - received).days > LATE_DOCUMENT_DAYS
