"""The case contract's optional letter identifiers: member, provider (NPI) and date of service."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from drafting.case.loaders import parse_case_json
from drafting.errors import InputError


def _case(**extra: Any) -> str:
    data: dict[str, Any] = {
        "case_id": "ID-1",
        "received": "2026-11-03",
        "patient": {"age": 50, "sex": "F"},
        "request": {"services": [{"code": "64483"}], "diagnoses": [{"code": "M54.16"}]},
        **extra,
    }
    return json.dumps(data)


def test_identifiers_are_optional_and_read_when_given() -> None:
    bare = parse_case_json(_case(), "case.json")
    assert bare.member is None and bare.provider is None and bare.date_of_service is None
    full = parse_case_json(
        _case(
            member={"name": "Ana Ruiz", "id": "MBR-0042"},
            provider={"name": "Dr. Lee, Spine Clinic", "npi": "1234567893"},
            date_of_service="2026-12-01",
        ),
        "case.json",
    )
    assert full.member is not None and full.member.name == "Ana Ruiz"
    assert full.provider is not None and full.provider.npi == "1234567893"
    assert full.date_of_service == date(2026, 12, 1)


def test_a_malformed_npi_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError) as raised:
        parse_case_json(_case(provider={"name": "Dr. Lee", "npi": "12345"}), "case.json")
    assert "provider.npi" in str(raised.value) and "10-digit" in str(raised.value)
