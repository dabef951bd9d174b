"""The gold letters (eval/gold/letters): one per gold case, faithful to the labels and complete.

Each letter must state every line's GOLD decision, cite only real guideline passages (the ones
its deciding criteria sit in), quote the guideline and the record verbatim, hold every element
DOMAIN.md requires (checked with the linter's own `missing_elements` and plain-language check),
and match what `python -m eval.gold.build_letters` renders from the current labels (re-run it
after editing a label).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

import pytest

from criteria.facts import CaseFacts
from criteria.results import CriterionResult, LineDecision
from drafting.context import DeterminationContext
from drafting.letters.model import DECISION_WORDS
from drafting.lint.claims import plain_language_problems
from drafting.lint.elements import missing_elements
from drafting.lint.linter import stated_outcomes
from drafting.lint.rules import CITATION_RE, comparable, without_quotes
from eval.gold.build_letters import (
    GUIDELINE_MARK,
    GoldLetterFile,
    build_letter,
    gold_lines,
    passage_for,
)
from eval.gold.letter_prose import plain_reason, quote_parts
from eval.gold_set import DEFAULT_GOLD_DIR, GoldCase, case_ids, load_gold_case
from guideline_corpus.chunking import load_passages
from guideline_corpus.corpus import load_corpus
from guideline_corpus.passages import Passage

LETTERS = DEFAULT_GOLD_DIR / "letters"
CASE_IDS = case_ids()
_EFFECT = {"excluded": "deny", "not_met": "deny", "not_documented": "pend", "met": "none"}
_STATUS = {"excluded": "not_met", "not_met": "not_met", "not_documented": "not_documented"}
_GUIDELINE_QUOTE = re.compile(rf"{GUIDELINE_MARK} \((.*?)\): “([^”]*)” \[")
_CURLY = re.compile(r"“([^”]*)”")


@lru_cache(maxsize=1)
def _passages() -> tuple[Passage, ...]:
    return tuple(load_passages())


@lru_cache(maxsize=1)
def _guideline_text() -> str:
    return comparable(load_corpus().markdown)


@cache
def _gold(case_id: str) -> GoldCase:
    return load_gold_case(case_id)


def _letter(case_id: str) -> GoldLetterFile:
    path = LETTERS / f"{case_id}.json"
    assert path.is_file(), f"{path} is missing: run python -m eval.gold.build_letters"
    return GoldLetterFile.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _decisions(gold: GoldCase) -> list[LineDecision]:
    """The gold lines as engine decisions, so the linter's element check can read them."""
    out: list[LineDecision] = []
    for line in gold_lines(gold, list(_passages())):
        criteria = [
            CriterionResult(
                id=f"{row.passage.id}#{i}",
                title=row.passage.heading_path[-1],
                kind="requirement",
                status=_STATUS.get(row.status, "met"),  # type: ignore[arg-type]
                effect=_EFFECT[row.status],  # type: ignore[arg-type]
                passage=row.passage.id,
                quote=row.quote,
                reason=row.why,
            )
            for i, row in enumerate(line.rows)
        ]
        out.append(LineDecision(code=line.service.code, decision=line.decision, criteria=criteria))
    return out


def test_every_gold_case_has_a_letter() -> None:
    written = sorted(p.stem for p in LETTERS.glob("*.json"))
    assert written == CASE_IDS


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_letter_is_what_the_labels_render(case_id: str) -> None:
    corpus = load_corpus()
    fresh, _ = build_letter(_gold(case_id), list(_passages()), corpus.manifest, corpus.markdown)
    assert _letter(case_id) == fresh, "stale letter: run python -m eval.gold.build_letters"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_letter_states_each_gold_decision(case_id: str) -> None:
    gold, letter = _gold(case_id), _letter(case_id)
    assert letter.case_id == case_id
    assert letter.decisions == {str(ln["code"]): ln["decision"] for ln in gold.gold_lines}
    text = letter.text
    assert f"Date: {gold.case.received.isoformat()}" in text
    for line in gold.gold_lines:
        code, decision = str(line["code"]), line["decision"]
        row = re.search(rf"^- {re.escape(code)}: .*: (.+)$", text, re.M)
        assert row is not None and row.group(1) == DECISION_WORDS[decision], code
        said = [
            sentence
            for sentence in without_quotes(text).splitlines()
            if re.match(rf"(?:Requested service:|The related service) {re.escape(code)} ", sentence)
        ]
        assert said, f"{code}: no sentence gives its decision"
        outcomes = {outcome for s in said for _, outcome in stated_outcomes(s)}
        assert outcomes == {decision}, f"{code}: states {outcomes}, gold is {decision}"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_cited_passages_are_real_and_listed(case_id: str) -> None:
    letter = _letter(case_id)
    known = {p.id for p in _passages()}
    assert letter.passages, "a letter relies on at least one passage"
    assert set(letter.passages) <= known
    assert list(dict.fromkeys(CITATION_RE.findall(letter.text))) == letter.passages


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_quotes_are_verbatim(case_id: str) -> None:
    gold, text = _gold(case_id), _letter(case_id).text
    guideline = _guideline_text()
    quoted = _GUIDELINE_QUOTE.findall(text)
    assert quoted, "the letter quotes no guideline criterion"
    for headings, quote in quoted:
        assert comparable(quote) in guideline, quote
        for heading in _CURLY.findall(headings):
            assert comparable(heading) in guideline, heading
    record = [comparable(d.text) for d in gold.case.documents]
    for quote in _CURLY.findall(text):
        for part in quote_parts(quote):
            assert any(comparable(part) in s for s in [guideline, *record]), part


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_required_elements_present(case_id: str) -> None:
    gold, text = _gold(case_id), _letter(case_id).text
    context = DeterminationContext(
        gold.case, _decisions(gold), CaseFacts(), {}, load_corpus().manifest
    )
    assert missing_elements(text, context) == []
    assert plain_language_problems(text, gold.case) == []
    lower = text.lower()
    for line in gold.gold_lines:
        for item in line.get("missing") or []:
            words = re.findall(r"[a-z]{6,}", item.lower())[:4]
            assert all(w in lower for w in words), f"pend item not listed: {item}"
    if any(ln["decision"] != "approved" for ln in gold.gold_lines):
        assert "free of charge" in lower and "peer-to-peer" in lower


def test_plain_reason_drops_commentary_quoting_neither_source() -> None:
    sources = [comparable("MRI: No significant spinal canal stenosis.")]
    why = (
        "MRI shows 'No significant spinal canal stenosis'. "
        "The letter's 'can contribute to foraminal narrowing' is speculation."
    )
    reason = plain_reason(why, sources)
    assert "“No significant spinal canal stenosis”" in reason
    assert "speculation" not in reason


def test_plain_reason_spells_out_record_shorthand() -> None:
    why = "R L5 pain, VAS 7/10, 8 wks PT + naproxen + gabapentin; SLR + at 30 deg."
    reason = plain_reason(why, [])
    assert reason == (
        "Right L5 pain, visual analog pain scale 7/10, 8 weeks physical therapy, naproxen and "
        "gabapentin; positive straight leg raise test at 30 degrees"
    )
    assert "VAS" not in without_quotes(reason)


def test_passage_for_prefers_the_rows_section() -> None:
    quote = "Patient has completed a full course of conservative management"
    hits = [p for p in _passages() if quote in p.text]
    assert len({p.section for p in hits}) > 1, "the quote should repeat across sections"
    for section in {p.section for p in hits}:
        chosen = passage_for({"quote": quote, "section": section, "block": ""}, list(_passages()))
        assert chosen.section == section


def test_rows_without_a_guideline_quote_are_refused() -> None:
    with pytest.raises(Exception, match="quote not found"):
        passage_for({"quote": "Not a sentence of the guideline at all.", "section": "facet"}, [])
