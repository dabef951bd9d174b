"""The whole pipeline, `drafting.pipeline.determine` and `redecide`, on the gold cases.

Checks the result contract's shape, that every quote it carries is verbatim (facts and evidence
in the named document, criteria in guideline.md), that the letter cites only provided passages
and passes the linter on every gold case, that a reviewer's corrected facts change the decision
and the letter, and that an unreachable LLM falls back to the offline path with the same
decisions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from criteria.facts import CaseFacts
from criteria.facts_needed import facts_needed
from criteria.loader import quote_key
from drafting.case.loaders import load_case
from drafting.errors import CaseInputError
from drafting.extraction.llm import ExtractionResult, LLMExtractor, groups_for
from drafting.lint.linter import blocking, lint_letter
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from drafting.pipeline import (
    Result,
    cross_check,
    decide,
    determine,
    extract,
    load_guideline,
    redecide,
)
from eval import replay

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "eval" / "gold" / "cases"
GUIDELINE = ROOT / "guideline_corpus" / "carelon_ipm" / "guideline.md"
CASE_IDS = sorted(path.stem for path in CASES.glob("*.json"))
TODAY = date(2026, 12, 1)
OFFLINE = Settings(extractor="rules", drafter="template")
# Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
UNREACHABLE = {
    "llm_model": "unreachable-test-model",
    "openai_base_url": "http://127.0.0.1:9/v1",
    "llm_timeout_s": 2.0,
    "llm_max_retries": 0,
    "llm_validation_retries": 0,
}
PASSAGE_CITATION = re.compile(r"\[([a-z0-9][a-z0-9\-]*(?:/[a-z0-9\-]+)+)\]")


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space (the rule quotes are matched under)."""
    return " ".join(text.split())


@cache
def guideline_text() -> str:
    """guideline.md as the criteria loader matches quotes: markdown emphasis (*) is not text."""
    return quote_key(GUIDELINE.read_text(encoding="utf-8"))


@cache
def offline_result(case_id: str) -> Result:
    """The offline determination of one gold case (computed once per test session)."""
    return determine(load_case(CASES / f"{case_id}.json"), OFFLINE, today=TODAY)


def fact_quotes(facts: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, int]]:
    """(fact name, quote, document) for every quote in the compact facts, events included."""
    for name, entry in facts.items():
        if entry.get("quote") is not None:
            yield name, entry["quote"], entry["document"]
        if isinstance(entry.get("value"), list):
            for event in entry["value"]:
                if not isinstance(event, dict):
                    continue
                if event.get("quote") is not None:
                    yield name, event["quote"], event["document"]
                for finding in event.get("findings") or []:
                    if finding.get("quote") is not None:
                        yield name, finding["quote"], finding["document"]


# --- the contract -----------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", ["G01", "G05", "G24", "G43"])
def test_result_has_the_contract_shape(case_id: str) -> None:
    result = offline_result(case_id)
    contract = json.loads(json.dumps(result.contract()))
    assert contract["case_id"] == case_id
    assert contract["guideline"]["id"] and contract["guideline"]["version"]
    requested = [s.code for s in result.case.request.services]
    assert [line["code"] for line in contract["lines"]] == requested
    for line in contract["lines"]:
        assert line["decision"] in {"approved", "denied", "pended"}
        for criterion in line["criteria"]:
            assert criterion["id"]
            assert criterion["status"] in {"met", "not_met", "not_documented", "not_applicable"}
            assert isinstance(criterion["passages"], list)
            for evidence in criterion["evidence"]:
                assert isinstance(evidence["quote"], str)
                assert isinstance(evidence["document"], int)
    assert contract["letter"]["text"].strip()
    assert contract["letter"]["source"] in {"template", "llm"}
    assert isinstance(contract["letter"]["citations"], list)
    for entry in contract["facts"].values():
        assert set(entry) >= {"value", "quote", "document"}
    # The rich objects ride along but are not serialised.
    assert not {"case", "case_facts", "decisions", "letter_model", "passages"} & set(contract)


def test_partial_decision_keeps_each_line_its_own_outcome() -> None:
    """G24: MBB approved, RFA denied in one request; lines are decided independently."""
    decisions = offline_result("G24").outcomes
    assert len(decisions) == 2
    assert decisions[1] == "denied"


# --- quotes, citations and lint on every gold case --------------------------------------------


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_quote_is_verbatim_and_every_citation_provided(case_id: str) -> None:
    result = offline_result(case_id)
    documents = [normalize(d.text) for d in result.case.documents]
    for name, quote, index in fact_quotes(result.facts):
        assert 0 <= index < len(documents), f"{name}: document {index} does not exist"
        assert normalize(quote) in documents[index], f"{name}: {quote!r}"
    for line in result.lines:
        for criterion in line.criteria:
            assert quote_key(criterion.quote) in guideline_text(), criterion.id
            for evidence in criterion.evidence:
                assert normalize(evidence.quote) in documents[evidence.document], criterion.id
    known = load_guideline().passages
    provided = set(result.passages)
    assert provided <= set(known)
    assert set(result.letter.citations) <= provided
    assert set(PASSAGE_CITATION.findall(result.letter.text)) <= provided


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_letter_has_no_blocking_lint_findings(case_id: str) -> None:
    result = offline_result(case_id)
    findings = lint_letter(result.letter_model, result.context)
    assert blocking(findings) == [], [f.message for f in blocking(findings)]
    assert result.letter.text == result.letter_model.to_text()
    for line in result.lines:
        assert line.decision.upper() in result.letter.text


# --- a reviewer's corrected facts -------------------------------------------------------------


def corrected(result: Result, name: str, value: Any) -> CaseFacts:
    facts = result.case_facts.model_copy(deep=True)
    facts.set(name, value)
    return facts


def test_a_contraindication_set_true_denies_an_approved_case() -> None:
    before = offline_result("G01")
    assert before.outcomes == ["approved"] * 3, "G01 is approved offline (precondition)"
    # any verbatim sentence of the record that states rather than negates (a quote that may
    # state an absence pends: tests/unit/test_criteria_strict.py); the value is what counts
    quote = "CC: L buttock/leg pain x 3 mos"
    facts = corrected(
        before, "contra.systemic_infection", {"value": True, "quote": quote, "document": 0}
    )
    after = redecide(before, facts, OFFLINE, today=TODAY)
    assert after.outcomes == ["denied"] * 3
    deciding = [c for c in after.lines[0].criteria if c.effect == "deny"]
    assert [c.id for c in deciding] == ["epidural.contra.systemic_infection"]
    assert "DENIED" in after.letter.text and "APPROVED" not in after.letter.text
    assert set(deciding[0].passages) <= set(after.letter.citations)
    assert blocking(after.letter.lint) == []
    assert after.letter_model.letter_date == TODAY
    assert before.outcomes == ["approved"] * 3, "redecide must not change the first result"


def test_removing_a_needed_fact_pends_the_case() -> None:
    before = offline_result("G01")
    after = redecide(before, corrected(before, "imaging.studies", None), OFFLINE, today=TODAY)
    assert after.outcomes == ["pended"] * 3
    imaging = next(c for c in after.lines[0].criteria if c.id == "epidural.esi.imaging")
    assert imaging.status == "not_documented"
    assert after.lines[0].missing_info
    assert "PENDED" in after.letter.text and "APPROVED" not in after.letter.text
    assert blocking(after.letter.lint) == []


def test_redecide_on_unchanged_facts_reproduces_the_result() -> None:
    before = offline_result("G34")
    after = redecide(before, before.case_facts, OFFLINE, today=TODAY)
    assert after.outcomes == before.outcomes
    assert after.letter.text == before.letter.text


def test_a_request_received_after_the_decision_date_is_refused() -> None:
    case = offline_result("G01").case
    with pytest.raises(CaseInputError, match=r"received: .* is after the decision date"):
        determine(case, OFFLINE, today=case.received - timedelta(days=1))
    assert determine(case, OFFLINE, today=case.received).outcomes  # the same day is fine


# --- an unreachable language model falls back ---------------------------------------------------


@pytest.mark.parametrize("extractor", ["llm", "hybrid"])
def test_unreachable_llm_extractor_falls_back_to_the_rules_facts(extractor: str) -> None:
    offline = offline_result("G05")
    settings = Settings(extractor=extractor, drafter="template", **UNREACHABLE)  # type: ignore[arg-type]
    result = determine(offline.case, settings, today=TODAY)
    assert result.extractor == offline.extractor
    assert any("offline extractor" in flag for flag in result.flags), result.flags
    assert result.outcomes == offline.outcomes
    assert result.facts == offline.facts
    assert result.letter.text == offline.letter.text


@pytest.mark.parametrize("extractor", ["llm", "hybrid"])
def test_llm_extractor_is_asked_only_for_the_facts_of_the_requested_codes(
    extractor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []

    def record_the_question(
        self: LLMExtractor, documents: Any, fact_names: Any = None, *, base: CaseFacts
    ) -> ExtractionResult:
        asked.append(list(fact_names))
        return ExtractionResult(facts=base.model_copy(deep=True))

    monkeypatch.setattr(LLMExtractor, "extract", record_the_question)
    case = offline_result("G27").case  # basivertebral nerve ablation
    settings = Settings(extractor=extractor, drafter="template", **UNREACHABLE)  # type: ignore[arg-type]
    extraction = extract(case, settings, LLMClient.from_settings(settings))
    codes = [line.code for line in case.request.services]
    assert asked == [facts_needed(codes)]
    groups = groups_for(asked[0])
    assert "bvn" in groups and not {"si", "stimulator", "crps"} & set(groups)
    assert extraction.kind == extractor and extraction.model == settings.llm_model


def test_cross_check_flags_lines_the_offline_facts_decide_otherwise() -> None:
    offline = offline_result("G01")  # approved on the offline extractor's facts
    guideline = load_guideline()
    same = cross_check(offline.case, offline.decisions, offline.case_facts, guideline)
    assert same == []
    read = offline.case_facts.model_copy(deep=True)
    read.pain.score = None  # a model that missed the pain score
    decisions = decide(offline.case, read, guideline)
    assert "pended" in [d.decision for d in decisions]
    flags = cross_check(offline.case, decisions, offline.case_facts, guideline)
    assert flags and all(f.startswith("Check before finalizing") for f in flags)
    assert "is pended" in flags[0] and "give approved" in flags[0]


def test_replayed_llm_facts_that_deny_on_other_grounds_are_flagged() -> None:
    """In the G27 recording SmolLM2 answered 'no significant improvement: false' with the quote
    'PIONEER PAIN MEDICINE' (verbatim, so accepted, but it states nothing of the kind): the line
    is denied on the wrong criterion, and the reviewer is told to check it."""
    entry = replay.load_index()["G27"]
    settings = replay.llm_settings(
        entry.extractor, entry.drafter, entry.model, replay.REPLAY_BASE_URL, None
    )
    case = offline_result("G27").case
    with replay.cassette("G27", "none"):
        result = determine(
            case, settings, today=case.received, client=LLMClient.from_settings(settings)
        )
    assert result.extractor_kind == "llm" and result.extractor.startswith("llm(")
    assert (
        result.facts["conservative.no_significant_improvement"]["quote"] == "PIONEER PAIN MEDICINE"
    )
    (check,) = [flag for flag in result.flags if flag.startswith("Check before finalizing")]
    assert "facet.bvn.failed_6_months_supervised_care" in check  # what the model's facts deny on
    assert "facet.bvn.exclusion.bmi_over_40" in check  # what the offline facts deny on


def test_unreachable_llm_drafter_keeps_the_template_letter() -> None:
    offline = offline_result("G34")
    settings = Settings(extractor="rules", drafter="llm", **UNREACHABLE)  # type: ignore[arg-type]
    result = determine(offline.case, settings, today=TODAY)
    assert result.letter.source == "template"
    assert result.letter.fallback_reason
    assert result.outcomes == offline.outcomes
    assert result.letter.text == offline.letter.text


def test_approval_never_names_an_exclusion_or_contraindication_that_does_not_apply() -> None:
    """Issue 14 item 1: only requirements are "met"; a cleared exclusion is never named."""
    result = offline_result("G24")
    approved = [d for d in result.decisions if d.decision == "approved"]
    assert approved, "G24 should approve its medial branch block"
    met = [c for c in approved[0].criteria if c.status == "met"]
    absent = {c.title for c in met if c.kind in ("exclusion", "contraindication")}
    required = {c.title for c in met if c.kind in ("requirement", "limit")}
    assert absent and required
    text = result.letter.text
    criteria_met = next(p for p in text.splitlines() if p.startswith("Criteria met"))
    assert not [title for title in absent if title in text]
    assert "none applies" in text and criteria_met
