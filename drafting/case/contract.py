"""The case contract (input): the pydantic models a request arrives in (`Case` and its parts).

Each field check says what is wrong with a value; the loaders (`drafting.case.loaders`) turn that
into a one-line `CaseInputError` naming the file, the field and what to do.
Order is meaningful: a document's index in `Case.documents` is how evidence refers to it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, NoReturn, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from criteria.levels import LEVEL_EXAMPLES, normalize_level
from drafting.errors import show_value

Side = Literal["left", "right", "bilateral"]
Sex = Literal["M", "F", "X", "U"]

# ---------------------------------------------------------------- field types


def _reject(kind: str, message: str, value: Any) -> NoReturn:
    raise PydanticCustomError(kind, message + " (got {got})", {"got": show_value(value)})


def _verbatim_text(value: Any) -> str:
    if not isinstance(value, str):
        _reject("text_type", "must be text", value)
    if not value.strip():
        _reject("empty_text", "must not be empty", value)
    return value  # document text is kept verbatim: evidence quotes are matched against it


def _required_text(value: Any) -> str:
    return _verbatim_text(value).strip()


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
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        _reject("date_format", "must be a date written YYYY-MM-DD", value)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _reject("date_value", "is not a real calendar date", value)


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
    text = _required_text(value).upper()
    if re.fullmatch(r"\d{5}|\d{4}[A-Z]|[A-Z]\d{4}", text):
        return text
    if re.fullmatch(r"(\d{5}|\d{4}[A-Z]|[A-Z]\d{4})[\s-]+\w{2}", text):
        _reject(
            "code_modifier", "must be the bare CPT/HCPCS code; give laterality in 'side'", value
        )
    _reject(
        "code_format", "must be a 5-character CPT/HCPCS code such as 64483, 0627T or J2003", value
    )


def _diagnosis_code(value: Any) -> str:
    text = _required_text(value).upper()
    if re.fullmatch(r"[A-Z]\d[0-9A-Z]", text) or re.fullmatch(
        r"[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}", text
    ):
        return text
    if re.fullmatch(r"[A-Z]\d[0-9A-Z][0-9A-Z]{1,4}", text):
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
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
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
    description: OptionalText = ""  # letters fall back to the guideline's code description
    side: Annotated[Side | None, BeforeValidator(_side)] = None
    levels: list[SpinalLevel] = Field(default_factory=list)
    units: Annotated[WholeNumber, Field(ge=1)] = 1

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
    description: OptionalText = ""


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

    title: RequiredText
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
    received: IsoDate
    patient: Patient
    request: Request
    documents: list[Document] = Field(default_factory=list)
    member: Member | None = None
    provider: Provider | None = None
    date_of_service: IsoDate | None = None  # the date the requested service is planned for
