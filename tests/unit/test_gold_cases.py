"""The gold case set (eval/gold): structure, labels, verbatim quotes, fact names, outcome mix.

Each case in eval/gold/cases/<id>.json must load under the case contract; each label in
eval/gold/labels/<id>.yaml must decide every requested line, quote the guideline verbatim, quote
its documents verbatim for every fact, use only vocabulary fact names, and be consistent with the
adjudication rule (excluded/not_met -> denied, else not_documented -> pended, else approved).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold"
CASES = GOLD / "cases"
LABELS = GOLD / "labels"
GUIDELINE = ROOT / "guideline_corpus" / "carelon_ipm" / "guideline.md"

DECISIONS = {"approved", "denied", "pended"}
STATUSES = {"met", "not_met", "not_documented", "excluded"}
SECTIONS = {"general", "epidural", "facet", "sympathetic", "sacroiliac", "stimulators"}
CONTRACT_FIELDS = {"case_id", "received", "patient", "request", "documents"}
EVENT_LISTS = {"imaging.studies", "procedures.prior", "surgery.prior"}
# add-on code -> the primary code it follows (only pairs that occur in the set need be listed)
ADD_ON_PRIMARY = {
    "64480": "64479",
    "64484": "64483",
    "64491": "64490",
    "64494": "64493",
    "64495": "64493",
    "64634": "64633",
    "64636": "64635",
    "0628T": "0627T",
    "0630T": "0629T",
    "0217T": "0216T",
    "64629": "64628",
}

CASE_IDS = sorted(path.stem for path in CASES.glob("*.json"))


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space (the rule quotes are matched under)."""
    return " ".join(text.split())


@cache
def raw_case(case_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / f"{case_id}.json").read_text(encoding="utf-8"))
    return data


@cache
def label(case_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((LABELS / f"{case_id}.yaml").read_text(encoding="utf-8"))
    return data


@cache
def guideline_text() -> str:
    return normalize(GUIDELINE.read_text(encoding="utf-8"))


def expected_decision(deciding: list[dict[str, Any]]) -> str:
    """The gold adjudication rule applied to a line's deciding criteria."""
    statuses = {row["status"] for row in deciding}
    if statuses & {"excluded", "not_met"}:
        return "denied"
    if "not_documented" in statuses:
        return "pended"
    return "approved"


def iter_fact_quotes(name: str, entry: dict[str, Any]) -> list[tuple[str, int]]:
    """Every (quote, document) pair in one compact fact, including events and their findings."""
    pairs: list[tuple[str, int]] = []
    if entry.get("quote") is not None:
        pairs.append((entry["quote"], entry["document"]))
    if name in EVENT_LISTS:
        for event in entry["value"]:
            pairs.append((event["quote"], event["document"]))
            for finding in event.get("findings", []):
                if "quote" in finding:
                    pairs.append((finding["quote"], finding["document"]))
    return pairs


def test_gold_set_is_large_enough_and_paired() -> None:
    label_ids = sorted(path.stem for path in LABELS.glob("*.yaml"))
    assert len(CASE_IDS) >= 34
    assert label_ids == CASE_IDS, "every case needs a label and every label a case"
    assert {f"S00{i}" for i in range(4)} <= set(CASE_IDS), "the four seed cases are required"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_file_matches_contract(case_id: str) -> None:
    data = raw_case(case_id)
    assert set(data) == CONTRACT_FIELDS
    assert data["case_id"] == case_id
    assert data["documents"], "every gold case carries clinical documents"
    if importlib.util.find_spec("drafting.case") is not None:
        from drafting.case.loaders import load_case

        case = load_case(CASES / f"{case_id}.json")
        assert case.case_id == case_id
        assert len(case.request.services) == len(data["request"]["services"])
    else:  # minimal structural check until the loader exists
        assert {"age", "sex"} <= set(data["patient"])
        assert data["request"]["services"] and data["request"]["diagnoses"]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_dates_do_not_postdate_receipt(case_id: str) -> None:
    data = raw_case(case_id)
    received = date.fromisoformat(data["received"])
    for document in data["documents"]:
        if document.get("date"):
            assert date.fromisoformat(document["date"]) <= received, document["title"]
    for name, entry in label(case_id)["facts"].items():
        values = entry["value"] if name in EVENT_LISTS else [entry]
        for item in values:
            if isinstance(item, dict) and isinstance(item.get("date"), str):
                assert date.fromisoformat(item["date"]) <= received, name
        if name.endswith("_date") and isinstance(entry["value"], str):
            assert date.fromisoformat(entry["value"]) <= received, name


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_label_decides_every_requested_line(case_id: str) -> None:
    data, gold = raw_case(case_id), label(case_id)
    assert gold["case_id"] == case_id
    assert gold["summary"].strip() and gold["notes"].strip()
    requested = [service["code"] for service in data["request"]["services"]]
    assert [line["code"] for line in gold["lines"]] == requested
    for line in gold["lines"]:
        assert line["decision"] in DECISIONS
        assert line["deciding"], f"{line['code']}: no deciding criteria"
        if line["decision"] == "pended":
            assert line.get("missing"), f"{line['code']}: a pend must say what is missing"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_decisions_follow_the_adjudication_rule(case_id: str) -> None:
    for line in label(case_id)["lines"]:
        for row in line["deciding"]:
            assert row["section"] in SECTIONS
            assert row["status"] in STATUSES
            assert row["why"].strip()
        assert line["decision"] == expected_decision(line["deciding"]), line["code"]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_add_on_and_drug_lines_follow_their_primary(case_id: str) -> None:
    lines = label(case_id)["lines"]
    decisions = {line["code"]: line["decision"] for line in lines}
    for line in lines:
        primary = ADD_ON_PRIMARY.get(line["code"])
        if primary is not None and primary in decisions:
            assert line["decision"] == decisions[primary], line["code"]
        if line["code"].startswith("J"):
            assert line["decision"] == lines[0]["decision"], line["code"]


@pytest.mark.skipif(not GUIDELINE.exists(), reason="guideline corpus not built yet")
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_guideline_quotes_are_verbatim(case_id: str) -> None:
    headings = {
        normalize(line.lstrip("#"))
        for line in GUIDELINE.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    for line in label(case_id)["lines"]:
        for row in line["deciding"]:
            assert normalize(row["quote"]) in guideline_text(), row["quote"][:80]
            assert normalize(row["block"]) in headings, row["block"]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_fact_quotes_are_verbatim_in_their_document(case_id: str) -> None:
    documents = raw_case(case_id)["documents"]
    facts = label(case_id)["facts"]
    assert facts, "every gold case has annotated facts"
    for name, entry in facts.items():
        for quote, index in iter_fact_quotes(name, entry):
            assert 0 <= index < len(documents), f"{name}: no document {index}"
            assert normalize(quote) in normalize(documents[index]["text"]), f"{name}: {quote!r}"


@pytest.mark.skipif(
    importlib.util.find_spec("criteria.facts") is None, reason="facts vocabulary not written yet"
)
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_fact_names_and_values_fit_the_vocabulary(case_id: str) -> None:
    from criteria.facts import fact_names

    known = set(fact_names())
    facts = label(case_id)["facts"]
    unknown = sorted(set(facts) - known)
    assert not unknown, f"not in criteria.facts.fact_names(): {unknown}"
    assert not [n for n in facts if n.startswith(("request.", "line."))], "request/line are derived"
    if importlib.util.find_spec("criteria.fact_values") is not None:
        from criteria.fact_values import facts_from_compact

        facts_from_compact(
            {  # an event list annotated without a list-level quote is passed as the bare list
                name: entry["value"] if name in EVENT_LISTS and "quote" not in entry else entry
                for name, entry in facts.items()
            }
        )


def test_outcome_mix_covers_every_kind() -> None:
    decisions: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    sections_by_decision: dict[str, set[str]] = {decision: set() for decision in DECISIONS}
    for case_id in CASE_IDS:
        for line in label(case_id)["lines"]:
            decisions[line["decision"]] += 1
            for row in line["deciding"]:
                statuses[row["status"]] += 1
                sections_by_decision[line["decision"]].add(row["section"])
    total = sum(decisions.values())
    for decision in DECISIONS:
        assert decisions[decision] / total >= 0.2, f"too few {decision} lines: {decisions}"
    assert set(statuses) == STATUSES
    clinical = SECTIONS - {"general"}
    assert sections_by_decision["approved"] >= clinical
    assert sections_by_decision["denied"] >= clinical
    assert sections_by_decision["pended"] >= clinical
    partial = [
        case_id
        for case_id in CASE_IDS
        if len({line["decision"] for line in label(case_id)["lines"]}) > 1
    ]
    assert partial, "at least one case must decide its lines differently"
