"""The reader's shortcuts give what the slow paths give: literal-guided regex matching."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafting.extraction.clinical_nlp import annotate, load_pipeline
from drafting.extraction.clinical_nlp.literals import FOLD, LiteralIndex, fold, start_literals

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"


def _gold_texts() -> list[str]:
    return [
        document["text"]
        for path in sorted(GOLD.glob("**/cases/*.json"))
        for document in json.loads(path.read_text(encoding="utf-8"))["documents"]
    ]


def _concept_patterns() -> list[re.Pattern[str]]:
    nlp = load_pipeline()
    matcher = nlp.get_pipe("medspacy_target_matcher")._TargetMatcher__matcher
    regexes = matcher._MedspacyMatcher__regex_matcher
    return [pattern for patterns in regexes._patterns.values() for pattern in patterns]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bMBBs?\b", {"mbb"}),
        (r"\b(?:TF|IL|C|L)?ESIs?\b", {"esi", "tfesi", "ilesi", "cesi", "lesi"}),
        (r"(?<!no\s)\b(?:leg|legs|arm)\s+pain", {"leg", "arm"}),
        (r"\b(?:spinal\s+)?injections?\b", {"spinal", "injectio"}),
        (r"(?:ab|b)+c", {"ab", "b"}),
        (r"(?:a|b)+c", None),  # the parser makes a class of single characters
        (r"x*y", {"x", "y"}),
        (r"\d+\s+attended", None),
        (r"(?:foo)?\w+", None),
    ],
)
def test_start_literals(pattern: str, literals: set[str] | None) -> None:
    found = start_literals(pattern, re.I)
    assert (None if found is None else set(found)) == literals


def test_fold_maps_every_character_that_matches_an_ascii_letter() -> None:
    letter = re.compile("[a-z]", re.I)
    for code in range(0x110000):
        char = chr(code)
        if letter.fullmatch(char):
            expected = char.lower() if code < 128 else chr(FOLD[code])
            assert fold(char) == expected and fold(char + "\u00e9") == expected + "\u00e9"
        elif code >= 128:
            assert code not in FOLD
    assert fold("ESİ ſ K") == "esi s k" and len(fold("İ")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Left L5 TFESI and lesi, C-ESI; ESİs were given. ESIS",  # dotted capital I
        "no leg pain; arm pain; legs pain. LEG  PAIN",  # a look-behind before the candidate
        "foot pain\u212a and ſpinal injections, Spinal injection",  # Kelvin sign, long s
        "aaab aac bac c",  # overlapping candidates: the next attempt starts after a match
    ],
)
def test_literal_guided_matches_equal_finditer(text: str) -> None:
    for source in (
        r"\b(?:TF|IL|C|L)?ESIs?\b",
        r"(?<!no\s)\b(?:leg|legs|arm)\s+pain",
        r"\b(?:spinal\s+)?injections?\b",
        r"(?:ab|b)+c",
        r"\bfoot\s+pain.",
    ):
        pattern = re.compile(source, re.I)
        ours = [(m.start(), m.end()) for m in LiteralIndex(text).finditer(pattern)]
        assert ours == [(m.start(), m.end()) for m in pattern.finditer(text)], source


def test_every_concept_pattern_matches_as_before_on_the_gold_notes() -> None:
    patterns = _concept_patterns()
    assert sum(start_literals(p.pattern, p.flags) is not None for p in patterns) > 500
    for text in _gold_texts():
        index = LiteralIndex(text)
        for pattern in patterns:
            ours = [m.span() for m in index.finditer(pattern)]
            assert ours == [m.span() for m in pattern.finditer(text)], pattern.pattern


def test_a_sentence_holding_a_concept_is_still_read() -> None:
    document = annotate("Plan: left L5 TFESI. She had no leg pain. LEG PAIN after a fall.")
    found = [(m.category, m.text, m.negated) for s in document.sentences for m in s.concepts]
    assert any("TFESI" in text for _, text, _ in found)
    legs = [(text.lower(), negated) for _, text, negated in found if "leg pain" in text.lower()]
    assert legs == [("no leg pain", True), ("leg pain", False)]
