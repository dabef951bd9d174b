"""Field problems in a case: each names its field (and the file it came from), several are counted,
uploads and the validation conversion reused for other models. Whole-file problems and good
paths are tests/unit/test_case.py.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from drafting.case.loaders import document_from_bytes, load_case, parse_case_json
from drafting.errors import (
    InputError,
    input_error_from_validation,
)
from tests.case_inputs import (
    check_message,
    raised,
    sample_data,
    write_json,
)


def mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample_data())
    change(data)
    return data


FIELD_CASES: list[tuple[str, Any, str, tuple[str, ...]]] = [
    ("missing request", lambda d: d.pop("request"), "request", ("required", "missing")),
    ("missing services", lambda d: d["request"].pop("services"), "request.services", ("missing",)),
    (
        "empty services",
        lambda d: d["request"].update(services=[]),
        "request.services",
        ("at least one",),
    ),
    ("empty case_id", lambda d: d.update(case_id="  "), "case_id", ("must not be empty",)),
    (
        "path in case_id",
        lambda d: d.update(case_id="../../etc/passwd"),
        "case_id",
        ("letters, digits",),
    ),
    ("slash in case_id", lambda d: d.update(case_id="UM/2026/1"), "case_id", ("letters, digits",)),
    ("long case_id", lambda d: d.update(case_id="A" * 65), "case_id", ("1-64",)),
    (
        "unknown top field",
        lambda d: d.update(member_name="X"),
        "member_name",
        ("unknown field 'member_name'",),
    ),
    (
        "unknown nested field",
        lambda d: d["request"]["services"][0].update(level=["L4-L5"]),
        "request.services[0].level",
        (
            "unknown field 'level'",
            "did you mean 'levels'",
            "code, description, side, levels, units",
        ),
    ),
    (
        "side both",
        lambda d: d["request"]["services"][0].update(side="both"),
        "request.services[0].side",
        ("must be one of left, right, bilateral or null (got 'both')",),
    ),
    (
        "age as text",
        lambda d: d["patient"].update(age="46"),
        "patient.age",
        ("whole number", "'46'"),
    ),
    (
        "age as float",
        lambda d: d["patient"].update(age=46.5),
        "patient.age",
        ("whole number", "46.5"),
    ),
    (
        "units zero",
        lambda d: d["request"]["services"][1].update(units=0),
        "request.services[1].units",
        ("at least 1",),
    ),
    (
        "units bool",
        lambda d: d["request"]["services"][0].update(units=True),
        "request.services[0].units",
        ("whole",),
    ),
    (
        "levels not list",
        lambda d: d["request"]["services"][0].update(levels="L4-L5"),
        "request.services[0].levels",
        ("must be a list",),
    ),
    (
        "patient not object",
        lambda d: d.update(patient="46M"),
        "patient",
        ("must be an object", "age, sex"),
    ),
    ("bad sex", lambda d: d["patient"].update(sex="Q"), "patient.sex", ("M, F, X or U",)),
    (
        "received impossible",
        lambda d: d.update(received="2025-13-01"),
        "received",
        ("not a real calendar date",),
    ),
    (
        "received US style",
        lambda d: d.update(received="11/03/2025"),
        "received",
        ("YYYY-MM-DD", "'11/03/2025'"),
    ),
    ("received number", lambda d: d.update(received=20251103), "received", ("YYYY-MM-DD",)),
    (
        "document date",
        lambda d: d["documents"][1].update(date="2025-02-30"),
        "documents[1].date",
        ("calendar",),
    ),
    (
        "document text",
        lambda d: d["documents"][0].update(text=" \n"),
        "documents[0].text",
        ("must not be empty",),
    ),
    (
        "code format",
        lambda d: d["request"]["services"][0].update(code="6448"),
        "request.services[0].code",
        ("CPT/HCPCS", "'6448'"),
    ),
    (
        "code modifier",
        lambda d: d["request"]["services"][0].update(code="64483-LT"),
        "request.services[0].code",
        ("bare", "side"),
    ),
    (
        "icd format",
        lambda d: d["request"]["diagnoses"][0].update(code="54.16"),
        "request.diagnoses[0].code",
        ("ICD-10-CM",),
    ),
    (
        "bad level",
        lambda d: d["request"]["services"][0].update(levels=["L4-L5", "L3-L5"]),
        "request.services[0].levels[1]",
        ("list each one", "L3-L4, L4-L5"),
    ),
    (
        "repeated level",
        lambda d: d["request"]["services"][0].update(levels=["L4-5", "L4-L5"]),
        "request.services[0].levels",
        ("L4-L5 more than once",),
    ),
    (
        "description type",
        lambda d: d["request"]["diagnoses"][1].update(description=5),
        "request.diagnoses[1].description",
        ("must be text", "5"),
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "field", "words"), FIELD_CASES, ids=[c[0] for c in FIELD_CASES]
)
def test_field_problems_name_the_field(
    name: str, change: Any, field: str, words: tuple[str, ...]
) -> None:
    error = raised(parse_case_json, json.dumps(mutated(change)), "case.json")
    check_message(error, "case.json", field, *words)
    assert error.further == ()


def test_field_error_from_a_file_names_the_file(tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "H07.json", mutated(lambda d: d["request"]["services"][0].update(side="both"))
    )
    message = str(raised(load_case, path))
    assert message == (
        "H07.json: request.services[0].side: "
        "must be one of left, right, bilateral or null (got 'both')"
    )


def test_several_problems_report_the_first_and_count_the_rest() -> None:
    def break_three(d: dict[str, Any]) -> None:
        d["patient"]["age"] = "old"
        d["request"]["services"][0]["side"] = "up"
        d["documents"][0]["text"] = ""

    error = raised(parse_case_json, json.dumps(mutated(break_three)), "case.json")
    message = check_message(error, "case.json", "patient.age", "whole number", "(+2 more problems)")
    assert len(error.further) == 2
    assert error.further[0].startswith("request.services[0].side: ")
    assert "documents[0].text" not in message


def test_document_from_bytes_for_uploads() -> None:
    document = document_from_bytes("2025-10-02_Follow_up-visit.txt", b"Relief 60% for 2 weeks.")
    assert (document.title, document.date) == ("Follow up visit", date(2025, 10, 2))
    error = raised(document_from_bytes, "scan.png", b"\x89PNG")
    check_message(error, "scan.png", None, "unsupported", ".png")


def test_validation_conversion_is_reusable_for_other_models_and_error_classes() -> None:
    class CriteriaFileError(InputError):
        """A criteria file that does not match its schema."""

    class Rule(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: str
        weeks: int

    with pytest.raises(ValidationError) as info:
        Rule.model_validate({"id": "x", "weeks": "many", "wekes": 4})
    error = input_error_from_validation("esi.yaml", info.value, Rule, CriteriaFileError)
    assert isinstance(error, CriteriaFileError) and error.field == "weeks"
    assert str(error).startswith("esi.yaml: weeks: ")
    assert str(error).endswith("(+1 more problem)")
    assert error.further[0].startswith("wekes: unknown field 'wekes' (did you mean 'weeks'?)")
