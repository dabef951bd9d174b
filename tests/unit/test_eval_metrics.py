"""Eval metrics: each (value, reason) function on inputs that pass and inputs that fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteria.model import Status
from criteria.results import CriterionResult
from eval import letter_metrics as lm
from eval import metrics as m
from eval.fact_match import FactScores, Tally, values_match
from eval.gate import ThresholdsError, gate_failures, load_thresholds


def pair(gold: str, predicted: str, code: str = "64483") -> m.LinePair:
    return m.LinePair("G99", code, gold, predicted)


def criterion(
    cid: str, quote: str, status: Status = "met", kind: str = "requirement", passage: str = "p/1"
) -> CriterionResult:
    return CriterionResult(
        id=cid, title=cid, kind=kind, status=status, passage=passage, quote=quote, reason=""
    )


# --- decisions ---------------------------------------------------------------------------------


def test_decision_accuracy_all_right_and_one_wrong() -> None:
    assert m.decision_accuracy([pair("approved", "approved"), pair("denied", "denied")])[0] == 1.0
    value, reason = m.decision_accuracy([pair("approved", "approved"), pair("denied", "pended")])
    assert value == 0.5
    assert "1/2" in reason and "G99/64483 (denied->pended)" in reason


def test_decision_accuracy_without_lines_is_undefined() -> None:
    assert m.decision_accuracy([]) == (None, "no lines")


def test_wrong_approvals_and_denials_are_counted_separately() -> None:
    pairs = [
        pair("denied", "approved", "A"),
        pair("pended", "approved", "B"),
        pair("approved", "denied", "C"),
        pair("pended", "pended", "D"),
        pair("approved", "pended", "E"),
    ]
    approvals, why = m.wrong_approvals(pairs)
    denials, why_denied = m.wrong_denials(pairs)
    assert approvals == 2.0 and "G99/A" in why and "G99/B" in why and "G99/C" not in why
    assert denials == 1.0 and "G99/C" in why_denied
    assert m.wrong_approvals([pair("approved", "approved")]) == (0.0, "none")


def test_confusion_counts_gold_rows_against_predicted_columns() -> None:
    pairs = [pair("approved", "pended"), pair("approved", "pended"), pair("denied", "denied")]
    table = m.confusion(pairs)
    assert table == {"approved": {"pended": 2}, "denied": {"denied": 1}}


# --- criteria ----------------------------------------------------------------------------------


def test_quote_matching_by_containment_and_by_words() -> None:
    engine = [
        criterion("a", "Absence of prior surgical fusion at the proposed level"),
        criterion("b", "Moderate-to-severe pain with functional impairment"),
    ]
    assert m.match_criterion("absence of prior   surgical fusion at the proposed level.", engine)
    match = m.match_criterion("Moderate to severe pain with functional impairment lasting", engine)
    assert match is not None and match.id == "b"
    assert m.match_criterion("Cauda equina syndrome", engine) is None


def test_a_list_item_matches_the_lead_sentence_before_it_in_its_passage() -> None:
    passage = (
        "Patient must have radicular pain. Evidence of EITHER of the following is seen on an "
        "advanced imaging study: - Nerve root compression secondary to herniated disc - Spinal "
        "stenosis (central, lateral recess)"
    )
    engine = [
        criterion("pain", "Patient must have radicular pain."),
        criterion("imaging", "Evidence of EITHER of the following is seen on an advanced imaging"),
        criterion("elsewhere", "Something else", passage="p/2"),
    ]
    found = m.match_criterion("Spinal stenosis (central, lateral recess)", engine, {"p/1": passage})
    assert found is not None and found.id == "imaging"
    assert m.match_criterion("Spinal stenosis (central, lateral recess)", engine) is None
    # a preceding sentence that introduces no list is not the item's criterion
    alone = m.match_criterion(
        "Spinal stenosis (central, lateral recess)", engine[:1], {"p/1": passage}
    )
    assert alone is None


def test_status_vocabularies_are_aligned() -> None:
    assert m.gold_status("excluded") == "not_met"
    assert m.gold_status("not_documented") == "not_documented"
    exclusion = criterion("x", "Lysis of adhesions", status="not_applicable", kind="exclusion")
    requirement = criterion("r", "Imaging", status="not_applicable")
    assert m.engine_status(exclusion) == "met"
    assert m.engine_status(requirement) == "not_applicable"


def test_criterion_agreement_counts_unmatched_rows_as_disagreement() -> None:
    engine = [
        criterion("a", "Absence of prior surgical fusion at the proposed level"),
        criterion("b", "Lysis of epidural adhesions by any means", "not_met", kind="exclusion"),
    ]
    rows = [
        {"quote": "Absence of prior surgical fusion at the proposed level", "status": "met"},
        {"quote": "Lysis of epidural adhesions by any means", "status": "excluded"},
        {"quote": "Cauda equina syndrome", "status": "met"},
    ]
    pairs = m.criterion_pairs("G99", "62264", rows, engine)
    assert [p.engine for p in pairs] == ["met", "not_met", m.UNMATCHED]
    value, reason = m.criterion_agreement(pairs)
    assert value == pytest.approx(2 / 3)
    assert "1 without an engine match" in reason
    assert m.criterion_agreement([]) == (None, "no gold deciding criteria")


def _pairs(labels: list[tuple[str, str]]) -> list[m.CriterionPair]:
    return [m.CriterionPair("G99", "1", "q", gold, engine) for gold, engine in labels]


def test_cohen_kappa_perfect_chance_and_undefined() -> None:
    perfect = _pairs([("met", "met"), ("not_met", "not_met"), ("met", "met")])
    assert m.cohen_kappa(perfect)[0] == pytest.approx(1.0)
    # observed 0.5; gold 2 met/2 not_met, engine 2/2: chance 0.5 -> kappa 0
    coin = _pairs([("met", "met"), ("met", "not_met"), ("not_met", "met"), ("not_met", "not_met")])
    assert m.cohen_kappa(coin)[0] == pytest.approx(0.0)
    # textbook: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4
    book = _pairs([("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15)
    assert m.cohen_kappa(book)[0] == pytest.approx(0.4)
    assert m.cohen_kappa(_pairs([("met", "met")]))[0] is None
    assert m.cohen_kappa(_pairs([("met", m.UNMATCHED)])) == (None, "no matched criteria")


# --- facts -------------------------------------------------------------------------------------


def test_fact_values_match_within_tolerance_only() -> None:
    assert values_match("pain.score", 7, 7.4)
    assert not values_match("pain.score", 7, 8)
    assert values_match("imaging.levels", ["L4-5"], ["L4-L5"])
    assert not values_match("neuro.slr_positive", True, False)


def test_fact_f1_per_group_and_overall() -> None:
    scores = FactScores()
    scores.by_name["pain.score"] = Tally(tp=3, fp=1, fn=0)
    scores.by_name["pain.axial"] = Tally(tp=1, fp=0, fn=2)
    scores.by_name["neuro.slr_positive"] = Tally(tp=0, fp=0, fn=0)
    precision, recall, f1 = m.fact_prf(scores)
    assert precision[0] == pytest.approx(4 / 5) and recall[0] == pytest.approx(4 / 6)
    assert f1[0] == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))
    groups = m.fact_f1_by_group(scores)
    assert groups["pain"][0] == pytest.approx(f1[0])
    assert groups["neuro"][0] is None


# --- letters -----------------------------------------------------------------------------------


def test_citation_validity_flags_unknown_and_unprovided_ids() -> None:
    known, provided = {"a/1", "a/2", "b/1"}, {"a/1", "a/2"}
    assert lm.citation_validity(["a/1", "a/2"], known, provided)[0] == 1.0
    value, reason = lm.citation_validity(["a/1", "b/1", "zz/9"], known, provided)
    assert value == pytest.approx(1 / 3)
    assert "unknown zz/9" in reason and "not provided b/1" in reason


def test_cited_ids_read_the_text_and_the_list() -> None:
    text = "Denied under [facet/exclusions/1] and [facet/exclusions/2]."
    assert lm.cited_ids(text, ["facet/exclusions/2", "x/y"]) == [
        "facet/exclusions/2",
        "x/y",
        "facet/exclusions/1",
    ]


def test_citation_precision_and_recall_against_a_gold_letter() -> None:
    cited = ["a/1", "a/2", "a/3"]
    assert lm.citation_precision(cited, ["a/1", "a/2"])[0] == pytest.approx(2 / 3)
    assert lm.citation_recall(cited, ["a/1", "a/9"])[0] == pytest.approx(0.5)
    assert lm.citation_recall(cited, ["a/1"])[0] == 1.0


def test_letter_metrics_without_a_gold_letter_are_none() -> None:
    assert lm.citation_precision(["a/1"], None) == (None, "no gold letter")
    assert lm.citation_recall(["a/1"], None) == (None, "no gold letter")
    assert lm.rouge_l("some text", None) == (None, "no gold letter")


def test_lcs_and_rouge_l() -> None:
    assert lm.lcs_length(list("ABCBDAB"), list("BDCABA")) == 4
    assert lm.lcs_length([], ["a"]) == 0
    assert lm.rouge_l("The MBB is denied.", "the mbb is denied")[0] == pytest.approx(1.0)
    assert lm.rouge_l("approved", "denied")[0] == 0.0
    # candidate 4 tokens, reference 7 tokens, LCS 4: P 1, R 4/7
    value, _ = lm.rouge_l("request is denied today", "the request is denied as of today")
    assert value == pytest.approx(2 * 1 * (4 / 7) / (1 + 4 / 7))


# --- cost and gate -----------------------------------------------------------------------------


def test_seconds_and_tokens() -> None:
    assert m.case_seconds({"extract": 0.5, "draft": 0.25})[0] == pytest.approx(0.75)
    assert m.case_seconds({})[0] is None
    usage = {"calls": 2, "attempts": 3, "prompt_tokens": 100, "completion_tokens": 20}
    value, reason = m.llm_tokens(usage)
    assert value == 120.0 and "3 requests" in reason
    assert m.llm_tokens({}) == (0.0, "no LLM used")


def test_gate_passes_and_fails() -> None:
    summary = {
        "metrics": {
            "decision_accuracy": {"value": 0.8},
            "element_coverage": {"value": None},
            "wrong_approvals": {"value": 1.0},
        }
    }
    assert gate_failures(summary, {"minimum": {"decision_accuracy": 0.7}, "maximum": {}}) == []
    failures = gate_failures(
        summary,
        {
            "minimum": {"decision_accuracy": 0.9, "element_coverage": 0.9},
            "maximum": {"wrong_approvals": 0},
        },
    )
    assert len(failures) == 3
    assert any("below the minimum 0.900" in f for f in failures)
    assert any("element_coverage is undefined" in f for f in failures)
    assert any("above the maximum" in f for f in failures)


def test_thresholds_hold_each_run_mode_to_its_own_block(tmp_path: Path) -> None:
    offline = load_thresholds(mode="offline")
    replayed = load_thresholds(mode="replay")
    assert offline["maximum"]["wrong_approvals"] == 0.0
    assert offline["maximum"]["wrong_denials"] == 0.0
    assert replayed["maximum"]["wrong_approvals"] == 0.0
    assert offline != replayed
    assert load_thresholds(mode="record") == replayed  # a recording run is held to replay's block
    path = tmp_path / "thresholds.yaml"
    path.write_text("offline:\n  minimum: {decision_accuracy: 0.9}\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="no thresholds for replay runs"):
        load_thresholds(path, mode="replay")
    path.write_text("nightly:\n  minimum: {}\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="unknown run modes"):
        load_thresholds(path)
    path.write_text("offline:\n  minimum: {decision_accuracy: high}\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="must be a number"):
        load_thresholds(path)


def test_not_approved_gold_accepts_a_denial_or_a_pend() -> None:
    pairs = [pair("not_approved", "pended"), pair("not_approved", "denied")]
    pairs.append(pair("not_approved", "approved"))
    assert m.decision_accuracy(pairs)[0] == pytest.approx(2 / 3)
    assert m.wrong_denials(pairs)[0] == 0.0
    assert m.wrong_approvals(pairs)[0] == 1.0


def test_pend_rate_counts_only_lines_gold_decides() -> None:
    pairs = [pair("approved", "pended"), pair("denied", "denied"), pair("pended", "pended")]
    value, reason = m.pend_rate(pairs)
    assert value == 0.5 and "1/2" in reason
    assert m.pend_rate([pair("pended", "pended")])[0] is None


def test_finding_triples_compare_list_fields_as_sets_and_skip_unlabelled_ones() -> None:
    from eval.fact_match import _triples

    gold = {"findings": [{"level": "L5-S1", "sides_seen": ["right", "left"], "herniation": True}]}
    got = {"findings": [{"level": "L5-S1", "sides_seen": ["LEFT", "right"], "herniation": True}]}
    other = {"findings": [{"level": "L5-S1", "sides_seen": ["left"], "herniation": True}]}
    assert _triples(gold) == _triples(got)
    assert _triples(gold) != _triples(other)
    # the roots named as pressed were added after the gold labels: never judged
    roots = {"findings": [{"level": "L5-S1", "compressed_roots": ["S1"], "herniation": True}]}
    assert _triples(roots) == {("L5-S1", "herniation", True)}


def test_findings_written_as_free_text_are_not_scored() -> None:
    from eval.fact_match import _triples

    assert _triples({"findings": ["solid L5-S1 fusion", "no fracture"]}) == set()
    assert _triples({"findings": "solid L5-S1 fusion"}) == set()
    assert _triples({"findings": [{"level": "L4-L5", "fusion": True}, "no fracture"]}) == {
        ("L4-L5", "fusion", True)
    }
