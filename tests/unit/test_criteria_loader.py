"""Loader checks: each kind of broken YAML fails at load time with a message saying what to fix."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from criteria import errors
from criteria.loader import build_library, criteria_dir, quote_key, read_files
from tests.criteria_cases import EPIDURAL_FILES


@pytest.fixture(scope="module")
def raw_files() -> dict[str, Any]:
    return {
        name: yaml.safe_load((criteria_dir() / name).read_text(encoding="utf-8"))
        for name in EPIDURAL_FILES
    }


def _load(tmp_path: Path, raw: dict[str, Any]) -> None:
    for name, content in raw.items():
        (tmp_path / name).write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    build_library(read_files(tmp_path))


def _criterion(raw: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    return next(c for c in raw["epidural.yaml"]["criteria"] if c["id"] == criterion_id)


def test_unchanged_files_load(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    _load(tmp_path, raw_files)


# (criterion, field, broken value, error, what the message says); one field changed in epidural.yaml
BROKEN_FIELDS = [
    pytest.param(
        "epidural.contra.cauda_equina",
        "quote",
        "Cauda equina syndrome is rare",
        errors.QuoteNotFoundError,
        r"epidural\.contra\.cauda_equina: quote not found",
        id="bad_quote",
    ),
    pytest.param(
        "epidural.contra.cauda_equina",
        "passage",
        "epidural/exclusions/1",
        errors.QuoteNotFoundError,
        re.escape("not inside passage 'epidural/exclusions/1'"),
        id="quote_from_another_passage",
    ),
    pytest.param(
        "epidural.contra.cauda_equina",
        "passage",
        "epidural/nowhere/9",
        errors.UnknownPassageError,
        re.escape("unknown passage 'epidural/nowhere/9'"),
        id="unknown_passage",
    ),
    pytest.param(
        "epidural.contra.cauda_equina",
        "logic",
        {"fact": "contra.caudaequina", "is": True},
        errors.UnknownFactError,
        re.escape("unknown fact 'contra.caudaequina'"),
        id="unknown_fact",
    ),
    pytest.param(
        "epidural.exclusion.snrb_more_than_two_sessions",
        "logic",
        {"count": "procedures.prior", "where": {"kind": "snrb"}, "op": ">=", "value": 2},
        errors.UnknownFactError,
        re.escape("procedures.prior has no field 'kind'"),
        id="unknown_event_field",
    ),
]


@pytest.mark.parametrize(("criterion_id", "field", "value", "error", "message"), BROKEN_FIELDS)
def test_broken_criterion_field_fails(
    tmp_path: Path,
    raw_files: dict[str, Any],
    criterion_id: str,
    field: str,
    value: object,
    error: type[errors.CriteriaError],
    message: str,
) -> None:
    raw = copy.deepcopy(raw_files)
    _criterion(raw, criterion_id)[field] = value
    with pytest.raises(error, match=message):
        _load(tmp_path, raw)


def test_duplicate_id_fails(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_files)
    raw["epidural.yaml"]["criteria"].append(
        copy.deepcopy(_criterion(raw, "epidural.contra.cauda_equina"))
    )
    with pytest.raises(errors.DuplicateIdError, match=re.escape("epidural.contra.cauda_equina")):
        _load(tmp_path, raw)


def test_unrouted_code_fails(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_files)
    routes = raw["routing.yaml"]["routing"]["codes"]
    raw["routing.yaml"]["routing"]["codes"] = [r for r in routes if "64510" not in r["codes"]]
    with pytest.raises(errors.RoutingError, match=r"code 64510 .* has no route"):
        _load(tmp_path, raw)


def test_unknown_set_in_route_fails(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_files)
    route = next(r for r in raw["routing.yaml"]["routing"]["codes"] if "62321" in r["codes"])
    route["sets"] = ["epidural.no_such_set"]
    with pytest.raises(errors.RoutingError, match=re.escape("unknown set 'epidural.no_such_set'")):
        _load(tmp_path, raw)


def test_unknown_criterion_in_set_fails(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_files)
    raw["epidural.yaml"]["sets"][0]["criteria"].append("epidural.esi.made_up")
    with pytest.raises(
        errors.UnknownReferenceError, match=re.escape("unknown criterion 'epidural.esi.made_up'")
    ):
        _load(tmp_path, raw)


def test_malformed_logic_names_the_file(tmp_path: Path, raw_files: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_files)
    _criterion(raw, "epidural.contra.cauda_equina")["logic"] = {"either": []}
    with pytest.raises(errors.CriteriaError, match=re.escape("epidural.yaml")):
        _load(tmp_path, raw)
    assert issubclass(errors.LogicSyntaxError, errors.CriteriaError)


def test_placeholder_route_is_replaced_by_a_section_route(
    tmp_path: Path, raw_files: dict[str, Any]
) -> None:
    raw = copy.deepcopy(raw_files)
    raw["extra.yaml"] = {
        "section": "sympathetic",
        "routing": {"codes": [{"codes": ["64510"], "sets": ["epidural.contraindications"]}]},
    }
    for name, content in raw.items():
        (tmp_path / name).write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    library = build_library(read_files(tmp_path))
    assert library.routing.routes["64510"].sets == ["epidural.contraindications"]
    raw["more.yaml"] = copy.deepcopy(raw["extra.yaml"])
    with pytest.raises(errors.RoutingError, match=re.escape("64510 is routed in")):
        _load(tmp_path, raw)


def test_quote_comparison_ignores_whitespace_and_emphasis() -> None:
    assert quote_key("includes **ANY**  of\n the following") == "includes ANY of the following"


def test_a_criterion_that_can_deny_but_reads_no_fact_fails(
    tmp_path: Path, raw_files: dict[str, Any]
) -> None:
    """A denial must carry a quote, so a denying criterion reads at least one fact (issue 11)."""
    raw = copy.deepcopy(raw_files)
    _criterion(raw, "epidural.contra.cauda_equina")["logic"] = {"const": True}
    with pytest.raises(
        errors.DenialWithoutFactError, match=re.escape("epidural.contra.cauda_equina")
    ):
        _load(tmp_path, raw)
    pending = copy.deepcopy(raw_files)
    criterion = _criterion(pending, "epidural.contra.cauda_equina")
    criterion["logic"], criterion["on_fail"] = {"const": True}, "pend"
    _load(tmp_path, pending)  # a criterion that only pends needs no quote
