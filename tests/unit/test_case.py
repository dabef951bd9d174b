"""Tests for the case contract and its loaders (drafting.case) and the CaseInputError messages.

Good paths and whole-file problems; field problems are tests/unit/test_case_fields.py.
"""

from __future__ import annotations

import builtins
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from criteria.levels import expand_level_range, normalize_level
from drafting.case import loaders as case_module
from drafting.case.contract import Case, Document
from drafting.case.loaders import load_case, load_document, parse_case_json
from drafting.errors import (
    CaseInputError,
    DeterminationError,
    InputError,
)
from tests.case_inputs import (
    SAMPLE_FOLDER,
    SAMPLE_JSON,
    check_message,
    make_pdf,
    raised,
    sample_data,
    write_json,
)

# ------------------------------------------------------------------ good paths


def test_sample_json_loads_with_order_and_normalised_values() -> None:
    case = load_case(SAMPLE_JSON)
    assert case.case_id == "FX-TFESI-001"
    assert case.received == date(2025, 11, 3)
    assert (case.patient.age, case.patient.sex) == (46, "M")
    assert [s.code for s in case.request.services] == ["64483", "64484"]
    assert [s.levels for s in case.request.services] == [["L4-L5"], ["L5-S1"]]
    assert {s.side for s in case.request.services} == {"left"}
    assert [d.code for d in case.request.diagnoses] == ["M54.16", "M51.16"]
    assert [d.title for d in case.documents] == ["MRI lumbar spine", "Pain clinic consultation"]
    assert "Straight leg raise positive on the left" in case.documents[1].text


def test_folder_case_equals_json_case() -> None:
    from_folder = load_case(SAMPLE_FOLDER)
    from_json = load_case(SAMPLE_JSON)
    assert from_folder == from_json
    assert [d.date for d in from_folder.documents] == [date(2025, 9, 12), date(2025, 10, 20)]


def test_folder_with_txt_and_pdf_keeps_json_documents_first_then_files_by_name(
    tmp_path: Path,
) -> None:
    data = sample_data()
    data["documents"] = [{"title": "Fax cover", "date": None, "text": "Request for authorization."}]
    folder = tmp_path / "case7"
    folder.mkdir()
    write_json(folder / "request.json", data)
    (folder / "2025-10-20_pain_clinic.txt").write_text(
        "Pain 7/10 radiating to left foot.\n", encoding="utf-8"
    )
    (folder / "2025-09-01_pt_discharge.pdf").write_bytes(
        make_pdf(["Physical therapy discharge: 12 visits.", "No significant improvement."])
    )
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    case = load_case(folder)
    assert [d.title for d in case.documents] == ["Fax cover", "Pt discharge", "Pain clinic"]
    assert [d.date for d in case.documents] == [None, date(2025, 9, 1), date(2025, 10, 20)]
    pdf_text = case.documents[1].text
    assert "12 visits" in pdf_text and "No significant improvement" in pdf_text
    assert pdf_text.index("12 visits") < pdf_text.index("No significant improvement")


def test_folder_request_without_documents_key(tmp_path: Path) -> None:
    data = sample_data()
    del data["documents"]
    folder = tmp_path / "c"
    folder.mkdir()
    write_json(folder / "request.json", data)
    (folder / "note.txt").write_text("Office note text.", encoding="utf-8")
    case = load_case(folder)
    assert [(d.title, d.date, d.text) for d in case.documents] == [
        ("Note", None, "Office note text.")
    ]


# how a level may be written -> its normal form
LEVEL_SPELLINGS = {
    "L4-5": "L4-L5",
    "L4-L5": "L4-L5",
    "l5/s1": "L5-S1",
    "L5S1": "L5-S1",
    "C5-6": "C5-C6",
    "c7-t1": "C7-T1",
    "T12-L1": "T12-L1",
    "L5-L4": "L4-L5",
    "L4 \u2013 L5": "L4-L5",
    " L3 to L4 ": "L3-L4",
    "s1": "S1",
    "L5": "L5",
}


@pytest.mark.parametrize(("raw", "expected"), LEVEL_SPELLINGS.items())
def test_normalize_level(raw: str, expected: str) -> None:
    assert normalize_level(raw) == expected


@pytest.mark.parametrize("raw", ["L3-L5", "L6", "SI", "foo", "", "L4-L4", "L45", "C8"])
def test_normalize_level_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_level(raw)


def test_expand_level_range() -> None:
    assert expand_level_range("L3-5") == ["L3-L4", "L4-L5"]
    assert expand_level_range("L4-S1") == ["L4-L5", "L5-S1"]
    assert expand_level_range("l5") == ["L5"]


def test_levels_codes_and_side_are_normalised_inside_a_case() -> None:
    data = sample_data()
    data["request"]["services"] = [
        {
            "code": "64483",
            "description": "TFESI",
            "side": "Left",
            "levels": ["L4-5", "l5/s1"],
            "units": 2,
        },
        {"code": "j2003", "description": "drug", "side": None, "levels": []},
        {"code": "0627t", "description": "category III", "levels": []},
        {"code": "C1767", "description": "generator"},
        {"code": "L8679", "description": "implantable neurostimulator"},
    ]
    data["request"]["diagnoses"] = [{"code": "m5416", "description": "Radiculopathy, lumbar"}]
    case = parse_case_json(json.dumps(data))
    services = case.request.services
    assert [s.code for s in services] == ["64483", "J2003", "0627T", "C1767", "L8679"]
    assert services[0].levels == ["L4-L5", "L5-S1"]
    assert services[0].side == "left" and services[0].units == 2
    assert (services[1].side, services[1].units, services[3].levels) == (None, 1, [])
    assert case.request.diagnoses[0].code == "M54.16"


def test_service_and_document_order_is_kept() -> None:
    data = sample_data()
    codes = ["64493", "64483", "64494", "64484"]
    data["request"]["services"] = [{"code": c, "description": f"line {c}"} for c in codes]
    data["documents"] = [{"title": f"doc {i}", "text": f"text {i}"} for i in (3, 1, 2)]
    case = parse_case_json(json.dumps(data))
    assert [s.code for s in case.request.services] == codes
    assert [d.text for d in case.documents] == ["text 3", "text 1", "text 2"]


def test_bom_and_crlf_are_handled(tmp_path: Path) -> None:
    case_file = tmp_path / "bom.json"
    case_file.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_data()).encode("utf-8"))
    assert load_case(case_file).case_id == "FX-TFESI-001"
    note = tmp_path / "note.txt"
    note.write_bytes(b"\xef\xbb\xbfLine one\r\nLine two caf\xc3\xa9\r\n")
    assert load_document(note).text == "Line one\nLine two caf\u00e9\n"


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    path = tmp_path / "consult.pdf"
    path.write_bytes(make_pdf(["Pain 8/10 in the left L5 dermatome."], user_password=""))
    document = load_document(path)
    assert isinstance(document, Document) and "left L5 dermatome" in document.text


def test_models_are_immutable_contracts() -> None:
    case = load_case(SAMPLE_JSON)
    with pytest.raises(ValidationError, match="frozen"):
        case.case_id = "other"
    assert Case.model_validate(case.model_dump(mode="json")) == case


# ------------------------------------------------------------------ bad input: whole-file problems


def test_error_hierarchy() -> None:
    assert issubclass(CaseInputError, InputError)
    assert issubclass(InputError, DeterminationError)
    assert issubclass(DeterminationError, Exception)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(b"")
    check_message(raised(load_case, path), "case.json", None, "empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text("  \n\t \n", encoding="utf-8")
    check_message(raised(load_case, path), "case.json", None, "only whitespace")


def test_invalid_json_reports_line_and_column() -> None:
    error = raised(
        parse_case_json, '{\n  "case_id": "A1"\n  "received": "2025-11-03"\n}', "paste.json"
    )
    check_message(error, "paste.json", None, "invalid JSON", "line 3, column 3", "fix")


def test_json_that_is_not_an_object() -> None:
    check_message(
        raised(parse_case_json, "[1, 2]", "x.json"), "x.json", None, "JSON object", "got a list"
    )


def test_duplicate_key_and_nan_are_refused() -> None:
    check_message(
        raised(parse_case_json, '{"a": 1, "a": 2}', "d.json"), "d.json", None, "'a' appears twice"
    )
    check_message(raised(parse_case_json, '{"a": NaN}', "n.json"), "n.json", None, "NaN")


def test_missing_file(tmp_path: Path) -> None:
    check_message(raised(load_case, tmp_path / "nope.json"), "nope.json", None, "not found")
    check_message(raised(load_document, tmp_path / "gone.txt"), "gone.txt", None, "not found")


def test_unsupported_extensions(tmp_path: Path) -> None:
    doc = tmp_path / "note.docx"
    doc.write_bytes(b"PK")
    check_message(
        raised(load_document, doc), "note.docx", None, "unsupported", ".docx", ".txt", ".pdf"
    )
    case_file = tmp_path / "case.yaml"
    case_file.write_text("case_id: A", encoding="utf-8")
    check_message(raised(load_case, case_file), "case.yaml", None, "unsupported", ".yaml", ".json")
    folder = tmp_path / "c1"
    folder.mkdir()
    write_json(folder / "request.json", sample_data())
    (folder / "scan.tiff").write_bytes(b"II*\x00")
    check_message(raised(load_case, folder), "c1/scan.tiff", None, "unsupported", ".tiff")


def test_folder_without_request_json(tmp_path: Path) -> None:
    (tmp_path / "c2").mkdir()
    check_message(raised(load_case, tmp_path / "c2"), "c2/", None, "request.json")


def test_non_utf8_text_names_file_and_suggests_resaving(tmp_path: Path) -> None:
    note = tmp_path / "2025-10-01_note.txt"
    note.write_bytes("Patient reports caf\u00e9 visit".encode("latin-1"))
    check_message(
        raised(load_document, note), "2025-10-01_note.txt", None, "not UTF-8", "re-save", "UTF-8"
    )
    case_file = tmp_path / "case.json"
    case_file.write_bytes(json.dumps(sample_data()).replace("Daniel", "D\u00e9").encode("cp1252"))
    check_message(raised(load_case, case_file), "case.json", None, "not UTF-8")


# (file name, its bytes, words its one-line message holds)
UNREADABLE_DOCUMENTS = [
    pytest.param("blob.txt", b"abc\x00def", ["binary"], id="binary_text"),
    pytest.param("blank.txt", b" \n ", ["no text"], id="blank_text"),
    pytest.param("junk.pdf", b"this is not a pdf at all", ["unreadable PDF"], id="corrupt_pdf"),
    pytest.param(
        "truncated.pdf",
        make_pdf(["Some clinical text here."])[:200],
        ["unreadable PDF"],
        id="truncated_pdf",
    ),
    pytest.param(
        "locked.pdf",
        make_pdf(["Confidential consult."], user_password="secret"),
        ["encrypted", "unprotected copy"],
        id="encrypted_pdf",
    ),
    pytest.param(
        "scan.pdf", make_pdf([], image=True), ["no extractable text", "OCR"], id="image_only_pdf"
    ),
    pytest.param(
        "2025-02-30_note.txt", b"text", ["not a real calendar date"], id="invalid_date_in_name"
    ),
]


@pytest.mark.parametrize(("name", "content", "words"), UNREADABLE_DOCUMENTS)
def test_unreadable_document(tmp_path: Path, name: str, content: bytes, words: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    check_message(raised(load_document, path), name, None, *words)


def test_too_large_document_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: 20 MB on paper, nothing written
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert Path(file) != big, "the oversized file was opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    check_message(raised(load_document, big), "huge.txt", None, "20.0 MB", "10.0 MB limit")


def test_size_limits_are_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_module, "MAX_DOCUMENT_BYTES", 100)
    monkeypatch.setattr(case_module, "MAX_CASE_JSON_BYTES", 100)
    note = tmp_path / "note.txt"
    note.write_text("x" * 150, encoding="utf-8")
    check_message(raised(load_document, note), "note.txt", None, "limit")
    case_file = write_json(tmp_path / "case.json", sample_data())
    check_message(raised(load_case, case_file), "case.json", None, "limit")
    check_message(
        raised(parse_case_json, json.dumps(sample_data()), "paste"), "paste", None, "limit"
    )
