"""The reader's shortcuts give what the slow paths give: regex start literals, ConText pairs."""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------- ConText


def _context() -> Any:
    return load_pipeline().get_pipe("medspacy_context")


def test_token_patterns_find_what_spacys_matcher_finds() -> None:
    from drafting.extraction.clinical_nlp.context_fast import TokenPatterns

    nlp = load_pipeline()
    matcher = _context()._ConText__matcher
    ours = matcher._MedspacyMatcher__matcher
    assert isinstance(ours, TokenPatterns)  # installed: every rule is of the supported kind
    texts = _gold_texts()
    phrasings = []  # every rule's token sequences, with and without each optional token
    for rule in matcher.rules:
        if isinstance(rule.pattern, list):
            choices = [
                [*(v["IN"] if isinstance(v := t["LOWER"], dict) else [v]), *([""] * ("OP" in t))]
                for t in rule.pattern
            ]
            for combo in itertools.islice(itertools.product(*choices), 200):
                phrasings.append("Pt " + " ".join(word for word in combo if word) + " pain.")
    texts += ["\n".join(phrasings), " ".join(phrasings).upper()]
    for text in texts:
        doc = nlp.make_doc(text)
        assert sorted(ours(doc)) == sorted(ours.fallback(doc))


def test_two_token_rules_on_one_span_are_left_to_spacy() -> None:
    from drafting.extraction.clinical_nlp.context_fast import TokenPatterns

    nlp = load_pipeline()
    strings = nlp.vocab.strings
    calls: list[Any] = []

    def fallback(doc: Any) -> list[tuple[int, int, int]]:
        calls.append(doc)
        return [(strings["B"], 0, 1), (strings["A"], 0, 1)]

    patterns = [(strings.add("A"), [{"LOWER": "no"}]), (strings.add("B"), [{"LOWER": "no"}])]
    matcher = TokenPatterns(fallback, patterns, strings)
    assert matcher(nlp.make_doc("no pain")) == [(strings["B"], 0, 1), (strings["A"], 0, 1)]
    assert matcher(nlp.make_doc("pain")) == [] and len(calls) == 1


def _fresh_graph(doc: Any) -> Any:
    from medspacy.context import ConTextModifier
    from medspacy.context.context_graph import ConTextGraph

    from drafting.extraction.clinical_nlp.pipeline import SPAN_GROUP

    matcher = _context()._ConText__matcher
    nlp = load_pipeline()
    modifiers = [
        ConTextModifier(matcher.rule_map[nlp.vocab[key].text], start, end, doc)
        for key, start, end in matcher(doc)
    ]
    return ConTextGraph(targets=list(doc.spans[SPAN_GROUP]), modifiers=modifiers)


def _graph_state(graph: Any) -> tuple[list[Any], list[Any]]:
    scopes = [(m.modifier_span, m.scope_span) for m in graph.modifiers]
    edges = [((t.start, t.end, t.label_), graph.modifiers.index(m)) for t, m in graph.edges]
    return scopes, edges


def _both_ways(graph_of: Any) -> None:
    from drafting.extraction.clinical_nlp import context_fast

    fast, slow = graph_of(), graph_of()
    context_fast.update_scopes(fast)
    context_fast.apply_modifiers(fast, context_fast.MEDSPACY["apply_modifiers"])
    context_fast.MEDSPACY["update_scopes"](slow)
    context_fast.MEDSPACY["apply_modifiers"](slow)
    assert _graph_state(fast) == _graph_state(slow)


@pytest.mark.filterwarnings("ignore::UserWarning")  # spaCy W036: see the pipeline module
def test_nearby_pairs_give_medspacys_scopes_and_edges_on_the_gold_notes() -> None:
    nlp = load_pipeline()
    for text in _gold_texts():
        doc = nlp(text[:20_000])
        _both_ways(lambda doc=doc: _fresh_graph(doc))


def test_nearby_pairs_on_crowded_overlapping_modifiers() -> None:
    """Random modifiers of every direction with overlapping matches and scopes, random targets."""
    from medspacy.context import ConTextModifier, ConTextRule
    from medspacy.context.context_graph import ConTextGraph
    from spacy.tokens import Span

    doc = load_pipeline().make_doc("word " * 60)
    rules = [
        ConTextRule(literal=f"r{k}", category=category, direction=direction)
        for k, (category, direction) in enumerate(
            itertools.product(
                ["NEGATED_EXISTENCE", "HISTORICAL", "TERMINATE", "PSEUDO"],
                ["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"],
            )
        )
    ]
    generator = random.Random(7)
    for _ in range(1000):
        specs = []
        for _ in range(generator.randint(0, 12)):
            start = generator.randint(0, 55)
            end = start + generator.randint(1, 3)
            scope = [max(0, start - generator.randint(0, 5)), end + generator.randint(0, 5)]
            if generator.random() < 0.2:  # anywhere, even reversed
                scope = generator.sample(range(60), 2)
            specs.append((generator.choice(rules), start, end, scope))
        targets = []
        for _ in range(generator.randint(0, 8)):
            start = generator.randint(0, 58)
            targets.append(Span(doc, start, start + generator.randint(1, 2), label="T"))

        def graph(specs: list[Any] = specs, targets: list[Any] = targets) -> Any:
            modifiers = [
                ConTextModifier(rule, start, end, doc, scope_start=lo, scope_end=hi)
                for rule, start, end, (lo, hi) in specs
            ]
            return ConTextGraph(targets=targets, modifiers=modifiers)

        _both_ways(graph)


def test_line_break_tokens_are_those_the_token_loop_finds() -> None:
    from drafting.extraction.clinical_nlp.pipeline import tokens_with_line_breaks

    nlp = load_pipeline()
    odd = ["\nA\n\n b \n", "x", "", "a\n", "no break", "\n\n\n", "a\r\nb\t\n c\u00a0\nd w/o\ns/p"]
    texts = [*_gold_texts(), *odd]
    for text in texts:
        doc = nlp.make_doc(text)
        expected = [
            token.i for token in doc[:-1] if "\n" in token.text or "\n" in token.whitespace_
        ]
        assert tokens_with_line_breaks(doc) == expected


def test_a_warmed_tokenizer_cache_gives_the_same_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    from drafting.extraction.clinical_nlp import scale

    tokenizer = load_pipeline().tokenizer
    cold, warm = copy.deepcopy(tokenizer), copy.deepcopy(tokenizer)  # empty caches
    monkeypatch.setattr(scale, "_warmed", set())
    odd = "Pt w/o N/V, s/p L4-5 TFESI x2 (80%); can't/won't walk >10min. cannot\n\nHx: DM2."
    for text in [*_gold_texts(), odd, odd.upper()]:
        expected = [(t.text, t.whitespace_, t.norm_, t.lower_, t.idx) for t in cold(text)]
        scale.warm_tokenizer(warm, text)
        assert [(t.text, t.whitespace_, t.norm_, t.lower_, t.idx) for t in warm(text)] == expected
    assert len(scale._warmed) > 1000
